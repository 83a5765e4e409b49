"""Fault drills: inject each failure into a running bot and check that no reply is lost.

The bot is the real HTTP stack (Starlette, Bolt, the worker and its Outbox) on a
local port, over a fake Slack that fails on demand and a Redis server of the
drill's own (killed with SIGKILL and started again, with and without AOF). The
worker-kill drill runs `serve` itself and kills its worker process mid-reply.

One line per fault: what was injected, what the user saw, how many replies were
lost (must be 0: every message got its reply, shown in its thread, with no
placeholder left and no false "Something went wrong"), and how long until the
thread showed the right reply (from the message, or from Redis coming back).

Run with `python -m bench faults` (about a minute).
"""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from bot.adapters.store.memory import MemorySessionStore
from bot.adapters.store.redis import RedisSessionStore
from bot.entrypoints.slack.lost_thread import LOST_TEXT
from bot.entrypoints.slack.responder import THINKING_TEXT
from bot.errors import BotError, StoreUnavailableError
from tests.support.fake_anthropic import Delay, ToolUse, running_fake_anthropic
from tests.support.fake_slack import start_fake_slack
from tests.support.redis_server import KillableRedis
from tests.support.serve_process import (
    ANTHROPIC_KEY,
    BOT_TOKEN,
    SIGNING_SECRET,
    event_body,
    start_serve,
)
from tests.support.serve_process import mention as serve_mention
from tests.support.slack_requests import mention, message
from tests.support.slack_server import KeyValueExtractor, RunningBot, running_bot

OPENING = "task_type=qa_over_docs"
REPLY_WAIT_SECONDS = 30.0


@dataclass(frozen=True)
class Result:
    fault: str
    outcome: str
    lost: int
    recovery_seconds: float
    stuck_placeholders: int = 0


async def _shown(bot: RunningBot, thread_ts: str, count: int) -> list[str]:
    """The thread's messages once it shows `count` that are not placeholders."""
    deadline = time.monotonic() + REPLY_WAIT_SECONDS
    while time.monotonic() < deadline:
        texts = [text for text in bot.slack.thread_texts(thread_ts) if text != THINKING_TEXT]
        if len(texts) >= count:
            return texts
        await asyncio.sleep(0.02)
    return [text for text in bot.slack.thread_texts(thread_ts) if text != THINKING_TEXT]


def _verdict(texts: list[str], expected: int, thread: list[str]) -> tuple[int, int, str]:
    """(lost, stuck placeholders, what the user saw)."""
    lost = max(0, expected - len(texts))
    stuck = thread.count(THINKING_TEXT)
    false_errors = sum(BotError.user_message in text for text in texts)
    seen = "reply shown" if lost == 0 else f"{lost} reply missing"
    if false_errors:
        seen += f", {false_errors} false error notice"
        lost += false_errors
    return lost, stuck, seen


async def _slack_drill(
    fault: str, inject: Callable[[RunningBot], None], *, slow_work: bool = False
) -> Result:
    async with running_bot(
        store=_memory(),
        extractor=KeyValueExtractor(delay_seconds=0.6 if slow_work else 0.0),
        slack_timeout_seconds=1,
    ) as bot:
        inject(bot)
        event = mention(OPENING)
        started = time.monotonic()
        await bot.sender.event(event)
        texts = await _shown(bot, event["ts"], 1)
        elapsed = time.monotonic() - started
        await bot.settled()
        await bot.outbox.settled(REPLY_WAIT_SECONDS)
        thread = bot.slack.thread_texts(event["ts"])
        texts = [text for text in thread if text != THINKING_TEXT]
        lost, stuck, seen = _verdict(texts, 1, thread)
        if len(texts) > 1:
            seen += f", {len(texts) - 1} duplicate"
            lost += len(texts) - 1
    return Result(fault, seen, lost, elapsed, stuck)


def _memory() -> MemorySessionStore:
    return MemorySessionStore(ttl_seconds=3600)


async def _redis_drill(*, aof: bool) -> Result:
    """Kill Redis while a turn holds the thread's lock, start it again, send the next message."""
    with tempfile.TemporaryDirectory(prefix="swf-faults-") as workdir:
        redis = KillableRedis(workdir, aof=aof)
        redis.start()
        store = RedisSessionStore.from_url(redis.url, ttl_seconds=3600, key_prefix="swf-faults")
        extractor = KeyValueExtractor()
        try:
            async with running_bot(store=store, extractor=extractor) as bot:
                root = mention(OPENING)
                await bot.sender.event(root)
                await _shown(bot, root["ts"], 1)
                await asyncio.sleep(1.2)  # appendfsync everysec
                extractor.delay_seconds = 2.5
                await bot.sender.event(message("project_stage=production", thread_ts=root["ts"]))
                await asyncio.sleep(1.3)  # past an fsync: with AOF the lock comes back too
                redis.kill()
                during = (await _shown(bot, root["ts"], 2))[1:2]
                await bot.settled()
                extractor.delay_seconds = 0
                redis.start()
                back = time.monotonic()
                await bot.sender.event(message("requests_per_month=100000", thread_ts=root["ts"]))
                texts = await _shown(bot, root["ts"], 3)
                recovery = time.monotonic() - back
                await bot.settled()
                thread = bot.slack.thread_texts(root["ts"])
        finally:
            redis.stop()
    told_down = during == [StoreUnavailableError.user_message]
    after = texts[2] if len(texts) > 2 else ""
    lost, stuck, _ = _verdict(texts, 3, thread)
    if aof:
        right = after not in ("", LOST_TEXT) and "still working" not in after
        seen = "outage notice, then the interview goes on" if right else "wrong reply after"
    else:
        right = after == LOST_TEXT
        seen = 'outage notice, then "I lost the earlier answers…"' if right else "no lost notice"
    lost += (not told_down) + (not right)
    fault = f"Redis SIGKILL mid-turn, restart {'with AOF' if aof else 'empty (no AOF)'}"
    return Result(fault, seen, lost, recovery, stuck)


