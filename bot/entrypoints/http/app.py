"""The HTTP server's routes: Slack deliveries, health, readiness and metrics (docs/design.md §6)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from prometheus_client import CONTENT_TYPE_LATEST
from slack_bolt.adapter.starlette.async_handler import to_starlette_response
from slack_bolt.async_app import AsyncApp, AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.adapters.metrics import ACK_LATENCY_SECONDS, render_metrics
from bot.entrypoints.http.body_limit import read_capped_body
from bot.entrypoints.slack.app import build_slack_app
from bot.entrypoints.slack.client import pooled_slack_connections
from bot.entrypoints.slack.installs import close_installations, oauth_routes
from bot.entrypoints.slack.payload_shape import shape_problem
from bot.entrypoints.slack.worker import Worker
from bot.entrypoints.slack.worker_metrics import merge_expositions
from bot.errors import BodyTooLargeError, BotError, ConfigurationError
from bot.settings import HELP, Settings

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
READY_CHECK_SECONDS = 2.0
# How long a shutdown waits for replies under way (Claude calls included), then how long
# uvicorn may take to close. Together (25 s) they stay under the orchestrators' 30 s grace
# (compose stop_grace_period, k8s terminationGracePeriodSeconds).
DRAIN_SECONDS = 20.0
CLOSE_SECONDS = 5.0
# What Slack sends to the events URL: events as JSON, commands and interactivity as forms.
SLACK_CONTENT_TYPES = frozenset({"application/json", "application/x-www-form-urlencoded"})


def _signature_valid(verifier: SignatureVerifier, request: Request, body: bytes) -> bool:
    try:
        return verifier.is_valid(
            body,
            request.headers.get("x-slack-request-timestamp"),
            request.headers.get("x-slack-signature"),
        )
    except (ValueError, UnicodeDecodeError):  # a timestamp that is not a number, bytes not UTF-8
        return False


def _bolt_request(request: Request, body: bytes) -> AsyncBoltRequest | None:
    """Bolt's view of a signed delivery, or None when the body is not a Slack payload."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in SLACK_CONTENT_TYPES:
        return None
    try:
        parsed = AsyncBoltRequest(
            body=body.decode("utf-8"),
            query=request.query_params,  # type: ignore[arg-type]  # a Mapping is what it reads
            headers=request.headers,  # type: ignore[arg-type]
        )
    # Bolt parses the body and reads ids out of it while building the request; whatever
    # it trips on (bad JSON, a list, a string where an object belongs) is the sender's fault.
    except Exception:
        return None
    return parsed if isinstance(parsed.body, dict) else None


def build_http_app(
    *,
    slack_app: AsyncApp,
    settings: Settings,
    worker: Worker,
    drain_seconds: float = DRAIN_SECONDS,
) -> Starlette:
    """Routes over a built Bolt app. The lifespan starts the worker; on shutdown (after
    uvicorn stops taking requests) it lets the work under way finish.

    Deliveries are checked before Bolt sees them: the size first (413, read with a cap,
    see body_limit), then the signature (401, nothing parsed), then that the worker is
    alive (503, so Slack retries rather than an ack for work nobody will do), then that
    the body is a Slack payload of the shape the app reads (400 and one warning; see
    payload_shape)."""
    secret = settings.slack_signing_secret
    if secret is None:
        raise ConfigurationError(
            f"SLACK_SIGNING_SECRET is not set: set it to the {HELP['SLACK_SIGNING_SECRET']}."
        )
    verifier = SignatureVerifier(secret.get_secret_value())

    async def slack_events(request: Request) -> Response:
        started = time.perf_counter()
        try:
            body = await read_capped_body(request)
        except BodyTooLargeError:
            log.warning("oversize delivery refused with 413")
            return PlainTextResponse("request body too large", status_code=413)
        if not _signature_valid(verifier, request, body):
            return PlainTextResponse("invalid signature", status_code=401)
        if not worker.alive:
            log.error("delivery refused with 503: the worker is not running")
            return PlainTextResponse("worker not running", status_code=503)
        if not worker.accepting:  # draining for a shutdown: Slack retries it elsewhere
            log.info("delivery refused with 503: shutting down")
            return PlainTextResponse("shutting down", status_code=503)
        bolt_request = _well_formed(request, body)
        if bolt_request is None:
            return PlainTextResponse("malformed request", status_code=400)
        response = to_starlette_response(await slack_app.async_dispatch(bolt_request))
        ACK_LATENCY_SECONDS.observe(time.perf_counter() - started)
        return response

    async def healthz(request: Request) -> Response:
        if not worker.alive:
            return PlainTextResponse("worker process: not running", status_code=503)
        return PlainTextResponse("ok")

    async def readyz(request: Request) -> Response:
        problems = _config_problems(settings)
        if not worker.accepting:
            problems.append("shutting down")
        if not worker.alive:
            problems.append("worker process: not running")
        else:
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
                await close_installations(slack_app)

    return Starlette(
        routes=[
            Route(EVENTS_PATH, slack_events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
            *oauth_routes(slack_app),
        ],
        lifespan=lifespan,
    )


def _well_formed(request: Request, body: bytes) -> AsyncBoltRequest | None:
    """The delivery as Bolt reads it, or None (logged once, no values) when it is not a
    Slack payload of the shape the app reads (see payload_shape)."""
    bolt_request = _bolt_request(request, body)
    problem = "not a Slack payload" if bolt_request is None else shape_problem(bolt_request.body)
    if bolt_request is None or problem is not None:
        log.warning(
            "malformed Slack delivery refused",
            extra={
                "problem": problem,
                "content_type": request.headers.get("content-type", "")[:60],
                "body_bytes": len(body),
            },
        )
        return None
    return bolt_request


def _config_problems(settings: Settings) -> list[str]:
    missing = []
    if settings.slack_bot_token is None and not settings.is_many_workspace:
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
