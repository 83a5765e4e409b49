"""`serve --socket` end to end over a fake Socket Mode connection: a mention, a thread
reply, a button click and the slash command, each envelope acknowledged within 1 s and
answered exactly once; a connection Slack drops is reopened and keeps working."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest

from bot.entrypoints.slack.responder import THINKING_TEXT
from tests.support.fake_slack import TEAM_ID
from tests.support.fake_socket_mode import APP_TOKEN, SocketModeSlack, running_socket_mode_slack
from tests.support.serve_process import (
    BOT_TOKEN,
    USER_ID,
    ServeProcess,
    event_body,
    mention,
    start_serve,
    thread_reply,
)
from tests.support.slack_requests import block_action_body, command_body

CHANNEL = "C0SOCKET"
ACK_SECONDS = 1.0
ANSWER_WAIT_SECONDS = 15.0


@pytest.fixture
async def slack() -> AsyncIterator[SocketModeSlack]:
    async with running_socket_mode_slack() as fake:
        yield fake


@pytest.fixture
async def served(slack: SocketModeSlack, tmp_path: Path) -> AsyncIterator[ServeProcess]:
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_URL": f"{slack.base_url}/api/",
    }
    server = start_serve(env=env, stderr_path=tmp_path / "serve.log", socket_mode=True)
    try:
        await slack.wait_connected(count=1)
        yield server
    finally:
        server.kill()


async def shown(slack: SocketModeSlack, thread_ts: str, count: int) -> list[str]:
    """The thread's messages (placeholders aside) once there are `count`, then a moment more
    to catch a duplicate."""
    deadline = time.monotonic() + ANSWER_WAIT_SECONDS
    while time.monotonic() < deadline:
        texts = [t for t in slack.thread_texts(thread_ts) if t != THINKING_TEXT]
        if len(texts) >= count:
            await asyncio.sleep(0.5)
            return [t for t in slack.thread_texts(thread_ts) if t != THINKING_TEXT]
        await asyncio.sleep(0.05)
    raise AssertionError(f"thread shows {slack.thread_texts(thread_ts)}")


def _event(event: dict[str, Any], event_id: str) -> dict[str, Any]:
    return dict(json.loads(event_body(event_id=event_id, event=event)))


def _decide_now_click(slack: SocketModeSlack, thread_ts: str) -> dict[str, Any]:
    question_ts = max(
        ts for ts, message in slack.posted.items() if message.get("thread_ts") == thread_ts
    )
    body = block_action_body(
        action={"action_id": "swf_decide_now", "type": "button", "value": "decide"},
        channel=CHANNEL,
        thread_ts=thread_ts,
        message_ts=question_ts,
        user=USER_ID,
    )
    return dict(json.loads(dict(parse_qsl(body))["payload"]))


async def test_mention_reply_click_and_command_over_socket_mode(
    served: ServeProcess, slack: SocketModeSlack
) -> None:
    root = f"{time.time():.6f}"
    opening = mention(
        channel=CHANNEL, ts=root, text="we summarise support tickets into a weekly digest"
    )
    await slack.deliver(_event(opening, "EvSock1"), envelope_id="env-mention")
    assert await slack.acked_within("env-mention", ACK_SECONDS)
    assert len(await shown(slack, root, 1)) == 1

    reply = thread_reply(
        channel=CHANNEL, thread_ts=root, ts=f"{float(root) + 1:.6f}", text="about 5000 a month"
    )
    await slack.deliver(_event(reply, "EvSock2"), envelope_id="env-reply")
    assert await slack.acked_within("env-reply", ACK_SECONDS)
    assert len(await shown(slack, root, 2)) == 2

    await slack.deliver(_decide_now_click(slack, root), envelope_id="env-click", kind="interactive")
    assert await slack.acked_within("env-click", ACK_SECONDS)
    assert len(await shown(slack, root, 3)) == 3

    command = dict(parse_qsl(command_body("we tag invoices by vendor", channel=CHANNEL)))
    command["user_id"] = USER_ID
    command["team_id"] = TEAM_ID
    roots_before = [c for c in slack.of("chat.postMessage") if not c.args.get("thread_ts")]
    await slack.deliver(command, envelope_id="env-command", kind="slash_commands")
    assert await slack.acked_within("env-command", ACK_SECONDS)
    deadline = time.monotonic() + ANSWER_WAIT_SECONDS
    while len([c for c in slack.of("chat.postMessage") if not c.args.get("thread_ts")]) == len(
        roots_before
    ):
        assert time.monotonic() < deadline, "the command posted no root message"
        await asyncio.sleep(0.05)
    [command_root] = [c for c in slack.of("chat.postMessage") if not c.args.get("thread_ts")][
        len(roots_before) :
    ]
    assert len(await shown(slack, str(command_root.answer["ts"]), 1)) == 1
    assert sorted(slack.acks) == sorted(["env-mention", "env-reply", "env-click", "env-command"])


async def test_a_dropped_connection_is_reopened(
    served: ServeProcess, slack: SocketModeSlack
) -> None:
    """Slack closes the WebSocket (it rotates connections): serve opens a new one through
    apps.connections.open, and the next mention is acknowledged and answered once."""
    await slack.drop()
    await slack.wait_connected(count=2)
    assert served.process.poll() is None
    root = f"{time.time():.6f}"
    opening = mention(channel=CHANNEL, ts=root, text="we classify emails by urgency")
    await slack.deliver(_event(opening, "EvSock3"), envelope_id="env-after-drop")
    assert await slack.acked_within("env-after-drop", ACK_SECONDS)
    assert len(await shown(slack, root, 1)) == 1


async def test_malformed_envelopes_are_acked_and_logged_once(
    served: ServeProcess, slack: SocketModeSlack
) -> None:
    """Socket Mode has no HTTP 400: a malformed envelope is acknowledged (Slack would resend
    it otherwise), logged as one warning without a traceback, and serve keeps answering."""
    broken = [
        ("events_api", {"type": "event_callback", "team_id": TEAM_ID, "event": 7}),
        ("interactive", {"type": "block_actions", "actions": "x"}),
        ("slash_commands", {"command": "/should-we-finetune", "text": ["x"]}),
    ]
    for index, (kind, payload) in enumerate(broken):
        await slack.deliver(payload, envelope_id=f"env-broken-{index}", kind=kind)
        assert await slack.acked_within(f"env-broken-{index}", ACK_SECONDS)
    root = f"{time.time():.6f}"
    opening = mention(channel=CHANNEL, ts=root, text="we route support emails to teams")
    await slack.deliver(_event(opening, "EvSock4"), envelope_id="env-after-broken")
    assert len(await shown(slack, root, 1)) == 1
    lines = served.log_lines()
    refused = [line for line in lines if line["event"] == "malformed Slack delivery refused"]
    assert len(refused) == len(broken)
    assert not [line for line in lines if line.get("level") == "ERROR"]
