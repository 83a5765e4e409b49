"""Slack payloads for the Home tab, the assistant panel and many workspaces, as Slack sends them."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

from tests.support.slack_requests import TEAM_ID, next_ts

_ids = itertools.count(1)


def team_event_body(event: dict[str, Any], *, team_id: str = TEAM_ID) -> str:
    """An event delivery from the workspace `team_id`."""
    return json.dumps(
        {
            "token": "legacy",
            "team_id": team_id,
            "api_app_id": "A0001",
            "type": "event_callback",
            "event_id": f"EvS{next(_ids):08d}",
            "event_time": int(time.time()),
            "event": event,
            "authorizations": [{"team_id": team_id, "user_id": "UBOT", "is_bot": True}],
        }
    )


def home_opened(*, user: str = "U0001", tab: str = "home") -> dict[str, Any]:
    return {
        "type": "app_home_opened",
        "user": user,
        "channel": "D0001",
        "tab": tab,
        "event_ts": next_ts(),
    }


def assistant_thread_started(
    *, channel: str = "D0001", thread_ts: str, user: str = "U0001"
) -> dict[str, Any]:
    return {
        "type": "assistant_thread_started",
        "assistant_thread": {
            "user_id": user,
            "context": {"channel_id": "C0001", "team_id": TEAM_ID},
            "channel_id": channel,
            "thread_ts": thread_ts,
        },
        "event_ts": next_ts(),
    }


def im_thread_message(
    text: str, *, thread_ts: str, channel: str = "D0001", user: str = "U0001"
) -> dict[str, Any]:
    """A person's message in a DM thread (an assistant thread is one)."""
    return {
        "type": "message",
        "channel_type": "im",
        "user": user,
        "text": text,
        "ts": next_ts(),
        "thread_ts": thread_ts,
        "channel": channel,
        "event_ts": next_ts(),
    }
