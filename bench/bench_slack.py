"""Slack ack latency and interview throughput against the real HTTP server.

Separate processes (the machine has two cores): the fake Slack Web API; the
bot, which is `serve` itself (its acking process and its worker process, here
with an in-memory store and a fake Claude that takes 1 s per call, then reads
the text with the offline rules); the floor, a bare slack-bolt AsyncApp whose
listener does nothing, behind the same Starlette adapter and uvicorn; and this
load generator. Openings are the development scenarios' descriptions.

  1. sustained: 200 signed app_mention events/s for 30 s to the bot and the
     floor side by side; ack latency p50/p99 for each.
  2. burst: 200 events at once to each; every ack under 3,000 ms.
  3. 200 simultaneous interviews each needing one 1 s Claude call: every one
     answered exactly once, and the wall time until the last answer.

Run with `.venv/bin/python -m bench.bench_slack [--seconds 30] [--rate 200]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp

from bot.adapters.metrics import PrometheusInterviewEvents
from bot.entrypoints.slack.responder import THINKING_TEXT
from tests.support.slack_requests import SIGNING_SECRET, event_body, mention, signed_headers

ROOT = Path(__file__).resolve().parent.parent
CLAUDE_SECONDS = 1.0
ACK_BUDGET_MS = 3000.0
P99_BUDGET_MS = 100.0
INTERVIEW_WALL_BUDGET_SECONDS = 3.0
START_TIMEOUT_SECONDS = 20.0
CLIENT_KEEP_ALIVE_SECONDS = 2
# Between phases: every interview of the previous phase has been answered by then.
# Between phases: the bot counts as done when Slack has seen no call from it for this long.
QUIET_SECONDS = 5.0
DRAIN_LIMIT_SECONDS = 240.0
# `serve` drains its work for up to 25 s on SIGTERM before it exits.
CHILD_STOP_SECONDS = 40.0


# -- the servers (run as child processes of this module) -------------------------------


class SlowClaude:
    """The fake Claude: one second per call, then the offline rules' reading of the text."""

    def __init__(self, rules: Any) -> None:
        self._rules = rules

    async def aclose(self) -> None:
        """Nothing to release."""

    async def extract(self, *, text: str, known: Any, asked: Any) -> Any:
        await asyncio.sleep(CLAUDE_SECONDS)
        return await self._rules.extract(text=text, known=known, asked=asked)


def bench_runtime(settings: Any) -> tuple[Any, Any]:
    """The worker's runtime here: an in-memory store and the slow fake Claude."""
    from bot.adapters.prompts import load_question_bank  # noqa: PLC0415
    from bot.adapters.store.memory import MemorySessionStore  # noqa: PLC0415
    from bot.domain.pricing import load_pricing  # noqa: PLC0415
    from bot.interview.conversation import Interview  # noqa: PLC0415
    from bot.interview.offline import OfflineExtractor  # noqa: PLC0415
    from bot.service import InterviewService  # noqa: PLC0415

    store = MemorySessionStore(ttl_seconds=3600)
    service = InterviewService(
        events=PrometheusInterviewEvents(),
        store=store,
        extractor=SlowClaude(OfflineExtractor()),
        interview=Interview(bank=load_question_bank(), pricing=load_pricing()),
    )
    return service, store


def _serve_bot(port: int, slack_url: str) -> None:
    """`should-we-finetune serve` itself, with the worker built by `bench_runtime`."""
    from bot.entrypoints.serve import serve  # noqa: PLC0415 - child process only
    from bot.settings import Settings  # noqa: PLC0415
    from tests.support.slack_requests import BOT_TOKEN  # noqa: PLC0415

    settings = Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack_url,
        log_level="WARNING",
    )
    serve(settings, socket_mode=False, port=port, runtime="bench.bench_slack:bench_runtime")


