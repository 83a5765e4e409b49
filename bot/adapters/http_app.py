"""The HTTP server's routes: Slack deliveries, health, readiness and metrics (DESIGN.md §6)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from prometheus_client import CONTENT_TYPE_LATEST
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.adapters.metrics import ACK_LATENCY_SECONDS, render_metrics
from bot.adapters.slack.app import build_slack_app
from bot.adapters.slack.client import pooled_slack_connections
from bot.adapters.slack.worker import Worker
from bot.adapters.slack.worker_metrics import merge_expositions
from bot.errors import BotError
from bot.settings import Settings

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
READY_CHECK_SECONDS = 2.0
# How long a shutdown waits for replies under way (Claude calls included).
DRAIN_SECONDS = 25.0


def build_http_app(
    *,
    slack_app: AsyncApp,
    settings: Settings,
    worker: Worker,
    drain_seconds: float = DRAIN_SECONDS,
) -> Starlette:
    """Routes over a built Bolt app. The lifespan starts the worker; on shutdown (after
    uvicorn stops taking requests) it lets the work under way finish."""
    handler = AsyncSlackRequestHandler(slack_app)

    async def slack_events(request: Request) -> Response:
        started = time.perf_counter()
        response = await handler.handle(request)
        ACK_LATENCY_SECONDS.observe(time.perf_counter() - started)
        return response

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def readyz(request: Request) -> Response:
        problems = _config_problems(settings)
        if not worker.accepting:
            problems.append("shutting down")
        try:
            async with asyncio.timeout(READY_CHECK_SECONDS):
                await worker.ping()
        except (BotError, TimeoutError, RuntimeError) as exc:
            problems.append(f"session store: {type(exc).__name__}")
        status = 503 if problems else 200
        return JSONResponse({"ready": not problems, "problems": problems}, status_code=status)

    async def metrics(request: Request) -> Response:
        own = render_metrics()
        workers = worker.metrics()
        text = own if workers is None else merge_expositions(own, workers)
        return Response(text, media_type=CONTENT_TYPE_LATEST)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        worker.start()
        async with pooled_slack_connections(slack_app.client):
            try:
                yield
            finally:
                unfinished = await worker.stop(drain_seconds=drain_seconds)
                log.info("shutdown: in-flight work drained", extra={"unfinished": unfinished})

    return Starlette(
        routes=[
            Route(EVENTS_PATH, slack_events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
        ],
        lifespan=lifespan,
    )


def _config_problems(settings: Settings) -> list[str]:
    missing = []
    if settings.slack_bot_token is None:
        missing.append("SLACK_BOT_TOKEN is not set")
    if settings.slack_signing_secret is None:
        missing.append("SLACK_SIGNING_SECRET is not set")
    return missing


def build_server_app(
    settings: Settings, *, worker: Worker, drain_seconds: float = DRAIN_SECONDS
) -> Starlette:
    """The whole HTTP app (Slack routes, health, metrics) handing work to `worker`."""
    return build_http_app(
        slack_app=build_slack_app(settings, worker=worker),
        settings=settings,
        worker=worker,
        drain_seconds=drain_seconds,
    )
