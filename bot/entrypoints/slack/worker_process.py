"""The worker process `serve` uses: commands go through a pipe to a child process with
its own service, store and Slack client, so acks never wait for the work.

The child is spawned (a fresh interpreter), built by a runtime function named by a
dotted path, reports readiness and its metrics over a second pipe, ignores
SIGINT/SIGTERM (the parent decides when to stop) and runs niced.

If the child dies while work is being taken, a new child is started at once and
the commands the dead one had not finished are replayed to it, so no reply is
lost. If children keep dying (a crash loop), `lost` is set: `alive` turns False
(so /healthz answers 503 and new deliveries get a 5xx that Slack retries),
`submit` raises, and `serve` exits non-zero so the orchestrator restarts it.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import importlib
import itertools
import logging
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.metrics import render_metrics
from bot.bootstrap import WORKER_RUNTIME, build_dispatcher
from bot.entrypoints.slack.client import build_web_client, pooled_slack_connections
from bot.entrypoints.slack.commands import Command, log_ids
from bot.entrypoints.slack.dispatch import Dispatcher
from bot.errors import WorkerUnavailableError
from bot.ports import SessionStore
from bot.service import InterviewService
from bot.settings import Settings

log = logging.getLogger(__name__)

# Builds the child's service and store from settings, named "package.module:function"
# (bot.bootstrap.WORKER_RUNTIME in production).
Runtime = Callable[[Settings], tuple[InterviewService, SessionStore]]
# Spawning a fresh interpreter and importing the app takes a second or two.
CHILD_START_TIMEOUT_SECONDS = 30.0
READY_POLL_SECONDS = 0.1
METRICS_PUSH_SECONDS = 0.25
WORKER_NICENESS = 5
# After a drain that ran out of time, how long the child gets to die on SIGTERM.
CHILD_STOP_SECONDS = 2.0
# A child that dies is replaced at once, unless it keeps dying (a crash loop): then serve
# exits so the orchestrator restarts the whole pod.
MAX_RESTARTS = 3
# Within the parent's drain (DRAIN_SECONDS), how long pending replies may still be retried.
OUTBOX_DRAIN_SECONDS = 10.0
RESTART_WINDOW_SECONDS = 60.0


class ProcessWorker:
    """Runs commands in a child process built by `runtime` (a picklable dotted path).

    Every command handed over is numbered and kept until the child reports it done. If
    the child dies while work is being taken, a new one is started and the commands it
    had not finished are replayed to it (in order, marked as replays so the de-duplication
    claim the dead child made does not drop them). A child that keeps dying (more than
    MAX_RESTARTS within RESTART_WINDOW_SECONDS), or one that cannot start, sets `lost`.
    """

    def __init__(
        self, settings: Settings, *, store: SessionStore, runtime: str = WORKER_RUNTIME
    ) -> None:
        self._settings = settings
        self._store = store  # this process's own connection, for readiness checks only
        self._runtime = runtime
        self._context = multiprocessing.get_context("spawn")
        self._child: _Child | None = None
        self._generation = 0
        self._restarts: list[float] = []
        # Commands handed over and not reported done, by number; and those to replay.
        self._unfinished: dict[int, Command] = {}
        self._replays: set[int] = set()
        self._sent: dict[int, int] = {}  # number -> the child generation it was sent to
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()
        self._metrics: bytes | None = None
        # The acking loop never writes to the pipe itself (a full pipe would block it):
        # a thread takes command numbers from this queue and sends them.
        self._outbox: queue.SimpleQueue[int | None] = queue.SimpleQueue()
        self._pump = threading.Thread(target=self._send_all, name="swf-worker-pipe", daemon=True)
        self._accepting = True
        self._stop_sent = False
        # Set when the work can no longer be done here (children keep dying): serve exits.
        self.lost = threading.Event()

    @property
    def accepting(self) -> bool:
        return self._accepting

    @property
    def alive(self) -> bool:
        return not self.lost.is_set() and self._child is not None

    @property
    def pid(self) -> int | None:
        """The current child's process id (for operators, and tests that kill it)."""
        return self._child.process.pid if self._child is not None else None

    def start(self) -> None:
        """Start the child and wait until it can take work (so /healthz means ready to work)."""
        child = self._spawn()
        self._pump.start()
        if not child.wait_ready():
            raise RuntimeError("the worker process did not start; see its log lines above")

    def _spawn(self) -> _Child:
        receiver, sender = self._context.Pipe(duplex=False)
        status, status_sender = self._context.Pipe(duplex=False)
        process = self._context.Process(
            target=_child_main,
            args=(self._settings, self._runtime, receiver, status_sender),
            name="swf-worker",
            daemon=True,
        )
        process.start()
        # The child holds these ends now; closing ours lets a dead child read as EOF.
        receiver.close()
        status_sender.close()
        child = _Child(process=process, sender=sender, status=status)
        with self._lock:
            self._generation += 1
            child.generation = self._generation
            self._child = child
        threading.Thread(
            target=self._read_status, args=(child,), name="swf-worker-status", daemon=True
        ).start()
        return child

    def _read_status(self, child: _Child) -> None:
        while True:
            try:
                kind, payload = child.status.recv()
            except (EOFError, OSError):  # the child is gone (its end of the pipe closed)
                child.gone.set()
                if self._accepting:
                    self._restart_after_death(child)
                return
            if kind == "ready":
                child.ready.set()
            elif kind == "done":
                with self._lock:
                    self._unfinished.pop(payload, None)
                    self._replays.discard(payload)
                    self._sent.pop(payload, None)
            elif kind == "metrics":
                self._metrics = payload

    def _restart_after_death(self, dead: _Child) -> None:
        now = time.monotonic()
        self._restarts = [at for at in self._restarts if now - at < RESTART_WINDOW_SECONDS]
        with self._lock:
            unfinished = sorted(self._unfinished)
        if len(self._restarts) >= MAX_RESTARTS:
            self.lost.set()
            log.error(
                "the worker process keeps dying; this process will exit so it is restarted",
                extra={"exit_code": dead.exit_code(), "unfinished": len(unfinished)},
            )
            return
        self._restarts.append(now)
        log.error(
            "the worker process died; starting a new one and replaying its unfinished work",
            extra={"exit_code": dead.exit_code(), "unfinished": len(unfinished)},
        )
        child = self._spawn()
        if not child.wait_ready():
            self.lost.set()
            log.error("a new worker process did not start; this process will exit")
            return
        with self._lock:
            self._replays.update(unfinished)
        for number in unfinished:
            self._outbox.put(number)

    def metrics(self) -> bytes | None:
        return self._metrics

    def _send_all(self) -> None:
        while (number := self._outbox.get()) is not None:
            with self._lock:
                command = self._unfinished.get(number)
                child = self._child
                if command is None or child is None or self._sent.get(number) == child.generation:
                    continue  # done already, or this child has it
                self._sent[number] = child.generation
                replay = number in self._replays
            item = (number, dataclasses.replace(command, replay=True) if replay else command)
            try:
                child.sender.send(item)
            except OSError:  # BrokenPipeError: the child died; its restart replays this one
                log.info("command kept for the next worker process", extra=log_ids(command))
        child = self._child
        if child is not None:
            with contextlib.suppress(OSError):
                child.sender.send(None)  # after everything already sent: the child drains
            child.sender.close()

    def submit(self, command: Command) -> None:
        if not self.alive:
            log.error(
                "delivery refused: the worker process is not running",
                extra=log_ids(command),
            )
            raise WorkerUnavailableError("the worker process is not running")
        if not self._accepting:
            raise WorkerUnavailableError("shutting down")  # a 5xx: Slack retries it elsewhere
        number = next(self._numbers)
        with self._lock:
            self._unfinished[number] = command
        self._outbox.put(number)

    def stop_accepting(self) -> None:
        self._accepting = False

    def drain_blocking(self, *, drain_seconds: float) -> int:
        """Stop taking work and wait (blocking) for the child to finish what it has, for
        `drain_seconds` at most, then stop it; the number of children left unfinished (0/1).
        Safe to call more than once."""
        self._accepting = False
        with self._lock:
            first = not self._stop_sent
            self._stop_sent = True
        if first:
            self._outbox.put(None)
        child = self._child
        if child is None:
            return 0  # never started
        child.process.join(drain_seconds)
        unfinished = int(child.process.is_alive())
        if unfinished:
            child.process.terminate()
            child.process.join(CHILD_STOP_SECONDS)
        return unfinished

    async def ping(self) -> None:
        if self._child is None or not self._child.process.is_alive():
            raise RuntimeError("the worker process is not running")
        await self._store.ping()

    async def stop(self, *, drain_seconds: float) -> int:
        unfinished = await asyncio.to_thread(self.drain_blocking, drain_seconds=drain_seconds)
        await self._store.aclose()
        return unfinished


