"""The handle a store gives out for one serialised turn (bot.ports.TurnHandle)."""

from __future__ import annotations

from enum import Enum

from bot.adapters.store.codec import DecodedSession
from bot.interview.session import Session, SessionKey


class TurnWrite(Enum):
    """What a clean exit does to the stored session."""

    KEEP = "keep"  # nothing staged: leave it as it is (its TTL was refreshed on entry)
    SET = "set"
    DELETE = "del"


class OpenTurn:
    """The session loaded on entry and whatever the caller stages for the exit."""

    def __init__(self, key: SessionKey, loaded: DecodedSession) -> None:
        self._key = key
        self._session = loaded.session
        self._discarded = loaded.discarded
        # An unreadable session is dropped even when the caller stages nothing.
        self._write = TurnWrite.DELETE if loaded.discarded else TurnWrite.KEEP
        self._staged: Session | None = None

    @property
    def session(self) -> Session | None:
        return self._session

    @property
    def discarded(self) -> bool:
        return self._discarded

    def stage(self, session: Session | None) -> None:
        if session is not None and session.key != self._key:
            # A slip here would write one thread's interview into another's.
            raise ValueError("staged a session of another thread")
        self._staged = session
        self._write = TurnWrite.DELETE if session is None else TurnWrite.SET

    @property
    def write(self) -> TurnWrite:
        return self._write

    @property
    def staged(self) -> Session | None:
        return self._staged
