"""SIGTERM stops `serve` taking work and lets the reply under way finish, in both modes."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.entrypoints.http.app import CLOSE_SECONDS, DRAIN_SECONDS
from bot.entrypoints.serve import WORKER_LOST_EXIT_STATUS
from bot.entrypoints.slack.responder import THINKING_TEXT
from bot.entrypoints.slack.worker_process import MAX_RESTARTS
from tests.support.fake_anthropic import Delay, FakeAnthropic, ToolUse, running_fake_anthropic
from tests.support.fake_slack import Call, FakeSlack, start_fake_slack
from tests.support.fake_socket_mode import APP_TOKEN, SocketModeSlack, running_socket_mode_slack
from tests.support.serve_process import (
    ANTHROPIC_KEY,
    BOT_TOKEN,
    CLEAN_STOP_STATUSES,
    SIGNING_SECRET,
    START_SECONDS,
    ServeProcess,
    event_body,
    mention,
    start_serve,
)

CLAUDE_DELAY_SECONDS = 2.0
CHANNEL = "C0SHUTDOWN"


@pytest.fixture
def anthropic() -> Iterator[FakeAnthropic]:
    with running_fake_anthropic(api_key=ANTHROPIC_KEY) as fake:
        yield fake


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


@dataclass(frozen=True)
class HttpStop:
    """What was observed around a SIGTERM sent to `serve` while a reply waited on Claude."""

    updates_before_sigterm: int
    alive_while_draining: bool
    ready_while_draining: int
    delivery_while_draining: int
    stopped_after_seconds: float
    exit_status: int
    updates: list[Call]
    log_lines: list[dict[str, Any]]


async def stop_http_serve_mid_reply(*, redis_url: str, log_path: Path) -> HttpStop:
    slack, runner = await start_fake_slack()
    try:
        with running_fake_anthropic(api_key=ANTHROPIC_KEY) as anthropic:
            env = {
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": f"{slack.base_url}/api/",
                "ANTHROPIC_API_KEY": ANTHROPIC_KEY,
                "ANTHROPIC_BASE_URL": anthropic.base_url,
                "REDIS_URL": redis_url,
            }
            served = start_serve(env=env, stderr_path=log_path)
            try:
                await served.wait_until_healthy()
                await start_slow_interview(served, slack, anthropic)
                updates_before = len(slack.of("chat.update"))
                signalled = time.monotonic()
                served.terminate()
                await asyncio.sleep(0.5)
                alive = served.process.poll() is None
                ready_status, _ = await served.get("/readyz")
                delivery_status = await served.post_event(
                    event_body(
                        event_id="EvDuringDrain",
                        event=mention(channel=CHANNEL, ts=f"{time.time():.6f}", text="hi"),
                    )
                )
                status = await served.wait_exit(timeout_seconds=30)
                stopped_after = time.monotonic() - signalled
            finally:
                served.kill()
    finally:
        await runner.cleanup()
    return HttpStop(
        updates_before_sigterm=updates_before,
        alive_while_draining=alive,
        ready_while_draining=ready_status,
        delivery_while_draining=delivery_status,
        stopped_after_seconds=stopped_after,
        exit_status=status,
        updates=slack.of("chat.update"),
        log_lines=served.log_lines(),
    )


@pytest.fixture(scope="module")
def http_stop(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> HttpStop:
    """One HTTP serve stopped mid-reply, shared by the tests that read what happened."""
    log_path = tmp_path_factory.mktemp("http-stop") / "serve.log"
    return asyncio.run(stop_http_serve_mid_reply(redis_url=redis_url, log_path=log_path))


def test_in_flight_reply_completes_after_sigterm(http_stop: HttpStop) -> None:
    """A reply waiting on Claude when SIGTERM arrives is still delivered before serve stops."""
    assert http_stop.updates_before_sigterm == 0
    [update] = http_stop.updates
    assert update.args["channel"] == CHANNEL
    assert http_stop.exit_status in CLEAN_STOP_STATUSES
    drained = [line for line in http_stop.log_lines if "drained" in str(line["event"])]
    assert drained and drained[-1]["unfinished"] == 0


def test_readyz_answers_503_from_the_first_signal(http_stop: HttpStop) -> None:
    """While it finishes the work under way, a terminating serve still answers: /readyz says
    503 (the load balancer stops sending work) and new deliveries get 503 (Slack retries
    them on another replica), rather than refused connections."""
    assert http_stop.alive_while_draining, "serve should still be finishing the reply"
    assert http_stop.ready_while_draining == 503
    assert http_stop.delivery_while_draining == 503


def test_a_clean_stop_exits_0_within_the_grace_period(http_stop: HttpStop) -> None:
    assert http_stop.exit_status == 0
    assert http_stop.stopped_after_seconds < DRAIN_SECONDS + CLOSE_SECONDS < 30


@pytest.fixture
async def socket_slack() -> AsyncIterator[SocketModeSlack]:
    async with running_socket_mode_slack() as fake:
        yield fake


@pytest.fixture
async def socket_served(
    socket_slack: SocketModeSlack, anthropic: FakeAnthropic, redis_url: str, tmp_path: Path
) -> AsyncIterator[ServeProcess]:
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_URL": f"{socket_slack.base_url}/api/",
        "ANTHROPIC_API_KEY": ANTHROPIC_KEY,
        "ANTHROPIC_BASE_URL": anthropic.base_url,
        "REDIS_URL": redis_url,
    }
    server = start_serve(env=env, stderr_path=tmp_path / "serve.log", socket_mode=True)
    try:
        async with asyncio.timeout(START_SECONDS):
            await socket_slack.connected.wait()
        yield server
    finally:
        server.kill()


async def test_socket_mode_finishes_in_flight_reply_without_reconnecting(
    socket_served: ServeProcess, socket_slack: SocketModeSlack, anthropic: FakeAnthropic
) -> None:
    """In Socket Mode, SIGTERM closes the connection for good and the reply under way lands."""
    anthropic.script(Delay(CLAUDE_DELAY_SECONDS, then=ToolUse({"task_type": "summarization"})))
    ts = f"{time.time():.6f}"
    payload = json.loads(
        event_body(
            event_id=f"Ev{ts.replace('.', '')}",
            event=mention(channel=CHANNEL, ts=ts, text="we summarise tickets for managers"),
        )
    )
    await socket_slack.deliver(payload, envelope_id="env-1")
    await socket_slack.wait_for("chat.postMessage")
    assert socket_slack.acks == ["env-1"]
    socket_served.terminate()
    assert await socket_served.wait_exit(timeout_seconds=30) in CLEAN_STOP_STATUSES
    assert len(socket_slack.of("chat.update")) == 1
    assert len(socket_slack.sockets) == 1, "serve reconnected after SIGTERM"
    drained = [line for line in socket_served.log_lines() if "drained" in str(line["event"])]
    assert drained and drained[-1]["unfinished"] == 0


async def kill_worker_until_lost(served: ServeProcess) -> None:
    """SIGKILL the worker process, and each replacement, until serve gives up restarting
    it (a crash loop): MAX_RESTARTS + 1 deaths."""
    killed: set[int] = set()
    for _ in range(MAX_RESTARTS + 1):
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                pid = served.worker_pid()
            except (RuntimeError, OSError):
                pid = 0
            if pid and pid not in killed:
                break
            assert time.monotonic() < deadline, "no new worker process"
            await asyncio.sleep(0.05)
        os.kill(pid, signal.SIGKILL)
        killed.add(pid)


async def test_a_killed_worker_is_replaced_and_its_reply_still_delivered(
    redis_url: str, tmp_path: Path
) -> None:
    """Over HTTP, a worker process killed while a reply waits on Claude is replaced at once,
    and the reply it left unfinished is delivered (replayed), with no placeholder left."""
    slack, runner = await start_fake_slack()
    with running_fake_anthropic(api_key=ANTHROPIC_KEY) as anthropic:
        env = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": f"{slack.base_url}/api/",
            "ANTHROPIC_API_KEY": ANTHROPIC_KEY,
            "ANTHROPIC_BASE_URL": anthropic.base_url,
            "REDIS_URL": redis_url,
        }
        served = start_serve(env=env, stderr_path=tmp_path / "serve.log")
        try:
            await served.wait_until_healthy()
            first = served.worker_pid()
            await start_slow_interview(served, slack, anthropic)
            thread_ts = str(slack.of("chat.postMessage")[0].args["thread_ts"])
            os.kill(first, signal.SIGKILL)
            anthropic.default = ToolUse({"task_type": "summarization"})
            deadline = time.monotonic() + 30
            while not [t for t in slack.thread_texts(thread_ts) if t != THINKING_TEXT]:
                assert time.monotonic() < deadline, slack.thread_texts(thread_ts)
                await asyncio.sleep(0.1)
            await asyncio.sleep(0.5)
            assert served.process.poll() is None
            assert served.worker_pid() != first
            assert (await served.get("/healthz"))[0] == 200
        finally:
            served.kill()
            await runner.cleanup()
    [reply] = slack.thread_texts(thread_ts)
    assert reply != THINKING_TEXT


async def test_http_serve_fails_health_then_exits_non_zero_when_its_worker_dies(
    redis_url: str, tmp_path: Path
) -> None:
    """Over HTTP, a worker process that keeps dying (a crash loop) turns /healthz into 503,
    deliveries into 503 (so Slack retries them), and `serve` then exits non-zero so it is
    restarted."""
    slack, runner = await start_fake_slack()
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": f"{slack.base_url}/api/",
        "REDIS_URL": redis_url,
    }
    served = start_serve(env=env, stderr_path=tmp_path / "serve.log")
    try:
        await served.wait_until_healthy()
        await kill_worker_until_lost(served)
        statuses = []
        for _ in range(50):
            statuses.append((await served.get("/healthz"))[0])
            if statuses[-1] == 503:
                break
            await asyncio.sleep(0.05)
        assert statuses[-1] == 503
        body = event_body(
            event_id="EvAfterDeath", event=mention(channel=CHANNEL, ts="1.2", text="x")
        )
        assert await served.post_event(body) == 503
        assert await served.wait_exit(timeout_seconds=30) == WORKER_LOST_EXIT_STATUS
    finally:
        served.kill()
        await runner.cleanup()
    assert slack.calls == []
    errors = [line for line in served.log_lines() if line.get("level") == "ERROR"]
    assert any("worker process died" in str(line["event"]) for line in errors)


async def test_socket_mode_exits_non_zero_when_its_worker_dies(
    socket_served: ServeProcess, socket_slack: SocketModeSlack
) -> None:
    """In Socket Mode, a worker process that keeps dying makes `serve` exit non-zero."""
    await kill_worker_until_lost(socket_served)
    assert await socket_served.wait_exit(timeout_seconds=15) == WORKER_LOST_EXIT_STATUS
