"""`keep`: a session kept past its TTL (for a check-in) is not shortened by later writes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import redis.asyncio as redis

from bot.adapters.store.memory import MemorySessionStore
from bot.adapters.store.redis import RedisSessionStore
from bot.interview.session import SessionKey
from tests.support.store_samples import NOW, delete_prefix, new_session, thread_key

TTL_SECONDS = 3600
WEEKS_SECONDS = 4 * 7 * 24 * 3600


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


async def test_memory_session_outlives_its_ttl_when_kept() -> None:
    """A kept session survives past the TTL even after a later turn wrote it again."""
    clock = Clock()
    store = MemorySessionStore(TTL_SECONDS, clock=clock)
    key = thread_key()
    await store.save(new_session(key))
    assert await store.keep(key, seconds=WEEKS_SECONDS) is True
    async with store.turn(key) as turn:
        assert turn.session is not None
        turn.stage(turn.session)
    clock.now += TTL_SECONDS * 5
    assert await store.load(key) is not None
    clock.now += WEEKS_SECONDS
    assert await store.load(key) is None


async def test_keep_without_a_session_is_false() -> None:
    """There is nothing to keep in a thread without an interview."""
    store = MemorySessionStore(TTL_SECONDS)
    assert await store.keep(thread_key(), seconds=WEEKS_SECONDS) is False


@pytest.fixture
async def redis_store(redis_url: str, key_prefix: str) -> AsyncIterator[RedisSessionStore]:
    store = RedisSessionStore.from_url(redis_url, ttl_seconds=TTL_SECONDS, key_prefix=key_prefix)
    yield store
    await store.aclose()
    delete_prefix(redis_url, key_prefix)


async def _ttl(redis_url: str, key_prefix: str, key: SessionKey) -> int:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    try:
        [name] = [n async for n in client.scan_iter(match=f"{key_prefix}:*:session")]
        return int(await client.ttl(name))
    finally:
        await client.aclose()


async def test_redis_keep_extends_and_later_turns_do_not_shorten(
    redis_store: RedisSessionStore, redis_url: str, key_prefix: str
) -> None:
    """On Redis the kept TTL stands through later turns; an unknown thread is not created."""
    key = thread_key()
    assert await redis_store.keep(key, seconds=WEEKS_SECONDS) is False
    await redis_store.save(new_session(key))
    assert await _ttl(redis_url, key_prefix, key) <= TTL_SECONDS
    assert await redis_store.keep(key, seconds=WEEKS_SECONDS) is True
    async with redis_store.turn(key) as turn:
        assert turn.session is not None
        turn.stage(turn.session)
    assert await _ttl(redis_url, key_prefix, key) > WEEKS_SECONDS - 60
