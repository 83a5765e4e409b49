"""A second event loop, on its own thread, for the interview work behind each Slack delivery.

Acks are cheap but the work is not (planning, rendering, Slack calls): on one
loop, a steady 200 deliveries/s queue the acks behind the work and Slack sees
them late. With the work here, the server loop only verifies, acks and hands
over, and the GIL's switch interval bounds how long an ack waits.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import Awaitable, Callable
from typing import TypeVar

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.client import build_web_client, pooled_slack_connections
from bot.adapters.slack.inflight import InFlight
from bot.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")
Job = Callable[[AsyncWebClient], Awaitable[None]]
# A shorter GIL switch interval lets the acking thread in sooner while work runs.
SWITCH_INTERVAL_SECONDS = 0.001
START_TIMEOUT_SECONDS = 10.0


class Worker:
    """Runs jobs on a dedicated thread and loop, each with a Slack client of that loop."""

    def __init__(self, settings: Settings, *, inflight: InFlight | None = None) -> None:
        self._settings = settings
        self.inflight = inflight if inflight is not None else InFlight()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._client: AsyncWebClient | None = None
        self._stop = asyncio.Event()  # binds to the worker loop on first use

    def start(self) -> None:
        ready = threading.Event()
        sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
        self._thread = threading.Thread(
            target=self._run, args=(ready,), name="swf-worker", daemon=True
        )
        self._thread.start()
        if not ready.wait(START_TIMEOUT_SECONDS):
            raise RuntimeError("the worker loop did not start")

    def _run(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        loop.run_until_complete(self._serve(ready))
        loop.close()

    async def _serve(self, ready: threading.Event) -> None:
        self._client = build_web_client(self._settings)
        async with pooled_slack_connections(self._client):
            ready.set()
            await self._stop.wait()

    def submit(self, job: Job) -> None:
        """Run `job` on the worker (callable from any thread; returns at once)."""
        if self._loop is None:
            raise RuntimeError("the worker is not started")
        future = asyncio.run_coroutine_threadsafe(self._guarded(job), self._loop)
        self.inflight.add(future)

    async def _guarded(self, job: Job) -> None:
        assert self._client is not None
        try:
            await job(self._client)
        except Exception:  # a job reports its own errors; this keeps the loop alive regardless
            log.exception("worker job failed")

    async def call(self, make: Callable[[], Awaitable[T]]) -> T:
        """Await `make()` on the worker loop from another loop (for objects bound to it)."""
        if self._loop is None:
            raise RuntimeError("the worker is not started")

        async def run() -> T:
            return await make()

        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(run(), self._loop))

    async def stop(
        self, *, drain_seconds: float, close: Callable[[], Awaitable[None]] | None = None
    ) -> int:
        """Let the jobs under way finish (up to `drain_seconds`), run `close` on the worker
        loop (for resources bound to it, like the store's connections), then end the thread."""
        unfinished = await self.inflight.drain(timeout_seconds=drain_seconds)
        if close is not None and self._loop is not None:
            await self.call(close)
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
            await asyncio.to_thread(self._thread.join, START_TIMEOUT_SECONDS)
        return unfinished
