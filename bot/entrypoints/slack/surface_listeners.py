"""Bolt listeners for the Home tab, *New decision*, the assistant panel and check-ins.

As in `listeners`, the acking side only filters and hands a `Delivery` to the worker.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncAssistant

from bot.adapters import metrics
from bot.entrypoints.slack.deliveries import Delivery, Kind
from bot.entrypoints.slack.home import (
    NEW_DECISION_ACTION,
    NEW_DECISION_CALLBACK,
    USE_CASE_BLOCK,
    USE_CASE_MIN_CHARS,
    submitted_use_case,
)
from bot.entrypoints.slack.ids import is_user_message
from bot.entrypoints.slack.reminder import CANCEL_REMINDER_ACTION, REMIND_ACTION
from bot.entrypoints.slack.worker import Worker

# The `kind` label of swf_slack_events_received, as in `listeners.METRIC_KINDS`.
_METRIC_KINDS = {
    Kind.HOME_OPENED: "home_opened",
    Kind.NEW_DECISION: "action",
    Kind.NEW_DECISION_SUBMITTED: "view_submission",
    Kind.ASSISTANT_STARTED: "assistant_thread",
    Kind.ASSISTANT_MESSAGE: "thread_reply",
    Kind.REMIND: "action",
    Kind.CANCEL_REMINDER: "action",
}
TOO_SHORT_TEXT = f"Say a little more (at least {USE_CASE_MIN_CHARS} characters)."


class SurfaceListeners:
    def __init__(self, worker: Worker) -> None:
        self._worker = worker

    def _hand_over(self, kind: Kind, body: dict[str, Any]) -> None:
        metrics.EVENTS_RECEIVED.labels(kind=_METRIC_KINDS[kind]).inc()
        self._worker.submit(Delivery(kind=kind, body=body))

    async def on_home_opened(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("tab", "home") == "home":
            self._hand_over(Kind.HOME_OPENED, body)

    async def on_new_decision(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        self._hand_over(Kind.NEW_DECISION, body)
        await ack()

    async def on_new_decision_submitted(
        self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        if len(submitted_use_case(view)) < USE_CASE_MIN_CHARS:
            await ack(response_action="errors", errors={USE_CASE_BLOCK: TOO_SHORT_TEXT})
            return
        self._hand_over(Kind.NEW_DECISION_SUBMITTED, body)
        await ack()

    async def on_remind(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        self._hand_over(Kind.REMIND, body)
        await ack()

    async def on_cancel_reminder(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        self._hand_over(Kind.CANCEL_REMINDER, body)
        await ack()

    async def on_assistant_thread_started(self, body: dict[str, Any]) -> None:
        self._hand_over(Kind.ASSISTANT_STARTED, body)

    async def on_assistant_message(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if is_user_message(event):
            self._hand_over(Kind.ASSISTANT_MESSAGE, body)

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
