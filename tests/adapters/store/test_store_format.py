"""How sessions and history entries are encoded, bounded and read back."""

from __future__ import annotations

import pytest

from bot.adapters.store.codec import (
    decode_session,
    encode_session,
    select_history,
)
from bot.errors import SessionTooLargeError
from tests.support.store_samples import NOW, history_entry, thread_key, typical_session


def test_typical_session_fits_in_4_kb() -> None:
    """A four-turn interview with a dozen facts is stored in at most 4 KB."""
    session = typical_session(thread_key())
    assert len(session.facts) >= 12
    assert len(encode_session(session, max_bytes=65536).encode()) <= 4096


def test_encoding_past_the_bound_says_how_large() -> None:
    """The size error names the session's size and the bound, for the logs."""
    with pytest.raises(SessionTooLargeError, match="over the bound of 100"):
        encode_session(typical_session(thread_key()), max_bytes=100)


def test_nothing_stored_decodes_to_none_without_discarding() -> None:
    """An absent session is not a discarded one."""
    decoded = decode_session(None, key=thread_key())
    assert decoded.session is None
    assert not decoded.discarded


def test_session_stored_under_another_key_is_discarded() -> None:
    """A session whose own key differs from where it was found is not trusted."""
    raw = encode_session(typical_session(thread_key(1)), max_bytes=65536)
    assert decode_session(raw, key=thread_key(2)).discarded


def test_json_that_is_not_an_object_is_discarded() -> None:
    """A JSON list or number where a session should be is discarded."""
    assert decode_session("[1, 2]", key=thread_key()).discarded


def test_selected_history_is_sorted_by_decision_time() -> None:
    """Entries come back newest first whatever order they were stored in."""
    entries = [history_entry(thread_key(n), at=NOW + n) for n in (1, 3, 2)]
    selected = select_history(entries, channel_id=None, limit=10)
    assert [entry.decided_at for entry in selected] == [NOW + 3, NOW + 2, NOW + 1]


def test_a_limit_of_zero_selects_nothing() -> None:
    """Asking for no entries returns none."""
    assert select_history([history_entry(thread_key())], channel_id=None, limit=0) == []
