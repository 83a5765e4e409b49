"""Routing the Home tab, *New decision*, assistant and check-in deliveries on the worker.

The jobs live beside their Block Kit (`home_jobs`, `assistant`, `reminder_jobs`). Like
`handlers.DeliveryHandler`, each delivery is claimed once in the store (events on their
id, clicks on the button and message) and every failure ends as a log line with ids and,
where there is a thread, a short notice in it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters import metrics
from bot.adapters.logs import bind_log_context
from bot.entrypoints.slack.assistant import AssistantJobs
from bot.entrypoints.slack.deliveries import Delivery, Kind
from bot.entrypoints.slack.home import submitted_use_case
from bot.entrypoints.slack.home_jobs import home_job, new_decision_job, open_new_decision_job
from bot.entrypoints.slack.ids import action_session_key
from bot.entrypoints.slack.reminder import weeks_of
from bot.entrypoints.slack.reminder_jobs import cancel_job, remind_job
from bot.entrypoints.slack.responder import ReplyThread, report_error
from bot.errors import SlackRefusedError
from bot.interview.session import SessionKey
from bot.ports import SessionStore
from bot.service import InterviewService

log = logging.getLogger(__name__)

SURFACE_KINDS = frozenset(
    {
        Kind.HOME_OPENED,
        Kind.NEW_DECISION,
        Kind.NEW_DECISION_SUBMITTED,
        Kind.ASSISTANT_STARTED,
        Kind.ASSISTANT_MESSAGE,
        Kind.REMIND,
        Kind.CANCEL_REMINDER,
    }
)

Job = Callable[[AsyncWebClient, ReplyThread], Awaitable[None]]


def _action(body: dict[str, Any]) -> dict[str, Any]:
    return dict((body.get("actions") or [{}])[0])


def _user_id(body: dict[str, Any]) -> str | None:
    user = (body.get("user") or {}).get("id")
    return str(user) if user else None


def _team_id(body: dict[str, Any]) -> str:
    return str(
        body.get("team_id")
        or (body.get("team") or {}).get("id")
        or (body.get("user") or {}).get("team_id")
        or ""
    )


class SurfaceHandler:
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
        self._assistant = AssistantJobs(service=service)

    async def handle(self, delivery: Delivery, client: AsyncWebClient) -> None:
        """Do the work a delivery calls for; never raises (a worker has no caller to tell)."""
        try:
            await self._route(delivery, client)
        except Exception as exc:  # a payload Slack should never send; _run reports the rest
            log.error(
                "unreadable delivery",
                exc_info=exc,
                extra={"kind": delivery.kind.value, "error_type": type(exc).__name__},
            )

    async def _route(self, delivery: Delivery, client: AsyncWebClient) -> None:
        body = delivery.body
        kind = delivery.kind
        team_id = _team_id(body)
        if kind is Kind.HOME_OPENED:
            user_id = str((body.get("event") or {}).get("user") or "")
            job = home_job(self._store, team_id=team_id, user_id=user_id)
            await self._run(job, client, team_id=team_id, claim=body.get("event_id"))
        elif kind is Kind.NEW_DECISION:
            job = open_new_decision_job(str(body.get("trigger_id") or ""))
            await self._run(job, client, team_id=team_id)
        elif kind is Kind.NEW_DECISION_SUBMITTED:
            view = body.get("view") or {}
            claim = f"view:{view.get('id')}:{view.get('hash')}"
            job = new_decision_job(
                self._service,
                team_id=team_id,
                user_id=_user_id(body),
                use_case=submitted_use_case(view),
            )
            await self._run(job, client, team_id=team_id, claim=claim)
        elif kind in (Kind.ASSISTANT_STARTED, Kind.ASSISTANT_MESSAGE):
            event = body["event"]
            key = self._assistant.key_of(team_id, event)
            job = (
                self._assistant.started_job(event)
                if kind is Kind.ASSISTANT_STARTED
                else self._assistant.message_job(key, event)
            )
            await self._run(job, client, team_id=team_id, key=key, claim=body.get("event_id"))
        else:
            clicked = action_session_key(body)
            if clicked is None:
                return
            message_ts = (body.get("message") or {}).get("ts") or ""
            if kind is Kind.REMIND:
                job = remind_job(
                    self._service,
                    self._store,
                    key=clicked,
                    weeks=weeks_of(_action(body)),
                    user_id=_user_id(body),
                    now=self._clock(),
                )
                claim = f"remind:{clicked.channel_id}:{message_ts}"
            else:
                scheduled_message_id = str(_action(body).get("value") or "")
                job = cancel_job(
                    key=clicked,
                    scheduled_message_id=scheduled_message_id,
                    message_ts=str(message_ts),
                    user_id=_user_id(body),
                )
                claim = f"cancel:{clicked.channel_id}:{scheduled_message_id}"
            await self._run(job, client, team_id=team_id, key=clicked, claim=claim)

    async def _run(
        self,
        job: Job,
        client: AsyncWebClient,
        *,
        team_id: str,
        key: SessionKey | None = None,
        claim: str | None = None,
    ) -> None:
        """Run `job` unless this delivery was seen before; the one place errors are reported."""
        thread = ReplyThread(key=key)
        ids = key.model_dump() if key else {"team_id": team_id}
        with bind_log_context(**ids, request_id=claim):
            try:
                if claim and not await self._store.claim(team_id=team_id, delivery_id=claim):
                    metrics.DELIVERIES_DEDUPLICATED.inc()
                    log.info("duplicate delivery dropped")
                    return
                await job(client, thread)
            except SlackRefusedError as exc:
                log.warning("slack refused a call", extra={"error": exc.code})
            except Exception as exc:  # the one broad handler: log ids, tell the thread
                await report_error(exc, thread=thread, client=client)
