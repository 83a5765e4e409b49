"""Running one unit of interview work and leaving exactly one reply in its thread."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from slack_bolt.async_app import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters import metrics
from bot.adapters.slack.blocks import render_reply, render_status
from bot.adapters.slack.inflight import InFlight
from bot.adapters.slack.poster import ThreadPoster
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
# Where the placeholder's ts is kept for the error handler to reuse.
REPLY_TS_KEY = "swf_reply_ts"


class Responder:
    """Runs one unit of interview work and leaves exactly one reply in the thread."""

    def __init__(self, *, store: SessionStore, inflight: InFlight) -> None:
        self.store = store
        self.inflight = inflight

    async def claim(self, *, team_id: str, delivery_id: str | None) -> bool:
        """True the first time a delivery is seen; Slack retries and duplicates give False."""
        if not delivery_id:
            return True
        if await self.store.claim(team_id=team_id, delivery_id=delivery_id):
            return True
        metrics.DELIVERIES_DEDUPLICATED.inc()
        log.info("duplicate delivery dropped", extra={"delivery_id": delivery_id})
        return False

    async def respond(
        self,
        key: SessionKey,
        work: Callable[[], Awaitable[Outcome | None]],
        *,
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        """Run `work` and post its reply in the thread (a placeholder first if it is slow)."""
        poster = ThreadPoster(client)
        task = asyncio.ensure_future(work())
        try:
            outcome = await asyncio.wait_for(asyncio.shield(task), PLACEHOLDER_AFTER_SECONDS)
        except TimeoutError:
            context[REPLY_TS_KEY] = await poster.post(key, render_status(THINKING_TEXT))
            outcome = await self._result(task)
        except BotError as exc:
            outcome = Outcome(Notice(text=exc.user_message), None)
        if outcome is None:
            return
        await poster.reply(key, render_reply(outcome.reply), replace_ts=context.get(REPLY_TS_KEY))

    @staticmethod
    async def _result(task: asyncio.Future[Outcome | None]) -> Outcome | None:
        try:
            return await task
        except BotError as exc:
            return Outcome(Notice(text=exc.user_message), None)
