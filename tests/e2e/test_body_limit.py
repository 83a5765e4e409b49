"""Request bodies are read with a cap before any parsing: oversize deliveries get 413."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.adapters.store.memory import MemorySessionStore
from bot.entrypoints.http.body_limit import MAX_BODY_BYTES
from tests.support.fake_slack import start_fake_slack
from tests.support.serve_process import BOT_TOKEN, SIGNING_SECRET, start_serve
from tests.support.slack_requests import mention
from tests.support.slack_server import KeyValueExtractor, RunningBot, running_bot

MIB = 1024 * 1024
POD_MEMORY_LIMIT_BYTES = 384 * MIB  # deploy/k8s/deployment.yaml: limits.memory
OVERSIZE_BYTES = 100 * MIB
SIMULTANEOUS = 20


@pytest.fixture
async def bot() -> AsyncIterator[RunningBot]:
    async with running_bot(
        store=MemorySessionStore(ttl_seconds=3600), extractor=KeyValueExtractor()
    ) as running:
        yield running


async def _chunks(total: int, size: int = MIB) -> AsyncIterator[bytes]:
    sent = 0
    chunk = b" " * size
    while sent < total:
        yield chunk
        sent += size


async def _post_oversize(url: str, *, declared: bool) -> int | None:
    """POST OVERSIZE_BYTES (with or without a Content-Length); the status, None if cut off."""
    headers = {"content-type": "application/json"}
    data: bytes | AsyncIterator[bytes] = _chunks(OVERSIZE_BYTES)
    if declared:
        headers["content-length"] = str(OVERSIZE_BYTES)
    try:
        async with (
            aiohttp.ClientSession() as http,
            http.post(url, data=data, headers=headers) as response,
        ):
            return response.status
    except (aiohttp.ClientError, ConnectionError):
        return None  # the server answered 413 and closed while the body was still going


async def test_declared_oversize_body_gets_413_unread(bot: RunningBot) -> None:
    """A Content-Length over the cap is refused at once, before the signature is checked."""
    headers = {"content-type": "application/json", "content-length": str(MAX_BODY_BYTES + 1)}
    reader, writer = await asyncio.open_connection("127.0.0.1", int(bot.base_url.rsplit(":", 1)[1]))
    request = "POST /slack/events HTTP/1.1\r\nhost: x\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in headers.items()
    )
    writer.write((request + "\r\n").encode())  # headers only: no body byte is ever sent
    await writer.drain()
    status_line = await asyncio.wait_for(reader.readline(), 5)
    writer.close()
    assert b" 413 " in status_line
    assert not bot.slack.calls


async def test_chunked_oversize_body_gets_413(bot: RunningBot) -> None:
    """A body without a length is cut off at the cap: 413, not a read of all 100 MiB."""
    status = await _post_oversize(bot.base_url + "/slack/events", declared=False)
    assert status in (413, None)
    assert not bot.slack.calls


async def test_a_body_just_under_the_cap_is_still_checked(bot: RunningBot) -> None:
    """A large body under the cap goes on to the signature check (401 for a bad one)."""
    body = io.BytesIO(b" " * (MAX_BODY_BYTES - 10) + b"{}")
    async with bot.http.post(
        bot.base_url + "/slack/events", data=body, headers={"content-type": "application/json"}
    ) as response:
        assert response.status == 401


async def test_a_signed_delivery_still_works(bot: RunningBot) -> None:
    """The capped read hands the exact bytes on: a signed mention is answered."""
    status, _ = await bot.sender.event(mention("task_type=qa_over_docs"))
    await bot.settled()
    assert status == 200
    assert bot.slack.of("chat.postMessage")


def _memory_bytes(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no {field} for {pid}")


async def test_twenty_oversize_requests_keep_serve_under_the_pod_limit(tmp_path: Path) -> None:
    """20 simultaneous 100 MiB bodies: every one refused, and serve's two processes together
    stay under the Kubernetes memory limit (peak RSS of the front, RSS of the worker)."""
    slack, runner = await start_fake_slack()
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": f"{slack.base_url}/api/",
    }
    served = start_serve(env=env, stderr_path=tmp_path / "serve.log")
    try:
        await served.wait_until_healthy()
        url = f"{served.base_url}/slack/events"
        statuses = await asyncio.gather(
            *(_post_oversize(url, declared=index % 2 == 0) for index in range(SIMULTANEOUS))
        )
        front_peak = _memory_bytes(served.process.pid, "VmHWM")
        worker = _memory_bytes(served.worker_pid(), "VmRSS")
        assert (await served.get("/healthz"))[0] == 200
    finally:
        served.kill()
        await runner.cleanup()
    assert all(status in (413, None) for status in statuses)
    assert 413 in statuses
    assert front_peak + worker < POD_MEMORY_LIMIT_BYTES, (front_peak // MIB, worker // MIB)
    assert front_peak < 150 * MIB, front_peak // MIB
