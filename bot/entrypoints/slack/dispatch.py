"""What the worker calls for each command: answer with the right workspace's token, claim the
command once, run its one handler (`handler_table`), and report whatever it raises."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters import metrics
from bot.adapters.logs import bind_log_context
from bot.entrypoints.slack.card_handlers import CardActions
from bot.entrypoints.slack.commands import (
    AnswerClicked,
    AssistantMessage,
    AssistantStarted,
    ButtonPressed,
    CardButtonPressed,
    Command,
    EditSubmitted,
    HistoryRequested,
    HomeOpened,
    NewDecisionRequested,
    NewDecisionSubmitted,
    ReminderCancelled,
    ReminderSet,
    StartFromCommand,
    StartInterview,
    ThreadReply,
    ViewButtonPressed,
    WhatIfTried,
    log_ids,
)
from bot.entrypoints.slack.handlers import InterviewHandlers
from bot.entrypoints.slack.outbox import Outbox
from bot.entrypoints.slack.responder import THINKING_TEXT, ReplyThread, report_error
from bot.entrypoints.slack.surfaces import SurfaceHandlers
from bot.entrypoints.slack.team_clients import TeamClients
from bot.errors import BotError, SlackRefusedError
from bot.ports import SessionStore

log = logging.getLogger(__name__)

# Each handler takes its own command type (checked by tests/entrypoints/slack/test_dispatch.py).
Handler = Callable[[Any, AsyncWebClient, ReplyThread], Awaitable[None]]


def handler_table(
    *, interviews: InterviewHandlers, card: CardActions, surfaces: SurfaceHandlers
) -> dict[type[Command], Handler]:
    """The one handler of each command type."""
    return {
        StartInterview: interviews.on_message,
        ThreadReply: interviews.on_message,
        StartFromCommand: interviews.on_start_from_command,
        HistoryRequested: interviews.on_history,
        AnswerClicked: interviews.on_answer,
        ButtonPressed: interviews.on_button,
        EditSubmitted: interviews.on_edit_submitted,
        CardButtonPressed: card.on_card_button,
        ViewButtonPressed: card.on_view_button,
        WhatIfTried: card.on_what_if,
        HomeOpened: surfaces.on_home_opened,
        NewDecisionRequested: surfaces.on_new_decision_requested,
        NewDecisionSubmitted: surfaces.on_new_decision_submitted,
        AssistantStarted: surfaces.on_assistant_started,
        AssistantMessage: surfaces.on_assistant_message,
        ReminderSet: surfaces.on_reminder_set,
        ReminderCancelled: surfaces.on_reminder_cancelled,
    }


class Dispatcher:
    def __init__(
        self,
        *,
        handlers: Mapping[type[Command], Handler],
        store: SessionStore,
        outbox: Outbox,
        clients: TeamClients,
    ) -> None:
        self._handlers = handlers
        self._store = store
        self.outbox = outbox  # where replies wait for Slack when it will not take them
        self._clients = clients

    async def handle(self, command: Command, client: AsyncWebClient) -> None:
        """Do the work a command calls for; never raises (a worker has no caller to tell)."""
        try:
            team_client = await self._clients.client_for(command.workspace, client)
        except BotError as exc:
            log.error(
                "no token for a command: the installation store failed",
                extra={**log_ids(command), "error_type": type(exc).__name__},
            )
            return
        if team_client is None:
            return
        key = command.key
        thread = ReplyThread(key=key, outbox=self.outbox)
        ids = key.model_dump() if key else {"team_id": command.team_id}
        with bind_log_context(**ids, request_id=command.delivery_id):
            try:
                if await self._is_first_time(command, team_client):
                    await self._handlers[type(command)](command, team_client, thread)
            except SlackRefusedError as exc:
                log.warning("slack refused a call", extra={"error": exc.code})
            except Exception as exc:  # the one broad handler: log ids, tell the thread
                await report_error(exc, thread=thread, client=team_client)

    async def _is_first_time(self, command: Command, client: AsyncWebClient) -> bool:
        """Claim the command once in the store; False for a retry or duplicate of it."""
        if command.replay:
            # Claimed by the worker process that died with it; clear what it showed.
            log.info("replaying a command a dead worker process left unfinished")
            if command.key is not None:
                await self.outbox.remove_own_messages(client, command.key, text=THINKING_TEXT)
            return True
        if command.delivery_id and not await self._store.claim(
            team_id=command.team_id, delivery_id=command.delivery_id
        ):
            metrics.DELIVERIES_DEDUPLICATED.inc()
            log.info("duplicate delivery dropped")
            return False
        return True

    async def aclose(self) -> None:
        """Release the installation store's connections (many-workspace mode)."""
        await self._clients.aclose()
