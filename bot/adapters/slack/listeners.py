"""Bolt listeners: verify and ack on the server loop, hand the work to the worker.

Bolt acks events itself; commands and actions ack first. Nothing slow runs
before the ack, so Slack sees it within milliseconds. Slack's retries and
duplicate deliveries are dropped through `store.claim` on the worker.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext

from bot.adapters import metrics
from bot.adapters.slack.actions import ActionListeners
from bot.adapters.slack.commands import CommandListener
from bot.adapters.slack.ids import (
    event_session_key,
    is_thread_reply,
    is_user_message,
    mentions_user,
    strip_mentions,
)
from bot.adapters.slack.responder import Responder
from bot.service import Interviewer, Outcome

log = logging.getLogger(__name__)


class MessageListeners:
    """@mentions start (or continue) interviews; thread replies continue them."""

    def __init__(self, *, interviewer: Interviewer, responder: Responder) -> None:
        self._interviewer = interviewer
        self._responder = responder

    async def on_mention(
        self, event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        if is_user_message(event):
            self._handle(event, body, context, mention=True)

    async def on_message(
        self, event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        if not is_user_message(event):
            return
        # A mention fires `app_mention` too; that listener handles it, once.
        if mentions_user(event.get("text") or "", context.bot_user_id):
            return
        is_dm_root = event.get("channel_type") == "im" and not is_thread_reply(event)
        if is_thread_reply(event) or is_dm_root:
            self._handle(event, body, context, mention=is_dm_root)

    def _handle(
        self,
        event: dict[str, Any],
        body: dict[str, Any],
        context: AsyncBoltContext,
        *,
        mention: bool,
    ) -> None:
        team_id = str(body.get("team_id") or context.team_id or "")
        key = event_session_key(team_id=team_id, event=event)
        metrics.EVENTS_RECEIVED.labels(kind="mention" if mention else "thread_reply").inc()
        user_id = event.get("user")
        text = strip_mentions(event.get("text") or "")
        in_thread = is_thread_reply(event)
        interviewer = self._interviewer

        async def work() -> Outcome | None:
            if not mention:
                return await interviewer.reply(key, user_id=user_id, text=text)
            if in_thread:
                outcome = await interviewer.reply(key, user_id=user_id, text=text)
                if outcome is not None:
                    return outcome
            return await interviewer.start(key, user_id=user_id, text=text)

        self._responder.submit_reply(key, work, delivery_id=body.get("event_id"))


def register_listeners(app: AsyncApp, *, interviewer: Interviewer, responder: Responder) -> None:
    """Wire every listener and the error handler into `app`."""
    messages = MessageListeners(interviewer=interviewer, responder=responder)
    app.event("app_mention")(messages.on_mention)
    app.event("message")(messages.on_message)
    CommandListener(interviewer=interviewer, responder=responder).register(app)
    ActionListeners(interviewer=interviewer, responder=responder).register(app)

    async def on_error(error: Exception) -> None:
        # Only the verify-and-hand-over step runs here; the worker reports its own errors.
        log.error("listener failed", exc_info=error, extra={"error_type": type(error).__name__})

    app.error(on_error)
