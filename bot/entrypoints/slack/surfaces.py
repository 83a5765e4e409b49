"""The Home tab, *New decision*, the assistant panel and check-ins, handled on the worker.

One method per command; the work lives beside its Block Kit (`home_jobs`, `assistant`,
`reminder_jobs`). As for the interview's commands, the dispatcher has claimed the command
once and turns any failure into a log line with ids and, where there is a thread, a
short notice in it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from slack_sdk.web.async_client import AsyncWebClient

from bot.entrypoints.slack.assistant import converse, greet
from bot.entrypoints.slack.commands import (
    AssistantMessage,
    AssistantStarted,
    HomeOpened,
    NewDecisionRequested,
    NewDecisionSubmitted,
    ReminderCancelled,
    ReminderSet,
)
from bot.entrypoints.slack.home_jobs import open_new_decision, publish_home, start_new_decision
from bot.entrypoints.slack.reminder_jobs import cancel_check_in, schedule_check_in
from bot.entrypoints.slack.responder import ReplyThread
from bot.ports import SessionStore
from bot.service import InterviewService


class SurfaceHandlers:
    def __init__(
        self,
        *,
        service: InterviewService,
        store: SessionStore,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._service = service
        self._store = store
        self._clock = clock

    async def on_home_opened(
        self, command: HomeOpened, client: AsyncWebClient, thread: ReplyThread
    ) -> None:
        await publish_home(client, self._store, team_id=command.team_id, user_id=command.user_id)

    async def on_new_decision_requested(
        self, command: NewDecisionRequested, client: AsyncWebClient, thread: ReplyThread
    ) -> None:
        await open_new_decision(client, command.trigger_id)

    async def on_new_decision_submitted(
        self, command: NewDecisionSubmitted, client: AsyncWebClient, thread: ReplyThread
    ) -> None:
        await start_new_decision(
            client,
            thread,
            self._service,
            team_id=command.team_id,
            user_id=command.user_id,
            use_case=command.use_case,
        )

    async def on_assistant_started(
        self, command: AssistantStarted, client: AsyncWebClient, thread: ReplyThread
    ) -> None:
        await greet(client, command.key)

    async def on_assistant_message(
        self, command: AssistantMessage, client: AsyncWebClient, thread: ReplyThread
    ) -> None:
        await converse(client, thread, self._service, user_id=command.user_id, text=command.text)

    async def on_reminder_set(
        self, command: ReminderSet, client: AsyncWebClient, thread: ReplyThread
    ) -> None:
        await schedule_check_in(
            client,
            self._service,
            self._store,
            key=command.key,
            weeks=command.weeks,
            user_id=command.user_id,
            now=self._clock(),
        )

    async def on_reminder_cancelled(
        self, command: ReminderCancelled, client: AsyncWebClient, thread: ReplyThread
    ) -> None:
        await cancel_check_in(
            client,
            key=command.key,
            scheduled_message_id=command.scheduled_message_id,
            message_ts=command.message_ts,
            user_id=command.user_id,
        )
