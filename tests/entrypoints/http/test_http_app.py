"""The HTTP routes through a real uvicorn server: health, readiness, metrics, signatures."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator

import pytest

from bot.adapters.store.memory import MemorySessionStore
from bot.adapters.store.redis import RedisSessionStore
from tests.support.slack_requests import STALE_SECONDS, event_body, mention, signed_headers
from tests.support.slack_server import KeyValueExtractor, RunningBot, free_port, running_bot


@pytest.fixture
async def bot() -> AsyncIterator[RunningBot]:
    async with running_bot(
        store=MemorySessionStore(ttl_seconds=3600), extractor=KeyValueExtractor()
    ) as running:
        yield running


async def test_healthz_says_ok(bot: RunningBot) -> None:
    """GET /healthz answers 200 while the process is up."""
    async with bot.http.get(bot.base_url + "/healthz") as response:
        assert response.status == 200
        assert await response.text() == "ok"


async def test_readyz_is_ready_with_a_reachable_store(bot: RunningBot) -> None:
    """GET /readyz answers 200 when the store answers and Slack settings are present."""
    async with bot.http.get(bot.base_url + "/readyz") as response:
        assert response.status == 200
        assert (await response.json())["ready"] is True


async def test_readyz_names_an_unreachable_store() -> None:
    """GET /readyz answers 503 naming the session store when Redis is down."""
    dead = RedisSessionStore.from_url(
        f"redis://127.0.0.1:{free_port()}/0", ttl_seconds=60, key_prefix="swf-dead"
    )
    async with running_bot(store=dead, extractor=KeyValueExtractor()) as bot:
        status, body = await _get_json(bot, "/readyz")
    assert status == 503
    assert any("session store" in problem for problem in body["problems"])


async def test_metrics_are_prometheus_text(bot: RunningBot) -> None:
    """GET /metrics exposes the bot's counters in Prometheus text format."""
    await bot.sender.event(mention("hello"))
    async with bot.http.get(bot.base_url + "/metrics") as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        text = await response.text()
    assert "swf_slack_ack_latency_seconds_bucket" in text
    assert "swf_slack_events_received_total" in text


async def test_forged_signature_is_rejected_without_slack_calls(bot: RunningBot) -> None:
    """A request signed with the wrong secret gets 401 and the bot calls no Slack API."""
    status, _ = await bot.sender.send(event_body(mention("hi")), secret="not-the-secret")
    await bot.settled()
    assert status == 401
    assert bot.slack.calls == []


async def test_stale_signature_is_rejected_without_slack_calls(bot: RunningBot) -> None:
    """A correctly signed request older than five minutes gets 401 (replay protection)."""
    stale = int(time.time()) - STALE_SECONDS
    status, _ = await bot.sender.send(event_body(mention("hi")), timestamp=stale)
    await bot.settled()
    assert status == 401
    assert bot.slack.calls == []


async def test_url_verification_echoes_the_challenge(bot: RunningBot) -> None:
    """Slack's URL verification handshake gets its challenge back."""
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"})
    status, text = await bot.sender.send(body)
    assert status == 200
    assert "abc123" in text


async def _get_json(bot: RunningBot, path: str) -> tuple[int, dict[str, object]]:
    async with bot.http.get(bot.base_url + path) as response:
        return response.status, await response.json()


MALFORMED = [
    ("application/json", "garbage"),
    ("application/json", "[1,2]"),
    ("application/x-www-form-urlencoded", "payload=%7Bbad"),
    ("text/plain", "hello there"),
]
MALFORMED_IDS = ["bad-json", "json-list", "bad-payload-form", "text-plain"]


async def _post_raw(
    bot: RunningBot, body: str, *, content_type: str, signed: bool
) -> tuple[int, str]:
    headers = (
        signed_headers(body, content_type=content_type)
        if signed
        else {"Content-Type": content_type}
    )
    async with bot.http.post(bot.sender.url, data=body.encode(), headers=headers) as response:
        return response.status, await response.text()


@pytest.mark.parametrize(("content_type", "body"), MALFORMED, ids=MALFORMED_IDS)
async def test_signed_malformed_body_is_a_400_with_a_warning_and_no_traceback(
    bot: RunningBot, caplog: pytest.LogCaptureFixture, content_type: str, body: str
) -> None:
    """A correctly signed body that is not a Slack payload gets a short 400 and one WARNING
    line without the body; the keep-alive connection still serves the next request."""
    with caplog.at_level(logging.INFO):
        status, text = await _post_raw(bot, body, content_type=content_type, signed=True)
    assert status == 400
    assert len(text) < 40
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert body not in warning.getMessage() and body not in json.dumps(
        warning.__dict__, default=str
    )
    async with bot.http.get(bot.base_url + "/healthz") as response:
        assert response.status == 200
    assert bot.slack.calls == []


@pytest.mark.parametrize(("content_type", "body"), MALFORMED, ids=MALFORMED_IDS)
async def test_unsigned_malformed_body_is_a_401_before_any_parsing(
    bot: RunningBot, caplog: pytest.LogCaptureFixture, content_type: str, body: str
) -> None:
    """An unsigned request is refused with 401 whatever its body, and logs nothing above INFO."""
    with caplog.at_level(logging.INFO):
        status, _ = await _post_raw(bot, body, content_type=content_type, signed=False)
    assert status == 401
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert bot.slack.calls == []
