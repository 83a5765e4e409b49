"""Sessions and history entries for the store tests and the store benchmark."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import redis
from redis.asyncio.connection import Connection

from bot.interview.session import (
    TURN_TEXT_MAX_CHARS,
    FactOrigin,
    FactSource,
    Session,
    SessionKey,
    SessionStatus,
    Turn,
)
from bot.ports import HistoryEntry

NOW = 1_790_000_000.0

# What a team says over four turns of a typical interview (dev-01's case).
_USER_TURNS: list[tuple[str, dict[str, str | int | float | bool]]] = [
    (
        "Hey, tabletop game publisher here. For our companion app we want a rules assistant "
        "players can ask mid-game, like 'can I block with an exhausted unit?'. The source is "
        "the rulebook plus the official FAQ/errata, about 55k tokens in total, and we publish "
        "errata roughly once a quarter. Answers should quote the rule number so people stop "
        "arguing at the table :sweat_smile: We see around 8k questions a month.",
        {
            "use_case": "rules assistant for a tabletop game companion app",
            "task_type": "qa_over_docs",
            "needs_external_knowledge": True,
            "knowledge_volatility": "quarterly",
            "citations_required": True,
            "kb_size_tokens": 55000,
            "requests_per_month": 8000,
        },
    ),
    (
        "under 3 seconds, people are mid-game; it's the rulebook and one FAQ document, so two",
        {"latency_target_ms": 3000, "kb_size_docs": 2},
    ),
    (
        "none, we're two app developers, and ideally under $300 a month",
        {"team_ml_capability": "none", "budget_monthly_usd": 300.0},
    ),
    (
        "we don't have any Q&A pairs; standard, nothing personal in there",
        {"data_privacy": "standard"},
    ),
]

_BOT_QUESTIONS = [
    "A few questions so I can be specific: what latency do players need, "
    "how many documents is the rule set, and who would maintain it?",
    "Thanks! Does your team have ML experience, and what monthly budget do you have in mind?",
    "Last ones: how many labelled question/answer pairs do you have, "
    "and is any of the data personal or regulated?",
]


def thread_key(
    thread: int | str = 1, *, team_id: str = "T0001", channel_id: str = "C0001"
) -> SessionKey:
    return SessionKey(team_id=team_id, channel_id=channel_id, thread_ts=f"1790000000.{thread:0>6}")


def new_session(key: SessionKey, *, at: float = NOW) -> Session:
    return Session(key=key, user_id="U0001", created_at=at, updated_at=at)


def typical_session(key: SessionKey, *, at: float = NOW) -> Session:
    """A realistic finished interview: 4 user turns, 3 bot questions, about 12 facts."""
    session = new_session(key, at=at)
    clock = at
    for index, (text, facts) in enumerate(_USER_TURNS):
        clock += 40.0
        fields = sorted(facts)
        session.turns.append(
            Turn(role="user", text=text[:TURN_TEXT_MAX_CHARS], fields=fields, at=clock)
        )
        for name, value in facts.items():
            session.facts[name] = value
            session.origins[name] = FactOrigin(source=FactSource.STATED, turn=index)
        if index < len(_BOT_QUESTIONS):
            clock += 2.0
            asked = ["latency_target_ms", "kb_size_docs", "maintenance_capacity"][: index + 1]
            session.turns.append(
                Turn(role="bot", text=_BOT_QUESTIONS[index], fields=asked, at=clock)
            )
            session.asked.extend(asked)
            session.pending = asked
            session.rounds += 1
    session.declined = ["labelled_examples"]
    session.status = SessionStatus.DECIDED
    session.last_approach = "prompting"
    session.updated_at = clock
    return session


def history_entry(
    key: SessionKey, *, user_id: str | None = "U0001", at: float = NOW, approach: str = "rag"
) -> HistoryEntry:
    return HistoryEntry(
        key=key,
        user_id=user_id,
        approach=approach,
        confidence=0.8,
        use_case="rules assistant",
        decided_at=at,
    )


@contextmanager
def raw_redis(url: str) -> Iterator[redis.Redis]:
    """A plain client for looking at (and spoiling) what a store wrote."""
    client = redis.Redis.from_url(url, decode_responses=True)
    try:
        yield client
    finally:
        client.close()


def delete_prefix(url: str, prefix: str) -> None:
    """Remove every key a test wrote, so a shared REDIS_URL server stays clean."""
    with raw_redis(url) as client:
        names = list(client.scan_iter(match=f"{prefix}:*", count=500))
        if names:
            client.delete(*names)


class CountingConnection(Connection):
    """A redis.asyncio connection that counts round trips (one per packed send, pipelines too)."""

    sent = 0

    async def send_packed_command(
        self, command: bytes | str | Iterable[bytes], check_health: bool = True
    ) -> None:
        CountingConnection.sent += 1
        await super().send_packed_command(command, check_health)