def _serve_floor(port: int, slack_url: str) -> None:
    import logging  # noqa: PLC0415

    import uvicorn  # noqa: PLC0415
    from slack_bolt.adapter.starlette.async_handler import (  # noqa: PLC0415
        AsyncSlackRequestHandler,
    )
    from slack_bolt.async_app import AsyncApp  # noqa: PLC0415
    from slack_sdk.web.async_client import AsyncWebClient  # noqa: PLC0415
    from starlette.applications import Starlette  # noqa: PLC0415
    from starlette.requests import Request  # noqa: PLC0415
    from starlette.responses import Response  # noqa: PLC0415
    from starlette.routing import Route  # noqa: PLC0415

    from tests.support.slack_requests import BOT_TOKEN  # noqa: PLC0415

    logging.getLogger("slack_bolt").setLevel(logging.WARNING)
    app = AsyncApp(
        client=AsyncWebClient(token=BOT_TOKEN, base_url=slack_url),
        signing_secret=SIGNING_SECRET,
        logger=logging.getLogger("slack_bolt"),
    )

    @app.event("app_mention")
    async def do_nothing() -> None:
        return None

    handler = AsyncSlackRequestHandler(app)

    async def events(request: Request) -> Response:
        return await handler.handle(request)

    starlette = Starlette(routes=[Route("/slack/events", events, methods=["POST"])])
    uvicorn.run(
        starlette,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
    )


# -- the load generator ------------------------------------------------------------------


