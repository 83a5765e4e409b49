"""Where the work behind each command runs, away from the loop that acks.

Acks are cheap but the work is not (planning, rendering, Slack calls): on one
loop, a steady 200 deliveries/s queue the acks behind the work and Slack sees
them late. Two workers take `Command` values (commands.py):

- `ThreadWorker`: a second event loop on a thread in this process. The GIL is
  still shared, so acks wait up to a switch interval; used by the tests, which
  hand in their own store and extractor objects.
- `ProcessWorker` (what `serve` uses, in `worker_process`): a child process
  with its own service, store and Slack client, fed through a pipe; acks
  then never wait for the work.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Protocol

from bot.bootstrap import build_dispatcher
from bot.entrypoints.slack.client import (
    SLACK_TIMEOUT_SECONDS,
    build_web_client,
    pooled_slack_connections,
)
from bot.entrypoints.slack.commands import Command
from bot.entrypoints.slack.inflight import InFlight
from bot.errors import WorkerUnavailableError
from bot.ports import SessionStore
from bot.service import InterviewService
from bot.settings import Settings

log = logging.getLogger(__name__)

START_TIMEOUT_SECONDS = 10.0


class Worker(Protocol):
    @property
    def accepting(self) -> bool: ...

    @property
    def alive(self) -> bool:
        """True while the work can run (the worker thread or process is up)."""
        ...

    def start(self) -> None: ...

    def stop_accepting(self) -> None:
        """A shutdown began: take no more work (readiness and deliveries answer 503)."""
        ...

    def submit(self, command: Command) -> None:
        """Hand over a command (from the acking loop; returns at once). Raises
        WorkerUnavailableError when the worker is not running, so it is not acked."""
        ...

    async def ping(self) -> None:
        """Raise StoreUnavailableError (or TimeoutError) if the work cannot be done now."""
        ...

    async def stop(self, *, drain_seconds: float) -> int:
        """Take no more work, let what is under way finish; the number left unfinished."""
        ...

    def metrics(self) -> bytes | None:
        """The worker's own Prometheus exposition when it counts in another process."""
        ...


class ThreadWorker:
    """Runs commands on a dedicated thread and loop, with a Slack client of that loop."""

    def __init__(
        self,
        settings: Settings,
        *,
        service: InterviewService,
        store: SessionStore,
        slack_timeout_seconds: int = SLACK_TIMEOUT_SECONDS,
    ) -> None:
        self._settings = settings
        self._slack_timeout_seconds = slack_timeout_seconds
        self._store = store
        self._service = service
        self._dispatcher = build_dispatcher(settings, service=service, store=store)
        self.outbox = self._dispatcher.outbox  # tests wait on its retries
        self.inflight = InFlight()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stop = asyncio.Event()  # binds to the worker loop on first use

    @property
    def accepting(self) -> bool:
        return self.inflight.accepting

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop_accepting(self) -> None:
        self.inflight.accepting = False

    def start(self) -> None:
        ready = threading.Event()
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
        self._client = build_web_client(self._settings, timeout_seconds=self._slack_timeout_seconds)
        async with pooled_slack_connections(self._client):
            ready.set()
            await self._stop.wait()
            await self._dispatcher.outbox.aclose()
            await self._service.aclose()
            await self._store.aclose()
            await self._dispatcher.aclose()

    def submit(self, command: Command) -> None:
        if self._loop is None or not self.alive:
            raise WorkerUnavailableError("the worker thread is not running")
        work = self._dispatcher.handle(command, self._client)
        self.inflight.add(asyncio.run_coroutine_threadsafe(work, self._loop))

    async def ping(self) -> None:
        if self._loop is None:
            raise RuntimeError("the worker is not started")
        # The store's connections belong to the worker loop, so it pings there.
        await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(self._store.ping(), self._loop))

    def metrics(self) -> bytes | None:
        return None  # same process, same registry

    async def stop(self, *, drain_seconds: float) -> int:
        unfinished = await self.inflight.drain(timeout_seconds=drain_seconds)
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
            await asyncio.to_thread(self._thread.join, START_TIMEOUT_SECONDS)
        return unfinished
