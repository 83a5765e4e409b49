"""Does a signed Slack payload have the shape the app reads? A reason if not, else None.

Checked before Bolt sees the payload, so a body that Slack would never send (a
truncated or hand-made one, a replay with edited fields) gets 400 and one warning
instead of a listener's traceback and a 500 that Slack would retry. Only the keys
the app reads are checked, and only their types: Slack adds keys over time.
The reason names keys, never values (they may be text a person typed).
"""

from __future__ import annotations

from typing import Any

# A key and the type its value must have; `Spec` nests for objects.
Spec = dict[str, "type | tuple[type, ...] | Spec"]

_EVENT_REQUIRED: Spec = {"type": str}
_EVENT_OPTIONAL: Spec = {
    "channel": str,
    "ts": str,
    "thread_ts": str,
    "user": str,
    "text": str,
    "subtype": str,
    "channel_type": str,
    "bot_id": str,
}
# Messages and mentions are read for their channel and timestamp, so those are required.
_MESSAGE_EVENT_REQUIRED: Spec = {"channel": str, "ts": str}
_MESSAGE_EVENTS = frozenset({"app_mention", "message"})
_OBJECT_OPTIONAL: Spec = {
    "team": {"id": str},
    "user": {"id": str, "team_id": str},
    "channel": {"id": str},
    "message": {"ts": str, "thread_ts": str, "text": str, "blocks": list},
    "container": {"message_ts": str, "channel_id": str, "thread_ts": str},
    "trigger_id": str,
    "response_url": str,
}
_ACTION_OPTIONAL: Spec = {
    "action_id": str,
    "value": str,
    "type": str,
    "text": {"text": str},
    "selected_option": {"value": str, "text": {"text": str}},
}
_VIEW_OPTIONAL: Spec = {"callback_id": str, "private_metadata": str, "state": {"values": dict}}
_COMMAND_REQUIRED: Spec = {"command": str, "team_id": str, "channel_id": str, "user_id": str}
_COMMAND_OPTIONAL: Spec = {
    "text": str,
    "trigger_id": str,
    "response_url": str,
    "channel_name": str,
}


def shape_problem(body: dict[str, Any]) -> str | None:
    """Why `body` cannot be a Slack delivery the app handles, or None when it can be."""
    if body.get("ssl_check"):  # Slack's periodic certificate check: Bolt answers it
        return None
    if "command" in body and "type" not in body:
        return _check(body, _COMMAND_REQUIRED, required=True) or _check(body, _COMMAND_OPTIONAL)
    kind = body.get("type")
    if not isinstance(kind, str):
        return "no payload type"
    if kind == "url_verification":
        return _check(body, {"challenge": str}, required=True)
    if kind == "event_callback":
        return _event_problem(body)
    if kind in ("block_actions", "view_submission", "view_closed", "block_suggestion"):
        return _interaction_problem(kind, body)
    return None  # a kind the app does not handle: acknowledged and ignored


def _event_problem(body: dict[str, Any]) -> str | None:
    problem = _check(body, {"team_id": str, "event": dict}, required=True)
    problem = problem or _check(body, {"event_id": str, "authorizations": list})
    if problem:
        return problem
    event = body["event"]
    problem = _check(event, _EVENT_REQUIRED, required=True, where="event.")
    problem = problem or _check(event, _EVENT_OPTIONAL, where="event.")
    if problem is None and event["type"] in _MESSAGE_EVENTS:
        problem = _check(event, _MESSAGE_EVENT_REQUIRED, required=True, where="event.")
    return problem


def _interaction_problem(kind: str, body: dict[str, Any]) -> str | None:
    problem = _check(body, _OBJECT_OPTIONAL)
    if problem:
        return problem
    if kind == "block_actions":
        actions = body.get("actions")
        if not isinstance(actions, list) or not actions:
            return "actions is not a non-empty list"
        for index, action in enumerate(actions):
            where = f"actions[{index}]."
            if not isinstance(action, dict):
                return f"{where[:-1]} is not an object"
            problem = _check(action, {"action_id": str}, required=True, where=where)
            problem = problem or _check(action, _ACTION_OPTIONAL, where=where)
            if problem:
                return problem
        return None
    if kind == "block_suggestion":
        return _check(body, {"action_id": str}, required=True) or _check(body, {"value": str})
    problem = _check(body, {"view": dict}, required=True)
    # Bolt itself reads the view's type while matching listeners.
    problem = problem or _check(body["view"], {"type": str}, required=True, where="view.")
    return problem or _check(body["view"], _VIEW_OPTIONAL, where="view.")


def _check(
    obj: dict[str, Any], spec: Spec, *, required: bool = False, where: str = ""
) -> str | None:
    """The first key of `spec` that is missing (when `required`) or of the wrong type."""
    for name, expected in spec.items():
        value = obj.get(name)
        if value is None:  # absent, or Slack's null for an optional key
            if required:
                return f"{where}{name} is missing"
            continue
        if isinstance(expected, dict):
            if not isinstance(value, dict):
                return f"{where}{name} is not an object"
            problem = _check(value, expected, where=f"{where}{name}.")
            if problem:
                return problem
        elif not isinstance(value, expected):
            return f"{where}{name} has the wrong type"
    return None
