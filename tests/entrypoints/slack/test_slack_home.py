"""The App Home tab and *New decision*, end to end through signed requests and the fake Slack."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from bot.adapters.store.memory import MemorySessionStore
from bot.entrypoints.slack.home import (
    NEW_DECISION_CALLBACK,
    USE_CASE_ACTION,
    USE_CASE_BLOCK,
    render_home,
    split_home_entries,
)
from bot.interview.session import SessionKey
from bot.ports import HistoryEntry
from tests.support.fake_slack import VIEW_MAX_BLOCKS, check_blocks
from tests.support.slack_requests import TEAM_ID, view_submission_body
from tests.support.slack_server import KeyValueExtractor, RunningBot, running_bot
from tests.support.surface_requests import home_opened, team_event_body

NOW = 1_790_000_000.0


def entry(
    user: str | None, channel: str, use_case: str, *, at: float = NOW, team: str = TEAM_ID
) -> HistoryEntry:
    return HistoryEntry(
        key=SessionKey(team_id=team, channel_id=channel, thread_ts=f"{at:.6f}"),
        user_id=user,
        approach="rag",
        confidence=0.8,
        use_case=use_case,
        decided_at=at,
    )


@pytest.fixture
async def store() -> MemorySessionStore:
    return MemorySessionStore(ttl_seconds=3600)


@pytest.fixture
async def bot(store: MemorySessionStore) -> AsyncIterator[RunningBot]:
    async with running_bot(store=store, extractor=KeyValueExtractor()) as running:
        yield running


def published_text(bot: RunningBot) -> str:
    [call] = bot.slack.of("views.publish")
    assert call.ok, call.answer
    return json.dumps(call.args["view"], ensure_ascii=False)


async def test_home_publishes_the_persons_decisions_and_their_channels(
    bot: RunningBot, store: MemorySessionStore
) -> None:
    """Opening Home publishes my decisions and others' in my channels, with thread links."""
    await store.add_history(entry("U0001", "C0001", "Support drafter", at=NOW))
    await store.add_history(entry("U0002", "C0002", "Docs search", at=NOW + 1))
    await store.add_history(entry("U0003", "C0003", "Secret project", at=NOW + 2))
    await store.add_history(entry("U0009", "C0002", "Other workspace", team="T0999"))
    bot.slack.user_channels["U0001"] = ["C0001", "C0002"]
    status, _ = await bot.sender.send(team_event_body(home_opened(user="U0001")))
    assert status == 200
    await bot.settled()
    [call] = bot.slack.of("views.publish")
    assert call.args["user_id"] == "U0001"
    view = call.args["view"]
    text = published_text(bot)
    assert "Support drafter" in text and "Docs search" in text
    assert "Secret project" not in text  # a channel I am not in
    assert "Other workspace" not in text  # another workspace on the same store
    assert "https://fake.slack.com/archives/C0001/p" in text
    assert "How it decides" in text
    assert "swf_new_decision" in text
    assert check_blocks(view["blocks"], VIEW_MAX_BLOCKS) is None


async def test_home_for_a_newcomer_invites_a_first_decision(bot: RunningBot) -> None:
    """With no history, Home still publishes, saying how to start."""
    await bot.sender.send(team_event_body(home_opened(user="U0042")))
    await bot.settled()
    assert "No decisions yet" in published_text(bot)


async def test_messages_tab_does_not_publish(bot: RunningBot) -> None:
    """Opening the Messages tab is not a reason to publish Home."""
    await bot.sender.send(team_event_body(home_opened(tab="messages")))
    await bot.settled()
    assert bot.slack.of("views.publish") == []


def new_decision_click() -> str:
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": {"id": "U0001", "team_id": TEAM_ID},
        "api_app_id": "A0001",
        "token": "legacy",
        "container": {"type": "view", "view_id": "VHOME"},
        "trigger_id": "trigger-home",
        "view": {"id": "VHOME", "type": "home"},
        "actions": [
            {"action_id": "swf_new_decision", "block_id": "home_actions", "type": "button"}
        ],
    }
    from urllib.parse import urlencode  # noqa: PLC0415 - local to this payload

    return urlencode({"payload": json.dumps(payload)})


async def test_new_decision_opens_the_modal_and_starts_a_dm_interview(bot: RunningBot) -> None:
    """*New decision* opens the use-case modal; submitting it starts the interview in a DM."""
    status, _ = await bot.sender.send(new_decision_click(), form=True)
    assert status == 200
    await bot.settled()
    [opened] = bot.slack.of("views.open")
    assert opened.ok and opened.args["trigger_id"] == "trigger-home"
    view = opened.args["view"]
    assert view["callback_id"] == NEW_DECISION_CALLBACK
    values = {
        USE_CASE_BLOCK: {
            USE_CASE_ACTION: {
                "type": "plain_text_input",
                "value": "A rules bot task_type=qa_over_docs",
            }
        }
    }
    status, body = await bot.sender.send(view_submission_body(view=view, values=values), form=True)
    assert status == 200 and body == ""
    await bot.settled()
    [dm] = bot.slack.of("conversations.open")
    assert dm.args["users"] == "U0001"
    root = next(c for c in bot.slack.of("chat.postMessage") if "thread_ts" not in c.args)
    assert root.args["channel"] == "D0001"
    assert "A rules bot" in json.dumps(root.args["blocks"])
    questions = bot.slack.in_thread(root.answer["ts"])
    assert questions and "swf_decide_now" in json.dumps(questions[-1].args["blocks"])


async def test_new_decision_with_too_little_text_is_refused_in_the_modal(bot: RunningBot) -> None:
    """A near-empty use case gets a field error in the modal, and nothing starts."""
    view = {"callback_id": NEW_DECISION_CALLBACK, "type": "modal", "blocks": []}
    values = {USE_CASE_BLOCK: {USE_CASE_ACTION: {"type": "plain_text_input", "value": "bot"}}}
    status, body = await bot.sender.send(view_submission_body(view=view, values=values), form=True)
    assert status == 200
    assert json.loads(body)["response_action"] == "errors"
    await bot.settled()
    assert bot.slack.of("conversations.open") == []


def test_split_keeps_mine_and_my_channels_only() -> None:
    """The team's list splits into mine and others' in my channels; the rest is left out."""
    entries = [entry("U1", "C9", "mine"), entry("U2", "C1", "theirs"), entry("U3", "C7", "no")]
    mine, others = split_home_entries(entries, user_id="U1", channel_ids={"C1"})
    assert [e.use_case for e in mine] == ["mine"]
    assert [e.use_case for e in others] == ["theirs"]


def test_home_escapes_use_cases() -> None:
    """A use case with markup cannot inject links or mentions into Home."""
    view = render_home(mine=[entry("U1", "C1", "<!channel> hi")], in_channels=[], links={})
    assert "<!channel>" not in json.dumps(view)
