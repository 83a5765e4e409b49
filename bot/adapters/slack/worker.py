"""Where the work behind each delivery runs, away from the loop that acks.

Acks are cheap but the work is not (planning, rendering, Slack calls): on one
loop, a steady 200 deliveries/s queue the acks behind the work and Slack sees
them late. Two workers take `Delivery` values:

- `ThreadWorker`: a second event loop on a thread in this process. The GIL is
  still shared, so acks wait up to a switch interval; used by the tests, which
  hand in their own store and extractor objects.
- `ProcessWorker` (what `serve` uses): a child process with its own
  interviewer, store and Slack client, fed through a queue; acks then never
  wait for the work.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import multiprocessing
import os
import queue
import signal
import threading
from collections.abc import Awaitable, Callable
from multiprocessing.connection import Connection
from typing import Protocol

from bot.adapters.metrics import render_metrics
from bot.adapters.slack.client import build_web_client, pooled_slack_connections
from bot.adapters.slack.deliveries import Delivery
from bot.adapters.slack.handlers import DeliveryHandler
from bot.adapters.slack.inflight import InFlight
from bot.ports import SessionStore
from bot.service import Interviewer
from bot.settings import Settings

log = logging.getLogger(__name__)

START_TIMEOUT_SECONDS = 10.0
# Spawning a fresh interpreter and importing the app takes a second or two.
CHILD_START_TIMEOUT_SECONDS = 30.0
METRICS_PUSH_SECONDS = 0.25
WORKER_NICENESS = 5
# Builds the child's interviewer and store from settings: "package.module:function".
DEFAULT_RUNTIME = "bot.adapters.slack.worker:build_runtime"
Runtime = Callable[[Settings], tuple[Interviewer, SessionStore]]


class Worker(Protocol):
    @property
    def accepting(self) -> bool: ...

    def start(self) -> None: ...

    def submit(self, delivery: Delivery) -> None:
        """Hand over a delivery (from the acking loop; returns at once)."""
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


def close_store(store: SessionStore) -> Callable[[], Awaitable[None]] | None:
    """The store's `aclose`, if it has one (the port does not require it)."""
    close = getattr(store, "aclose", None)
    return close if callable(close) else None


class ThreadWorker:
    """Runs deliveries on a dedicated thread and loop, with a Slack client of that loop."""

    def __init__(
        self, settings: Settings, *, interviewer: Interviewer, store: SessionStore
    ) -> None:
        self._settings = settings
        self._store = store
        self._handler = DeliveryHandler(interviewer=interviewer, store=store)
        self.inflight = InFlight()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stop = asyncio.Event()  # binds to the worker loop on first use

    @property
    def accepting(self) -> bool:
        return self.inflight.accepting

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
        self._client = build_web_client(self._settings)
        async with pooled_slack_connections(self._client):
            ready.set()
            await self._stop.wait()
            close = close_store(self._store)
            if close is not None:
                await close()

    def submit(self, delivery: Delivery) -> None:
        if self._loop is None:
            raise RuntimeError("the worker is not started")
        work = self._handler.handle(delivery, self._client)
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


