"""One contract for every SessionStore: the in-memory store and Redis on a real server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from typing import Any

import pytest

from bot.adapters.store.limits import TURN_LOCK_BUDGET
from bot.adapters.store.memory import MemorySessionStore
from bot.adapters.store.redis import RedisSessionStore
from bot.errors import SessionBusyError, SessionTooLargeError
from bot.interview.session import Turn
from bot.ports import SessionStore
from tests.support.store_samples import (
    NOW,
    delete_prefix,
    history_entry,
    new_session,
    thread_key,
    typical_session,
)

TTL_SECONDS = 3600
StoreFactory = Callable[..., SessionStore]
THREAD = thread_key()
OTHER_THREAD = thread_key(2)


@pytest.fixture(params=["memory", "redis"])
async def make_store(
    request: pytest.FixtureRequest, key_prefix: str
) -> AsyncIterator[StoreFactory]:
    """Builds stores of one kind; Redis ones share the test's key prefix (= one deployment)."""
    made: list[MemorySessionStore | RedisSessionStore] = []
    redis_url = request.getfixturevalue("redis_url") if request.param == "redis" else ""

    def make(**options: Any) -> SessionStore:
        store: MemorySessionStore | RedisSessionStore
        if request.param == "memory":
            store = MemorySessionStore(TTL_SECONDS, **options)
        else:
            store = RedisSessionStore.from_url(
                redis_url, ttl_seconds=TTL_SECONDS, key_prefix=key_prefix, **options
            )
        made.append(store)
        return store

    yield make
    for store in made:
        await store.aclose()
    if redis_url:
        delete_prefix(redis_url, key_prefix)


@pytest.fixture
def store(make_store: StoreFactory) -> SessionStore:
    return make_store()


async def test_load_of_an_unknown_thread_is_none(store: SessionStore) -> None:
    """A thread nobody has talked in has no session."""
    assert await store.load(thread_key()) is None


async def test_saved_session_loads_back_equal(store: SessionStore) -> None:
    """What is saved is what is loaded, field for field."""
    session = typical_session(thread_key())
    await store.save(session)
    assert await store.load(session.key) == session


async def test_loaded_session_is_a_copy(store: SessionStore) -> None:
    """Changing a loaded session changes nothing stored until it is saved."""
    session = new_session(thread_key())
    await store.save(session)
    loaded = await store.load(session.key)
    assert loaded is not None
    loaded.facts["task_type"] = "classification"
    assert await store.load(session.key) == session


async def test_threads_are_isolated(store: SessionStore) -> None:
    """A session is only visible under its own team, channel and thread."""
    await store.save(new_session(thread_key(1)))
    assert await store.load(thread_key(2)) is None
    assert await store.load(thread_key(1, channel_id="C0002")) is None
    assert await store.load(thread_key(1, team_id="T0002")) is None


async def test_delete_removes_the_session(store: SessionStore) -> None:
    """A deleted session is gone."""
    session = new_session(thread_key())
    await store.save(session)
    await store.delete(session.key)
    assert await store.load(session.key) is None


async def test_save_past_the_size_bound_raises_and_writes_nothing(
    make_store: StoreFactory,
) -> None:
    """An oversized session is refused with SessionTooLargeError and the old one is kept."""
    store = make_store(max_session_bytes=4096)
    small = new_session(thread_key())
    await store.save(small)
    large = new_session(thread_key())
    large.turns = [Turn(role="user", text="x" * 500, at=NOW) for _ in range(10)]
    with pytest.raises(SessionTooLargeError):
        await store.save(large)
    assert await store.load(small.key) == small


async def test_turn_on_a_new_thread_has_no_session(store: SessionStore) -> None:
    """Entering a turn on a fresh thread hands out no session and nothing discarded."""
    async with store.turn(thread_key()) as turn:
        assert turn.session is None
        assert not turn.discarded


async def test_turn_writes_the_staged_session_on_a_clean_exit(store: SessionStore) -> None:
    """A session staged inside a turn is stored when the turn ends."""
    session = typical_session(thread_key())
    async with store.turn(session.key) as turn:
        turn.stage(session)
    assert await store.load(session.key) == session


async def test_turn_hands_out_the_stored_session(store: SessionStore) -> None:
    """The next turn sees what the previous one staged."""
    session = typical_session(thread_key())
    await store.save(session)
    async with store.turn(session.key) as turn:
        assert turn.session == session


async def test_turn_without_staging_leaves_the_session(store: SessionStore) -> None:
    """A turn that stages nothing changes nothing."""
    session = new_session(thread_key())
    await store.save(session)
    async with store.turn(session.key):
        pass
    assert await store.load(session.key) == session


