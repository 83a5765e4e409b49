"""The interfaces the application needs from the outside world.

Each port has a real and an in-memory implementation; one contract test suite
runs against both (tests/contract_*).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from bot.domain.requirements import Requirements
from bot.interview.extraction import Extraction
from bot.interview.session import Session, SessionKey


class Extractor(Protocol):
    async def extract(self, *, text: str, known: Requirements, asked: Sequence[str]) -> Extraction:
        """Facts stated in `text`, given what is already known and what was just asked."""
        ...

    async def aclose(self) -> None:
        """Release connections; called once at shutdown."""
        ...


class HistoryEntry(BaseModel):
    """One recommendation, kept for `/should-we-finetune history`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: SessionKey
    user_id: str | None
    approach: str
    confidence: float
    use_case: str | None
    decided_at: float


class TurnHandle(Protocol):
    """One serialised turn on a thread's session, handed out by `SessionStore.turn`."""

    @property
    def session(self) -> Session | None:
        """The stored session, or None when absent, expired or discarded."""
        ...

    @property
    def discarded(self) -> bool:
        """True when a stored session was unreadable (corrupt, old schema) and was dropped."""
        ...

    def stage(self, session: Session | None) -> None:
        """Write `session` (None deletes it) when the turn ends without an exception."""
        ...


class SessionStore(Protocol):
    def turn(self, key: SessionKey) -> AbstractAsyncContextManager[TurnHandle]:
        """Lock the thread and load its session in one round trip; on a clean exit write what
        was staged and release the lock in one more. On an exception nothing is written.
        Raises SessionBusyError when the lock is not had within its budget and
        StoreUnavailableError when the store cannot be reached."""
        ...

    async def load(self, key: SessionKey) -> Session | None:
        """The session, or None when absent, expired, corrupt or of another schema version."""
        ...

    async def save(self, session: Session) -> None:
        """Write atomically and refresh the TTL; raises SessionTooLargeError past the bound."""
        ...

    async def delete(self, key: SessionKey) -> None: ...

    async def keep(self, key: SessionKey, *, seconds: int) -> bool:
        """Keep the session at least `seconds` from now; later writes never shorten that
        (a follow-up reminder is weeks away). False when there is no session."""
        ...

    def lock(self, key: SessionKey) -> AbstractAsyncContextManager[None]:
        """Serialise turns in one thread across replicas; raises SessionBusyError on timeout."""
        ...

    async def claim(self, *, team_id: str, delivery_id: str) -> bool:
        """True the first time a delivery (event_id, action id) is seen; False for repeats."""
        ...

    async def add_history(self, entry: HistoryEntry) -> None: ...

    async def history(
        self,
        *,
        team_id: str,
        channel_id: str | None = None,
        user_id: str | None = None,
        limit: int = 10,
    ) -> list[HistoryEntry]: ...

    async def keep_pending(self, key: SessionKey, reply: str) -> None:
        """Queue a reply Slack would not take (encoded by the Slack adapter) behind the
        thread's other pending replies; it lives as long as a session would."""
        ...

    async def take_pending(self, key: SessionKey) -> str | None:
        """Remove and return the thread's oldest pending reply (atomically: one taker)."""
        ...

    async def return_pending(self, key: SessionKey, reply: str) -> None:
        """Put a taken reply back at the front, when delivering it failed again."""
        ...

    async def ping(self) -> None:
        """Raise StoreUnavailableError if the store cannot be used."""
        ...

    async def aclose(self) -> None:
        """Release connections; called once at shutdown."""
        ...


class InterviewEvents(Protocol):
    """What the service reports as it goes, for counting; the metrics adapter implements it."""

    def interview_started(self) -> None: ...

    def recommended(self, approach: str, *, first_for_this_interview: bool) -> None: ...


class NoEvents:
    """The default: nothing counted (the terminal, `decide`, most tests)."""

    def interview_started(self) -> None:
        return None

    def recommended(self, approach: str, *, first_for_this_interview: bool) -> None:
        return None
