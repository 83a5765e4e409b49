"""Replying in a thread: a placeholder when work is slow, replaced in place; error notices."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.blocks import render_notice, render_reply, render_status
from bot.adapters.slack.errors import slack_error_code
from bot.adapters.slack.poster import ThreadPoster
from bot.errors import BotError
from bot.interview.replies import Notice
from bot.interview.session import SessionKey
from bot.service import Outcome

log = logging.getLogger(__name__)

# Work that finishes sooner is posted directly; slower work (a Claude call) gets
# a placeholder first, updated in place, so something shows within a second.
PLACEHOLDER_AFTER_SECONDS = 0.4
THINKING_TEXT = "Reading that…"
_THINKING = render_status(THINKING_TEXT)  # the same every time: built once


@dataclass
class ReplyThread:
    """Where a job replies: the interview's key once known, and a placeholder to replace."""

    key: SessionKey | None = None
    placeholder_ts: str | None = None
    # The message the reply ended up in (the placeholder, or a new one).
    posted_ts: str | None = None


Work = Callable[[], Awaitable[Outcome | None]]


async def respond(work: Work, *, client: AsyncWebClient, thread: ReplyThread) -> Outcome | None:
    """Run `work` and post its reply in the thread (a placeholder first if it is slow);
    the outcome, so the caller can tell whether anything was applied."""
    assert thread.key is not None
    poster = ThreadPoster(client)
    task = asyncio.ensure_future(work())
    try:
        outcome = await asyncio.wait_for(asyncio.shield(task), PLACEHOLDER_AFTER_SECONDS)
    except TimeoutError:
        thread.placeholder_ts = await poster.post(thread.key, _THINKING)
        outcome = await _result(task)
    except BotError as exc:
        outcome = Outcome(Notice(text=exc.user_message), None)
    if outcome is None:
        return None
    if outcome.private_to is None and not outcome.silent:
        thread.posted_ts = await poster.reply(
            thread.key, render_reply(outcome.reply), replace_ts=thread.placeholder_ts
        )
        return outcome
    if outcome.private_to is not None:
        await _tell_privately(client, thread, outcome)
    if thread.placeholder_ts is not None:  # nothing to say in the thread: take "Reading…" back
        await _delete(client, thread.key, thread.placeholder_ts)
    return outcome


async def _delete(client: AsyncWebClient, key: SessionKey, ts: str) -> None:
    try:
        await client.chat_delete(channel=key.channel_id, ts=ts)
    except SlackApiError as exc:
        log.info("could not remove a placeholder", extra={"error": slack_error_code(exc)})


async def _tell_privately(client: AsyncWebClient, thread: ReplyThread, outcome: Outcome) -> None:
    """An ephemeral reply in the thread, seen only by the user it is meant for."""
    assert thread.key is not None and outcome.private_to is not None
    message = render_reply(outcome.reply)
    try:
        await client.chat_postEphemeral(
            channel=thread.key.channel_id,
            user=outcome.private_to,
            thread_ts=thread.key.thread_ts,
            text=message.text,
            blocks=message.blocks,
        )
    except SlackApiError as exc:
        log.info("could not reply privately", extra={"error": slack_error_code(exc)})


async def _result(task: asyncio.Future[Outcome | None]) -> Outcome | None:
    try:
        return await task
    except BotError as exc:
        return Outcome(Notice(text=exc.user_message), None)


async def report_error(error: Exception, *, thread: ReplyThread, client: AsyncWebClient) -> None:
    """Log with ids (never message text), and tell the thread briefly when there is one."""
    log.error("delivery failed", exc_info=error, extra={"error_type": type(error).__name__})
    if thread.key is None:
        return
    text = error.user_message if isinstance(error, BotError) else BotError.user_message
    try:
        await ThreadPoster(client).reply(
            thread.key, render_notice(Notice(text=text)), replace_ts=thread.placeholder_ts
        )
    except Exception as exc:  # nothing is left to tell; the log has the first error
        log.warning("could not report an error to the thread", extra={"error": repr(exc)})
