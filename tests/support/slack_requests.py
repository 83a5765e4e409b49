"""Correctly (and incorrectly) signed Slack requests, as Slack would send them.

Slack signs `v0:{timestamp}:{body}` with HMAC-SHA256 and the app's signing
secret; Bolt rejects bad signatures and timestamps older than five minutes.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
TEAM_ID = "T0001"
STALE_SECONDS = 6 * 60

_ids = itertools.count(1)


def signature(body: str, *, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(
    body: str,
    *,
    content_type: str,
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
    retry_num: int | None = None,
) -> dict[str, str]:
    ts = int(time.time()) if timestamp is None else timestamp
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": signature(body, timestamp=ts, secret=secret),
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    return headers


def next_ts() -> str:
    return f"1800000000.{next(_ids):06d}"


def event_body(event: dict[str, Any], *, event_id: str | None = None) -> str:
    return json.dumps(
        {
            "token": "legacy",
            "team_id": TEAM_ID,
            "api_app_id": "A0001",
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):08d}",
            "event_time": int(time.time()),
            "event": event,
            "authorizations": [{"team_id": TEAM_ID, "user_id": "UBOT", "is_bot": True}],
        }
    )


def mention(
    text: str,
    *,
    channel: str = "C0001",
    user: str = "U0001",
    ts: str | None = None,
    thread_ts: str | None = None,
) -> dict[str, Any]:
    event = {
        "type": "app_mention",
        "user": user,
        "text": f"<@UBOT> {text}",
        "ts": ts or next_ts(),
        "channel": channel,
        "event_ts": ts or next_ts(),
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def message(
    text: str,
    *,
    thread_ts: str | None,
    channel: str = "C0001",
    user: str = "U0001",
    ts: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    event = {
        "type": "message",
        "channel_type": "channel",
        "user": user,
        "text": text,
        "ts": ts or next_ts(),
        "channel": channel,
        **extra,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def command_body(
    text: str,
    *,
    channel: str = "C0001",
    channel_name: str = "general",
    user: str = "U0001",
    response_url: str = "",
) -> str:
    return urlencode(
        {
            "token": "legacy",
            "team_id": TEAM_ID,
            "team_domain": "fake",
            "channel_id": channel,
            "channel_name": channel_name,
            "user_id": user,
            "user_name": "alice",
            "command": "/should-we-finetune",
            "text": text,
            "api_app_id": "A0001",
            "response_url": response_url,
            "trigger_id": f"trigger-{next(_ids)}",
        }
    )


def block_action_body(
    *,
    action: dict[str, Any],
    channel: str,
    thread_ts: str,
    message_ts: str,
    user: str = "U0001",
    response_url: str = "",
    message_blocks: list[dict[str, Any]] | None = None,
) -> str:
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": {"id": user, "team_id": TEAM_ID},
        "api_app_id": "A0001",
        "token": "legacy",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": False,
            "thread_ts": thread_ts,
        },
        "trigger_id": f"trigger-{next(_ids)}",
        "channel": {"id": channel, "name": "general"},
        "message": {
            "type": "message",
            "ts": message_ts,
            "thread_ts": thread_ts,
            "text": "",
            "blocks": message_blocks or [],
        },
        "response_url": response_url,
        "actions": [{"action_ts": str(time.time()), **action}],
    }
    return urlencode({"payload": json.dumps(payload)})


def view_action_body(*, view: dict[str, Any], action: dict[str, Any], user: str = "U0001") -> str:
    """A click on a button inside a modal (no channel: the view's metadata says where)."""
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": {"id": user, "team_id": TEAM_ID},
        "api_app_id": "A0001",
        "token": "legacy",
        "container": {"type": "view", "view_id": "V1"},
        "trigger_id": f"trigger-{next(_ids)}",
        "view": {**view, "id": "V1", "state": {"values": {}}, "hash": "h1"},
        "actions": [{"action_ts": str(time.time()), "block_id": "b", **action}],
    }
    return urlencode({"payload": json.dumps(payload)})


def view_submission_body(
    *, view: dict[str, Any], values: dict[str, Any], user: str = "U0001"
) -> str:
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": {"id": user, "team_id": TEAM_ID},
        "api_app_id": "A0001",
        "token": "legacy",
        "trigger_id": f"trigger-{next(_ids)}",
        "view": {**view, "id": "V1", "state": {"values": values}, "hash": "h1"},
    }
    return urlencode({"payload": json.dumps(payload)})


@dataclass
class SlackSender:
    """Posts to the app's /slack/events as Slack does; `last_status`/`last_body` keep the reply."""

    url: str
    session: aiohttp.ClientSession
    secret: str = SIGNING_SECRET
    sent: list[int] = field(default_factory=list)

    async def send(
        self,
        body: str,
        *,
        form: bool = False,
        secret: str | None = None,
        timestamp: int | None = None,
        retry_num: int | None = None,
    ) -> tuple[int, str]:
        content_type = "application/x-www-form-urlencoded" if form else "application/json"
        headers = signed_headers(
            body,
            content_type=content_type,
            secret=secret or self.secret,
            timestamp=timestamp,
            retry_num=retry_num,
        )
        async with self.session.post(self.url, data=body.encode(), headers=headers) as response:
            text = await response.text()
            self.sent.append(response.status)
            return response.status, text

    async def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None
    ) -> tuple[int, str]:
        return await self.send(event_body(event, event_id=event_id), retry_num=retry_num)
