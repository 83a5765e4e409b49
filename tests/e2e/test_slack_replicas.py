"""Two bot instances (replicas) sharing one Redis: one reply per event, no lost replies."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from bot.adapters.store.redis import RedisSessionStore
from bot.interview.session import SessionKey
from tests.support.slack_requests import TEAM_ID, mention, message
from tests.support.slack_server import KeyValueExtractor, RunningBot, running_bot

OPENING = "task_type=qa_over_docs"


@asynccontextmanager
async def two_replicas(
    redis_url: str, key_prefix: str, *, delay_seconds: float = 0.0
) -> AsyncIterator[tuple[RunningBot, RunningBot]]:
    """Two bots, each with its own worker, Redis connection and fake Slack, on one Redis."""
    async with AsyncExitStack() as stack:
        bots = [
            await stack.enter_async_context(
                running_bot(
                    store=RedisSessionStore.from_url(
                        redis_url, ttl_seconds=3600, key_prefix=key_prefix
                    ),
                    extractor=KeyValueExtractor(delay_seconds=delay_seconds),
                )
            )
            for _ in range(2)
        ]
        yield bots[0], bots[1]


async def test_one_event_delivered_to_both_replicas_gets_one_reply(
    redis_url: str, key_prefix: str
) -> None:
    """The same event_id reaching two replicas at once is answered by exactly one of them."""
    async with two_replicas(redis_url, key_prefix) as (first, second):
        event = mention(OPENING)
        await asyncio.gather(
            first.sender.event(event, event_id="EvBoth"),
            second.sender.event(event, event_id="EvBoth"),
        )
        await first.settled()
        await second.settled()
        posted = first.slack.in_thread(event["ts"]) + second.slack.in_thread(event["ts"])
        assert len(posted) == 1


async def test_concurrent_replies_on_two_replicas_are_both_applied(
    redis_url: str, key_prefix: str
) -> None:
    """Two replies in one thread handled at the same moment by two replicas are applied one
    after the other: each gets its reply and the session holds both answers."""
    async with two_replicas(redis_url, key_prefix, delay_seconds=0.3) as (first, second):
        root = mention(OPENING)
        await first.sender.event(root)
        await first.settled()
        await asyncio.gather(
            first.sender.event(message("kb_size_docs=2", thread_ts=root["ts"])),
            second.sender.event(message("requests_per_month=8000", thread_ts=root["ts"])),
        )
        await first.settled()
        await second.settled()
        assert len(first.slack.in_thread(root["ts"])) == 2  # the questions, one answer
        assert len(second.slack.in_thread(root["ts"])) == 1
    reader = RedisSessionStore.from_url(redis_url, ttl_seconds=3600, key_prefix=key_prefix)
    try:
        key = SessionKey(team_id=TEAM_ID, channel_id=root["channel"], thread_ts=root["ts"])
        session = await reader.load(key)
    finally:
        await reader.aclose()
    assert session is not None
    assert session.requirements.kb_size_docs == 2
    assert session.requirements.requests_per_month == 8000
