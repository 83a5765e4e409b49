"""The work behind the Home tab, *New decision* and the follow-up check-in, run on the worker.

Like `handlers.DeliveryHandler`, each delivery is claimed once in the store (events on
their id, clicks on the button and message) and every failure ends as a log line with
ids and, where there is a thread, a short notice in it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters import metrics
from bot.adapters.logs import bind_log_context
from bot.adapters.slack.assistant import AssistantJobs
from bot.adapters.slack.blocks import render_notice
from bot.adapters.slack.deliveries import Delivery, Kind
from bot.adapters.slack.errors import SlackRefusedError, refused, slack_error_code
from bot.adapters.slack.home import (
    render_dm_root,
    render_home,
    render_new_decision_modal,
    split_home_entries,
    submitted_use_case,
)
from bot.adapters.slack.ids import action_session_key
from bot.adapters.slack.poster import ThreadPoster
from bot.adapters.slack.reminder import (
    ANSWER_WINDOW_SECONDS,
    WEEK_SECONDS,
    render_check_in,
    render_reminder_cancelled,
    render_reminder_set,
    weeks_of,
)
from bot.adapters.slack.responder import ReplyThread, report_error, respond
from bot.adapters.store_format import HISTORY_MAX_ENTRIES
from bot.interview.replies import Decision, Notice
from bot.interview.session import SessionKey
from bot.ports import HistoryEntry, SessionStore
from bot.service import EXPIRED_TEXT, Interviewer, Outcome

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
# Slack's answer when a scheduled message was already sent or deleted.
GONE_SCHEDULE_ERRORS = frozenset({"invalid_scheduled_message_id", "message_not_found"})
# The channels a person is in, for the Home tab: one page is plenty for "recent".
USER_CHANNELS_PAGE = 200

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
        interviewer: Interviewer,
        store: SessionStore,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._interviewer = interviewer
        self._store = store
        self._clock = clock
        self._assistant = AssistantJobs(interviewer=interviewer)

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
            job = self._home_job(body)
            await self._run(job, client, team_id=team_id, claim=body.get("event_id"))
        elif kind is Kind.NEW_DECISION:
            job = self._open_new_decision_job(str(body.get("trigger_id") or ""))
            await self._run(job, client, team_id=team_id)
        elif kind is Kind.NEW_DECISION_SUBMITTED:
            view = body.get("view") or {}
            claim = f"view:{view.get('id')}:{view.get('hash')}"
            job = self._new_decision_job(team_id, _user_id(body), submitted_use_case(view))
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
                job = self._remind_job(clicked, body)
                claim = f"remind:{clicked.channel_id}:{message_ts}"
            else:
                job = self._cancel_job(clicked, body)
                claim = f"cancel:{clicked.channel_id}:{_action(body).get('value')}"
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

    # -- the Home tab ------------------------------------------------------------------

    def _home_job(self, body: dict[str, Any]) -> Job:
        store = self._store
        team_id = _team_id(body)
        user_id = str((body.get("event") or {}).get("user") or "")

        async def job(client: AsyncWebClient, thread: ReplyThread) -> None:
            # One store read (the team's recent decisions) beside one Slack read (the
            # person's channels); the split between the two lists is done here.
            entries, channel_ids = await asyncio.gather(
                store.history(team_id=team_id, limit=HISTORY_MAX_ENTRIES),
                _user_channels(client, user_id),
            )
            mine, others = split_home_entries(entries, user_id=user_id, channel_ids=channel_ids)
            shown = [*mine, *others]
            permalinks = await asyncio.gather(*(_permalink(client, entry) for entry in shown))
            links = {e.key: link for e, link in zip(shown, permalinks, strict=True) if link}
            view = render_home(mine=mine, in_channels=others, links=links)
            try:
                await client.views_publish(user_id=user_id, view=view)
            except SlackApiError as exc:
                raise refused(exc) from exc

        return job

    # -- New decision ------------------------------------------------------------------

    def _open_new_decision_job(self, trigger_id: str) -> Job:
        async def job(client: AsyncWebClient, thread: ReplyThread) -> None:
            try:
                await client.views_open(trigger_id=trigger_id, view=render_new_decision_modal())
            except SlackApiError as exc:
                raise refused(exc) from exc

        return job

    def _new_decision_job(self, team_id: str, user_id: str | None, use_case: str) -> Job:
        interviewer = self._interviewer

        async def job(client: AsyncWebClient, thread: ReplyThread) -> None:
            try:
                opened: Any = await client.conversations_open(users=user_id)
                channel_id = str(opened["channel"]["id"])
                text, blocks = render_dm_root(use_case)
                posted: Any = await client.chat_postMessage(
                    channel=channel_id,
                    text=text,
                    blocks=blocks,
                    unfurl_links=False,
                    unfurl_media=False,
                )
            except SlackApiError as exc:
                raise refused(exc) from exc
            key = SessionKey(team_id=team_id, channel_id=channel_id, thread_ts=str(posted["ts"]))
            thread.key = key

            async def work() -> Outcome | None:
                return await interviewer.start(key, user_id=user_id, text=use_case)

            await respond(work, client=client, thread=thread)

        return job

    # -- the follow-up check-in --------------------------------------------------------

    def _remind_job(self, key: SessionKey, body: dict[str, Any]) -> Job:
        interviewer = self._interviewer
        store = self._store
        weeks = weeks_of(_action(body))
        user_id = _user_id(body)
        now = self._clock()

        async def job(client: AsyncWebClient, thread: ReplyThread) -> None:
            poster = ThreadPoster(client)
            outcome = await interviewer.current(key)
            if weeks is None or outcome is None or not isinstance(outcome.reply, Decision):
                await poster.post(key, render_notice(Notice(text=EXPIRED_TEXT)))
                return
            post_at = int(now) + weeks * WEEK_SECONDS
            check_in = render_check_in(
                user_id=user_id,
                rec=outcome.reply.recommendation,
                use_case=outcome.reply.requirements.use_case,
            )
            try:
                scheduled: Any = await client.chat_scheduleMessage(
                    channel=key.channel_id,
                    thread_ts=key.thread_ts,
                    post_at=post_at,
                    text=check_in.text,
                    blocks=check_in.blocks,
                )
            except SlackApiError as exc:
                raise refused(exc) from exc
            # The session must still be there when the team answers the check-in.
            await store.keep(key, seconds=post_at - int(now) + ANSWER_WINDOW_SECONDS)
            confirmation = render_reminder_set(
                post_at=post_at,
                scheduled_message_id=str(scheduled["scheduled_message_id"]),
                user_id=user_id,
            )
            await poster.post(key, confirmation)

        return job

    def _cancel_job(self, key: SessionKey, body: dict[str, Any]) -> Job:
        scheduled_message_id = str(_action(body).get("value") or "")
        message_ts = str((body.get("message") or {}).get("ts") or "")
        user_id = _user_id(body)

        async def job(client: AsyncWebClient, thread: ReplyThread) -> None:
            already_gone = False
            try:
                await client.chat_deleteScheduledMessage(
                    channel=key.channel_id, scheduled_message_id=scheduled_message_id
                )
            except SlackApiError as exc:
                if slack_error_code(exc) not in GONE_SCHEDULE_ERRORS:
                    raise refused(exc) from exc
                already_gone = True
            cancelled = render_reminder_cancelled(user_id=user_id, already_gone=already_gone)
            if message_ts:
                await ThreadPoster(client).replace(key, message_ts, cancelled)
            else:
                await ThreadPoster(client).post(key, cancelled)

        return job


async def _user_channels(client: AsyncWebClient, user_id: str) -> set[str]:
    """The channels the person is in (public and private), or none when Slack will not say."""
    try:
        response: Any = await client.users_conversations(
            user=user_id,
            types="public_channel,private_channel",
            exclude_archived=True,
            limit=USER_CHANNELS_PAGE,
        )
    except SlackApiError as exc:
        log.info("no channel list for the Home tab", extra={"error": slack_error_code(exc)})
        return set()
    return {str(channel["id"]) for channel in response.get("channels") or []}


async def _permalink(client: AsyncWebClient, entry: HistoryEntry) -> str | None:
    """A link to the entry's thread, or None when Slack will not give one."""
    try:
        response: Any = await client.chat_getPermalink(
            channel=entry.key.channel_id, message_ts=entry.key.thread_ts
        )
    except SlackApiError as exc:
        log.info("no permalink for a Home entry", extra={"error": slack_error_code(exc)})
        return None
    return str(response["permalink"])
