"""Bolt listeners: on the acking side, only parse the payload into a command, hand it to the
worker and ack.

Bolt acks events itself (the HTTP app refuses them with 503 beforehand when the
worker is not running); commands, actions and views hand over first and ack
after, so a worker that cannot take them fails the request (5xx) instead of an
ack for work nobody will do. Parsing (`parse.py`) also drops what the bot ignores
(its own messages, chatter, asides). Nothing slow runs before the ack, so Slack sees it
within milliseconds. What needs an answer in the ack itself (help text, modal field
errors) is cheap and done here.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.response import BoltResponse

from bot.adapters import metrics
from bot.entrypoints.manifest import SLASH_COMMAND
from bot.entrypoints.slack.card_ids import WHAT_IF_APPLY_ACTION
from bot.entrypoints.slack.command_blocks import render_usage
from bot.entrypoints.slack.commands import Button, CardButton, Command, ViewButton
from bot.entrypoints.slack.ids import (
    ANSWER_ACTION,
    EDIT_MODAL_CALLBACK,
    decode_key,
    strip_markup,
)
from bot.entrypoints.slack.modal import (
    parse_edit_submission,
    render_lost_thread_modal,
    submission_errors,
)
from bot.entrypoints.slack.parse import (
    parse_answer,
    parse_button,
    parse_edit_submitted,
    parse_mention,
    parse_message,
    parse_slash_command,
    parse_what_if,
)
from bot.entrypoints.slack.unhandled import acknowledge_unhandled
from bot.entrypoints.slack.worker import Worker

log = logging.getLogger(__name__)

HELP_WORDS = frozenset({"help", "usage", "?", "-h", "--help"})
BUTTON_ACTIONS = (*Button, *CardButton, *ViewButton)


def hand_over(worker: Worker, command: Command | None) -> None:
    """Count the command and give it to the worker; None (nothing to do) is dropped here."""
    if command is None:
        return
    metrics.EVENTS_RECEIVED.labels(kind=command.metric_kind).inc()
    worker.submit(command)


class Listeners:
    def __init__(self, worker: Worker) -> None:
        self._worker = worker

    async def on_mention(self, body: dict[str, Any]) -> None:
        hand_over(self._worker, parse_mention(body))

    async def on_message(self, body: dict[str, Any], context: AsyncBoltContext) -> None:
        hand_over(self._worker, parse_message(body, bot_user_id=context.bot_user_id))

    async def on_command(self, ack: AsyncAck, command: dict[str, Any]) -> None:
        # Mentions, channel links and broadcasts alone describe nothing.
        word = strip_markup(str(command.get("text") or "")).lower()
        # Nothing to discuss yet: answer privately rather than open an empty thread.
        if word in HELP_WORDS or not word:
            usage = render_usage()
            await ack(text=usage.text, blocks=usage.blocks, response_type="ephemeral")
            return
        hand_over(self._worker, parse_slash_command(command))
        await ack()

    async def on_answer(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        hand_over(self._worker, parse_answer(body))
        await ack()

    async def on_button(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        hand_over(self._worker, parse_button(body))
        await ack()

    async def on_try(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        hand_over(self._worker, parse_what_if(body))
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
        hand_over(self._worker, parse_edit_submitted(body))
        await ack()


def register_listeners(app: AsyncApp, *, worker: Worker) -> None:
    """Wire every listener and the error handler into `app`."""
    listeners = Listeners(worker)
    app.event("app_mention")(listeners.on_mention)
    app.event("message")(listeners.on_message)
    app.command(SLASH_COMMAND)(listeners.on_command)
    app.action(ANSWER_ACTION)(listeners.on_answer)
    for action_id in BUTTON_ACTIONS:
        app.action(str(action_id))(listeners.on_button)
    app.action(WHAT_IF_APPLY_ACTION)(listeners.on_try)
    app.view(EDIT_MODAL_CALLBACK)(listeners.on_edit_submitted)

    async def on_error(error: Exception) -> BoltResponse | None:
        if isinstance(error, BoltUnhandledRequestError):  # see unhandled.py
            return acknowledge_unhandled(error)
        # Only filtering and hand-over run here; the worker reports its own errors.
        log.error("listener failed", exc_info=error, extra={"error_type": type(error).__name__})
        return None

    app.error(on_error)
