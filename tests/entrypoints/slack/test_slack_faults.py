"""Deliver, or say so: Slack failures past slack_sdk's retries lose no reply, leave no
placeholder behind, and never make the bot claim a failure that did not happen."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest

from bot.adapters import metrics
from bot.adapters.store.memory import MemorySessionStore
from bot.entrypoints.slack.responder import THINKING_TEXT
from bot.errors import BotError
from tests.support.slack_requests import command_body, mention, message
from tests.support.slack_server import KeyValueExtractor, RunningBot, running_bot

OPENING = "task_type=qa_over_docs"
RETRY_WAIT_SECONDS = 10.0


@pytest.fixture
async def bot() -> AsyncIterator[RunningBot]:
    async with running_bot(
        store=MemorySessionStore(ttl_seconds=3600), extractor=KeyValueExtractor()
    ) as running:
        yield running


@pytest.fixture
async def slow_bot() -> AsyncIterator[RunningBot]:
    """Replies take 0.6 s (so a placeholder is posted first, then replaced)."""
    async with running_bot(
        store=MemorySessionStore(ttl_seconds=3600),
        extractor=KeyValueExtractor(delay_seconds=0.6),
        slack_timeout_seconds=1,
    ) as running:
        yield running


async def settle(bot: RunningBot) -> None:
    # Slack's retry handlers wait out each 429's Retry-After inside the job: a generous guard.
    await bot.settled(timeout_seconds=20)
    assert await bot.outbox.settled(RETRY_WAIT_SECONDS), "retries still running"


def assert_answered_once(bot: RunningBot, thread_ts: str) -> str:
    """The thread shows exactly one message, the interview's reply (no placeholder, no
    error notice); its text."""
    [shown] = bot.slack.thread_texts(thread_ts)
    assert shown != THINKING_TEXT
    assert BotError.user_message not in shown
    return shown


def given_up() -> float:
    return metrics.SLACK_REPLIES_GIVEN_UP._value.get()


async def test_a_reply_refused_with_500_past_the_retries_is_delivered_later(
    bot: RunningBot,
) -> None:
    """Five HTTP 500s in a row (more than slack_sdk's retries): the reply is kept pending and
    the retry task delivers it, once."""
    bot.slack.fail("chat.postMessage", "internal_error", status=500, times=5)
    event = mention(OPENING)
    await bot.sender.event(event)
    await settle(bot)
    assert_answered_once(bot, event["ts"])


async def test_four_rate_limits_in_a_row_lose_nothing(bot: RunningBot) -> None:
    bot.slack.fail("chat.postMessage", "ratelimited", status=429, retry_after=1, times=4)
    event = mention(OPENING)
    await bot.sender.event(event)
    await settle(bot)
    assert_answered_once(bot, event["ts"])


async def test_ok_false_with_a_transient_error_is_retried(bot: RunningBot) -> None:
    """`ok: false` with HTTP 200 (`service_unavailable`) is not an answer to give up on."""
    bot.slack.fail("chat.postMessage", "service_unavailable")
    event = mention(OPENING)
    await bot.sender.event(event)
    await settle(bot)
    assert_answered_once(bot, event["ts"])


async def test_a_placeholder_that_cannot_be_replaced_at_first_is_replaced_later(
    slow_bot: RunningBot,
) -> None:
    """500s on chat.update: "Reading that…" does not stay; the reply replaces it."""
    slow_bot.slack.fail("chat.update", "internal_error", status=500, times=4)
    event = mention(OPENING)
    await slow_bot.sender.event(event)
    await settle(slow_bot)
    assert_answered_once(slow_bot, event["ts"])
    assert len(slow_bot.slack.of("chat.postMessage")) == 1  # the placeholder, replaced


async def test_a_slow_update_that_landed_is_not_followed_by_an_error(
    slow_bot: RunningBot,
) -> None:
    """chat.update slower than the client's timeout, yet applied: no "Something went
    wrong", no second message."""
    slow_bot.slack.slow("chat.update", 1.5)
    event = mention(OPENING)
    await slow_bot.sender.event(event)
    await settle(slow_bot)
    assert_answered_once(slow_bot, event["ts"])


async def test_a_slow_post_that_landed_is_not_posted_twice() -> None:
    """chat.postMessage slower than the timeout but applied: the retry finds it in the
    thread and does not post it again."""
    async with running_bot(
        store=MemorySessionStore(ttl_seconds=3600),
        extractor=KeyValueExtractor(),
        slack_timeout_seconds=1,
    ) as bot:
        bot.slack.slow("chat.postMessage", 1.5)
        event = mention(OPENING)
        await bot.sender.event(event)
        await settle(bot)
        assert_answered_once(bot, event["ts"])
        assert len([c for c in bot.slack.of("chat.postMessage") if c.ok]) == 1


async def test_the_next_turn_delivers_what_is_pending_first(bot: RunningBot) -> None:
    """A reply still pending when the next message comes is delivered before its reply."""
    bot.slack.fail("chat.postMessage", "internal_error", status=500, times=3)
    root = mention(OPENING)
    await bot.sender.event(root)
    await bot.settled()
    assert bot.slack.thread_texts(root["ts"]) == []  # pending: the retry waits a second
    await bot.sender.event(message("deployment=cloud_api", thread_ts=root["ts"]))
    await settle(bot)
    shown = bot.slack.thread_texts(root["ts"])
    assert len(shown) == 2
    first_posted = next(c for c in bot.slack.of("chat.postMessage") if c.ok)
    assert first_posted.args["text"] == shown[0]


async def test_a_reply_refused_for_good_is_given_up_loudly(
    slow_bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    """A refusal that waiting will not fix (`not_in_channel` on the update): one error line
    with ids and no text, the metric, and the placeholder deleted."""
    before = given_up()
    slow_bot.slack.fail("chat.update", "not_in_channel")
    event = mention(OPENING)
    with caplog.at_level(logging.INFO):
        await slow_bot.sender.event(event)
        await settle(slow_bot)
    assert slow_bot.slack.thread_texts(event["ts"]) == []  # placeholder deleted
    assert slow_bot.slack.of("chat.delete")
    assert given_up() == before + 1
    [line] = [r for r in caplog.records if "given up" in r.getMessage()]
    assert line.__dict__["thread_ts"] == event["ts"]
    assert OPENING not in str(line.__dict__)


async def test_simultaneous_failures_in_two_threads_keep_each_in_order(bot: RunningBot) -> None:
    bot.slack.fail("chat.postMessage", "internal_error", status=500, times=6)
    first, second = mention(OPENING), mention(OPENING)
    await asyncio.gather(bot.sender.event(first), bot.sender.event(second))
    await settle(bot)
    assert_answered_once(bot, first["ts"])
    assert_answered_once(bot, second["ts"])


async def test_a_command_whose_root_cannot_be_posted_says_so_privately(bot: RunningBot) -> None:
    """Slack failing past the retries on the command's root message: the person who ran it
    is told (ephemeral, through response_url) instead of hearing nothing."""
    bot.slack.fail("chat.postMessage", "internal_error", status=500, times=3)
    body = command_body(OPENING, response_url=f"{bot.slack.base_url}/response/1")
    status, _ = await bot.sender.send(body, form=True)
    await settle(bot)
    assert status == 200
    [notice] = bot.slack.of("response_url")
    assert notice.args["response_type"] == "ephemeral"
    assert "run the command again" in notice.args["text"]