@dataclasses.dataclass
class _Child:
    """One worker process and the parent's ends of its two pipes."""

    process: multiprocessing.process.BaseProcess
    sender: Connection
    status: Connection
    generation: int = 0
    ready: threading.Event = dataclasses.field(default_factory=threading.Event)
    gone: threading.Event = dataclasses.field(default_factory=threading.Event)

    def wait_ready(self) -> bool:
        deadline = time.monotonic() + CHILD_START_TIMEOUT_SECONDS
        while not self.ready.wait(READY_POLL_SECONDS):
            if self.gone.is_set() or time.monotonic() > deadline:
                return False
        return True

    def exit_code(self) -> int | None:
        self.process.join(timeout=1.0)  # the pipe closes just before the process is reaped
        return self.process.exitcode


def _load_runtime(path: str) -> Runtime:
    module_name, _, function = path.partition(":")
    runtime: Runtime = getattr(importlib.import_module(module_name), function)
    return runtime


def _child_main(settings: Settings, runtime: str, commands: Connection, status: Connection) -> None:
    # The parent decides when to stop (it drains, then sends None); a Ctrl+C sent to
    # the whole process group must not kill the work under way.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # When CPU is short, acks (parent) matter more than work that already takes a second.
    os.nice(WORKER_NICENESS)
    from bot.adapters.logs import configure_logging  # noqa: PLC0415 - child only

    configure_logging(settings)
    asyncio.run(_child_loop(settings, _load_runtime(runtime), commands, status))


