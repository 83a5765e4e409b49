"""Worker plumbing: the worker process answers deliveries, and its metrics reach /metrics."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiohttp
import pytest
import uvicorn
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

from bot.adapters.metrics import REGISTRY
from bot.adapters.store.memory import MemorySessionStore
from bot.entrypoints.http.app import build_server_app
from bot.entrypoints.slack.commands import StartInterview
from bot.entrypoints.slack.worker_metrics import merge_expositions
from bot.entrypoints.slack.worker_process import MAX_RESTARTS, ProcessWorker
from bot.errors import WorkerUnavailableError
from bot.interview.session import SessionKey
from tests.support.fake_slack import FakeSlack, start_fake_slack
from tests.support.slack_requests import SlackSender, block_action_body, mention
from tests.support.slack_server import bot_settings, free_port


@dataclass
class ServedWorker:
    worker: ProcessWorker
    slack: FakeSlack
    sender: SlackSender
    http: aiohttp.ClientSession
    base_url: str


@asynccontextmanager
async def served_process_worker() -> AsyncIterator[ServedWorker]:
    """The HTTP app under uvicorn with a real worker process and a fake Slack."""
    slack, runner = await start_fake_slack()
    settings = bot_settings(slack)
    worker = ProcessWorker(
        settings,
        store=MemorySessionStore(ttl_seconds=60),
        runtime="tests.support.slack_server:key_value_runtime",
    )
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            build_server_app(settings, worker=worker, drain_seconds=5),
            host="127.0.0.1",
            port=port,
            log_config=None,
            lifespan="on",
        )
    )
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:
            assert not serving.done()
            await asyncio.sleep(0.02)
        base_url = f"http://127.0.0.1:{port}"
        async with aiohttp.ClientSession() as http:
            sender = SlackSender(url=f"{base_url}/slack/events", session=http)
            yield ServedWorker(worker, slack, sender, http, base_url)
    finally:
        server.should_exit = True
        await serving
        await runner.cleanup()


async def _kill_child(worker: ProcessWorker) -> None:
    """Kill the worker process, and each replacement, until the parent gives up (a crash
    loop: MAX_RESTARTS + 1 deaths); a single death is survived (test_worker_restart)."""
    killed: set[int] = set()
    for _ in range(MAX_RESTARTS + 1):
        for _ in range(1500):
            if worker.pid is not None and worker.pid not in killed:
                break
            await asyncio.sleep(0.02)
        assert worker.pid is not None
        killed.add(worker.pid)
        os.kill(worker.pid, signal.SIGKILL)
    for _ in range(500):
        if worker.lost.is_set():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the parent did not notice its worker process kept dying")


async def test_a_worker_process_answers_and_reports_its_metrics() -> None:
    """Through a real worker process: the mention is answered in its thread, /metrics
    counts the interview the child started, and shutdown drains cleanly."""
    async with served_process_worker() as served:
        event = mention("task_type=qa_over_docs")
        await served.sender.event(event)
        [reply] = await served.slack.wait_for("chat.postMessage")
        assert reply.args["thread_ts"] == event["ts"]
        # This test process counted earlier tests' interviews too: only the child's
        # one interview may be added on top.
        here = REGISTRY.get_sample_value("swf_interviews_started_total") or 0.0
        shown = 0.0
        for _ in range(50):  # the child pushes its metrics every quarter second
            async with served.http.get(f"{served.base_url}/metrics") as response:
                shown = _sample(await response.text(), "swf_interviews_started_total")
            if shown > here:
                break
            await asyncio.sleep(0.1)
        assert shown == here + 1
    assert not served.worker.accepting


def _sample(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} not in /metrics")


def _exposition(*, completed: int, latencies: list[float]) -> bytes:
    registry = CollectorRegistry()
    counter = Counter("swf_demo", "Demo counter", ["kind"], registry=registry)
    histogram = Histogram("swf_demo_seconds", "Demo latency", buckets=(0.1, 1.0), registry=registry)
    counter.labels(kind="a").inc(completed)
    for latency in latencies:
        histogram.observe(latency)
    return generate_latest(registry)


def test_counters_and_histograms_add_up_across_processes() -> None:
    """Counter samples and histogram buckets are summed, label by label."""
    merged = merge_expositions(
        _exposition(completed=2, latencies=[0.05]), _exposition(completed=3, latencies=[0.5])
    ).decode()
    assert 'swf_demo_total{kind="a"} 5.0' in merged
    assert 'swf_demo_seconds_bucket{le="0.1"} 1.0' in merged
    assert 'swf_demo_seconds_bucket{le="1.0"} 2.0' in merged
    assert "swf_demo_seconds_count 2.0" in merged


def test_merging_one_exposition_changes_no_value() -> None:
    """A single process's metrics come through unchanged."""
    single = _exposition(completed=4, latencies=[0.2, 2.0])
    merged = merge_expositions(single).decode()
    assert 'swf_demo_total{kind="a"} 4.0' in merged
    assert 'swf_demo_seconds_bucket{le="+Inf"} 2.0' in merged


async def test_a_dead_worker_process_fails_health_and_refuses_deliveries() -> None:
    """After the worker process keeps dying, /healthz and /readyz answer 503 naming it, and a
    new event or click gets a 5xx (Slack retries it) instead of a 200 for lost work."""
    async with served_process_worker() as served:
        await _kill_child(served.worker)
        async with served.http.get(served.base_url + "/healthz") as response:
            assert response.status == 503
        async with served.http.get(served.base_url + "/readyz") as response:
            assert response.status == 503
            assert "worker process: not running" in (await response.json())["problems"]
        status, _ = await served.sender.event(mention("task_type=qa_over_docs"))
        assert status == 503
        click = block_action_body(
            action={"action_id": "swf_decide_now", "type": "button", "value": "x"},
            channel="C0001",
            thread_ts="1800000000.000001",
            message_ts="1800000000.000002",
        )
        status, _ = await served.sender.send(click, form=True)
        assert status >= 500
        assert served.slack.calls == []


async def test_submit_to_a_dead_worker_process_raises() -> None:
    """`submit` refuses a delivery once the children keep dying, so the listener cannot ack it."""
    async with served_process_worker() as served:
        await _kill_child(served.worker)
        assert not served.worker.alive
        with pytest.raises(WorkerUnavailableError):
            served.worker.submit(
                StartInterview(
                    team_id="T0001",
                    delivery_id="Ev1",
                    key=SessionKey(team_id="T0001", channel_id="C0001", thread_ts="1.0"),
                    user_id="U0001",
                    text="hello",
                    in_thread=False,
                )
            )
