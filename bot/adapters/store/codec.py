"""How the session stores encode values: versioned session JSON and history entries.

Both stores (memory and Redis) encode and decode through here, so they agree on
what is too large and on what counts as an unreadable session (the bounds are in
`limits.py`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import ValidationError

from bot.errors import SessionTooLargeError
from bot.interview.session import SCHEMA_VERSION, Session, SessionKey
from bot.ports import HistoryEntry

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DecodedSession:
    """A stored session as read: the session, or None; `discarded` when it was unreadable."""

    session: Session | None
    discarded: bool = False


def encode_session(session: Session, *, max_bytes: int) -> str:
    """The session as stored; raises SessionTooLargeError past `max_bytes` (UTF-8)."""
    text = session.model_dump_json()
    size = len(text.encode())
    if size > max_bytes:
        raise SessionTooLargeError(
            f"session {_describe(session.key)} is {size} bytes, over the bound of {max_bytes}"
        )
    return text


def decode_session(raw: str | bytes | None, *, key: SessionKey) -> DecodedSession:
    """Read stored JSON; anything corrupt, of another schema version or another key is discarded."""
    if raw is None:
        return DecodedSession(None)
    reason = _unreadable_reason(raw, key=key)
    if reason is None:
        return DecodedSession(Session.model_validate_json(raw))
    # The reason names shapes and versions only, never stored user text.
    log.warning("session %s discarded: %s", _describe(key), reason)
    return DecodedSession(None, discarded=True)


def _unreadable_reason(raw: str | bytes, *, key: SessionKey) -> str | None:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return "not valid JSON"
    if not isinstance(data, dict):
        return "not a JSON object"
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        return f"schema_version {version!r}, expected {SCHEMA_VERSION}"
    try:
        session = Session.model_validate(data)
    except ValidationError as exc:
        fields = sorted({".".join(str(part) for part in err["loc"]) for err in exc.errors()})
        return f"does not match the session model ({', '.join(fields[:5])})"
    if session.key != key:
        return "stored under another thread's key"
    return None


def encode_history_entry(entry: HistoryEntry) -> str:
    return entry.model_dump_json()


def decode_history_entries(raws: Iterable[str | bytes]) -> list[HistoryEntry]:
    """Entries that still parse, in the order given; unreadable ones are skipped."""
    entries = []
    for raw in raws:
        try:
            entries.append(HistoryEntry.model_validate_json(raw))
        except ValidationError:
            log.warning("history entry skipped: does not match the history model")
    return entries


def select_history(
    entries: Iterable[HistoryEntry], *, channel_id: str | None, limit: int
) -> list[HistoryEntry]:
    """Newest first, one per thread (its latest recommendation), optionally in one channel."""
    seen: set[SessionKey] = set()
    selected: list[HistoryEntry] = []
    if limit <= 0:
        return selected
    for entry in sorted(entries, key=lambda item: item.decided_at, reverse=True):
        if channel_id is not None and entry.key.channel_id != channel_id:
            continue
        if entry.key in seen:
            continue
        seen.add(entry.key)
        selected.append(entry)
        if len(selected) >= limit:
            break
    return selected


@dataclass(frozen=True)
class HistoryList:
    """One capped list of recommendations: a team's, a channel's or a user's."""

    kind: str  # "team", "channel" or "user"
    team_id: str
    owner_id: str = ""  # the channel or user id; empty for the team list


def history_lists_for(entry: HistoryEntry) -> list[HistoryList]:
    """Every list an entry is added to."""
    team_id = entry.key.team_id
    lists = [HistoryList("team", team_id), HistoryList("channel", team_id, entry.key.channel_id)]
    if entry.user_id is not None:
        lists.append(HistoryList("user", team_id, entry.user_id))
    return lists


def history_list_for_query(
    *, team_id: str, channel_id: str | None, user_id: str | None
) -> HistoryList:
    """The one list that answers a query: the user's (filtered by channel afterwards), else the
    channel's, else the team's."""
    if user_id is not None:
        return HistoryList("user", team_id, user_id)
    if channel_id is not None:
        return HistoryList("channel", team_id, channel_id)
    return HistoryList("team", team_id)


def _describe(key: SessionKey) -> str:
    return f"{key.team_id}/{key.channel_id}/{key.thread_ts}"
