"""Redis killed in the middle of a turn and started again: the thread recovers at once.

Each test starts its own redis-server (never the shared one), kills it with SIGKILL
while a turn holds the thread's lock, waits for that turn to fail (the thread is
told storage is unavailable), starts Redis again and measures how soon the next
message in the thread gets its reply. With AOF, Redis comes back with the session
and possibly the failed turn's lock; without, it comes back empty.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest

from bot.adapters.store.redis import RedisSessionStore
from bot.entrypoints.slack.lost_thread import LOST_TEXT
from bot.errors import SessionBusyError, StoreUnavailableError
from bot.interview.session import SessionKey
from tests.support.redis_server import KillableRedis
from tests.support.slack_requests import TEAM_ID, mention, message
from tests.support.slack_server import KeyValueExtractor, RunningBot, running_bot

RECOVERY_BUDGET_SECONDS = 5.0
CLAUDE_SECONDS = 2.5


async def _next_reply(bot: RunningBot, thread_ts: str, *, after: int) -> str:
    """The text of the thread's message number `after` once it shows (10 s at most)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        texts = bot.slack.thread_texts(thread_ts)
        if len(texts) > after and texts[after] != "Reading that…":
            return texts[after]
        await asyncio.sleep(0.02)
    raise AssertionError(f"no reply in the thread: {bot.slack.thread_texts(thread_ts)}")


async def _kill_mid_turn(
    bot: RunningBot, redis: KillableRedis, extractor: KeyValueExtractor
) -> str:
    """Start an interview, kill Redis while the next turn holds the lock; the thread ts."""
    root = mention("task_type=qa_over_docs")
    await bot.sender.event(root)
    await _next_reply(bot, root["ts"], after=0)
    await asyncio.sleep(1.2)  # appendfsync everysec: the session is on disk now
    extractor.delay_seconds = CLAUDE_SECONDS
    await bot.sender.event(message("project_stage=production", thread_ts=root["ts"]))
    # The turn holds the lock, waiting on "Claude"; past one fsync, so with AOF the lock
    # comes back with Redis (a lease that would otherwise hold the thread).
    await asyncio.sleep(1.3)
    redis.kill()
    failed = await _next_reply(bot, root["ts"], after=1)
    assert failed == StoreUnavailableError.user_message
    await bot.settled()
    extractor.delay_seconds = 0
    return str(root["ts"])


@pytest.mark.parametrize("aof", [True, False], ids=["aof", "no-persistence"])
async def test_next_message_after_redis_returns_gets_a_correct_reply_within_5_s(
    aof: bool, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    redis = KillableRedis(str(tmp_path), aof=aof)
    redis.start()
    store = RedisSessionStore.from_url(redis.url, ttl_seconds=3600, key_prefix="swf-outage")
    extractor = KeyValueExtractor()
    try:
        with caplog.at_level(logging.INFO):
            async with running_bot(store=store, extractor=extractor) as bot:
                thread_ts = await _kill_mid_turn(bot, redis, extractor)
                redis.start()
                back = time.monotonic()
                await bot.sender.event(message("requests_per_month=100000", thread_ts=thread_ts))
                reply = await _next_reply(bot, thread_ts, after=2)
                recovered = time.monotonic() - back
                await bot.settled()
            reader = RedisSessionStore.from_url(
                redis.url, ttl_seconds=3600, key_prefix="swf-outage"
            )
            key = SessionKey(team_id=TEAM_ID, channel_id="C0001", thread_ts=thread_ts)
            session = await reader.load(key)
            await reader.aclose()
    finally:
        redis.stop()
    assert recovered < RECOVERY_BUDGET_SECONDS, recovered
    assert reply not in (SessionBusyError.user_message, StoreUnavailableError.user_message)
    if aof:
        assert reply != LOST_TEXT  # the session came back: the interview goes on
    else:
        assert reply == LOST_TEXT
    failures = [r for r in caplog.records if r.getMessage() == "turn failed"]
    assert len(failures) == 1  # the failed turn is logged, once
    assert session is not None
    if aof:  # the answer given after the outage was applied to the restored interview
        assert session.requirements.requests_per_month == 100000
        assert session.requirements.task_type is not None


async def test_after_the_lost_notice_the_thread_starts_afresh() -> None:
    """A thread whose session vanished is told so once; the next message there is read as
    a new description, and a reply in a thread the bot never spoke in is still ignored."""
    from bot.adapters.store.memory import MemorySessionStore  # noqa: PLC0415

    store = MemorySessionStore(ttl_seconds=3600)
    async with running_bot(store=store, extractor=KeyValueExtractor()) as bot:
        root = mention("task_type=qa_over_docs")
        await bot.sender.event(root)
        await _next_reply(bot, root["ts"], after=0)
        key = SessionKey(team_id=TEAM_ID, channel_id="C0001", thread_ts=root["ts"])
        await store.delete(key)  # a dict entry: safe from this thread (the GIL)
        await bot.sender.event(message("requests_per_month=100000", thread_ts=root["ts"]))
        assert await _next_reply(bot, root["ts"], after=1) == LOST_TEXT
        await bot.sender.event(message("task_type=classification", thread_ts=root["ts"]))
        assert await _next_reply(bot, root["ts"], after=2) != LOST_TEXT
        other = message("just chatting", thread_ts="1800000099.000001")
        await bot.sender.event(other)
        await bot.settled()
        assert bot.slack.thread_texts(other["thread_ts"]) == []
