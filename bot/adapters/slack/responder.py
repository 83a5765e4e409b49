"""Interview work for one delivery, run on the worker, leaving exactly one reply in the thread."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters import metrics
from bot.adapters.logs import bind_log_context
from bot.adapters.slack.blocks import render_notice, render_reply, render_status
from bot.adapters.slack.errors import SlackRefusedError
from bot.adapters.slack.poster import ThreadPoster
from bot.adapters.slack.worker import Worker
from bot.errors import BotError
from bot.interview.replies import Notice
from bot.interview.session import SessionKey
from bot.ports import SessionStore
from bot.service import Outcome

log = logging.getLogger(__name__)

# Work that finishes sooner is posted directly; slower work (a Claude call) gets
# a placeholder first, updated in place, so something shows within a second.
PLACEHOLDER_AFTER_SECONDS = 0.4
THINKING_TEXT = "Reading that…"
_THINKING = render_status(THINKING_TEXT)  # the same every time: built once


@dataclass
class Thread:
    """Where a job replies: the interview's key once known, and a placeholder to replace."""

    key: SessionKey | None = None
    placeholder_ts: str | None = None


Work = Callable[[], Awaitable[Outcome | None]]
ThreadJob = Callable[[AsyncWebClient, Thread], Awaitable[None]]


class Responder:
    """Hands delivery work to the worker, with de-duplication and one error path."""

    def __init__(self, *, store: SessionStore, worker: Worker) -> None:
        self.store = store
        self.worker = worker

    def submit(
        self,
        job: ThreadJob,
        *,
        key: SessionKey | None,
        team_id: str,
        delivery_id: str | None = None,
    ) -> None:
        """Run `job` on the worker unless this delivery was seen before; report its errors."""

        async def run(client: AsyncWebClient) -> None:
            thread = Thread(key=key)
            ids = key.model_dump() if key else {"team_id": team_id}
            with bind_log_context(**ids, request_id=delivery_id):
                try:
                    if not await self._claim(team_id=team_id, delivery_id=delivery_id):
                        return
                    await job(client, thread)
                except SlackRefusedError as exc:
                    log.warning("slack refused a call", extra={"error": exc.code})
                except Exception as exc:  # the one broad handler: log ids, tell the thread
                    await report_error(exc, thread=thread, client=client)

        self.worker.submit(run)

    def submit_reply(self, key: SessionKey, work: Work, *, delivery_id: str | None = None) -> None:
        """Run `work` for the thread `key` and post its reply there."""

        async def job(client: AsyncWebClient, thread: Thread) -> None:
            await respond(work, client=client, thread=thread)

        self.submit(job, key=key, team_id=key.team_id, delivery_id=delivery_id)

    async def _claim(self, *, team_id: str, delivery_id: str | None) -> bool:
        """True the first time a delivery is seen; Slack retries and duplicates give False."""
        if not delivery_id:
            return True
        if await self.store.claim(team_id=team_id, delivery_id=delivery_id):
            return True
        metrics.DELIVERIES_DEDUPLICATED.inc()
        log.info("duplicate delivery dropped", extra={"delivery_id": delivery_id})
        return False


async def respond(work: Work, *, client: AsyncWebClient, thread: Thread) -> None:
    """Run `work` and post its reply in the thread (a placeholder first if it is slow)."""
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
        return
    await poster.reply(thread.key, render_reply(outcome.reply), replace_ts=thread.placeholder_ts)


async def _result(task: asyncio.Future[Outcome | None]) -> Outcome | None:
    try:
        return await task
    except BotError as exc:
        return Outcome(Notice(text=exc.user_message), None)


async def report_error(error: Exception, *, thread: Thread, client: AsyncWebClient) -> None:
    """Log with ids (never message text), and tell the thread briefly when there is one."""
    log.error("delivery failed", exc_info=error, extra={"error_type": type(error).__name__})
    if thread.key is None:
        return
    text = error.user_message if isinstance(error, BotError) else BotError.user_message
    try:
        await ThreadPoster(client).reply(
            thread.key, render_notice(Notice(text=text)), replace_ts=thread.placeholder_ts
        )
    except SlackRefusedError as exc:
        log.warning("could not report an error to the thread", extra={"error": exc.code})
