"""Delivery guarantees: one reply per message, Slack's retries and refusals, slow work, errors."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from bot.adapters.store.memory import MemorySessionStore
from bot.adapters.store.redis import RedisSessionStore
from bot.entrypoints.slack.poster import TOO_LONG_TEXT
from bot.entrypoints.slack.responder import THINKING_TEXT
from bot.errors import ExtractorUnavailableError, StoreUnavailableError
from tests.support.slack_flow_helpers import final_blocks, replies, text_of
from tests.support.slack_requests import mention
from tests.support.slack_server import KeyValueExtractor, RunningBot, free_port, running_bot

OPENING = "task_type=qa_over_docs"


@pytest.fixture
async def redis_store(redis_url: str, key_prefix: str) -> AsyncIterator[RedisSessionStore]:
    # The server closes the store on shutdown, on the loop its connections belong to.
    yield RedisSessionStore.from_url(redis_url, ttl_seconds=3600, key_prefix=key_prefix)


@pytest.fixture
async def bot() -> AsyncIterator[RunningBot]:
    async with running_bot(
        store=MemorySessionStore(ttl_seconds=3600), extractor=KeyValueExtractor()
    ) as running:
        yield running


async def test_an_event_retried_three_times_gets_one_reply(
    redis_store: RedisSessionStore,
) -> None:
    """Slack's retries (same event_id, x-slack-retry-num 1..3) are dropped via Redis."""
    async with running_bot(store=redis_store, extractor=KeyValueExtractor()) as bot:
        event = mention(OPENING)
        statuses = [
            (await bot.sender.event(event, event_id="EvRetried", retry_num=retry))[0]
            for retry in (None, 1, 2, 3)
        ]
        await bot.settled()
        assert statuses == [200, 200, 200, 200]
        assert len(replies(bot, event["ts"])) == 1


async def test_simultaneous_duplicate_deliveries_get_one_reply(
    redis_store: RedisSessionStore,
) -> None:
    """The same delivery arriving three times at once still gets exactly one reply."""
    async with running_bot(store=redis_store, extractor=KeyValueExtractor()) as bot:
        event = mention(OPENING)
        await asyncio.gather(*(bot.sender.event(event, event_id="EvDup") for _ in range(3)))
        await bot.settled()
        assert len(replies(bot, event["ts"])) == 1


async def test_slack_rate_limit_is_retried(bot: RunningBot) -> None:
    """A 429 with Retry-After from chat.postMessage is retried and the reply arrives."""
    bot.slack.fail("chat.postMessage", "ratelimited", status=429, retry_after=1)
    event = mention(OPENING)
    await bot.sender.event(event)
    await bot.slack.wait_for("chat.postMessage", 2)
    await bot.settled()
    attempts = replies(bot, event["ts"])
    assert [call.ok for call in attempts] == [False, True]


async def test_msg_too_long_becomes_a_short_notice(bot: RunningBot) -> None:
    """When Slack refuses a reply as too long, a short notice says so in the thread."""
    bot.slack.fail("chat.postMessage", "msg_too_long")
    event = mention(OPENING)
    await bot.sender.event(event)
    await bot.settled()
    refused, notice = replies(bot, event["ts"])
    assert not refused.ok
    assert notice.ok
    assert notice.args["text"] == TOO_LONG_TEXT


async def test_not_in_channel_is_logged_not_crashed(bot: RunningBot) -> None:
    """If the bot was removed from the channel, the listener gives up quietly (no retry storm)."""
    bot.slack.not_in_channels.add("C0001")
    event = mention(OPENING)
    status, _ = await bot.sender.event(event)
    await bot.settled()
    assert status == 200
    assert [call.answer["error"] for call in bot.slack.of("chat.postMessage")] == ["not_in_channel"]


async def test_slow_work_shows_a_placeholder_within_a_second_then_updates_it() -> None:
    """While a slow (Claude-like) extraction runs, a status shows within 1 s and is replaced."""
    slow = KeyValueExtractor(delay_seconds=1.2)
    async with running_bot(store=MemorySessionStore(ttl_seconds=3600), extractor=slow) as bot:
        event = mention(OPENING)
        sent = time.monotonic()
        await bot.sender.event(event)
        [placeholder] = await bot.slack.wait_for("chat.postMessage")
        assert time.monotonic() - sent < 1.0
        assert placeholder.args["text"] == THINKING_TEXT
        await bot.settled()
        assert len(replies(bot, event["ts"])) == 1
        [update] = bot.slack.of("chat.update")
        assert update.args["ts"] == placeholder.answer["ts"]
        assert "swf_decide_now" in text_of(final_blocks(bot, placeholder))


async def test_claude_failure_is_a_clear_message_in_the_thread() -> None:
    """An extractor failure is reported with its user message, not a stack trace."""
    failing = KeyValueExtractor(error=ExtractorUnavailableError("overloaded"))
    async with running_bot(store=MemorySessionStore(ttl_seconds=3600), extractor=failing) as bot:
        event = mention(OPENING)
        await bot.sender.event(event)
        await bot.settled()
        [reply] = replies(bot, event["ts"])
        assert reply.args["text"] == ExtractorUnavailableError.user_message


async def test_store_failure_is_a_clear_message_in_the_thread() -> None:
    """When Redis is down, the thread is told storage is unavailable and nothing changed."""
    dead = RedisSessionStore.from_url(
        f"redis://127.0.0.1:{free_port()}/0", ttl_seconds=60, key_prefix="swf-dead"
    )
    async with running_bot(store=dead, extractor=KeyValueExtractor()) as bot:
        event = mention(OPENING)
        await bot.sender.event(event)
        await bot.settled()
        [reply] = replies(bot, event["ts"])
        assert reply.args["text"] == StoreUnavailableError.user_message


async def test_a_malformed_delivery_is_dropped_and_the_next_one_answered(bot: RunningBot) -> None:
    """A payload missing its channel is refused with 400 (Slack does not retry that) and
    logged; the next delivery is answered."""
    broken = mention(OPENING)
    del broken["channel"]
    status, _ = await bot.sender.event(broken)
    assert status == 400
    event = mention(OPENING)
    await bot.sender.event(event)
    await bot.settled()
    assert len(replies(bot, event["ts"])) == 1
    assert len(bot.slack.of("chat.postMessage")) == 1
