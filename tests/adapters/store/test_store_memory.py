"""What only the in-memory store does: expiry through its injected clock, bounded bookkeeping."""

from __future__ import annotations

import pytest

from bot.adapters.store.limits import DEDUPE_TTL_SECONDS, HISTORY_TTL_SECONDS
from bot.adapters.store.memory import MemorySessionStore
from tests.support.store_samples import NOW, history_entry, new_session, thread_key

TTL_SECONDS = 600


class FakeClock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(clock: FakeClock) -> MemorySessionStore:
    return MemorySessionStore(TTL_SECONDS, clock=clock)


async def test_session_expires_after_the_ttl(store: MemorySessionStore, clock: FakeClock) -> None:
    """An idle session is gone once SESSION_TTL_SECONDS have passed."""
    await store.save(new_session(thread_key()))
    clock.now += TTL_SECONDS
    assert await store.load(thread_key()) is None


async def test_session_lives_until_the_ttl(store: MemorySessionStore, clock: FakeClock) -> None:
    """A session is still there just before its TTL runs out."""
    await store.save(new_session(thread_key()))
    clock.now += TTL_SECONDS - 1
    assert await store.load(thread_key()) is not None


async def test_a_turn_refreshes_the_ttl(store: MemorySessionStore, clock: FakeClock) -> None:
    """Entering a turn gives the session a full TTL again, even if nothing is staged."""
    await store.save(new_session(thread_key()))
    clock.now += TTL_SECONDS - 1
    async with store.turn(thread_key()):
        pass
    clock.now += TTL_SECONDS - 1
    assert await store.load(thread_key()) is not None


async def test_expired_session_is_not_handed_to_a_turn(
    store: MemorySessionStore, clock: FakeClock
) -> None:
    """A turn on an expired thread starts fresh, without calling it discarded."""
    await store.save(new_session(thread_key()))
    clock.now += TTL_SECONDS
    async with store.turn(thread_key()) as turn:
        assert turn.session is None
        assert not turn.discarded


async def test_claim_is_granted_again_after_it_expires(
    store: MemorySessionStore, clock: FakeClock
) -> None:
    """A delivery id is remembered for the de-duplication window and then forgotten."""
    assert await store.claim(team_id="T0001", delivery_id="Ev01")
    clock.now += DEDUPE_TTL_SECONDS - 1
    assert not await store.claim(team_id="T0001", delivery_id="Ev01")
    clock.now += 1
    assert await store.claim(team_id="T0001", delivery_id="Ev01")


async def test_history_expires_after_90_days(store: MemorySessionStore, clock: FakeClock) -> None:
    """A channel whose last recommendation is 90 days old has no history left."""
    await store.add_history(history_entry(thread_key()))
    clock.now += HISTORY_TTL_SECONDS
    assert await store.history(team_id="T0001", channel_id="C0001") == []


async def test_history_cap_is_configurable(clock: FakeClock) -> None:
    """The per-list cap can be lowered, and the oldest entries go first."""
    store = MemorySessionStore(TTL_SECONDS, clock=clock, history_max_entries=2)
    for thread in range(4):
        await store.add_history(history_entry(thread_key(thread), at=NOW + thread))
    entries = await store.history(team_id="T0001", channel_id="C0001")
    assert [entry.key for entry in entries] == [thread_key(3), thread_key(2)]


async def test_finished_turns_leave_no_lock_behind(store: MemorySessionStore) -> None:
    """Per-thread locks are dropped when no one holds or waits for them, so memory stays bounded."""
    for thread in range(100):
        async with store.turn(thread_key(thread)):
            pass
    assert store._locks == {}
