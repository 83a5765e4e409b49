"""How far the session stores go: the session size bound, the TTLs, and the turn lock's budget.

Both stores (memory and Redis) read their bounds from here, so they agree on them.
"""

from __future__ import annotations

from dataclasses import dataclass

# A typical interview is 2-4 KB; 64 KiB leaves room for long ones while keeping
# one thread from growing without bound (each turn's text is already capped).
DEFAULT_MAX_SESSION_BYTES = 64 * 1024
# Slack retries a delivery after about 1 s, 1 min and 5 min; an hour covers
# every retry with a wide margin and keeps the key count small.
DEDUPE_TTL_SECONDS = 3600
HISTORY_TTL_SECONDS = 90 * 24 * 3600
HISTORY_MAX_ENTRIES = 50


@dataclass(frozen=True)
class LockBudget:
    """How long one turn may hold its thread's lock, and how long the next turn waits for it."""

    # The longest a turn may hold its thread's lock (the turn budget).
    lease_seconds: float
    # How long a turn waits for another turn on the same thread before giving up.
    wait_seconds: float
    # The lock is taken, and renewed while its turn runs, for this long at a time: a turn that
    # died (its process killed, Redis lost mid-turn and back with AOF) holds the thread at most
    # this long, never the whole turn budget.
    heartbeat_lease_seconds: float = 3.0


# A turn holds its thread's lock while Claude reads the message, so the lock must outlast
# the slowest extraction (two calls of bootstrap.CLAUDE_TIMEOUT_SECONDS with one retry
# each, about 35 s), and a second message in the same thread waits that long rather than
# being turned away (tests/test_bootstrap.py checks both against the extractor's deadline).
TURN_LOCK_BUDGET = LockBudget(lease_seconds=60.0, wait_seconds=45.0, heartbeat_lease_seconds=3.0)
