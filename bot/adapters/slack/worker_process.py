"""The worker process `serve` uses: deliveries go through a pipe to a child process with
its own interviewer, store and Slack client, so acks never wait for the work.

The child is spawned (a fresh interpreter), built by a runtime function named by a
dotted path, reports readiness and its metrics over a second pipe, ignores
SIGINT/SIGTERM (the parent decides when to stop) and runs niced.

If the child dies while work is being taken, `lost` is set: `alive` turns False
(so /healthz answers 503 and new deliveries get a 5xx that Slack retries),
`submit` raises, deliveries that could no longer be sent are logged with their
ids, and `serve` exits non-zero so the orchestrator restarts it.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection

from bot.adapters.metrics import render_metrics
from bot.adapters.slack.client import build_web_client, pooled_slack_connections
from bot.adapters.slack.deliveries import Delivery, delivery_log_ids
from bot.adapters.slack.errors import WorkerUnavailableError
from bot.adapters.slack.handlers import DeliveryHandler
from bot.ports import SessionStore
from bot.service import Interviewer
from bot.settings import Settings

log = logging.getLogger(__name__)

# Builds the child's interviewer and store from settings: "package.module:function".
DEFAULT_RUNTIME = "bot.adapters.slack.worker_process:build_runtime"
Runtime = Callable[[Settings], tuple[Interviewer, SessionStore]]
# Spawning a fresh interpreter and importing the app takes a second or two.
CHILD_START_TIMEOUT_SECONDS = 30.0
READY_POLL_SECONDS = 0.1
METRICS_PUSH_SECONDS = 0.25
WORKER_NICENESS = 5
# After a drain that ran out of time, how long the child gets to die on SIGTERM.
CHILD_STOP_SECONDS = 2.0


class ProcessWorker:
    """Runs deliveries in a child process built by `runtime` (a picklable dotted path)."""

    def __init__(
        self, settings: Settings, *, store: SessionStore, runtime: str = DEFAULT_RUNTIME
    ) -> None:
        self._settings = settings
        self._store = store  # this process's own connection, for readiness checks only
        self._runtime = runtime
        context = multiprocessing.get_context("spawn")
        self._receiver, self._sender = context.Pipe(duplex=False)
        self._status, self._status_sender = context.Pipe(duplex=False)
        self._ready = threading.Event()
        self._metrics: bytes | None = None
        self._process = context.Process(
            target=_child_main,
            args=(settings, runtime, self._receiver, self._status_sender),
            name="swf-worker",
            daemon=True,
        )
        # The acking loop never writes to the pipe itself (a full pipe would block it):
        # a thread takes deliveries from this queue and sends them.
        self._outbox: queue.SimpleQueue[Delivery | None] = queue.SimpleQueue()
        self._pump = threading.Thread(target=self._send_all, name="swf-worker-pipe", daemon=True)
        self._accepting = True
        self._stopping = threading.Lock()
        self._stop_sent = False
        # Set when the child exits while work is still being taken (a crash, a kill).
        self.lost = threading.Event()

    @property
    def accepting(self) -> bool:
        return self._accepting

    @property
    def alive(self) -> bool:
        return self._process.is_alive() and not self.lost.is_set()

    @property
    def pid(self) -> int | None:
        """The child's process id (for operators, and tests that kill it)."""
        return self._process.pid

    def start(self) -> None:
        """Start the child and wait until it can take work (so /healthz means ready to work)."""
        self._process.start()
        # The child holds these ends now; closing ours lets a dead child read as EOF.
        self._receiver.close()
        self._status_sender.close()
        self._pump.start()
        threading.Thread(target=self._read_status, name="swf-worker-status", daemon=True).start()
        deadline = time.monotonic() + CHILD_START_TIMEOUT_SECONDS
        while not self._ready.wait(READY_POLL_SECONDS):
            if not self._process.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the worker process did not start; see its log lines above")

    def _read_status(self) -> None:
        while True:
            try:
                kind, payload = self._status.recv()
            except (EOFError, OSError):  # the child is gone (its end of the pipe closed)
                if self._accepting:
                    self.lost.set()
                    log.error(
                        "the worker process died; this process will exit so it is restarted",
                        extra={"exit_code": self._exit_code()},
                    )
                return
            if kind == "ready":
                self._ready.set()
            elif kind == "metrics":
                self._metrics = payload

    def metrics(self) -> bytes | None:
        return self._metrics

    def _exit_code(self) -> int | None:
        self._process.join(timeout=1.0)  # the pipe closes just before the process is reaped
        return self._process.exitcode

    def _send_all(self) -> None:
        broken = False
        while (delivery := self._outbox.get()) is not None:
            if not broken:
                try:
                    self._sender.send(delivery)
                    continue
                except OSError:  # BrokenPipeError: the child died
                    broken = True
                    self.lost.set()
            # Already acked, and nobody left to do it: say which one, so it can be traced.
            log.error(
                "delivery dropped: the worker process is gone", extra=delivery_log_ids(delivery)
            )
        if not broken:
            with contextlib.suppress(OSError):
                self._sender.send(None)  # after everything already sent: the child drains
        self._sender.close()

    def stop_accepting(self) -> None:
        self._accepting = False

    def drain_blocking(self, *, drain_seconds: float) -> int:
        """Stop taking work and wait (blocking) for the child to finish what it has, for
        `drain_seconds` at most, then stop it; the number of children left unfinished (0/1).
        Safe to call more than once."""
        self._accepting = False
        with self._stopping:
            if not self._stop_sent:
                self._stop_sent = True
                self._outbox.put(None)
        if self._process.pid is None:
            return 0  # never started
        self._process.join(drain_seconds)
        unfinished = int(self._process.is_alive())
        if unfinished:
            self._process.terminate()
            self._process.join(CHILD_STOP_SECONDS)
        return unfinished

    def submit(self, delivery: Delivery) -> None:
        if not self.alive:
            log.error(
                "delivery refused: the worker process is not running",
                extra=delivery_log_ids(delivery),
            )
            raise WorkerUnavailableError("the worker process is not running")
        if not self._accepting:
            raise WorkerUnavailableError("shutting down")  # a 5xx: Slack retries it elsewhere
        self._outbox.put(delivery)

    async def ping(self) -> None:
        if not self._process.is_alive():
            raise RuntimeError("the worker process is not running")
        await self._store.ping()

    async def stop(self, *, drain_seconds: float) -> int:
        unfinished = await asyncio.to_thread(self.drain_blocking, drain_seconds=drain_seconds)
        await self._store.aclose()
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
        await handler.outbox.aclose()
        pusher.cancel()
        status.send(("metrics", render_metrics()))  # the final counts
        await interviewer.aclose()
        await store.aclose()
