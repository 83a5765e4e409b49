"""Bolt listeners: Slack deliveries in, Interviewer calls, Block Kit replies out.

Every listener acknowledges first (Bolt acks events itself) and does its work
afterwards, so Slack sees the ack within milliseconds. Slack's retries and
duplicate deliveries are dropped through `store.claim` before any work.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters import metrics
from bot.adapters.logs import bind_log_context
from bot.adapters.slack.actions import ActionListeners
from bot.adapters.slack.blocks import render_notice
from bot.adapters.slack.commands import CommandListener
from bot.adapters.slack.errors import SlackRefusedError
from bot.adapters.slack.ids import (
    action_session_key,
    event_session_key,
    is_thread_reply,
    is_user_message,
    mentions_user,
    strip_mentions,
)
from bot.adapters.slack.inflight import InFlight
from bot.adapters.slack.poster import ThreadPoster
from bot.adapters.slack.responder import REPLY_TS_KEY, Responder
from bot.errors import BotError
from bot.interview.replies import Notice
from bot.interview.session import SessionKey
from bot.ports import SessionStore
from bot.service import Interviewer, Outcome

log = logging.getLogger(__name__)


class MessageListeners:
    """@mentions start (or continue) interviews; thread replies continue them."""

    def __init__(self, *, interviewer: Interviewer, responder: Responder) -> None:
        self._interviewer = interviewer
        self._responder = responder

    async def on_mention(
        self,
        event: dict[str, Any],
        body: dict[str, Any],
        context: AsyncBoltContext,
        client: AsyncWebClient,
    ) -> None:
        if not is_user_message(event):
            return
        await self._handle(event, body, context, client, mention=True)

    async def on_message(
        self,
        event: dict[str, Any],
        body: dict[str, Any],
        context: AsyncBoltContext,
        client: AsyncWebClient,
    ) -> None:
        if not is_user_message(event):
            return
        # A mention fires `app_mention` too; that listener handles it, once.
        if mentions_user(event.get("text") or "", context.bot_user_id):
            return
        is_dm_root = event.get("channel_type") == "im" and not is_thread_reply(event)
        if not (is_thread_reply(event) or is_dm_root):
            return
        await self._handle(event, body, context, client, mention=is_dm_root)

    async def _handle(
        self,
        event: dict[str, Any],
        body: dict[str, Any],
        context: AsyncBoltContext,
        client: AsyncWebClient,
        *,
        mention: bool,
    ) -> None:
        team_id = str(body.get("team_id") or context.team_id or "")
        key = event_session_key(team_id=team_id, event=event)
        event_id = body.get("event_id")
        kind = "mention" if mention else "thread_reply"
        metrics.EVENTS_RECEIVED.labels(kind=kind).inc()
        with (
            self._responder.inflight.track(),
            bind_log_context(
                team_id=key.team_id,
                channel_id=key.channel_id,
                thread_ts=key.thread_ts,
                request_id=event_id,
            ),
        ):
            if not await self._responder.claim(team_id=team_id, delivery_id=event_id):
                return
            user_id = event.get("user")
            text = strip_mentions(event.get("text") or "")
            in_thread = is_thread_reply(event)

            async def work() -> Outcome | None:
                if not mention:
                    return await self._interviewer.reply(key, user_id=user_id, text=text)
                if in_thread:
                    outcome = await self._interviewer.reply(key, user_id=user_id, text=text)
                    if outcome is not None:
                        return outcome
                return await self._interviewer.start(key, user_id=user_id, text=text)

            await self._responder.respond(key, work, client=client, context=context)


def register_listeners(
    app: AsyncApp, *, interviewer: Interviewer, store: SessionStore, inflight: InFlight
) -> None:
    """Wire every listener and the error handler into `app`."""
    responder = Responder(store=store, inflight=inflight)
    messages = MessageListeners(interviewer=interviewer, responder=responder)
    app.event("app_mention")(messages.on_mention)
    app.event("message")(messages.on_message)
    CommandListener(interviewer=interviewer, responder=responder).register(app)
    ActionListeners(interviewer=interviewer, responder=responder).register(app)

    async def on_error(
        error: Exception, body: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        await report_error(error, body=body, context=context, client=client)

    app.error(on_error)


async def report_error(
    error: Exception, *, body: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient
) -> None:
    """The app's one broad handler: log with ids (never text), tell the thread briefly."""
    event = body.get("event") or {}
    key: SessionKey | None
    if event.get("channel") and event.get("ts"):
        key = event_session_key(team_id=str(body.get("team_id", "")), event=event)
    else:
        key = action_session_key(body)
    if isinstance(error, SlackRefusedError):
        log.warning("slack refused a call", extra={"error": error.code})
        return
    log.error(
        "listener failed",
        exc_info=error,
        extra={"error_type": type(error).__name__, "thread_ts": key.thread_ts if key else None},
    )
    if key is None:
        return
    text = error.user_message if isinstance(error, BotError) else BotError.user_message
    try:
        await ThreadPoster(client).reply(
            key, render_notice(Notice(text=text)), replace_ts=context.get(REPLY_TS_KEY)
        )
    except SlackRefusedError as exc:
        log.warning("could not report an error to the thread", extra={"error": exc.code})
