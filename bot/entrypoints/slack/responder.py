"""Replying in a thread: a placeholder when work is slow, replaced in place; error notices.

Every reply goes through the thread's Outbox (outbox.py): it is delivered, or kept
and retried, or given up with a log line; a placeholder is always replaced or
deleted. A turn that fails is logged once here, with ids and the error type.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters import metrics
from bot.entrypoints.slack.block_kit import Message
from bot.entrypoints.slack.blocks import render_notice, render_reply, render_status
from bot.entrypoints.slack.outbox import Outbox
from bot.entrypoints.slack.poster import ThreadPoster
from bot.errors import BotError, SlackRefusedError
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
    """Where a job replies: the interview's key once known, a placeholder to replace, and
    the outbox that delivers (None: post directly, as the terminal-free tools do)."""

    key: SessionKey | None = None
    placeholder_ts: str | None = None
    # The message the reply ended up in (the placeholder, or a new one).
    posted_ts: str | None = None
    outbox: Outbox | None = None
    # The placeholder's post timed out: it may be in the thread, unseen; the reply looks.
    placeholder_unsure: bool = False


Work = Callable[[], Awaitable[Outcome | None]]


async def respond(work: Work, *, client: AsyncWebClient, thread: ReplyThread) -> Outcome | None:
    """Run `work` and post its reply in the thread (a placeholder first if it is slow);
    the outcome, so the caller can tell whether anything was applied."""
    assert thread.key is not None
    task = asyncio.ensure_future(work())
    try:
        outcome = await asyncio.wait_for(asyncio.shield(task), PLACEHOLDER_AFTER_SECONDS)
    except TimeoutError:
        if thread.placeholder_ts is None:
            await _post_placeholder(client, thread)
        outcome = await _result(task)
    except BotError as exc:
        outcome = _failed_turn(exc)
    if outcome is None:
        return None
    if outcome.private_to is None and not outcome.silent:
        await send_reply(client, thread, render_reply(outcome.reply))
        return outcome
    if outcome.private_to is not None:
        await _tell_privately(client, thread, outcome)
    # Nothing to say in the thread: take "Reading that…" back.
    await dismiss_placeholder(client, thread)
    return outcome


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
    except (SlackApiError, TimeoutError, aiohttp.ClientError, OSError) as exc:
        log.info("could not reply privately", extra={"error_type": type(exc).__name__})


async def send_reply(client: AsyncWebClient, thread: ReplyThread, message: Message) -> None:
    """Deliver `message` in the thread, replacing its placeholder if it has one; records the
    message it ended up in (`thread.posted_ts`, None while it waits for a retry)."""
    assert thread.key is not None
    replace_ts, thread.placeholder_ts = thread.placeholder_ts, None  # handed over
    unsure, thread.placeholder_unsure = thread.placeholder_unsure, False
    if thread.outbox is None:
        thread.posted_ts = await ThreadPoster(client).reply(
            thread.key, message, replace_ts=replace_ts
        )
        return
    thread.posted_ts = await thread.outbox.send(
        client,
        thread.key,
        message,
        replace_ts=replace_ts,
        placeholder_text=THINKING_TEXT if unsure else None,
    )


async def dismiss_placeholder(client: AsyncWebClient, thread: ReplyThread) -> None:
    """Delete the placeholder when no reply will replace it (best effort)."""
    if thread.key is None or thread.placeholder_ts is None:
        return
    ts, thread.placeholder_ts = thread.placeholder_ts, None
    try:
        await client.chat_delete(channel=thread.key.channel_id, ts=ts)
    except (SlackApiError, TimeoutError, aiohttp.ClientError, OSError) as exc:
        log.warning("could not delete a placeholder", extra={"error_type": type(exc).__name__})


async def _post_placeholder(client: AsyncWebClient, thread: ReplyThread) -> None:
    """Show "Reading that…"; if Slack will not, the reply is simply posted when ready."""
    assert thread.key is not None
    try:
        thread.placeholder_ts = await ThreadPoster(client).post(thread.key, _THINKING)
    except SlackRefusedError as exc:
        log.info("no placeholder: slack refused it", extra={"error": exc.code})
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        thread.placeholder_unsure = isinstance(exc, TimeoutError)
        log.info("no placeholder: slack unreachable", extra={"error_type": type(exc).__name__})


async def _result(task: asyncio.Future[Outcome | None]) -> Outcome | None:
    try:
        return await task
    except BotError as exc:
        return _failed_turn(exc)


def _failed_turn(error: BotError) -> Outcome:
    """A turn that failed on purpose (store down, thread busy): logged once, told plainly."""
    metrics.TURN_FAILURES.labels(error_type=type(error).__name__).inc()
    log.warning("turn failed", extra={"error_type": type(error).__name__})
    return Outcome(Notice(text=error.user_message), None)


async def report_error(error: Exception, *, thread: ReplyThread, client: AsyncWebClient) -> None:
    """Log with ids (never message text), and tell the thread briefly when there is one."""
    metrics.TURN_FAILURES.labels(error_type=type(error).__name__).inc()
    log.error("delivery failed", exc_info=error, extra={"error_type": type(error).__name__})
    if thread.key is None:
        return
    text = error.user_message if isinstance(error, BotError) else BotError.user_message
    try:
        await send_reply(client, thread, render_notice(Notice(text=text)))
    except Exception as exc:  # nothing is left to tell; the log has the first error
        log.warning("could not report an error to the thread", extra={"error": repr(exc)})
