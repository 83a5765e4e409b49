"""SIGTERM stops `serve` taking work and lets the reply under way finish."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.fake_anthropic import Delay, FakeAnthropic, ToolUse, running_fake_anthropic
from tests.fake_slack import FakeSlack, start_fake_slack
from tests.serve_process import (
    ANTHROPIC_KEY,
    BOT_TOKEN,
    CLEAN_STOP_STATUSES,
    SIGNING_SECRET,
    ServeProcess,
    event_body,
    mention,
    start_serve,
)

CLAUDE_DELAY_SECONDS = 3.0
CHANNEL = "C0SHUTDOWN"


@pytest.fixture
def anthropic() -> Iterator[FakeAnthropic]:
    with running_fake_anthropic(api_key=ANTHROPIC_KEY) as fake:
        yield fake


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    fake, runner = await start_fake_slack()
    try:
        yield fake
    finally:
        await runner.cleanup()


@pytest.fixture
async def served(
    slack: FakeSlack, anthropic: FakeAnthropic, redis_url: str, tmp_path: Path
) -> AsyncIterator[ServeProcess]:
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": f"{slack.base_url}/api/",
        "ANTHROPIC_API_KEY": ANTHROPIC_KEY,
        "ANTHROPIC_BASE_URL": anthropic.base_url,
        "REDIS_URL": redis_url,
    }
    server = start_serve(env=env, stderr_path=tmp_path / "serve.log")
    try:
        await server.wait_until_healthy()
        yield server
    finally:
        server.kill()


async def start_slow_interview(
    served: ServeProcess, slack: FakeSlack, anthropic: FakeAnthropic
) -> None:
    """A mention whose Claude call takes CLAUDE_DELAY_SECONDS; returns once it is in flight."""
    anthropic.script(Delay(CLAUDE_DELAY_SECONDS, then=ToolUse({"task_type": "summarization"})))
    ts = f"{time.time():.6f}"
    body = event_body(
        event_id=f"Ev{ts.replace('.', '')}",
        event=mention(channel=CHANNEL, ts=ts, text="we summarise tickets for managers"),
    )
    assert await served.post_event(body) == 200
    # The placeholder appears once the work has outlived 0.4 s: the Claude call is under way.
    await slack.wait_for("chat.postMessage")


async def test_in_flight_reply_completes_after_sigterm(
    served: ServeProcess, slack: FakeSlack, anthropic: FakeAnthropic
) -> None:
    """A reply waiting on Claude when SIGTERM arrives is still delivered before serve stops."""
    await start_slow_interview(served, slack, anthropic)
    assert not slack.of("chat.update")
    served.terminate()
    assert await served.wait_exit(timeout_seconds=30) in CLEAN_STOP_STATUSES
    [update] = slack.of("chat.update")
    assert update.args["channel"] == CHANNEL
    drained = [line for line in served.log_lines() if "drained" in str(line["event"])]
    assert drained and drained[-1]["unfinished"] == 0


async def test_no_new_connections_after_sigterm(
    served: ServeProcess, slack: FakeSlack, anthropic: FakeAnthropic
) -> None:
    """While it finishes the work under way, a terminating serve accepts no new requests."""
    await start_slow_interview(served, slack, anthropic)
    served.terminate()
    await asyncio.sleep(0.5)
    assert served.process.poll() is None, "serve should still be finishing the reply"
    with pytest.raises((aiohttp.ClientConnectionError, TimeoutError)):
        await served.get("/healthz")
    assert await served.wait_exit(timeout_seconds=30) in CLEAN_STOP_STATUSES