async def test_turn_staging_none_deletes_the_session(store: SessionStore) -> None:
    """Staging None (start over) removes the thread's session."""
    session = new_session(thread_key())
    await store.save(session)
    async with store.turn(session.key) as turn:
        turn.stage(None)
    assert await store.load(session.key) is None


async def test_turn_ending_in_an_exception_writes_nothing(store: SessionStore) -> None:
    """An error inside a turn leaves the stored session as it was."""
    session = new_session(thread_key())
    await store.save(session)
    changed = typical_session(session.key)
    with pytest.raises(RuntimeError):
        async with store.turn(session.key) as turn:
            turn.stage(changed)
            raise RuntimeError("the handler failed")
    assert await store.load(session.key) == session


async def test_turn_after_an_exception_is_not_blocked(make_store: StoreFactory) -> None:
    """A failed turn releases the thread, so the next turn enters at once."""
    store = make_store(lock_budget=replace(TURN_LOCK_BUDGET, wait_seconds=0.3))
    key = thread_key()
    with pytest.raises(RuntimeError):
        async with store.turn(key):
            raise RuntimeError("the handler failed")
    async with store.turn(key) as turn:
        assert turn.session is None


async def test_oversized_staged_session_is_refused_and_nothing_written(
    make_store: StoreFactory,
) -> None:
    """Staging a session past the bound raises at exit, keeps the old one and frees the thread."""
    store = make_store(
        max_session_bytes=4096, lock_budget=replace(TURN_LOCK_BUDGET, wait_seconds=0.3)
    )
    session = new_session(thread_key())
    await store.save(session)
    large = new_session(session.key)
    large.turns = [Turn(role="user", text="x" * 500, at=NOW) for _ in range(10)]
    with pytest.raises(SessionTooLargeError):
        async with store.turn(session.key) as turn:
            turn.stage(large)
    async with store.turn(session.key) as turn:
        assert turn.session == session


async def test_staging_another_threads_session_is_refused(store: SessionStore) -> None:
    """A turn will not write one thread's session under another thread's key."""
    async with store.turn(thread_key(1)) as turn:
        with pytest.raises(ValueError, match="another thread"):
            turn.stage(new_session(thread_key(2)))


async def test_concurrent_turns_on_one_thread_lose_nothing(store: SessionStore) -> None:
    """Twenty messages handled at once in one thread are applied one after another."""
    key = thread_key()

    async def handle(number: int) -> None:
        async with store.turn(key) as turn:
            session = turn.session or new_session(key)
            await asyncio.sleep(0)  # let the others try to get in meanwhile
            session.turns.append(Turn(role="user", text=str(number), at=NOW + number))
            turn.stage(session)

    await asyncio.gather(*(handle(number) for number in range(20)))
    stored = await store.load(key)
    assert stored is not None
    assert sorted(int(turn.text) for turn in stored.turns) == list(range(20))


async def test_turn_waiting_past_its_budget_is_busy(make_store: StoreFactory) -> None:
    """A turn that cannot get the thread within the wait budget raises SessionBusyError."""
    store = make_store(lock_budget=replace(TURN_LOCK_BUDGET, wait_seconds=0.2))
    key = thread_key()
    async with store.turn(key):
        with pytest.raises(SessionBusyError):
            async with store.turn(key):
                pass


async def test_turns_on_different_threads_do_not_wait(make_store: StoreFactory) -> None:
    """Holding one thread does not hold up another."""
    store = make_store(lock_budget=replace(TURN_LOCK_BUDGET, wait_seconds=0.2))
    async with store.turn(thread_key(1)), store.turn(thread_key(2)) as other:
        assert other.session is None


async def test_lock_serialises_critical_sections(store: SessionStore) -> None:
    """Two holders of one thread's lock never overlap."""
    key = thread_key()
    inside = 0
    overlaps = 0

    async def hold() -> None:
        nonlocal inside, overlaps
        async with store.lock(key):
            inside += 1
            overlaps += inside > 1
            await asyncio.sleep(0.01)
            inside -= 1

    await asyncio.gather(*(hold() for _ in range(5)))
    assert overlaps == 0


async def test_claim_is_true_once_per_delivery(store: SessionStore) -> None:
    """The first claim of a delivery wins and every retry of it is refused."""
    assert await store.claim(team_id="T0001", delivery_id="Ev01")
    assert not await store.claim(team_id="T0001", delivery_id="Ev01")


async def test_claims_are_per_team(store: SessionStore) -> None:
    """The same delivery id in another workspace is a different delivery."""
    assert await store.claim(team_id="T0001", delivery_id="Ev01")
    assert await store.claim(team_id="T0002", delivery_id="Ev01")


