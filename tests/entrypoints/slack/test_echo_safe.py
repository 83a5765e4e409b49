"""One sanitiser (bot.interview.plaintext.echo_safe) for every text the bot echoes: no
control or bidi character reaches a Slack message, card, modal or the terminal."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator

import pytest
from rich.console import Console

from bot.adapters.store.memory import MemorySessionStore
from bot.domain.requirements import Requirements
from bot.domain.text import echo_safe
from bot.entrypoints.terminal.view import render_reply as render_terminal_reply
from bot.presentation.report import render_markdown, render_text
from tests.support.slack_flow_helpers import click
from tests.support.slack_requests import command_body, message
from tests.support.slack_server import KeyValueExtractor, RunningBot, running_bot

HOSTILE = "Ticket\x00bot\x1b[31mRED\x7f\u202eevil\u2066iso\u2069\u200fmark"
FORBIDDEN = ("\x00", "\x1b", "\x7f", "\u202e", "\u2066", "\u2069", "\u200f")


def assert_clean(text: str) -> None:
    found = [repr(ch) for ch in FORBIDDEN if ch in text]
    assert not found, f"{found} in {text[:200]!r}"


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("plain text", "plain text"),
        ("a\x00b\x1bc\x7fd", "abcd"),
        ("right\u202eto\u202cleft", "righttoleft"),
        ("iso\u2066late\u2069d \u200emarks\u200f", "isolated marks"),
        ("line\r\nbreak\rand\u2028sep", "line\nbreak\nand\nsep"),
        ("tab\tand\nnewline kept", "tab\tand\nnewline kept"),
        ("emoji 👩\u200d💻, café, non\u00a0breaking", "emoji 👩\u200d💻, café, non\u00a0breaking"),
    ],
)
def test_echo_safe_strips_control_and_bidi_characters_only(raw: str, safe: str) -> None:
    assert echo_safe(raw) == safe


@pytest.fixture
async def bot() -> AsyncIterator[RunningBot]:
    async with running_bot(
        store=MemorySessionStore(ttl_seconds=3600), extractor=KeyValueExtractor()
    ) as running:
        yield running


async def test_every_slack_surface_is_clean(bot: RunningBot) -> None:
    """The slash command's root post, the questions, the recommendation card and the edit
    modal, for a description full of control and bidi characters."""
    body = command_body(
        f"{HOSTILE} use_case={HOSTILE} task_type=qa_over_docs",
        response_url=f"{bot.slack.base_url}/response/1",
    )
    await bot.sender.send(body, form=True)
    await bot.settled()
    root = bot.slack.of("chat.postMessage")[0]
    await bot.sender.event(message("decide now", thread_ts=root.answer["ts"]))
    await bot.settled()
    card = next(call for call in bot.slack.messages if "swf_edit_answers" in json.dumps(call.args))
    await click(bot, card, "swf_edit_answers")
    await bot.settled()
    [modal] = bot.slack.of("views.open")
    surfaces = [*bot.slack.messages, modal]
    assert len(surfaces) >= 4
    for call in surfaces:
        assert_clean(json.dumps(call.args, ensure_ascii=False))
    assert "evil" in json.dumps(root.args, ensure_ascii=False)  # the words themselves stay


def test_the_terminal_and_reports_are_clean() -> None:
    """`chat` prints replies with rich, `decide` prints reports: both over a use case with
    control and bidi characters."""
    from bot.adapters.prompts import load_question_bank  # noqa: PLC0415
    from bot.domain.engine import decide  # noqa: PLC0415
    from bot.domain.pricing import load_pricing  # noqa: PLC0415
    from bot.interview.conversation import Interview  # noqa: PLC0415

    requirements = Requirements(use_case=HOSTILE, task_type="qa_over_docs")
    recommendation = decide(requirements, load_pricing())
    assert_clean(render_text(requirements, recommendation))
    assert_clean(render_markdown(requirements, recommendation))
    interview = Interview(bank=load_question_bank(), pricing=load_pricing())
    out = io.StringIO()
    console = Console(file=out, force_terminal=False, width=100)
    from bot.interview.session import SessionKey  # noqa: PLC0415

    key = SessionKey(team_id="T", channel_id="C", thread_ts="1.0")
    session = interview.begin(key, user_id=None, now=0.0)
    session = session.model_copy(update={"requirements": requirements})
    render_terminal_reply(console, interview.decision(session))
    assert_clean(out.getvalue())
