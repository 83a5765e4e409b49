"""The follow-up check-in: offered on the card, scheduled in Slack, cancelled, and answered
with a figure that re-runs the engine, across a restart of the bot."""

from __future__ import annotations

import json
import time

import redis.asyncio as redis

from bot.adapters.store.redis import RedisSessionStore
from bot.domain.engine import decide
from bot.domain.pricing import load_pricing
from bot.domain.requirements import Requirements
from bot.entrypoints.slack.reminder import (
    ANSWER_WINDOW_SECONDS,
    WEEK_SECONDS,
    needs_measurement,
    render_reminder_offer,
)
from tests.support.fake_slack import Call
from tests.support.slack_flow_helpers import click, final_blocks, replies, text_of
from tests.support.slack_requests import mention, message
from tests.support.slack_server import KeyValueExtractor, RunningBot, running_bot
from tests.support.store_samples import delete_prefix

OPENING = "We want a rules assistant for our game task_type=qa_over_docs"
ANSWERS = (
    "kb_size_docs=2 kb_size_tokens=55000 requests_per_month=8000 citations_required=true "
    'latency_target_ms=3000 team_ml_capability="none" labelled_examples=0 '
    "needs_external_knowledge=true"
)


def redis_store(redis_url: str, key_prefix: str) -> RedisSessionStore:
    return RedisSessionStore.from_url(redis_url, ttl_seconds=3600, key_prefix=key_prefix)


async def decided_thread(bot: RunningBot) -> str:
    event = mention(OPENING)
    await bot.sender.event(event)
    await bot.settled()
    thread = str(event["ts"])
    await bot.sender.event(message(ANSWERS, thread_ts=thread))
    await bot.settled()
    await bot.sender.event(message("decide now", thread_ts=thread))
    await bot.settled()
    assert replies(bot, thread)[-1].args["text"].startswith("Recommendation:")
    return thread


async def session_ttl(redis_url: str, key_prefix: str) -> int:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    try:
        [name] = [n async for n in client.scan_iter(match=f"{key_prefix}:*:session")]
        return int(await client.ttl(name))
    finally:
        await client.aclose()


async def test_reminder_is_scheduled_then_answered_after_a_restart(
    redis_url: str, key_prefix: str
) -> None:
    """*Remind me in 2 weeks* schedules the check-in in the thread and keeps the session; after a
    restart, a reply with the measured figure re-runs the engine as a what-if."""
    try:
        async with running_bot(
            store=redis_store(redis_url, key_prefix), extractor=KeyValueExtractor()
        ) as bot:
            thread = await decided_thread(bot)
            card = replies(bot, thread)[-1]
            assert "Remind me in 2 weeks" in text_of(final_blocks(bot, card))
            before = time.time()
            status, _ = await click(bot, card, "swf_remind:2")
            assert status == 200
            await bot.settled()
            [scheduled] = bot.slack.of("chat.scheduleMessage")
            assert scheduled.ok, scheduled.answer
            assert scheduled.args["thread_ts"] == thread
            post_at = int(scheduled.args["post_at"])
            assert abs(post_at - (before + 2 * WEEK_SECONDS)) < 60
            assert "Did you measure it?" in json.dumps(scheduled.args["blocks"])
            confirmation = replies(bot, thread)[-1]
            assert "swf_cancel_reminder" in text_of(final_blocks(bot, confirmation))
            # A second click on the same card does not schedule a second check-in.
            await click(bot, card, "swf_remind:2")
            await bot.settled()
            assert len(bot.slack.of("chat.scheduleMessage")) == 1
        # The session outlives the check-in date by the answer window, whatever later turns do.
        ttl = await session_ttl(redis_url, key_prefix)
        assert ttl > 2 * WEEK_SECONDS + ANSWER_WINDOW_SECONDS - 120

        async with running_bot(
            store=redis_store(redis_url, key_prefix), extractor=KeyValueExtractor()
        ) as restarted:
            await restarted.sender.event(message("prompt_baseline_gap_pp=2", thread_ts=thread))
            await restarted.settled()
            # The what-if updates the card in place and says what moved in a short delta.
            delta = replies(restarted, thread)[-1]
            assert "gap to the quality target" in delta.args["text"].lower()
            assert "→ 2" in delta.args["text"]
            assert restarted.slack.of("chat.update")
    finally:
        delete_prefix(redis_url, key_prefix)


async def test_reminder_can_be_cancelled_once(redis_url: str, key_prefix: str) -> None:
    """*Cancel reminder* deletes the scheduled message and says so; a second cancel is told
    it was already gone."""
    try:
        async with running_bot(
            store=redis_store(redis_url, key_prefix), extractor=KeyValueExtractor()
        ) as bot:
            thread = await decided_thread(bot)
            await click(bot, replies(bot, thread)[-1], "swf_remind:4")
            await bot.settled()
            [scheduled] = bot.slack.of("chat.scheduleMessage")
            assert int(scheduled.args["post_at"]) > time.time() + 4 * WEEK_SECONDS - 60
            confirmation = replies(bot, thread)[-1]
            await click(bot, confirmation, "swf_cancel_reminder")
            await bot.settled()
            [deleted] = bot.slack.of("chat.deleteScheduledMessage")
            assert deleted.ok
            assert deleted.args["scheduled_message_id"] == scheduled.answer["scheduled_message_id"]
            assert bot.slack.scheduled == {}
            assert "Check-in cancelled" in text_of(final_blocks(bot, confirmation))
            # A second click on the same button is dropped: one cancel per check-in.
            await click(bot, _as_first_posted(bot, confirmation), "swf_cancel_reminder")
            await bot.settled()
            assert len(bot.slack.of("chat.deleteScheduledMessage")) == 1
    finally:
        delete_prefix(redis_url, key_prefix)


async def test_cancelling_a_check_in_already_sent_says_so(redis_url: str, key_prefix: str) -> None:
    """Cancelling after Slack already posted the check-in answers plainly, without an error."""
    try:
        async with running_bot(
            store=redis_store(redis_url, key_prefix), extractor=KeyValueExtractor()
        ) as bot:
            thread = await decided_thread(bot)
            await click(bot, replies(bot, thread)[-1], "swf_remind:1")
            await bot.settled()
            bot.slack.scheduled.clear()  # Slack posted it: the id is no longer scheduled
            confirmation = replies(bot, thread)[-1]
            await click(bot, confirmation, "swf_cancel_reminder")
            await bot.settled()
            assert "already sent or cancelled" in text_of(final_blocks(bot, confirmation))
    finally:
        delete_prefix(redis_url, key_prefix)


def _as_first_posted(bot: RunningBot, call: Call) -> Call:
    """The message as it was first posted (its button still there), ignoring later updates."""
    return Call(call.method, call.args, answer={**call.answer, "ts": "unrelated"})


def test_offer_only_when_there_is_something_to_measure() -> None:
    """A decision whose next steps measure something gets the offer; one with nothing does not."""
    pricing = load_pricing()
    rec = decide(Requirements(task_type="qa_over_docs", needs_external_knowledge=True), pricing)
    assert needs_measurement(rec)
    blocks = [block.to_dict() for block in render_reminder_offer(rec)]
    assert {e["action_id"] for e in blocks[-1]["elements"]} == {
        "swf_remind:1",
        "swf_remind:2",
        "swf_remind:4",
    }
    quiet = rec.model_copy(update={"next_steps": ["Ship it."], "assumptions": []})
    assert not needs_measurement(quiet)
    assert render_reminder_offer(quiet) == []
