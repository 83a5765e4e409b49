"""App Home benchmark: from `app_home_opened` to `views.publish`, through the real HTTP stack,
a real Redis (REDIS_URL, else a redis-server of its own) and the local fake Slack.

Targets (issue 12): one store round trip per Home open (the claim on the event id aside);
the view published within 1 s of the event (p95).
"""

from __future__ import annotations

import asyncio
import time
import uuid

from bot.adapters.store.limits import HISTORY_MAX_ENTRIES
from bot.adapters.store.redis import RedisSessionStore
from bot.interview.session import SessionKey
from bot.ports import HistoryEntry
from tests.support.redis_server import redis_url_for_tests
from tests.support.slack_server import KeyValueExtractor, running_bot
from tests.support.store_samples import CountingConnection, delete_prefix
from tests.support.surface_requests import home_opened, team_event_body

OPENS = 100
TARGET_P95_SECONDS = 1.0
TARGET_STORE_TRIPS = 2  # the claim on the event id, then the one history read
NOW = time.time()


def _entry(index: int) -> HistoryEntry:
    return HistoryEntry(
        key=SessionKey(team_id="T0001", channel_id=f"C{index % 5}", thread_ts=f"{NOW - index}"),
        user_id=f"U{index % 3:04d}",
        approach=("prompting", "rag", "rag+fine_tuning")[index % 3],
        confidence=0.8,
        use_case=f"Use case number {index}, with a realistic length of description",
        decided_at=NOW - index * 3600,
    )


async def _run(url: str) -> None:
    prefix = f"swf-bench-home-{uuid.uuid4().hex[:8]}"
    filler = RedisSessionStore.from_url(url, ttl_seconds=3600, key_prefix=prefix)
    for index in range(HISTORY_MAX_ENTRIES):
        await filler.add_history(_entry(index))
    await filler.aclose()
    store = RedisSessionStore.from_url(
        url, ttl_seconds=3600, key_prefix=prefix, connection_class=CountingConnection
    )
    latencies: list[float] = []
    trips: list[int] = []
    try:
        async with running_bot(store=store, extractor=KeyValueExtractor()) as bot:
            bot.slack.user_channels["U0001"] = ["C1", "C2", "C3"]
            for _ in range(OPENS):
                before = len(bot.slack.of("views.publish"))
                sent_trips = CountingConnection.sent
                started = time.time()
                status, _ = await bot.sender.send(team_event_body(home_opened(user="U0001")))
                assert status == 200
                [*_, published] = await bot.slack.wait_for("views.publish", before + 1)
                latencies.append(published.at - started)
                await bot.settled()
                trips.append(CountingConnection.sent - sent_trips)
    finally:
        delete_prefix(url, prefix)
    latencies.sort()
    p50 = latencies[len(latencies) // 2]
    p95 = latencies[int(0.95 * len(latencies))]
    verdict = "ok" if p95 <= TARGET_P95_SECONDS else "MISSED"
    print(
        f"app_home_opened -> views.publish over {OPENS} opens, {HISTORY_MAX_ENTRIES} decisions "
        f"in the team: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max "
        f"{latencies[-1] * 1000:.0f} ms (target p95 <= {TARGET_P95_SECONDS * 1000:.0f} ms: "
        f"{verdict})"
    )
    most = max(trips[1:])  # the first open also sets up the pool's connections
    verdict = "ok" if most <= TARGET_STORE_TRIPS else "MISSED"
    print(
        f"store round trips per Home open: {most} (claim + history read; "
        f"target <= {TARGET_STORE_TRIPS}: {verdict})"
    )


def main() -> None:
    with redis_url_for_tests(None) as url:
        asyncio.run(_run(url))


if __name__ == "__main__":
    main()
