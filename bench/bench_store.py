"""Session store benchmark on a real Redis (REDIS_URL, else a redis-server of its own).

Targets (issue 5): at most 3 round trips per interview turn; at most 4 KB per
typical session; p99 store latency with 500 concurrent sessions and
de-duplication checks per second are reported.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import time
import uuid

from bot.adapters.store.codec import encode_session
from bot.adapters.store.limits import DEFAULT_MAX_SESSION_BYTES, LockBudget
from bot.adapters.store.redis import RedisSessionStore
from tests.support.redis_server import redis_url_for_tests
from tests.support.store_samples import (
    CountingConnection,
    delete_prefix,
    raw_redis,
    thread_key,
    typical_session,
)

TTL_SECONDS = 3600
CONCURRENT_SESSIONS = 500
TURNS_PER_SESSION = 4
# 500 sessions each sending every ~1 s offer ~500 turns/s, far above a real workspace's rate.
PACED_THINK_SECONDS = 1.0
DEDUPE_CHECKS = 20_000
DEDUPE_CONCURRENCY = 100


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _store(url: str, prefix: str) -> RedisSessionStore:
    # Benchmarks measure throughput, not failure: give the calls room under load.
    return RedisSessionStore.from_url(
        url,
        ttl_seconds=TTL_SECONDS,
        key_prefix=prefix,
        connection_class=CountingConnection,
        socket_timeout_seconds=5.0,
        call_budget_seconds=10.0,
        lock_budget=LockBudget(lease_seconds=30.0, wait_seconds=30.0),
    )


async def _one_turn(store: RedisSessionStore, *, thread: int, number: int) -> list[float]:
    """One interview turn as the service runs it; returns the latency of each store call."""
    key = thread_key(thread)
    timings = []
    started = time.perf_counter()
    await store.claim(team_id=key.team_id, delivery_id=f"Ev{thread}-{number}")
    timings.append(time.perf_counter() - started)
    started = time.perf_counter()
    async with store.turn(key) as turn:
        timings.append(time.perf_counter() - started)
        session = turn.session or typical_session(key)
        session.rounds += 1
        turn.stage(session)
        started = time.perf_counter()
    timings.append(time.perf_counter() - started)
    return timings


async def _round_trips_per_turn(url: str, prefix: str) -> float:
    store = _store(url, prefix)
    try:
        await _one_turn(store, thread=0, number=0)  # connect, hello, load the scripts
        before = CountingConnection.sent
        turns = 50
        for number in range(1, turns + 1):
            await _one_turn(store, thread=0, number=number)
        return (CountingConnection.sent - before) / turns
    finally:
        await store.aclose()


async def _concurrent_latency(
    url: str, prefix: str, *, think_seconds: float
) -> tuple[list[float], list[float], float]:
    """500 live sessions, each taking TURNS_PER_SESSION turns; `think_seconds` is the mean
    pause before each turn (0: every session sends at the same instant, a worst-case burst)."""
    store = _store(url, prefix)
    pacing = random.Random(5)
    try:
        await store.ping()

        async def session(thread: int) -> tuple[list[float], list[float]]:
            calls, turns = [], []
            for number in range(TURNS_PER_SESSION):
                if think_seconds:
                    await asyncio.sleep(pacing.expovariate(1 / think_seconds))
                timings = await _one_turn(store, thread=thread, number=number)
                calls.extend(timings)
                turns.append(sum(timings))
            return calls, turns

        started = time.perf_counter()
        results = await asyncio.gather(*(session(n) for n in range(CONCURRENT_SESSIONS)))
        elapsed = time.perf_counter() - started
        calls = [value for result in results for value in result[0]]
        turns = [value for result in results for value in result[1]]
        return calls, turns, elapsed
    finally:
        await store.aclose()


async def _dedupe_rate(url: str, prefix: str) -> float:
    store = _store(url, prefix)
    try:
        await store.ping()
        per_worker = DEDUPE_CHECKS // DEDUPE_CONCURRENCY

        async def worker(index: int) -> None:
            for number in range(per_worker):
                await store.claim(team_id="T0001", delivery_id=f"Ev{index}-{number}")

        started = time.perf_counter()
        await asyncio.gather(*(worker(index) for index in range(DEDUPE_CONCURRENCY)))
        return per_worker * DEDUPE_CONCURRENCY / (time.perf_counter() - started)
    finally:
        await store.aclose()


def _session_bytes(url: str, prefix: str) -> tuple[int, int | None]:
    key = thread_key(0)
    json_bytes = len(encode_session(typical_session(key), max_bytes=DEFAULT_MAX_SESSION_BYTES))
    with raw_redis(url) as client:
        names = list(client.scan_iter(match=f"{prefix}:*:session", count=1000))
        usage = client.memory_usage(names[0]) if names else None
    return json_bytes, usage


def _corpus_session_bytes() -> list[int]:
    """The stored size of each dev case's session once the simulated user got a decision."""
    from tests.support.simulated_user import load_cases, run_case_in_process  # noqa: PLC0415

    async def run_all() -> list[int]:
        return [(await run_case_in_process(case)).session_bytes for case in load_cases()]

    return asyncio.run(run_all())


def main() -> None:
    with redis_url_for_tests(os.environ.get("REDIS_URL")) as url:
        prefix = f"swf-bench-{uuid.uuid4().hex[:8]}"
        try:
            round_trips = asyncio.run(_round_trips_per_turn(url, prefix))
            json_bytes, redis_bytes = _session_bytes(url, prefix)
            paced = asyncio.run(_concurrent_latency(url, prefix, think_seconds=PACED_THINK_SECONDS))
            burst = asyncio.run(_concurrent_latency(url, prefix, think_seconds=0.0))
            rate = asyncio.run(_dedupe_rate(url, prefix))
        finally:
            delete_prefix(url, prefix)
    print("session store (Redis, real server)")
    print(f"  round trips per turn       {round_trips:.2f}  (claim + enter + exit; target <= 3)")
    print(f"  typical session JSON       {json_bytes} B  (4 user turns, 12 facts; target <= 4096)")
    corpus = sorted(_corpus_session_bytes())
    print(
        f"  dev-corpus sessions        median {statistics.median(corpus):.0f} B, max {corpus[-1]} B"
        "  (each case's interview to its recommendation)"
    )
    if redis_bytes is not None:
        print(f"  Redis MEMORY USAGE         {redis_bytes} B per session key")
    for label, (calls, turns, elapsed) in (
        (f"paced (a turn every ~{PACED_THINK_SECONDS:g} s per session)", paced),
        ("burst (all sessions at the same instant)", burst),
    ):
        print(f"  {CONCURRENT_SESSIONS} concurrent sessions, {label}")
        print(f"    turns                    {len(turns)} in {elapsed:.2f} s")
        print(
            f"    store call latency       p50 {statistics.median(calls) * 1000:.1f} ms, "
            f"p99 {_percentile(calls, 0.99) * 1000:.1f} ms"
        )
        print(
            f"    whole turn (3 calls)     p50 {statistics.median(turns) * 1000:.1f} ms, "
            f"p99 {_percentile(turns, 0.99) * 1000:.1f} ms"
        )
    print(f"  de-duplication checks      {rate:,.0f} /s  ({DEDUPE_CONCURRENCY} concurrent callers)")


if __name__ == "__main__":
    main()
