"""The in-process session store: the embedded default when REDIS_URL is unset (one replica only).

It keeps sessions as the same versioned JSON the Redis store writes, so the
size bound and copy-on-read behave identically, and honours every TTL through
an injected clock so tests can move time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from bot.adapters.store.codec import (
    DecodedSession,
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
from bot.adapters.store.turn import OpenTurn, TurnWrite
from bot.errors import SessionBusyError
from bot.interview.session import Session, SessionKey
from bot.ports import HistoryEntry, TurnHandle

_Key = TypeVar("_Key", SessionKey, HistoryList)

# Expired claims are swept after this many new ones, so memory stays bounded
# without a background task.
_SWEEP_EVERY_CLAIMS = 1000


@dataclass
class _Expiring:
    value: str
    expires_at: float


@dataclass
class _History:
    entries: list[str] = field(default_factory=list)  # newest first
    expires_at: float = 0.0


def _unexpired(table: dict[_Key, _History], key: _Key, *, now: float) -> _History | None:
    """The list under `key` while it lives; an expired one is dropped on the way."""
    entries = table.get(key)
    if entries is not None and entries.expires_at <= now:
        del table[key]
        return None
    return entries


@dataclass
class _ThreadLock:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0  # holders and waiters; the entry is dropped when none remain


class MemorySessionStore:
    """A SessionStore in this process's memory."""

    description = "in-process memory (sessions are lost on restart; one replica only)"

    def __init__(
        self,
        ttl_seconds: int,
        clock: Callable[[], float] = time.time,
        max_session_bytes: int = DEFAULT_MAX_SESSION_BYTES,
        *,
        lock_budget: LockBudget = TURN_LOCK_BUDGET,
        history_max_entries: int = HISTORY_MAX_ENTRIES,
    ) -> None:
        self._ttl_seconds = ttl_seconds
        self._clock = clock
        self._max_session_bytes = max_session_bytes
        # Only the wait applies here: a lock in this process dies with its owner.
        self.lock_budget = lock_budget
        self._history_max_entries = history_max_entries
        self._sessions: dict[SessionKey, _Expiring] = {}
        self._claims: dict[tuple[str, str], float] = {}
        self._claims_since_sweep = 0
        self._history: dict[HistoryList, _History] = {}
        self._locks: dict[SessionKey, _ThreadLock] = {}
        self._pending: dict[SessionKey, _History] = {}  # oldest first

    @asynccontextmanager
    async def turn(self, key: SessionKey) -> AsyncIterator[TurnHandle]:
        async with self.lock(key):
            handle = OpenTurn(key, self._read(key, refresh=True))
            yield handle
            if handle.write is TurnWrite.SET:
                assert handle.staged is not None
                await self.save(handle.staged)
            elif handle.write is TurnWrite.DELETE:
                await self.delete(key)

    async def load(self, key: SessionKey) -> Session | None:
        return self._read(key, refresh=False).session

    async def save(self, session: Session) -> None:
        text = encode_session(session, max_bytes=self._max_session_bytes)
        stored = self._sessions.get(session.key)
        # Never shorten a TTL that `keep` extended (a follow-up reminder weeks away).
        kept = stored.expires_at if stored is not None else 0.0
        self._sessions[session.key] = _Expiring(text, max(kept, self._clock() + self._ttl_seconds))

    async def keep(self, key: SessionKey, *, seconds: int) -> bool:
        stored = self._sessions.get(key)
        if stored is None or stored.expires_at <= self._clock():
            return False
        stored.expires_at = max(stored.expires_at, self._clock() + seconds)
        return True

    async def delete(self, key: SessionKey) -> None:
        self._sessions.pop(key, None)

    @asynccontextmanager
    async def lock(self, key: SessionKey) -> AsyncIterator[None]:
        entry = self._locks.setdefault(key, _ThreadLock())
        entry.users += 1
        try:
            try:
                async with asyncio.timeout(self.lock_budget.wait_seconds):
                    await entry.lock.acquire()
            except TimeoutError as exc:
                raise SessionBusyError(
                    f"thread still busy after {self.lock_budget.wait_seconds} s"
                ) from exc
            try:
                yield
            finally:
                entry.lock.release()
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._locks[key]

    async def keep_pending(self, key: SessionKey, reply: str) -> None:
        queue = self._live_pending(key) or self._pending.setdefault(key, _History())
        queue.entries.append(reply)
        queue.expires_at = self._clock() + self._ttl_seconds

    async def take_pending(self, key: SessionKey) -> str | None:
        queue = self._live_pending(key)
        if queue is None or not queue.entries:
            return None
        reply = queue.entries.pop(0)
        if not queue.entries:
            del self._pending[key]
        return reply

    async def return_pending(self, key: SessionKey, reply: str) -> None:
        queue = self._live_pending(key) or self._pending.setdefault(key, _History())
        queue.entries.insert(0, reply)
        queue.expires_at = self._clock() + self._ttl_seconds

    def _live_pending(self, key: SessionKey) -> _History | None:
        return _unexpired(self._pending, key, now=self._clock())

    async def claim(self, *, team_id: str, delivery_id: str) -> bool:
        now = self._clock()
        claim_key = (team_id, delivery_id)
        expires_at = self._claims.get(claim_key)
        if expires_at is not None and expires_at > now:
            return False
        self._claims[claim_key] = now + DEDUPE_TTL_SECONDS
        self._sweep_claims(now)
        return True

    async def add_history(self, entry: HistoryEntry) -> None:
        text = encode_history_entry(entry)
        expires_at = self._clock() + HISTORY_TTL_SECONDS
        for list_key in history_lists_for(entry):
            history = self._live_history(list_key) or _History()
            history.entries.insert(0, text)
            del history.entries[self._history_max_entries :]
            history.expires_at = expires_at
            self._history[list_key] = history

    async def history(
        self,
        *,
        team_id: str,
        channel_id: str | None = None,
        user_id: str | None = None,
        limit: int = 10,
    ) -> list[HistoryEntry]:
        list_key = history_list_for_query(team_id=team_id, channel_id=channel_id, user_id=user_id)
        history = self._live_history(list_key)
        raws = history.entries if history is not None else []
        return select_history(decode_history_entries(raws), channel_id=channel_id, limit=limit)

    async def ping(self) -> None:
        return None

    async def aclose(self) -> None:
        return None

    def _read(self, key: SessionKey, *, refresh: bool) -> DecodedSession:
        now = self._clock()
        stored = self._sessions.get(key)
        if stored is None or stored.expires_at <= now:
            self._sessions.pop(key, None)
            return DecodedSession(None)
        if refresh:
            stored.expires_at = max(stored.expires_at, now + self._ttl_seconds)
        return decode_session(stored.value, key=key)

    def _live_history(self, list_key: HistoryList) -> _History | None:
        return _unexpired(self._history, list_key, now=self._clock())

    def _sweep_claims(self, now: float) -> None:
        self._claims_since_sweep += 1
        if self._claims_since_sweep < _SWEEP_EVERY_CLAIMS:
            return
        self._claims_since_sweep = 0
        self._claims = {key: until for key, until in self._claims.items() if until > now}