def _free_port() -> int:
    import socket  # noqa: PLC0415

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _spawn(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


async def _wait_until_up(session: aiohttp.ClientSession, url: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        try:
            async with session.get(url) as response:
                await response.read()
                return
        except aiohttp.ClientError:
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not start")


async def _send(session: aiohttp.ClientSession, url: str, event: dict[str, Any]) -> float:
    """Post one signed event; the milliseconds until the ack came back."""
    body = event_body(event)
    headers = signed_headers(body, content_type="application/json")
    started = time.perf_counter()
    async with session.post(url, data=body.encode(), headers=headers) as response:
        await response.read()
        if response.status != 200:
            raise RuntimeError(f"ack status {response.status}")
    return (time.perf_counter() - started) * 1000


def _cpu_seconds(pid: int) -> float:
    """User+system CPU seconds a process and its children (the bot's worker) have used so
    far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = [
            int(child)
            for task in Path(f"/proc/{pid}/task").iterdir()
            for child in (task / "children").read_text().split()
        ]
    except OSError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(_cpu_seconds(child) for child in children)


# Opening messages: the development scenarios' descriptions, in turn.
DESCRIPTIONS = [
    json.loads(line)["description"]
    for line in (ROOT / "tests/data/dev.jsonl").read_text().splitlines()
    if line.strip()
]


def _opening(index: int, *, channel: str) -> dict[str, Any]:
    return mention(DESCRIPTIONS[index % len(DESCRIPTIONS)], channel=channel)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def _sustained(
    session: aiohttp.ClientSession, urls: dict[str, str], *, rate: int, seconds: float
) -> dict[str, list[float]]:
    """`rate` events/s to every target for `seconds`, on a fixed schedule (open loop)."""
    latencies: dict[str, list[float]] = {name: [] for name in urls}
    tasks: list[asyncio.Task[None]] = []

    async def one(name: str, url: str, index: int) -> None:
        event = _opening(index, channel=f"CS{name[:1].upper()}{index % 50}")
        latencies[name].append(await _send(session, url, event))

    start = time.perf_counter()
    total = int(rate * seconds)
    for index in range(total):
        delay = start + index / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        for name, url in urls.items():
            tasks.append(asyncio.create_task(one(name, url, index)))
    await asyncio.gather(*tasks)
    return latencies


async def _burst(
    session: aiohttp.ClientSession, url: str, *, count: int, channel: str
) -> list[float]:
    events = [_opening(index, channel=channel) for index in range(count)]
    return list(await asyncio.gather(*(_send(session, url, event) for event in events)))


async def _calls(
    session: aiohttp.ClientSession, slack_base: str, *, channel: str
) -> list[dict[str, Any]]:
    async with session.get(slack_base + "/_calls", params={"channel": channel}) as response:
        return list(await response.json())


async def _quiet(session: aiohttp.ClientSession, slack_base: str) -> float:
    """Wait until the bot has finished the work sent so far: no new Slack call for a while
    (bounded). The seconds it took: on a slow machine the bot is still answering the
    sustained phase's interviews when the sends stop."""
    started = time.monotonic()
    last, still_since = -1, time.monotonic()
    while time.monotonic() - started < DRAIN_LIMIT_SECONDS:
        async with session.get(slack_base + "/_count") as response:
            count = int(await response.json())
        if count != last:
            last, still_since = count, time.monotonic()
        elif time.monotonic() - still_since >= QUIET_SECONDS:
            break
        await asyncio.sleep(0.25)
    return time.monotonic() - started


async def _interviews(
    session: aiohttp.ClientSession, url: str, slack_base: str, *, count: int
) -> tuple[float, int, int]:
    """Start `count` interviews at once; wall seconds to the last answer, answered, extra."""
    channel = "CINTERVIEW"
    events = [_opening(index, channel=channel) for index in range(count)]
    threads = {event["ts"] for event in events}
    started = time.time()
    await asyncio.gather(*(_send(session, url, event) for event in events))
    deadline = time.monotonic() + 15
    answered: dict[str, float] = {}
    posts: Counter[str] = Counter()
    while time.monotonic() < deadline:
        await asyncio.sleep(0.25)
        calls = await _calls(session, slack_base, channel=channel)
        posts = Counter(
            str(c["args"].get("thread_ts"))
            for c in calls
            if c["method"] == "chat.postMessage" and c["answer"].get("ok")
        )
        placeholder_thread = {
            c["answer"].get("ts"): str(c["args"].get("thread_ts"))
            for c in calls
            if c["method"] == "chat.postMessage"
        }
        answered = {}
        for call in calls:
            if call["method"] not in ("chat.postMessage", "chat.update"):
                continue
            if str(call["args"].get("text", "")) == THINKING_TEXT:
                continue  # the placeholder, not the answer
            thread = (
                str(call["args"].get("thread_ts"))
                if call["method"] == "chat.postMessage"
                else placeholder_thread.get(call["args"].get("ts"), "")
            )
            answered[thread] = max(answered.get(thread, 0.0), call["at"])
        if threads <= set(answered):
            break
    wall = max(answered.values(), default=started) - started
    extra = sum(count - 1 for thread, count in posts.items() if thread in threads and count > 1)
    return wall, len(threads & set(answered)), extra


def _report(name: str, values: list[float]) -> tuple[float, float, float]:
    p50, p99 = _percentile(values, 0.50), _percentile(values, 0.99)
    print(
        f"  {name:<6} n={len(values):>5}  p50={p50:7.1f} ms  p99={p99:7.1f} ms  "
        f"max={max(values):7.1f} ms  mean={statistics.fmean(values):6.1f} ms"
    )
    return p50, p99, max(values)


async def _run(*, rate: int, seconds: float, burst: int) -> bool:
    slack_port, bot_port, floor_port = _free_port(), _free_port(), _free_port()
    slack_base = f"http://127.0.0.1:{slack_port}"
    slack_api = slack_base + "/api/"
    children = [
        _spawn("-m", "tests.support.fake_slack", "--port", str(slack_port), "--no-validate"),
        _spawn("-m", "bench.bench_slack", "--serve-bot", str(bot_port), "--slack-url", slack_api),
        _spawn(
            "-m", "bench.bench_slack", "--serve-floor", str(floor_port), "--slack-url", slack_api
        ),
    ]
    urls = {
        "bot": f"http://127.0.0.1:{bot_port}/slack/events",
        "floor": f"http://127.0.0.1:{floor_port}/slack/events",
    }
    ok = True
    try:
        # The client drops idle connections before the servers do (uvicorn: 5 s), so no
        # request races a close.
        connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=CLIENT_KEEP_ALIVE_SECONDS)
        timeout = aiohttp.ClientTimeout(total=30)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
            await _wait_until_up(session, slack_base + "/_calls")
            await _wait_until_up(session, f"http://127.0.0.1:{bot_port}/healthz")
            for url in urls.values():  # first request: Bolt's auth.test
                await _send(session, url, mention("warm-up", channel="CWARM"))
            await asyncio.sleep(CLAUDE_SECONDS + 0.5)

            print(f"sustained: {rate} events/s for {seconds:.0f} s to each server")
            names = ("fake-slack", "bot", "floor")
            cpu_before = [_cpu_seconds(child.pid) for child in children]
            load_before = time.process_time()
            sustained = await _sustained(session, urls, rate=rate, seconds=seconds)
            used = [_cpu_seconds(c.pid) - b for c, b in zip(children, cpu_before, strict=True)]
            used.append(time.process_time() - load_before)
            print(
                "  CPU use (cores): "
                + ", ".join(
                    f"{name} {cpu / seconds:.2f}"
                    for name, cpu in zip((*names, "load"), used, strict=True)
                )
            )
            _, floor_p99, _ = _report("floor", sustained["floor"])
            _, bot_p99, _ = _report("bot", sustained["bot"])
            ratio = bot_p99 / floor_p99
            passed = bot_p99 <= 2 * floor_p99 and bot_p99 < P99_BUDGET_MS
            print(
                f"  bot p99 / floor p99 = {ratio:.2f} (≤ 2 and < {P99_BUDGET_MS:.0f} ms): "
                f"{'PASS' if passed else 'FAIL'}"
            )
            ok &= passed
            drained = await _quiet(session, slack_base)  # let the bot finish the sustained work
            print(f"  the bot's replies to the sustained phase finished {drained:.1f} s later")

            print(f"burst: {burst} events at once to each server")
            floor_burst = await _burst(session, urls["floor"], count=burst, channel="CBF")
            _, _, floor_max = _report("floor", floor_burst)
            await asyncio.sleep(0.5)
            bot_burst = await _burst(session, urls["bot"], count=burst, channel="CBB")
            _, _, bot_max = _report("bot", bot_burst)
            passed = bot_max < ACK_BUDGET_MS and bot_max <= 2 * floor_max
            print(
                f"  bot max / floor max = {bot_max / floor_max:.2f} (≤ 2; every ack < "
                f"{ACK_BUDGET_MS:.0f} ms): {'PASS' if passed else 'FAIL'}"
            )
            ok &= passed
            await _quiet(session, slack_base)

            print(f"interviews: {burst} at once, each with one {CLAUDE_SECONDS:.0f} s Claude call")
            wall, answered, extra = await _interviews(session, urls["bot"], slack_base, count=burst)
            passed = answered == burst and extra == 0 and wall <= INTERVIEW_WALL_BUDGET_SECONDS
            print(
                f"  answered {answered}/{burst}, duplicate messages {extra}, wall {wall:.2f} s "
                f"(≤ {INTERVIEW_WALL_BUDGET_SECONDS:.0f} s): {'PASS' if passed else 'FAIL'}"
            )
            ok &= passed
    finally:
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=CHILD_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_slack")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--serve-bot", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--serve-floor", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--slack-url", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(sys.argv[1:] if __name__ == "__main__" else [])
    if args.serve_bot is not None:
        _serve_bot(args.serve_bot, args.slack_url)
        return
    if args.serve_floor is not None:
        _serve_floor(args.serve_floor, args.slack_url)
        return
    ok = asyncio.run(_run(rate=args.rate, seconds=args.seconds, burst=args.burst))
    print("bench_slack:", "PASS" if ok else "FAIL")


if __name__ == "__main__":
    main()
