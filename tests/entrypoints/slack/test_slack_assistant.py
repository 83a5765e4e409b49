"""The AI assistant panel: suggested prompts, status, title, and the interview in the thread."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from bot.adapters.store.memory import MemorySessionStore
from bot.entrypoints.manifest import SUGGESTED_PROMPTS
from bot.entrypoints.slack.assistant import THINKING_STATUS, thread_title
from tests.support.slack_requests import next_ts
from tests.support.slack_server import KeyValueExtractor, RunningBot, running_bot
from tests.support.surface_requests import (
    assistant_thread_started,
    im_thread_message,
    team_event_body,
)

OPENING = "Should we fine-tune our support drafter? use_case=drafter task_type=generation"
ANSWERS = (
    "needs_external_knowledge=false requests_per_month=30000 latency_target_ms=3000 "
    'team_ml_capability="basic" labelled_examples=400 output_format_strictness="free"'
)


@pytest.fixture
async def bot() -> AsyncIterator[RunningBot]:
    async with running_bot(
        store=MemorySessionStore(ttl_seconds=3600), extractor=KeyValueExtractor()
    ) as running:
        yield running


async def say(bot: RunningBot, text: str, *, thread_ts: str) -> None:
    status, _ = await bot.sender.send(team_event_body(im_thread_message(text, thread_ts=thread_ts)))
    assert status == 200
    await bot.settled()


async def test_new_thread_gets_the_suggested_prompts_and_a_greeting(bot: RunningBot) -> None:
    """assistant_thread_started sets the three suggested prompts and greets in the thread."""
    thread = next_ts()
    status, _ = await bot.sender.send(team_event_body(assistant_thread_started(thread_ts=thread)))
    assert status == 200
    await bot.settled()
    [prompts] = bot.slack.of("assistant.threads.setSuggestedPrompts")
    assert prompts.args["channel_id"] == "D0001" and prompts.args["thread_ts"] == thread
    sent = prompts.args["prompts"]
    if isinstance(sent, str):
        sent = json.loads(sent)
    assert [p["message"] for p in sent] == [message for _, message in SUGGESTED_PROMPTS]
    assert "Should we fine-tune our support drafter?" in [p["message"] for p in sent]
    [greeting] = bot.slack.in_thread(thread)
    assert "use case" in greeting.args["text"]


async def test_message_runs_the_interview_with_status_and_title(bot: RunningBot) -> None:
    """A message shows the thinking status (no placeholder), asks questions, titles the thread."""
    thread = next_ts()
    await say(bot, OPENING, thread_ts=thread)
    [status] = bot.slack.of("assistant.threads.setStatus")
    assert status.args["status"] == THINKING_STATUS
    assert status.args["thread_ts"] == thread
    [questions] = bot.slack.in_thread(thread)
    assert "swf_decide_now" in json.dumps(questions.args["blocks"])
    assert "Reading that" not in questions.args["text"]
    assert bot.slack.of("chat.update") == []  # nothing to replace: no placeholder was posted
    [title] = bot.slack.of("assistant.threads.setTitle")
    assert title.args["title"] == "drafter"


async def test_the_interview_in_the_thread_reaches_a_recommendation(bot: RunningBot) -> None:
    """Answers and `decide now` in the assistant thread end with the recommendation there."""
    thread = next_ts()
    await say(bot, OPENING, thread_ts=thread)
    await say(bot, ANSWERS, thread_ts=thread)
    await say(bot, "decide now", thread_ts=thread)
    final = bot.slack.in_thread(thread)[-1]
    assert final.args["text"].startswith("Recommendation:")
    assert all(call.ok for call in bot.slack.calls)


async def test_without_assistant_status_the_placeholder_way_is_used(bot: RunningBot) -> None:
    """Where Slack refuses the status (a plain DM thread), the reply still comes."""
    bot.slack.fail("assistant.threads.setStatus", "channel_not_found", times=5)
    thread = next_ts()
    await say(bot, OPENING, thread_ts=thread)
    [questions] = bot.slack.in_thread(thread)
    assert "swf_decide_now" in json.dumps(questions.args["blocks"])
    assert bot.slack.of("assistant.threads.setTitle") == []


def test_long_titles_are_cut() -> None:
    """A long use case makes a short one-line title."""
    title = thread_title("word " * 50 + "\nmore")
    assert len(title) <= 80 and "\n" not in title


async def test_context_change_is_acknowledged_quietly(bot: RunningBot) -> None:
    """Moving to another channel with the panel open changes nothing in the interview."""
    thread = next_ts()
    event = {
        "type": "assistant_thread_context_changed",
        "assistant_thread": {
            "user_id": "U0001",
            "channel_id": "D0001",
            "thread_ts": thread,
            "context": {"channel_id": "C0002", "team_id": "T0001"},
        },
        "event_ts": next_ts(),
    }
    status, _ = await bot.sender.send(team_event_body(event))
    assert status == 200
    await bot.settled()
    assert bot.slack.calls == [] or {c.method for c in bot.slack.calls} == {"auth.test"}