class ProcessWorker:
    """Runs deliveries in a child process built by `runtime` (a picklable dotted path)."""

    def __init__(
        self, settings: Settings, *, store: SessionStore, runtime: str = DEFAULT_RUNTIME
    ) -> None:
        self._settings = settings
        self._store = store  # this process's own connection, for readiness checks only
        self._runtime = runtime
        context = multiprocessing.get_context("spawn")
        receiver, self._sender = context.Pipe(duplex=False)
        self._status, status_sender = context.Pipe(duplex=False)
        self._ready = threading.Event()
        self._metrics: bytes | None = None
        self._process = context.Process(
            target=_child_main,
            args=(settings, runtime, receiver, status_sender),
            name="swf-worker",
            daemon=True,
        )
        # The acking loop never writes to the pipe itself (a full pipe would block it):
        # a thread takes deliveries from this queue and sends them.
        self._outbox: queue.SimpleQueue[Delivery | None] = queue.SimpleQueue()
        self._pump = threading.Thread(target=self._send_all, name="swf-worker-pipe", daemon=True)
        self._accepting = True

    @property
    def accepting(self) -> bool:
        return self._accepting

    def start(self) -> None:
        """Start the child and wait until it can take work (so /healthz means ready to work)."""
        self._process.start()
        self._pump.start()
        threading.Thread(target=self._read_status, name="swf-worker-status", daemon=True).start()
        if not self._ready.wait(CHILD_START_TIMEOUT_SECONDS):
            raise RuntimeError("the worker process did not start; see its log lines above")

    def _read_status(self) -> None:
        while True:
            try:
                kind, payload = self._status.recv()
            except (EOFError, OSError):
                return
            if kind == "ready":
                self._ready.set()
            elif kind == "metrics":
                self._metrics = payload

    def metrics(self) -> bytes | None:
        return self._metrics

    def _send_all(self) -> None:
        while (delivery := self._outbox.get()) is not None:
            self._sender.send(delivery)
        self._sender.send(None)  # after everything already sent: the child drains and exits
        self._sender.close()

    def submit(self, delivery: Delivery) -> None:
        if self._accepting:
            self._outbox.put(delivery)

    async def ping(self) -> None:
        if not self._process.is_alive():
            raise RuntimeError("the worker process is not running")
        await self._store.ping()

    async def stop(self, *, drain_seconds: float) -> int:
        self._accepting = False
        self._outbox.put(None)
        await asyncio.to_thread(self._process.join, drain_seconds + START_TIMEOUT_SECONDS)
        unfinished = int(self._process.is_alive())
        if unfinished:
            self._process.terminate()
        close = close_store(self._store)
        if close is not None:
            await close()
        return unfinished


def build_runtime(settings: Settings) -> tuple[Interviewer, SessionStore]:
    """The production runtime: the store and interviewer the settings call for."""
    from bot.bootstrap import build_interviewer, build_store  # noqa: PLC0415 - child only

    store = build_store(settings)
    return build_interviewer(settings, store=store), store


def _load_runtime(path: str) -> Runtime:
    module_name, _, function = path.partition(":")
    runtime: Runtime = getattr(importlib.import_module(module_name), function)
    return runtime


def _child_main(
    settings: Settings, runtime: str, deliveries: Connection, status: Connection
) -> None:
    # The parent decides when to stop (it drains, then sends None); a Ctrl+C sent to
    # the whole process group must not kill the work under way.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # When CPU is short, acks (parent) matter more than work that already takes a second.
    os.nice(WORKER_NICENESS)
    from bot.adapters.logs import configure_logging  # noqa: PLC0415 - child only

    configure_logging(settings)
    asyncio.run(_child_loop(settings, _load_runtime(runtime), deliveries, status))


def _receive(deliveries: Connection) -> Delivery | None:
    """The next delivery; None when the parent says stop (or is gone)."""
    try:
        item: Delivery | None = deliveries.recv()
    except EOFError:
        return None
    return item


async def _push_metrics(status: Connection) -> None:
    """Send this process's metrics to the parent now and then, for its /metrics."""
    while True:
        status.send(("metrics", render_metrics()))
        await asyncio.sleep(METRICS_PUSH_SECONDS)


async def _child_loop(
    settings: Settings, runtime: Runtime, deliveries: Connection, status: Connection
) -> None:
    interviewer, store = runtime(settings)
    handler = DeliveryHandler(interviewer=interviewer, store=store)
    client = build_web_client(settings)
    loop = asyncio.get_running_loop()
    running: set[asyncio.Task[None]] = set()
    async with pooled_slack_connections(client):
        status.send(("ready", None))
        pusher = asyncio.create_task(_push_metrics(status))
        while (delivery := await loop.run_in_executor(None, _receive, deliveries)) is not None:
            task = asyncio.create_task(handler.handle(delivery, client))
            running.add(task)
            task.add_done_callback(running.discard)
        if running:
            await asyncio.wait(running)
        pusher.cancel()
        status.send(("metrics", render_metrics()))  # the final counts
        close = close_store(store)
        if close is not None:
            await close()
