"""Requests no listener takes (a type the app does not use, an unknown action): acked quietly.

Bolt's own answer is a 404 and a multi-line warning that prints part of the payload,
which for a `block_suggestion` is what the person typed. The app asks Bolt to raise
instead, and the error handler answers here: 200 (so Slack does not retry or show an
error), an empty option list for a menu that asks for options, and one DEBUG line
naming the payload type only.
"""

from __future__ import annotations

import logging

from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.response import BoltResponse

log = logging.getLogger(__name__)


def acknowledge_unhandled(error: BoltUnhandledRequestError) -> BoltResponse:
    body = error.body if isinstance(error.body, dict) else {}
    kind = body.get("type") if isinstance(body.get("type"), str) else None
    log.debug("unhandled Slack request acknowledged", extra={"payload_type": kind})
    if kind == "block_suggestion":
        return BoltResponse(status=200, body={"options": []})
    return BoltResponse(status=200, body="")
