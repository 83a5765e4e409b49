"""Slack deliveries with every key Slack's docs show, not only the ones the app reads.

`slack_requests.py` builds the minimal shapes; these add what real workspaces send too
(`blocks`, `team`, `client_msg_id`, `event_context`, enterprise keys, `state`, ...), so
tests catch a parser that trips on them or reads the wrong one.
"""

from __future__ import annotations

import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

from tests.support.fake_slack import BOT_ID, BOT_USER_ID
from tests.support.slack_requests import TEAM_ID, next_ts

_ids = itertools.count(1)


def rich_text(text: str) -> list[dict[str, Any]]:
    """The `blocks` Slack's clients attach to a typed message (one plain section)."""
    section = {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
    return [{"type": "rich_text", "block_id": f"rt{next(_ids)}", "elements": [section]}]


def event_envelope(event: dict[str, Any], *, event_id: str | None = None) -> str:
    """An Events API delivery as Slack's docs show it, enterprise keys null."""
    return json.dumps(
        {
            "token": "XXYYZZ",
            "team_id": TEAM_ID,
            "context_team_id": TEAM_ID,
            "context_enterprise_id": None,
            "api_app_id": "A0001",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"EvR{next(_ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": TEAM_ID,
                    "user_id": BOT_USER_ID,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": f"4-eyJldCI6ImFwcF9tZW50aW9uIn0-{next(_ids)}",
        }
    )


def user_message(
    text: str,
    *,
    kind: str = "message",
    channel: str = "C0001",
    channel_type: str | None = "channel",
    user: str = "U0001",
    ts: str | None = None,
    thread_ts: str | None = None,
    parent_user_id: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A message (or `app_mention`, with `kind`) typed by a person in a Slack client."""
    ts = ts or next_ts()
    event: dict[str, Any] = {
        "client_msg_id": f"7a1b{next(_ids):04d}-0000-4000-8000-000000000000",
        "type": kind,
        "text": text,
        "user": user,
        "ts": ts,
        "blocks": rich_text(text),
        "team": TEAM_ID,
        "channel": channel,
        "event_ts": ts,
    }
    if channel_type is not None and kind == "message":
        event["channel_type"] = channel_type
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
        event["parent_user_id"] = parent_user_id or user
    return {**event, **extra}


def edited(event: dict[str, Any]) -> dict[str, Any]:
    """`event` sent again after its author edited it (Slack re-fires `app_mention` so)."""
    return {**event, "edited": {"user": event["user"], "ts": next_ts()}}


def message_changed(original: dict[str, Any], new_text: str) -> dict[str, Any]:
    """The `message_changed` event for an edit of `original`."""
    message = {**edited(original), "text": new_text, "blocks": rich_text(new_text)}
    message.pop("channel", None)
    message.pop("event_ts", None)
    ts = next_ts()
    return {
        "type": "message",
        "subtype": "message_changed",
        "message": message,
        "previous_message": {k: v for k, v in original.items() if k != "channel"},
        "channel": original["channel"],
        "hidden": True,
        "ts": ts,
        "event_ts": ts,
        "channel_type": original.get("channel_type", "channel"),
    }


def message_deleted(original: dict[str, Any]) -> dict[str, Any]:
    ts = next_ts()
    return {
        "type": "message",
        "subtype": "message_deleted",
        "hidden": True,
        "deleted_ts": original["ts"],
        "channel": original["channel"],
        "previous_message": {k: v for k, v in original.items() if k != "channel"},
        "ts": ts,
        "event_ts": ts,
        "channel_type": original.get("channel_type", "channel"),
    }


def bot_message(text: str, *, thread_ts: str, channel: str = "C0001") -> dict[str, Any]:
    """Another integration's message (`bot_message` carries no `user`)."""
    ts = next_ts()
    return {
        "type": "message",
        "subtype": "bot_message",
        "text": text,
        "ts": ts,
        "username": "deploy-bot",
        "bot_id": "B0OTHER",
        "app_id": "A0OTHER",
        "channel": channel,
        "thread_ts": thread_ts,
        "event_ts": ts,
        "channel_type": "channel",
    }


def own_message(text: str, *, thread_ts: str, channel: str = "C0001") -> dict[str, Any]:
    """The bot's own post coming back as a `message` event."""
    ts = next_ts()
    return {
        "type": "message",
        "text": text,
        "user": BOT_USER_ID,
        "bot_id": BOT_ID,
        "app_id": "A0001",
        "bot_profile": {"id": BOT_ID, "app_id": "A0001", "name": "should-we-finetune"},
        "team": TEAM_ID,
        "ts": ts,
        "thread_ts": thread_ts,
        "parent_user_id": BOT_USER_ID,
        "channel": channel,
        "event_ts": ts,
        "channel_type": "channel",
    }


def channel_join(*, channel: str = "C0001", user: str = "U0002") -> dict[str, Any]:
    ts = next_ts()
    return {
        "type": "message",
        "subtype": "channel_join",
        "user": user,
        "text": f"<@{user}> has joined the channel",
        "inviter": "U0001",
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        "channel_type": "channel",
    }


def slash_command(text: str, **overrides: str) -> str:
    """`/should-we-finetune` as Slack posts it (form-encoded), every field Slack sends."""
    fields = {
        "token": "gIkuvaNzQIHg97ATvDxqgjtO",
        "team_id": TEAM_ID,
        "team_domain": "example",
        "enterprise_id": "E0001",
        "enterprise_name": "Globular Construct Inc",
        "channel_id": "C0001",
        "channel_name": "general",
        "user_id": "U0001",
        "user_name": "alice",
        "command": "/should-we-finetune",
        "text": text,
        "api_app_id": "A0001",
        "is_enterprise_install": "false",
        "response_url": "",
        "trigger_id": f"13345224609.738474920.{next(_ids)}",
        **overrides,
    }
    return urlencode(fields)


def interaction(payload: dict[str, Any]) -> str:
    """An interactivity delivery: the JSON payload in a form field, as Slack posts it."""
    base = {
        "team": {"id": TEAM_ID, "domain": "example"},
        "user": {"id": "U0001", "username": "alice", "name": "alice", "team_id": TEAM_ID},
        "api_app_id": "A0001",
        "token": "9s8d9as89d8as9d8as989",
        "trigger_id": f"12466734323.1395872398.{next(_ids)}",
        "enterprise": None,
        "is_enterprise_install": False,
    }
    return urlencode({"payload": json.dumps({**base, **payload})})