async def test_claims_are_shared_by_replicas(make_store: StoreFactory) -> None:
    """A delivery claimed by one replica is refused by another (Redis); memory is one replica."""
    first = make_store()
    second = make_store() if isinstance(first, RedisSessionStore) else first
    assert await first.claim(team_id="T0001", delivery_id="Ev01")
    assert not await second.claim(team_id="T0001", delivery_id="Ev01")


async def test_history_lists_a_channel_newest_first(store: SessionStore) -> None:
    """A channel's history shows its recommendations, newest first."""
    for thread in range(3):
        await store.add_history(history_entry(thread_key(thread), at=NOW + thread))
    entries = await store.history(team_id="T0001", channel_id="C0001")
    assert [entry.key.thread_ts for entry in entries] == [
        thread_key(n).thread_ts for n in (2, 1, 0)
    ]


async def test_history_respects_the_limit(store: SessionStore) -> None:
    """No more entries than asked for are returned."""
    for thread in range(5):
        await store.add_history(history_entry(thread_key(thread), at=NOW + thread))
    assert len(await store.history(team_id="T0001", channel_id="C0001", limit=2)) == 2


async def test_history_keeps_the_latest_per_thread(store: SessionStore) -> None:
    """A thread decided twice is listed once, with its latest recommendation."""
    key = thread_key()
    await store.add_history(history_entry(key, at=NOW, approach="rag"))
    await store.add_history(history_entry(key, at=NOW + 1, approach="prompting"))
    entries = await store.history(team_id="T0001", channel_id="C0001")
    assert [entry.approach for entry in entries] == ["prompting"]


async def test_history_by_user_spans_channels(store: SessionStore) -> None:
    """A user's history covers every channel they asked in, and nobody else's."""
    await store.add_history(history_entry(thread_key(1, channel_id="C0001"), user_id="U1"))
    await store.add_history(history_entry(thread_key(2, channel_id="C0002"), user_id="U1"))
    await store.add_history(history_entry(thread_key(3, channel_id="C0001"), user_id="U2"))
    entries = await store.history(team_id="T0001", user_id="U1")
    assert {entry.key.channel_id for entry in entries} == {"C0001", "C0002"}
    assert {entry.user_id for entry in entries} == {"U1"}


async def test_history_by_user_and_channel_filters_both(store: SessionStore) -> None:
    """Asking for one user in one channel leaves out their other channels."""
    await store.add_history(history_entry(thread_key(1, channel_id="C0001"), user_id="U1"))
    await store.add_history(history_entry(thread_key(2, channel_id="C0002"), user_id="U1"))
    entries = await store.history(team_id="T0001", channel_id="C0002", user_id="U1")
    assert [entry.key.channel_id for entry in entries] == ["C0002"]


async def test_history_of_the_team_spans_channels(store: SessionStore) -> None:
    """Without a channel or user, the workspace's recent recommendations are listed."""
    await store.add_history(history_entry(thread_key(1, channel_id="C0001")))
    await store.add_history(history_entry(thread_key(2, channel_id="C0002"), user_id=None))
    assert len(await store.history(team_id="T0001")) == 2


async def test_history_is_per_team(store: SessionStore) -> None:
    """Another workspace's recommendations never show."""
    await store.add_history(history_entry(thread_key(1, team_id="T0002")))
    assert await store.history(team_id="T0001") == []


async def test_history_length_is_capped(store: SessionStore) -> None:
    """Only the newest entries up to the cap are kept."""
    for thread in range(60):
        await store.add_history(history_entry(thread_key(thread), at=NOW + thread))
    entries = await store.history(team_id="T0001", channel_id="C0001", limit=100)
    assert len(entries) == 50
    assert entries[-1].key == thread_key(10)


async def test_ping_succeeds_when_the_store_is_up(store: SessionStore) -> None:
    """A reachable store answers ping without raising."""
    await store.ping()


async def test_pending_replies_come_back_in_order_once(store: SessionStore) -> None:
    """Replies kept pending are taken oldest first, each by one taker only."""
    await store.keep_pending(THREAD, "first")
    await store.keep_pending(THREAD, "second")
    assert await store.take_pending(THREAD) == "first"
    assert await store.take_pending(THREAD) == "second"
    assert await store.take_pending(THREAD) is None


async def test_a_returned_pending_reply_is_next_again(store: SessionStore) -> None:
    await store.keep_pending(THREAD, "first")
    await store.keep_pending(THREAD, "second")
    taken = await store.take_pending(THREAD)
    assert taken == "first"
    await store.return_pending(THREAD, taken)
    assert await store.take_pending(THREAD) == "first"


async def test_pending_replies_are_per_thread(store: SessionStore) -> None:
    await store.keep_pending(THREAD, "here")
    assert await store.take_pending(OTHER_THREAD) is None
    assert await store.take_pending(THREAD) == "here"
