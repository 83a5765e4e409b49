"""`should-we-finetune serve`: the Slack app over HTTP (uvicorn) or Socket Mode.

This process verifies and acks; a worker process does the interviews (see
`bot.entrypoints.slack.worker`). Both modes stop taking work on SIGTERM/SIGINT
and let the replies under way finish (up to DRAIN_SECONDS) before exiting 0,
so a deploy never drops an answer. Over HTTP, /readyz answers 503 from the first
signal on, while the server still listens (see DrainingServer). The whole stop
takes at most DRAIN_SECONDS + CLOSE_SECONDS (25 s), under the 30 s grace periods
set in deploy/docker-compose.yml and deploy/k8s/deployment.yaml.

If the worker process dies, this one exits non-zero (WORKER_LOST_EXIT_STATUS) so
that the orchestrator restarts the pod: at once in Socket Mode, and over HTTP
after WORKER_LOST_GRACE_SECONDS during which /healthz answers 503 and Slack's
deliveries get 503 (Slack retries them, ideally on another replica).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import threading
import time
from types import FrameType

import uvicorn
from slack_bolt.async_app import AsyncApp

from bot.adapters.logs import configure_logging
from bot.bootstrap import WORKER_RUNTIME, build_store
from bot.entrypoints.http.app import CLOSE_SECONDS, DRAIN_SECONDS, build_server_app
from bot.entrypoints.slack.app import build_slack_app
from bot.entrypoints.slack.client import pooled_slack_connections
from bot.entrypoints.slack.socket_mode import CheckedSocketModeHandler
from bot.entrypoints.slack.worker_process import ProcessWorker
from bot.errors import ConfigurationError
from bot.settings import HELP, Settings

log = logging.getLogger(__name__)

# The container's port must be reachable from outside it.
LISTEN_HOST = "0.0.0.0"  # noqa: S104 - a server binds every interface by design
# A server allocates many short-lived objects per delivery; the default thresholds run
# full collections often enough to stall acks by tens of milliseconds.
GC_THRESHOLDS = (50_000, 50, 100)
WORKER_LOST_EXIT_STATUS = 70  # EX_SOFTWARE: an internal error, not a clean stop
# Long enough for a liveness probe or load balancer to see the 503s, short enough that
# a container runtime without probes (docker compose's restart policy) restarts soon.
WORKER_LOST_GRACE_SECONDS = 3.0
WORKER_WATCH_SECONDS = 0.25


def tune_garbage_collector() -> None:
    """Move start-up objects out of the collector's way and collect young objects less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def run_serve(settings: Settings, *, socket_mode: bool, port: int | None) -> int:
    """Run until SIGTERM/SIGINT; 0 on a clean stop."""
    return serve(settings, socket_mode=socket_mode, port=port, runtime=WORKER_RUNTIME)


def serve(settings: Settings, *, socket_mode: bool, port: int | None, runtime: str) -> int:
    """`run_serve` with the worker's runtime named (the benchmark swaps in a fake Claude)."""
    configure_logging(settings)  # before Bolt is built: it copies log levels then
    if socket_mode and settings.slack_app_token is None:
        raise ConfigurationError(
            f"SLACK_APP_TOKEN is not set: Socket Mode needs an {HELP['SLACK_APP_TOKEN']}."
        )
    # The worker process builds its own store and interview service; this one is for readiness.
    worker = ProcessWorker(settings, store=build_store(settings), runtime=runtime)
    if socket_mode:
        assert settings.slack_app_token is not None
        app = build_slack_app(settings, worker=worker, socket_mode=True)
        tune_garbage_collector()
        return asyncio.run(
            _run_socket_mode(
                app, app_token=settings.slack_app_token.get_secret_value(), worker=worker
            )
        )
    http_app = build_server_app(settings, worker=worker)
    tune_garbage_collector()
    listen_port = port or settings.port
    log.info("serving HTTP", extra={"port": listen_port})
    config = uvicorn.Config(
        http_app,
        host=LISTEN_HOST,
        port=listen_port,
        log_config=None,  # our JSON logging is already configured
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=int(CLOSE_SECONDS),
    )
    server = DrainingServer(config, worker=worker)
    threading.Thread(
        target=_stop_when_lost, args=(worker, server), name="swf-worker-watch", daemon=True
    ).start()
    server.run()
    return WORKER_LOST_EXIT_STATUS if worker.lost.is_set() else 0


class DrainingServer(uvicorn.Server):
    """uvicorn, stopping the way an orchestrator expects (docs/operating.md, "Shutdown").

    On the first SIGTERM/SIGINT it keeps listening: /readyz answers 503 at once (so the
    load balancer stops sending work) and deliveries get 503 (Slack retries them on
    another replica), while the worker finishes the replies under way, for DRAIN_SECONDS
    at most. Then uvicorn closes (CLOSE_SECONDS at most) and the process exits 0: the
    stop was clean, so no signal is re-raised. A second signal stops at once.
    """

    def __init__(self, config: uvicorn.Config, *, worker: ProcessWorker) -> None:
        super().__init__(config)
        self._worker = worker
        self._draining = False

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self._draining:
            self.force_exit = True
            self.should_exit = True
            return
        self._draining = True
        log.info("shutdown: draining", extra={"signal": signal.Signals(sig).name})
        self._worker.stop_accepting()
        threading.Thread(target=self._drain_then_exit, name="swf-drain", daemon=True).start()

    def _drain_then_exit(self) -> None:
        self._worker.drain_blocking(drain_seconds=DRAIN_SECONDS)
        self.should_exit = True


def _stop_when_lost(worker: ProcessWorker, server: uvicorn.Server) -> None:
    """Stop the HTTP server a little after the worker process died (see the module doc)."""
    worker.lost.wait()
    time.sleep(WORKER_LOST_GRACE_SECONDS)
    server.should_exit = True


async def _run_socket_mode(app: AsyncApp, *, app_token: str, worker: ProcessWorker) -> int:
    """Serve until a signal (0) or the worker process dies (WORKER_LOST_EXIT_STATUS)."""
    handler = CheckedSocketModeHandler(app, app_token)
    worker.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with pooled_slack_connections(app.client):
        await handler.connect_async()  # type: ignore[no-untyped-call]  # bolt leaves it untyped
        log.info("connected to Slack over Socket Mode")
        while not stop.is_set() and not worker.lost.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), WORKER_WATCH_SECONDS)
        await handler.disconnect_async()  # type: ignore[no-untyped-call]  # no new deliveries
        unfinished = await worker.stop(drain_seconds=DRAIN_SECONDS)
        log.info("shutdown: in-flight work drained", extra={"unfinished": unfinished})
        await handler.close_async()  # type: ignore[no-untyped-call]  # bolt leaves it untyped
    return WORKER_LOST_EXIT_STATUS if worker.lost.is_set() else 0
