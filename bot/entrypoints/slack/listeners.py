"""Bolt listeners: on the acking side, only filter, ack and hand a `Delivery` to the worker.

Bolt acks events itself (the HTTP app refuses them with 503 beforehand when the
worker is not running); commands, actions and views hand over first and ack
after, so a worker that cannot take them fails the request (5xx) instead of an
ack for work nobody will do. Nothing slow runs before the ack, so Slack sees it
within milliseconds. What needs an answer in
the ack itself (help text, modal field errors) is cheap and done here.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.response import BoltResponse

from bot.adapters import metrics
from bot.entrypoints.manifest import SLASH_COMMAND
from bot.entrypoints.slack.addressing import is_addressed_to_others, is_chatter
from bot.entrypoints.slack.card_ids import (
    CHART_ACTION,
    DETAILS_ACTION,
    DETAILS_IN_THREAD_ACTION,
    EXPORT_ACTION,
    MORE_DETAILS_ACTION,
    SHARE_ACTION,
    WHAT_IF_ACTION,
    WHAT_IF_APPLY_ACTION,
)
from bot.entrypoints.slack.command_blocks import render_usage
from bot.entrypoints.slack.deliveries import Delivery, Kind
from bot.entrypoints.slack.ids import (
    ANSWER_ACTION,
    DECIDE_NOW_ACTION,
    EDIT_ANSWERS_ACTION,
    EDIT_MODAL_CALLBACK,
    EXPLAIN_ACTION,
    START_OVER_ACTION,
    decode_key,
    is_thread_reply,
    is_user_message,
    mentions_user,
)
from bot.entrypoints.slack.modal import (
    parse_edit_submission,
    render_lost_thread_modal,
    submission_errors,
)
from bot.entrypoints.slack.unhandled import acknowledge_unhandled
from bot.entrypoints.slack.worker import Worker

log = logging.getLogger(__name__)

HELP_WORDS = frozenset({"help", "usage", "?", "-h", "--help"})
HISTORY_WORDS = frozenset({"history", "recent", "list"})
# The `kind` label of swf_slack_events_received: what Slack sent, not what it asks for.
METRIC_KINDS = {
    Kind.MENTION: "mention",
    Kind.DM_ROOT: "mention",
    Kind.THREAD_REPLY: "thread_reply",
    Kind.COMMAND: "command",
    Kind.HISTORY: "command",
    Kind.ANSWER: "action",
    Kind.DECIDE_NOW: "action",
    Kind.START_OVER: "action",
    Kind.EXPLAIN: "action",
    Kind.EDIT_ANSWERS: "action",
    Kind.EDIT_SUBMITTED: "view_submission",
    Kind.DETAILS: "action",
    Kind.WHAT_IF: "action",
    Kind.SHARE: "action",
    Kind.MORE_DETAILS: "action",
    Kind.TRY: "action",
    Kind.CHART: "action",
    Kind.EXPORT: "action",
    Kind.DETAILS_IN_THREAD: "action",
}
_BUTTONS = {
    DECIDE_NOW_ACTION: Kind.DECIDE_NOW,
    START_OVER_ACTION: Kind.START_OVER,
    EXPLAIN_ACTION: Kind.EXPLAIN,
    EDIT_ANSWERS_ACTION: Kind.EDIT_ANSWERS,
    DETAILS_ACTION: Kind.DETAILS,
    WHAT_IF_ACTION: Kind.WHAT_IF,
    SHARE_ACTION: Kind.SHARE,
    MORE_DETAILS_ACTION: Kind.MORE_DETAILS,
    CHART_ACTION: Kind.CHART,
    EXPORT_ACTION: Kind.EXPORT,
    DETAILS_IN_THREAD_ACTION: Kind.DETAILS_IN_THREAD,
}


class Listeners:
    def __init__(self, worker: Worker) -> None:
        self._worker = worker

    def _hand_over(self, kind: Kind, body: dict[str, Any]) -> None:
        metrics.EVENTS_RECEIVED.labels(kind=METRIC_KINDS[kind]).inc()
        self._worker.submit(Delivery(kind=kind, body=body))

    async def on_mention(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if is_user_message(event):
            self._hand_over(Kind.MENTION, body)

    async def on_message(
        self, event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        if not is_user_message(event):
            return
        # A mention fires `app_mention` too; that listener handles it, once.
        if mentions_user(event.get("text") or "", context.bot_user_id):
            return
        if is_thread_reply(event):
            text = event.get("text") or ""
            if is_addressed_to_others(text, context.bot_user_id) or is_chatter(text):
                return  # spoken to someone else, or chatter: the bot stays quiet
            self._hand_over(Kind.THREAD_REPLY, body)
        elif event.get("channel_type") == "im":
            self._hand_over(Kind.DM_ROOT, body)

    async def on_command(self, ack: AsyncAck, command: dict[str, Any]) -> None:
        word = str(command.get("text") or "").strip().lower()
        # Nothing to discuss yet: answer privately rather than open an empty thread.
        if word in HELP_WORDS or not word:
            usage = render_usage()
            await ack(text=usage.text, blocks=usage.blocks, response_type="ephemeral")
            return
        self._hand_over(Kind.HISTORY if word in HISTORY_WORDS else Kind.COMMAND, command)
        await ack()

    async def on_answer(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        self._hand_over(Kind.ANSWER, body)
        await ack()

    async def on_button(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        self._hand_over(_BUTTONS[str(action.get("action_id"))], body)
        await ack()

    async def on_try(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        self._hand_over(Kind.TRY, body)
        await ack()

    async def on_edit_submitted(
        self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        if decode_key(str(view.get("private_metadata") or "")) is None:
            # Nothing says which thread to re-run: say so in the modal, not silently drop it.
            await ack(response_action="update", view=render_lost_thread_modal())
            return
        facts = parse_edit_submission(((view.get("state") or {}).get("values")) or {})
        errors = submission_errors(facts)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        self._hand_over(Kind.EDIT_SUBMITTED, body)
        await ack()


def register_listeners(app: AsyncApp, *, worker: Worker) -> None:
    """Wire every listener and the error handler into `app`."""
    listeners = Listeners(worker)
    app.event("app_mention")(listeners.on_mention)
    app.event("message")(listeners.on_message)
    app.command(SLASH_COMMAND)(listeners.on_command)
    app.action(ANSWER_ACTION)(listeners.on_answer)
    for action_id in _BUTTONS:
        app.action(action_id)(listeners.on_button)
    app.action(WHAT_IF_APPLY_ACTION)(listeners.on_try)
    app.view(EDIT_MODAL_CALLBACK)(listeners.on_edit_submitted)

    async def on_error(error: Exception) -> BoltResponse | None:
        if isinstance(error, BoltUnhandledRequestError):  # see unhandled.py
            return acknowledge_unhandled(error)
        # Only filtering and hand-over run here; the worker reports its own errors.
        log.error("listener failed", exc_info=error, extra={"error_type": type(error).__name__})
        return None

    app.error(on_error)
