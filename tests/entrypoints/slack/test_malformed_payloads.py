"""Signed but malformed deliveries of every kind: 400 and one warning, never a 5xx.

A 5xx makes Slack retry the same bad body; a traceback in the log is noise that
hides real failures. Each payload kind the app accepts is mutated three ways:
truncated, a key given the wrong type, a key missing (top level and one level in).
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest

from bot.adapters.store.memory import MemorySessionStore
from tests.support.slack_requests import (
    block_action_body,
    command_body,
    event_body,
    mention,
    message,
    view_submission_body,
)
from tests.support.slack_server import KeyValueExtractor, RunningBot, running_bot

WRONG_TYPES: tuple[Any, ...] = ([], "x", 7, None, {"a": 1})


@pytest.fixture
async def bot() -> AsyncIterator[RunningBot]:
    async with running_bot(
        store=MemorySessionStore(ttl_seconds=3600), extractor=KeyValueExtractor()
    ) as running:
        yield running


def _event_payloads() -> dict[str, dict[str, Any]]:
    thread = message("more", thread_ts="1800000000.000001")
    return {
        "mention": json.loads(event_body(mention("task_type=qa_over_docs"))),
        "thread_reply": json.loads(event_body(thread)),
    }


def _form_payloads() -> dict[str, dict[str, Any]]:
    """Interactivity payloads (the JSON inside the form's `payload` field)."""
    click = block_action_body(
        action={"action_id": "swf_decide_now", "type": "button", "value": "x"},
        channel="C0001",
        thread_ts="1800000000.000001",
        message_ts="1800000000.000002",
    )
    answer = block_action_body(
        action={
            "action_id": "swf_answer:task_type:0",
            "type": "button",
            "value": '"qa_over_docs"',
            "text": {"type": "plain_text", "text": "Q&A"},
        },
        channel="C0001",
        thread_ts="1800000000.000001",
        message_ts="1800000000.000002",
    )
    view = view_submission_body(
        view={"callback_id": "swf_edit_modal", "private_metadata": "", "type": "modal"},
        values={},
    )
    suggestion = {
        "type": "block_suggestion",
        "team": {"id": "T0001"},
        "user": {"id": "U0001"},
        "action_id": "swf_something",
        "block_id": "b",
        "value": "typed by a person",
    }
    return {
        "block_actions": json.loads(dict(parse_qsl(click))["payload"]),
        "answer": json.loads(dict(parse_qsl(answer))["payload"]),
        "view_submission": json.loads(dict(parse_qsl(view))["payload"]),
        "block_suggestion": suggestion,
    }


def _mutations(payload: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, value in payload.items():
        trimmed = {k: v for k, v in payload.items() if k != name}
        yield f"missing {name}", trimmed
        for wrong in WRONG_TYPES:
            if type(wrong) is not type(value):
                yield f"{name}={wrong!r}", {**payload, name: wrong}
        inner = value[0] if isinstance(value, list) and value else value
        if isinstance(inner, dict):
            for sub in inner:
                nested = {k: v for k, v in inner.items() if k != sub}
                yield (
                    f"missing {name}.{sub}",
                    {**payload, name: [nested] if inner is not value else nested},
                )
                yield (
                    f"{name}.{sub}=[]",
                    {
                        **payload,
                        name: [{**inner, sub: []}] if inner is not value else {**inner, sub: []},
                    },
                )


def _cases() -> Iterator[tuple[str, str, bool]]:
    """(label, body, is_form) for every mutated payload."""
    for kind, payload in _event_payloads().items():
        text = json.dumps(payload)
        yield f"{kind}: truncated", text[: len(text) // 2], False
        yield f"{kind}: a list", "[1, 2]", False
        for label, mutated in _mutations(payload):
            yield f"{kind}: {label}", json.dumps(mutated), False
    for kind, payload in _form_payloads().items():
        text = json.dumps(payload)
        yield f"{kind}: truncated", urlencode({"payload": text[: len(text) // 2]}), True
        yield f"{kind}: not JSON", urlencode({"payload": "{{{"}), True
        for label, mutated in _mutations(payload):
            yield f"{kind}: {label}", urlencode({"payload": json.dumps(mutated)}), True
    command = dict(parse_qsl(command_body("a use case")))
    yield "command: truncated", urlencode(command)[:40], True
    for name in command:
        yield (
            f"command: missing {name}",
            urlencode({k: v for k, v in command.items() if k != name}),
            True,
        )
        yield f"command: {name} twice", urlencode([*command.items(), (name, "again")]), True


def _fresh_ids(body: str, index: int) -> str:
    """Give each case its own event id and trigger id, so no case is dropped as a replay."""
    for old in ('"event_id": "', '"trigger_id": "', "trigger_id=", "%22trigger_id%22%3A+%22"):
        body = body.replace(old, f"{old}c{index}-", 1)
    return body


CASES = [(label, _fresh_ids(body, i), form) for i, (label, body, form) in enumerate(_cases())]


async def test_no_malformed_signed_payload_gets_a_server_error(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Every mutation is answered 2xx or 400; a 400 logs exactly one warning; nothing logs
    a traceback on the acking side."""
    problems = []
    for label, body, form in CASES:
        caplog.clear()
        with caplog.at_level(logging.INFO):
            status, _ = await bot.sender.send(body, form=form)
            await bot.settled()
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        tracebacks = [r.getMessage() for r in caplog.records if r.exc_info]
        if status >= 500 or status not in (200, 400):
            problems.append(f"{label}: HTTP {status}")
        elif status == 400 and len(warnings) != 1:
            problems.append(f"{label}: {len(warnings)} warnings")
        if tracebacks:
            problems.append(f"{label}: traceback {tracebacks}")
    assert not problems, "\n".join(problems)
    assert len(CASES) > 100


async def test_request_types_the_app_does_not_use_are_acked_quietly(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    """An event the app does not subscribe to, a menu asking for options and Slack's
    ssl_check get 200 (options: an empty list) and no warning: Bolt's own "Unhandled
    request" warning printed part of the payload, typed text included."""
    home = json.loads(event_body({"type": "app_home_opened", "user": "U1", "tab": "home"}))
    suggestion = {
        "type": "block_suggestion",
        "team": {"id": "T0001"},
        "user": {"id": "U0001"},
        "action_id": "some_menu",
        "block_id": "b",
        "value": "SECRETTYPED",
    }
    with caplog.at_level(logging.DEBUG):
        assert (await bot.sender.send(json.dumps(home)))[0] == 200
        status, body = await bot.sender.send(
            urlencode({"payload": json.dumps(suggestion)}), form=True
        )
        assert status == 200
        assert json.loads(body) == {"options": []}
        assert (await bot.sender.send("ssl_check=1&token=legacy", form=True))[0] == 200
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "SECRETTYPED" not in caplog.text
