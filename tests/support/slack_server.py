"""The bot's real HTTP stack (Starlette + Bolt under uvicorn) on a free local port,
talking to a fake Slack, for end-to-end tests."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
import uvicorn

from bot.adapters.metrics import PrometheusInterviewEvents
from bot.adapters.prompts import load_question_bank
from bot.domain.pricing import load_pricing
from bot.domain.recommendation import ScalarFact
from bot.domain.requirements import FIELD_NAMES, Requirements
from bot.entrypoints.http.app import build_server_app
from bot.entrypoints.slack.inflight import InFlight
from bot.entrypoints.slack.outbox import Outbox
from bot.entrypoints.slack.worker import ThreadWorker
from bot.interview.conversation import Interview
from bot.interview.extraction import Extraction
from bot.ports import Extractor, SessionStore
from bot.service import InterviewService
from bot.settings import Settings
from tests.support.fake_slack import FakeSlack, start_fake_slack
from tests.support.slack_requests import BOT_TOKEN, SIGNING_SECRET, SlackSender


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningBot:
    slack: FakeSlack
    sender: SlackSender
    base_url: str
    http: aiohttp.ClientSession
    inflight: InFlight
    outbox: Outbox

    async def settled(self, timeout_seconds: float = 5.0) -> None:
        """Wait until every job handed to the worker has finished (the timeout is a guard)."""
        deadline = asyncio.get_running_loop().time() + timeout_seconds
        while asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.01)
            if not len(self.inflight):
                # Bolt runs listeners just after the ack; give them a moment to hand over.
                await asyncio.sleep(0.03)
                if not len(self.inflight):
                    return
        raise AssertionError("listener work did not finish")


def key_value_service(store: SessionStore, extractor: Extractor) -> InterviewService:
    """An InterviewService over `store` and `extractor` with the real question bank and prices."""
    return InterviewService(
        events=PrometheusInterviewEvents(),
        store=store,
        extractor=extractor,
        interview=Interview(bank=load_question_bank(), pricing=load_pricing()),
    )


def bot_settings(slack: FakeSlack, **overrides: object) -> Settings:
    return Settings.model_validate(
        {
            "slack_bot_token": BOT_TOKEN,
            "slack_signing_secret": SIGNING_SECRET,
            "slack_api_url": slack.base_url + "/api/",
            **overrides,
        }
    )


@asynccontextmanager
async def running_bot(
    *, store: SessionStore, extractor: Extractor, slack_timeout_seconds: int | None = None
) -> AsyncIterator[RunningBot]:
    """The bot served on 127.0.0.1 with `store` and `extractor`, and a fake Slack beside it."""
    slack, slack_runner = await start_fake_slack()
    settings = bot_settings(slack)
    service = key_value_service(store, extractor)
    options = (
        {} if slack_timeout_seconds is None else {"slack_timeout_seconds": slack_timeout_seconds}
    )
    worker = ThreadWorker(settings, service=service, store=store, **options)
    inflight = worker.inflight
    try:
        async with (
            serving(build_server_app(settings, worker=worker, drain_seconds=5)) as base_url,
            aiohttp.ClientSession() as http,
        ):
            sender = SlackSender(url=base_url + "/slack/events", session=http)
            yield RunningBot(slack, sender, base_url, http, inflight, worker.outbox)
    finally:
        await slack_runner.cleanup()


@asynccontextmanager
async def serving(app: Any) -> AsyncIterator[str]:
    """The bot's HTTP app under a real uvicorn on a free local port; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=port, log_config=None, access_log=False, lifespan="on"
        )
    )
    running = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if running.done():
                running.result()
            await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await running


class KeyValueExtractor:
    """A predictable Extractor for adapter tests: reads `field=value` pairs (JSON values).

    `delay_seconds` stands in for a Claude call's latency; `error` makes every call fail.
    """

    def __init__(self, *, delay_seconds: float = 0.0, error: Exception | None = None) -> None:
        self.delay_seconds = delay_seconds
        self.error = error
        self.calls = 0

    async def aclose(self) -> None:
        """Nothing to release."""

    async def extract(self, *, text: str, known: Requirements, asked: Sequence[str]) -> Extraction:
        self.calls += 1
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        if self.error is not None:
            raise self.error
        facts: dict[str, ScalarFact] = {}
        for word in text.split():
            name, sep, raw = word.partition("=")
            if not sep or name not in FIELD_NAMES:
                continue
            try:
                facts[name] = json.loads(raw)
            except ValueError:
                facts[name] = raw
        return Extraction(facts=facts, source="offline")


def key_value_runtime(settings: Settings) -> tuple[InterviewService, SessionStore]:
    """A worker-process runtime for tests: the KeyValueExtractor and an in-memory store."""
    from bot.adapters.store.memory import MemorySessionStore  # noqa: PLC0415 - child only

    store = MemorySessionStore(ttl_seconds=3600)
    service = InterviewService(
        events=PrometheusInterviewEvents(),
        store=store,
        extractor=KeyValueExtractor(),
        interview=Interview(bank=load_question_bank(), pricing=load_pricing()),
    )
    return service, store