def _receive(commands: Connection) -> tuple[int, Command] | None:
    """The next numbered command; None when the parent says stop (or is gone)."""
    try:
        item: tuple[int, Command] | None = commands.recv()
    except EOFError:
        return None
    return item


async def _push_metrics(status: Connection) -> None:
    """Send this process's metrics to the parent now and then, for its /metrics."""
    while True:
        status.send(("metrics", render_metrics()))
        await asyncio.sleep(METRICS_PUSH_SECONDS)


async def _handle_and_report(
    dispatcher: Dispatcher,
    command: Command,
    client: AsyncWebClient,
    number: int,
    status: Connection,
) -> None:
    await dispatcher.handle(command, client)
    status.send(("done", number))  # the parent forgets it: no replay if this child dies


async def _child_loop(
    settings: Settings, runtime: Runtime, commands: Connection, status: Connection
) -> None:
    service, store = runtime(settings)
    dispatcher = build_dispatcher(settings, service=service, store=store)
    client = build_web_client(settings)
    loop = asyncio.get_running_loop()
    running: set[asyncio.Task[None]] = set()
    async with pooled_slack_connections(client):
        status.send(("ready", None))
        pusher = asyncio.create_task(_push_metrics(status))
        while (item := await loop.run_in_executor(None, _receive, commands)) is not None:
            number, command = item
            task = asyncio.create_task(
                _handle_and_report(dispatcher, command, client, number, status)
            )
            running.add(task)
            task.add_done_callback(running.discard)
        if running:
            await asyncio.wait(running)
        # Replies Slack has not taken yet get the rest of the drain to go out; what is still
        # pending after that stays in the store for the thread's next turn.
        await dispatcher.outbox.settled(OUTBOX_DRAIN_SECONDS)
        await dispatcher.outbox.aclose()
        pusher.cancel()
        with contextlib.suppress(OSError):  # the parent may be gone (killed): nobody to tell
            status.send(("metrics", render_metrics()))  # the final counts
        await service.aclose()
        await store.aclose()
        await dispatcher.aclose()
