"""Action ids of the recommendation card and its views, and the card reference a view carries.

A modal opened from a card (details, what-if, edit answers) keeps, in its
`private_metadata`, the thread, the card's message ts and the card's fingerprint, so
that what it changes updates that card in place rather than posting a new one.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from bot.entrypoints.slack.ids import EDIT_ANSWERS_ACTION
from bot.interview.session import SessionKey

__all__ = ["EDIT_ANSWERS_ACTION"]

CARD_BLOCK_PREFIX = "card:"
DETAILS_ACTION = "swf_details"
WHAT_IF_ACTION = "swf_what_if"
SHARE_ACTION = "swf_share"
# Buttons inside views; what-if buttons end in their index (unique within a block).
WHAT_IF_APPLY_PREFIX = "swf_try:"
WHAT_IF_APPLY_ACTION = re.compile(r"^swf_try:\d+$")
MORE_DETAILS_ACTION = "swf_more_details"
CHART_ACTION = "swf_chart"
DETAILS_IN_THREAD_ACTION = "swf_details_in_thread"
EXPORT_ACTION = "swf_export"
DETAILS_VIEW_CALLBACK = "swf_details_view"
WHAT_IF_VIEW_CALLBACK = "swf_what_if_view"


class CardRef(BaseModel):
    """Which card a view belongs to."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: SessionKey
    card_ts: str | None = None
    fingerprint: str | None = None


def encode_card_ref(ref: CardRef) -> str:
    return ref.model_dump_json(exclude_none=True)


def decode_card_ref(raw: str) -> CardRef | None:
    """The card reference in a view's metadata; an older form holding only the key still reads."""
    try:
        return CardRef.model_validate_json(raw)
    except ValidationError:
        pass
    try:
        return CardRef(key=SessionKey.model_validate_json(raw))
    except ValidationError:
        return None


def view_card_ref(body: dict[str, Any]) -> CardRef | None:
    """The card reference of the view a click or submission came from."""
    view = body.get("view") or {}
    return decode_card_ref(str(view.get("private_metadata") or ""))


def clicked_fingerprint(body: dict[str, Any]) -> str | None:
    """The fingerprint of the card whose button was clicked (from the actions block's id)."""
    action = (body.get("actions") or [{}])[0]
    block_id = str(action.get("block_id") or "")
    if not block_id.startswith(CARD_BLOCK_PREFIX):
        return None
    return block_id.removeprefix(CARD_BLOCK_PREFIX)


def encode_try(field: str, value: Any) -> str:
    """A what-if button's value: the fact and the value to try."""
    return json.dumps({"field": field, "value": value}, separators=(",", ":"))


def decode_try(raw: str) -> tuple[str, Any] | None:
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("field"), str):
        return None
    value = data.get("value")
    if value is not None and not isinstance(value, str | int | float | bool):
        return None
    return data["field"], value
