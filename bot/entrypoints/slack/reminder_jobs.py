"""The follow-up check-in, run on the worker: schedule it in the thread (keeping the
session until after it), and cancel it."""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.entrypoints.slack.blocks import render_notice
from bot.entrypoints.slack.client import refused, slack_error_code
from bot.entrypoints.slack.poster import ThreadPoster
from bot.entrypoints.slack.reminder import (
    ANSWER_WINDOW_SECONDS,
    WEEK_SECONDS,
    render_check_in,
    render_reminder_cancelled,
    render_reminder_set,
)
from bot.interview.replies import Decision, Notice
from bot.interview.session import SessionKey
from bot.ports import SessionStore
from bot.service import EXPIRED_TEXT, InterviewService

# Slack's answer when a scheduled message was already sent or deleted.
GONE_SCHEDULE_ERRORS = frozenset({"invalid_scheduled_message_id", "message_not_found"})


async def schedule_check_in(
    client: AsyncWebClient,
    service: InterviewService,
    store: SessionStore,
    *,
    key: SessionKey,
    weeks: int | None,
    user_id: str | None,
    now: float,
) -> None:
    """Schedule the check-in `weeks` from `now` in the thread, and say so with a Cancel button."""
    poster = ThreadPoster(client)
    outcome = await service.current(key)
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


async def cancel_check_in(
    client: AsyncWebClient,
    *,
    key: SessionKey,
    scheduled_message_id: str,
    message_ts: str,
    user_id: str | None,
) -> None:
    """Delete the scheduled check-in and rewrite the confirmation `message_ts` to say so."""
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
