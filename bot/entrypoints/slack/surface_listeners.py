"""Bolt listeners for the Home tab, *New decision*, the assistant panel and check-ins.

As in `listeners`, the acking side only parses the payload into a command and hands it to
the worker.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncAssistant

from bot.entrypoints.slack.home import (
    NEW_DECISION_ACTION,
    NEW_DECISION_CALLBACK,
    USE_CASE_BLOCK,
    USE_CASE_MIN_CHARS,
    submitted_use_case,
)
from bot.entrypoints.slack.listeners import hand_over
from bot.entrypoints.slack.parse import (
    parse_assistant_message,
    parse_assistant_started,
    parse_home_opened,
    parse_new_decision,
    parse_new_decision_submitted,
    parse_reminder_cancelled,
    parse_reminder_set,
)
from bot.entrypoints.slack.reminder import CANCEL_REMINDER_ACTION, REMIND_ACTION
from bot.entrypoints.slack.worker import Worker

TOO_SHORT_TEXT = f"Say a little more (at least {USE_CASE_MIN_CHARS} characters)."


class SurfaceListeners:
    def __init__(self, worker: Worker) -> None:
        self._worker = worker

    async def on_home_opened(self, body: dict[str, Any]) -> None:
        hand_over(self._worker, parse_home_opened(body))

    async def on_new_decision(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        hand_over(self._worker, parse_new_decision(body))
        await ack()

    async def on_new_decision_submitted(
        self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        if len(submitted_use_case(view)) < USE_CASE_MIN_CHARS:
            await ack(response_action="errors", errors={USE_CASE_BLOCK: TOO_SHORT_TEXT})
            return
        hand_over(self._worker, parse_new_decision_submitted(body))
        await ack()

    async def on_remind(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        hand_over(self._worker, parse_reminder_set(body))
        await ack()

    async def on_cancel_reminder(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        hand_over(self._worker, parse_reminder_cancelled(body))
        await ack()

    async def on_assistant_thread_started(self, body: dict[str, Any]) -> None:
        hand_over(self._worker, parse_assistant_started(body))

    async def on_assistant_message(self, body: dict[str, Any]) -> None:
        hand_over(self._worker, parse_assistant_message(body))

    async def on_assistant_context_changed(self) -> None:
        """The channel the person is viewing changed; the interview does not depend on it.
        Handled here so Bolt does not store the context in message metadata."""


def register_surface_listeners(
    app: AsyncApp, *, worker: Worker, many_workspace: bool = False
) -> None:
    """Wire the Home tab, assistant and check-in listeners (and uninstall, with many
    workspaces) into `app`."""
    listeners = SurfaceListeners(worker)
    app.event("app_home_opened")(listeners.on_home_opened)
    app.action(NEW_DECISION_ACTION)(listeners.on_new_decision)
    app.view(NEW_DECISION_CALLBACK)(listeners.on_new_decision_submitted)
    app.action(REMIND_ACTION)(listeners.on_remind)
    app.action(CANCEL_REMINDER_ACTION)(listeners.on_cancel_reminder)
    assistant = AsyncAssistant()
    assistant.thread_started(listeners.on_assistant_thread_started)
    assistant.user_message(listeners.on_assistant_message)
    assistant.thread_context_changed(listeners.on_assistant_context_changed)
    app.assistant(assistant)
    if many_workspace:
        # Bolt's own listeners delete the workspace's installation from the store.
        app.enable_token_revocation_listeners()