async def _worker_kill_drill() -> Result:
    """`serve` over HTTP: kill its worker process while a reply waits on Claude."""
    slack, runner = await start_fake_slack()
    try:
        with (
            running_fake_anthropic(api_key=ANTHROPIC_KEY) as anthropic,
            tempfile.TemporaryDirectory() as tmp,
        ):
            anthropic.default = ToolUse({"task_type": "summarization"})
            env = {
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": f"{slack.base_url}/api/",
                "ANTHROPIC_API_KEY": ANTHROPIC_KEY,
                "ANTHROPIC_BASE_URL": anthropic.base_url,
            }
            served = start_serve(env=env, stderr_path=Path(tmp) / "serve.log")
            try:
                await served.wait_until_healthy()
                anthropic.script(Delay(2.0, then=ToolUse({"task_type": "summarization"})))
                ts = f"{time.time():.6f}"
                body = event_body(
                    event_id=f"Ev{ts.replace('.', '')}",
                    event=serve_mention(channel="C0KILL", ts=ts, text="we summarise tickets"),
                )
                started = time.monotonic()
                await served.post_event(body)
                await slack.wait_for("chat.postMessage")  # the placeholder: work under way
                os.kill(served.worker_pid(), 9)
                deadline = time.monotonic() + REPLY_WAIT_SECONDS
                while time.monotonic() < deadline:
                    shown = [t for t in slack.thread_texts(ts) if t != THINKING_TEXT]
                    if shown:
                        break
                    await asyncio.sleep(0.05)
                elapsed = time.monotonic() - started
                thread = slack.thread_texts(ts)
            finally:
                served.kill()
    finally:
        await runner.cleanup()
    texts = [t for t in thread if t != THINKING_TEXT]
    lost, stuck, seen = _verdict(texts, 1, thread)
    return Result("worker process SIGKILL mid-reply", seen, lost, elapsed, stuck)


DRILLS: list[tuple[str, Callable[[], Awaitable[Result]]]] = [
    (
        "429",
        lambda: _slack_drill(
            "Slack 429 x4 on chat.postMessage",
            lambda bot: bot.slack.fail(
                "chat.postMessage", "ratelimited", status=429, retry_after=1, times=4
            ),
        ),
    ),
    (
        "500",
        lambda: _slack_drill(
            "Slack 500 x5 on chat.postMessage",
            lambda bot: bot.slack.fail("chat.postMessage", "internal_error", status=500, times=5),
        ),
    ),
    (
        "ok-false",
        lambda: _slack_drill(
            "Slack ok:false service_unavailable",
            lambda bot: bot.slack.fail("chat.postMessage", "service_unavailable", times=2),
        ),
    ),
    (
        "500-update",
        lambda: _slack_drill(
            "Slack 500 x4 replacing the placeholder",
            lambda bot: bot.slack.fail("chat.update", "internal_error", status=500, times=4),
            slow_work=True,
        ),
    ),
    (
        "timeout-update",
        lambda: _slack_drill(
            "Slack slower than the timeout (update lands)",
            lambda bot: bot.slack.slow("chat.update", 1.5),
            slow_work=True,
        ),
    ),
    (
        "timeout-post",
        lambda: _slack_drill(
            "Slack slower than the timeout (post lands)",
            lambda bot: bot.slack.slow("chat.postMessage", 1.5),
        ),
    ),
    ("redis-aof", lambda: _redis_drill(aof=True)),
    ("redis-empty", lambda: _redis_drill(aof=False)),
    ("worker-kill", _worker_kill_drill),
]


def main() -> None:
    logging.getLogger().addHandler(logging.NullHandler())  # the drills' warnings are expected
    print("fault drills (fake Slack, own Redis; lost replies must be 0)")
    print(f"  {'fault injected':<52} {'user-visible outcome':<48} lost  stuck  recovery")
    total_lost = 0
    for _, drill in DRILLS:
        result = asyncio.run(drill())
        total_lost += result.lost + result.stuck_placeholders
        line = f"  {result.fault:<52} {result.outcome:<48} {result.lost:>4}"
        print(
            f"{line}  {result.stuck_placeholders:>5}  {result.recovery_seconds:6.2f} s", flush=True
        )
    print(f"  total lost replies or stuck placeholders: {total_lost}  (target 0)")


if __name__ == "__main__":
    main()
