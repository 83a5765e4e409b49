"""The Redis session store, shared by every replica of the bot.

A message costs three round trips: `claim` (SET NX EX on the delivery id), then
`turn`, whose entry is one Lua script that takes the thread's lock and reads its
session, and whose clean exit is another that writes what was staged and releases
the lock, owner-checked so a turn whose lease ran out writes nothing.

Keys: `{prefix}:{team:channel:thread}:session|lock|pending` (one hash tag per thread;
`pending` holds replies Slack would not take yet, oldest first),
`{prefix}:dedupe:team:id`, `{prefix}:history:{team}:team|channel:C|user:U`.

A turn's lock is taken for a short lease (3 s) and renewed while the turn runs, up to
the turn budget (`LockBudget.lease_seconds`, limits.py): a turn whose process died, or
that lost Redis and saw it come back with its lock (AOF), holds the thread for one short
lease at most.
A release that fails because Redis is away is retried in the background meanwhile.

Every call has a hard time budget and a single quick retry, so a lost Redis
turns into StoreUnavailableError in about a second instead of redis-py's
default ten retries; the client reconnects by itself on the next call.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import secrets
from collections.abc import AsyncIterator, Awaitable, Coroutine
from contextlib import asynccontextmanager
from typing import Any, TypeVar
from urllib.parse import urlsplit

import redis.asyncio as redis
from redis.asyncio.connection import Connection
from redis.asyncio.retry import Retry
from redis.backoff import ConstantBackoff
from redis.exceptions import RedisError

from bot.adapters.metrics import STORE_ERRORS
from bot.adapters.store.codec import (
    HistoryList,
    decode_history_entries,
    decode_session,
    encode_history_entry,
    encode_session,
    history_list_for_query,
    history_lists_for,
    select_history,
)
from bot.adapters.store.limits import (
    DEDUPE_TTL_SECONDS,
    DEFAULT_MAX_SESSION_BYTES,
    HISTORY_MAX_ENTRIES,
    HISTORY_TTL_SECONDS,
    TURN_LOCK_BUDGET,
    LockBudget,
)
from bot.adapters.store.lua import ENTER_TURN, EXIT_TURN, KEEP_SESSION, RENEW_LEASE
from bot.adapters.store.turn import OpenTurn, TurnWrite
from bot.errors import SessionBusyError, StoreUnavailableError
from bot.interview.session import Session, SessionKey
from bot.ports import HistoryEntry, TurnHandle

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_SOCKET_TIMEOUT_SECONDS = 0.5
DEFAULT_CONNECT_TIMEOUT_SECONDS = 0.3
# The hard cap on one call, retry included. A silent server already fails on the socket
# timeouts (~1.05 s) and a refused connection at once; the rest is headroom for a busy event
# loop (bench: a burst of 500 simultaneous turns in one process sees p99 calls near 0.9 s).
DEFAULT_CALL_BUDGET_SECONDS = 1.5
_RETRY_BACKOFF_SECONDS = 0.05
# Connections per replica; calls beyond this wait for a free one (within the call budget).
DEFAULT_MAX_CONNECTIONS = 64
# Polling for a busy thread's lock: start short (turns take milliseconds), back off a little.
_LOCK_POLL_FIRST_SECONDS = 0.01
_LOCK_POLL_MAX_SECONDS = 0.1
_RELEASE_RETRY_SECONDS = 0.2


class RedisSessionStore:
    """A SessionStore on Redis; build it with `from_url` and close it with `aclose`."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        ttl_seconds: int,
        key_prefix: str = "swf",
        description: str = "Redis",
        max_session_bytes: int = DEFAULT_MAX_SESSION_BYTES,
        lock_budget: LockBudget = TURN_LOCK_BUDGET,
        call_budget_seconds: float = DEFAULT_CALL_BUDGET_SECONDS,
        history_max_entries: int = HISTORY_MAX_ENTRIES,
        max_concurrent_calls: int = DEFAULT_MAX_CONNECTIONS,
    ) -> None:
        self._redis = client
        self._ttl_seconds = ttl_seconds
        self._prefix = key_prefix
        self.description = description
        self._max_session_bytes = max_session_bytes
        self.lock_budget = lock_budget
        self._call_budget_seconds = call_budget_seconds
        self._history_max_entries = history_max_entries
        # Calls queue here first-come first-served: redis-py's pool lets newcomers overtake
        # waiters, which starved some calls for seconds in a burst (bench_store).
        self._call_slots = asyncio.Semaphore(max_concurrent_calls)
        self._enter_turn = client.register_script(ENTER_TURN)
        self._exit_turn = client.register_script(EXIT_TURN)
        self._keep_session = client.register_script(KEEP_SESSION)
        self._renew_lease = client.register_script(RENEW_LEASE)
        self._lock_max_seconds = lock_budget.lease_seconds
        self._heartbeat_lease_seconds = min(
            lock_budget.heartbeat_lease_seconds, lock_budget.lease_seconds
        )
        # Releases that failed (Redis away) and are retried until the short lease lapses.
        self._releasing: set[asyncio.Task[None]] = set()

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        ttl_seconds: int,
        key_prefix: str = "swf",
        max_session_bytes: int = DEFAULT_MAX_SESSION_BYTES,
        lock_budget: LockBudget = TURN_LOCK_BUDGET,
        socket_timeout_seconds: float = DEFAULT_SOCKET_TIMEOUT_SECONDS,
        connect_timeout_seconds: float = DEFAULT_CONNECT_TIMEOUT_SECONDS,
        call_budget_seconds: float = DEFAULT_CALL_BUDGET_SECONDS,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        connection_class: type[Connection] | None = None,
    ) -> RedisSessionStore:
        """A store on `url`; nothing connects until the first call (use `ping` to check)."""
        options: dict[str, Any] = {}
        if connection_class is not None:
            options["connection_class"] = connection_class
        # redis-py's default pool raises "Too many connections" past 100 concurrent calls; a
        # blocking pool queues them instead, and the call budget still bounds the wait.
        pool = redis.BlockingConnectionPool.from_url(
            url,
            max_connections=max_connections,
            timeout=None,
            decode_responses=True,
            socket_timeout=socket_timeout_seconds,
            socket_connect_timeout=connect_timeout_seconds,
            retry=Retry(ConstantBackoff(_RETRY_BACKOFF_SECONDS), retries=1),
            **options,
        )
        client = redis.Redis.from_pool(pool)
        return cls(
            client,
            ttl_seconds=ttl_seconds,
            key_prefix=key_prefix,
            description=f"Redis at {redact_url(url)}",
            max_session_bytes=max_session_bytes,
            lock_budget=lock_budget,
            call_budget_seconds=call_budget_seconds,
            max_concurrent_calls=max_connections,
        )

    async def aclose(self) -> None:
        for task in list(self._releasing):
            task.cancel()
        await asyncio.gather(*self._releasing, return_exceptions=True)
        await self._redis.aclose()

    @asynccontextmanager
    async def turn(self, key: SessionKey) -> AsyncIterator[TurnHandle]:
        token = secrets.token_hex(16)
        raw = await self._acquire(key, token=token, load=True)
        handle = OpenTurn(key, decode_session(raw, key=key))
        async with self._lease_kept(key, token=token):
            try:
                yield handle
                payload = ""
                if handle.write is TurnWrite.SET:
                    assert handle.staged is not None
                    payload = encode_session(handle.staged, max_bytes=self._max_session_bytes)
            except BaseException:
                await self._release_quietly(key, token=token)
                raise
        await self._finish_or_release_later(key, token=token, write=handle.write, payload=payload)

    async def load(self, key: SessionKey) -> Session | None:
        raw = await self._run("load", self._redis.get(self._session_key(key)))
        return decode_session(raw, key=key).session

    async def save(self, session: Session) -> None:
        text = encode_session(session, max_bytes=self._max_session_bytes)
        name = self._session_key(session.key)
        await self._run("save", self._redis.set(name, text, ex=self._ttl_seconds))

    async def delete(self, key: SessionKey) -> None:
        await self._run("delete", self._redis.delete(self._session_key(key)))

    async def keep(self, key: SessionKey, *, seconds: int) -> bool:
        call = self._keep_session(keys=[self._session_key(key)], args=[seconds])
        return int(await self._run("keep", call)) == 1

    @asynccontextmanager
    async def lock(self, key: SessionKey) -> AsyncIterator[None]:
        token = secrets.token_hex(16)
        await self._acquire(key, token=token, load=False)
        async with self._lease_kept(key, token=token):
            try:
                yield
            except BaseException:
                await self._release_quietly(key, token=token)
                raise
        await self._finish_or_release_later(key, token=token, write=TurnWrite.KEEP, payload="")

    @asynccontextmanager
    async def _lease_kept(self, key: SessionKey, *, token: str) -> AsyncIterator[None]:
        """Renew the lock's short lease while the body runs, up to the turn budget."""
        renewing = asyncio.create_task(self._keep_lease(key, token=token))
        try:
            yield
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing

    async def _keep_lease(self, key: SessionKey, *, token: str) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._lock_max_seconds
        while True:
            await asyncio.sleep(self._heartbeat_lease_seconds / 3)
            remaining = deadline - loop.time()
            if remaining <= 0:
                return  # past the turn budget: the lease lapses and another turn may go
            lease_ms = max(1, int(min(self._heartbeat_lease_seconds, remaining) * 1000))
            try:
                await self._run(
                    "renew", self._renew_lease(keys=[self._lock_key(key)], args=[token, lease_ms])
                )
            except StoreUnavailableError:
                continue  # if Redis stays away, the lease lapses on its own

    async def _finish_or_release_later(
        self, key: SessionKey, *, token: str, write: TurnWrite, payload: str
    ) -> None:
        try:
            await self._finish(key, token=token, write=write, payload=payload)
        except StoreUnavailableError:
            self._release_later(key, token=token)
            raise

    async def claim(self, *, team_id: str, delivery_id: str) -> bool:
        name = f"{self._prefix}:dedupe:{_key_part(team_id)}:{_key_part(delivery_id)}"
        first = await self._run("claim", self._redis.set(name, "1", nx=True, ex=DEDUPE_TTL_SECONDS))
        return bool(first)

    async def keep_pending(self, key: SessionKey, reply: str) -> None:
        name = self._pending_key(key)
        pipe = self._redis.pipeline(transaction=True)
        pipe.rpush(name, reply)
        pipe.expire(name, self._ttl_seconds)
        await self._run("keep_pending", pipe.execute())

    async def take_pending(self, key: SessionKey) -> str | None:
        reply = await self._run("take_pending", self._redis.lpop(self._pending_key(key)))
        return str(reply) if reply is not None else None

    async def return_pending(self, key: SessionKey, reply: str) -> None:
        name = self._pending_key(key)
        pipe = self._redis.pipeline(transaction=True)
        pipe.lpush(name, reply)
        pipe.expire(name, self._ttl_seconds)
        await self._run("return_pending", pipe.execute())

    async def add_history(self, entry: HistoryEntry) -> None:
        text = encode_history_entry(entry)
        # The lists share the team's hash tag, so one MULTI is valid on a cluster too.
        pipe = self._redis.pipeline(transaction=True)
        for history_list in history_lists_for(entry):
            name = self._history_key(history_list)
            pipe.lpush(name, text)
            pipe.ltrim(name, 0, self._history_max_entries - 1)
            pipe.expire(name, HISTORY_TTL_SECONDS)
        await self._run("add_history", pipe.execute())

    async def history(
        self,
        *,
        team_id: str,
        channel_id: str | None = None,
        user_id: str | None = None,
        limit: int = 10,
    ) -> list[HistoryEntry]:
        history_list = history_list_for_query(
            team_id=team_id, channel_id=channel_id, user_id=user_id
        )
        name = self._history_key(history_list)
        raws = await self._run("history", self._redis.lrange(name, 0, -1))
        return select_history(decode_history_entries(raws), channel_id=channel_id, limit=limit)

    async def ping(self) -> None:
        await self._run("ping", self._redis.ping())

    async def _acquire(self, key: SessionKey, *, token: str, load: bool) -> str | None:
        """Take the thread's lock (and read its session when `load`), waiting within budget."""
        keys = [self._lock_key(key), self._session_key(key)]
        args: list[str | int] = [
            token,
            max(1, int(self._heartbeat_lease_seconds * 1000)),
            self._ttl_seconds,
            "1" if load else "0",
        ]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.lock_budget.wait_seconds
        pause = _LOCK_POLL_FIRST_SECONDS
        while True:
            reply = await self._run("lock", self._enter_turn(keys=keys, args=args))
            if int(reply[0]) == 1:
                return str(reply[1]) if len(reply) > 1 and reply[1] is not None else None
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise SessionBusyError(f"thread still busy after {self.lock_budget.wait_seconds} s")
            await asyncio.sleep(min(remaining, pause * random.uniform(0.5, 1.5)))  # noqa: S311 - jitter, not security
            pause = min(pause * 2, _LOCK_POLL_MAX_SECONDS)

    async def _finish(self, key: SessionKey, *, token: str, write: TurnWrite, payload: str) -> None:
        """Write (or delete) and release in one step; refuse if the lease passed to another."""
        keys = [self._lock_key(key), self._session_key(key)]
        args: list[str | int] = [token, write.value, payload, self._ttl_seconds]
        released = await self._run("unlock", self._exit_turn(keys=keys, args=args))
        if int(released) != 1:
            STORE_ERRORS.labels(operation="lease_lost").inc()
            raise SessionBusyError(
                "the thread's lock lease ran out and another turn took it; nothing was written"
            )

    async def _release_quietly(self, key: SessionKey, *, token: str) -> None:
        """Release after a failed turn; if Redis is away, keep trying in the background."""
        try:
            await self._finish(key, token=token, write=TurnWrite.KEEP, payload="")
        except SessionBusyError:
            pass  # the lease had lapsed and passed on: nothing of ours to release
        except StoreUnavailableError:
            self._release_later(key, token=token)

    def _release_later(self, key: SessionKey, *, token: str) -> None:
        """Retry a failed release until it works or the short lease has lapsed anyway, so a
        Redis that comes back (with AOF, lock included) frees the thread within moments."""
        task = asyncio.create_task(self._release_until_lapsed(key, token=token))
        self._releasing.add(task)
        task.add_done_callback(self._releasing.discard)

    async def _release_until_lapsed(self, key: SessionKey, *, token: str) -> None:
        loop = asyncio.get_running_loop()
        lapsed_at = loop.time() + self._heartbeat_lease_seconds
        while loop.time() < lapsed_at:
            await asyncio.sleep(_RELEASE_RETRY_SECONDS)
            try:
                await self._finish(key, token=token, write=TurnWrite.KEEP, payload="")
            except SessionBusyError:
                return
            except StoreUnavailableError:
                continue
            log.info("thread lock released after the store came back")
            return

    async def _run(self, operation: str, call: Awaitable[T]) -> T:
        try:
            async with asyncio.timeout(self._call_budget_seconds), self._call_slots:
                return await call
        except (RedisError, TimeoutError, OSError) as exc:
            STORE_ERRORS.labels(operation=operation).inc()
            raise StoreUnavailableError(
                f"{self.description}: {operation} failed ({type(exc).__name__}: {exc})"
            ) from exc
        finally:
            if isinstance(call, Coroutine):
                call.close()  # a call that timed out while queued never started: no warning

    def _thread_tag(self, key: SessionKey) -> str:
        parts = (_key_part(key.team_id), _key_part(key.channel_id), _key_part(key.thread_ts))
        return "{" + ":".join(parts) + "}"

    def _session_key(self, key: SessionKey) -> str:
        return f"{self._prefix}:{self._thread_tag(key)}:session"

    def _lock_key(self, key: SessionKey) -> str:
        return f"{self._prefix}:{self._thread_tag(key)}:lock"

    def _pending_key(self, key: SessionKey) -> str:
        return f"{self._prefix}:{self._thread_tag(key)}:pending"

    def _history_key(self, history_list: HistoryList) -> str:
        name = f"{self._prefix}:history:{{{_key_part(history_list.team_id)}}}:{history_list.kind}"
        return f"{name}:{_key_part(history_list.owner_id)}" if history_list.owner_id else name


def _key_part(value: str) -> str:
    """An id made safe inside a key: braces would break the hash tag, colons the layout."""
    return value.replace("%", "%25").replace("{", "%7B").replace("}", "%7D").replace(":", "%3A")


def redact_url(url: str) -> str:
    """The URL without its password, for logs and `doctor`."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" if parts.username else f"***@{host}"
    if parts.port is not None:
        netloc += f":{parts.port}"
    return parts._replace(netloc=netloc).geturl()
