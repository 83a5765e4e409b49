"""The composition root: the stores it builds keep the one turn-lock budget."""

from __future__ import annotations

from bot.adapters.claude.extractor import VALIDATION_RETRIES, call_deadline_seconds
from bot.adapters.store.limits import TURN_LOCK_BUDGET, LockBudget
from bot.adapters.store.memory import MemorySessionStore
from bot.adapters.store.redis import RedisSessionStore
from bot.bootstrap import CLAUDE_MAX_RETRIES, CLAUDE_TIMEOUT_SECONDS, build_store
from bot.settings import Settings

SERVE_BUDGET = LockBudget(lease_seconds=60.0, wait_seconds=45.0, heartbeat_lease_seconds=3.0)


def _slowest_extraction_seconds() -> float:
    deadline = call_deadline_seconds(
        timeout_seconds=CLAUDE_TIMEOUT_SECONDS, max_retries=CLAUDE_MAX_RETRIES
    )
    return (1 + VALIDATION_RETRIES) * deadline


def test_turn_lock_outlasts_the_slowest_claude_extraction() -> None:
    """A turn may hold its lock, and the next one waits, longer than Claude may take."""
    assert TURN_LOCK_BUDGET.lease_seconds > _slowest_extraction_seconds()
    assert TURN_LOCK_BUDGET.wait_seconds > _slowest_extraction_seconds()


async def test_redis_store_under_serve_keeps_the_turn_budget(redis_url: str) -> None:
    """With REDIS_URL, a turn holds its lock up to 60 s in 3 s leases; waiters wait 45 s."""
    store = build_store(Settings.from_env({"REDIS_URL": redis_url}))
    assert isinstance(store, RedisSessionStore)
    await store.aclose()
    assert store.lock_budget == SERVE_BUDGET


def test_memory_store_under_serve_waits_as_long() -> None:
    """Without REDIS_URL, a second turn on a busy thread waits the same 45 s."""
    store = build_store(Settings.from_env({}))
    assert isinstance(store, MemorySessionStore)
    assert store.lock_budget.wait_seconds == SERVE_BUDGET.wait_seconds
