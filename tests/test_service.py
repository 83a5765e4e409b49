from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

import pytest

from bot.adapters.store.memory import MemorySessionStore
from bot.adapters.store.redis import RedisSessionStore
from bot.domain.requirements import Requirements
from bot.errors import StoreUnavailableError
from bot.interview.extraction import Extraction
from bot.interview.replies import Decision, Notice, Questions
from bot.interview.session import SessionKey
from bot.ports import SessionStore
from bot.service import EXPIRED_TEXT, InterviewService
from tests.support.interview_helpers import make_interview

KEY = SessionKey(team_id="T1", channel_id="C1", thread_ts="1700000000.000100")
OPENING = {"task_type": "qa_over_docs", "needs_external_knowledge": True}


@dataclass
class ScriptedExtractor:
    """An Extractor that returns scripted extractions in order and records what it was given."""

    script: list[Extraction] = field(default_factory=list)
    calls: list[tuple[str, dict[str, object], list[str]]] = field(default_factory=list)
    delay_seconds: float = 0.0

    async def aclose(self) -> None:
        """Nothing to release."""

    async def extract(self, *, text: str, known: Requirements, asked: Sequence[str]) -> Extraction:
        self.calls.append((text, known.known(), list(asked)))
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        return self.script.pop(0) if self.script else Extraction()


@pytest.fixture(params=["memory", "redis"])
async def store(
    request: pytest.FixtureRequest, redis_url: str, key_prefix: str
) -> AsyncIterator[SessionStore]:
    if request.param == "memory":
        yield MemorySessionStore(ttl_seconds=3600)
        return
    redis_store = RedisSessionStore.from_url(redis_url, ttl_seconds=3600, key_prefix=key_prefix)
    yield redis_store
    await redis_store.aclose()


def _service(store: SessionStore, extractor: ScriptedExtractor) -> InterviewService:
    return InterviewService(
        store=store, extractor=extractor, interview=make_interview(), clock=lambda: 1e9
    )


async def test_reply_in_a_thread_without_interview_is_ignored(store: SessionStore) -> None:
    """A thread message where no interview runs gets no reply."""
    service = _service(store, ScriptedExtractor())
    assert await service.reply(KEY, user_id="U1", text="hello") is None


async def test_start_then_reply_continues_the_same_interview(store: SessionStore) -> None:
    """The facts from the opening message are kept for the next turn in the thread."""
    extractor = ScriptedExtractor(
        [Extraction(facts=OPENING), Extraction(facts={"requests_per_month": 9000})]
    )
    service = _service(store, extractor)
    first = await service.start(KEY, user_id="U1", text="docs bot")
    assert isinstance(first.reply, Questions)
    second = await service.reply(KEY, user_id="U1", text="9k a month")
    assert second is not None and second.session is not None
    assert second.session.facts["requests_per_month"] == 9000
    assert second.session.facts["task_type"] == "qa_over_docs"


async def test_extractor_gets_known_facts_and_pending_fields_only(store: SessionStore) -> None:
    """Each extraction call carries the facts so far and the fields just asked, not a transcript."""
    extractor = ScriptedExtractor([Extraction(facts=OPENING)])
    service = _service(store, extractor)
    first = await service.start(KEY, user_id="U1", text="docs bot")
    assert isinstance(first.reply, Questions)
    await service.reply(KEY, user_id="U1", text="some answer")
    text, known, asked = extractor.calls[-1]
    assert text == "some answer"
    assert known == OPENING
    assert asked == [q.field for q in first.reply.questions]


async def test_sessions_are_isolated_per_team_channel_and_thread(store: SessionStore) -> None:
    """An interview in one thread is invisible from another team, channel or thread."""
    service = _service(store, ScriptedExtractor([Extraction(facts=OPENING)]))
    await service.start(KEY, user_id="U1", text="docs bot")
    for other in (
        KEY.model_copy(update={"team_id": "T2"}),
        KEY.model_copy(update={"channel_id": "C2"}),
        KEY.model_copy(update={"thread_ts": "1700000000.000200"}),
    ):
        assert await service.reply(other, user_id="U1", text="hi") is None


async def test_commands_skip_the_extractor(store: SessionStore) -> None:
    """`decide now` decides without spending an extraction call."""
    extractor = ScriptedExtractor([Extraction(facts=OPENING)])
    service = _service(store, extractor)
    await service.start(KEY, user_id="U1", text="docs bot")
    outcome = await service.reply(KEY, user_id="U1", text="decide now")
    assert outcome is not None and isinstance(outcome.reply, Decision)
    assert len(extractor.calls) == 1


async def test_decisions_are_kept_in_history(store: SessionStore) -> None:
    """Every recommendation is listed in the channel's history with its approach."""
    service = _service(store, ScriptedExtractor([Extraction(facts=OPENING)]))
    await service.start(KEY, user_id="U1", text="docs bot")
    outcome = await service.decide_now(KEY, user_id="U1")
    assert isinstance(outcome.reply, Decision)
    entries = await store.history(team_id="T1", channel_id="C1")
    assert [e.approach for e in entries] == [outcome.reply.recommendation.approach.value]


async def test_button_answer_is_applied(store: SessionStore) -> None:
    """A click answers its field without an extraction call."""
    extractor = ScriptedExtractor([Extraction(facts=OPENING)])
    service = _service(store, extractor)
    await service.start(KEY, user_id="U1", text="docs bot")
    outcome = await service.answer(
        KEY, user_id="U1", field="knowledge_volatility", value="daily", label="Daily"
    )
    assert outcome.session is not None
    assert outcome.session.facts["knowledge_volatility"] == "daily"
    assert len(extractor.calls) == 1


async def test_unknown_button_field_is_refused(store: SessionStore) -> None:
    """A click naming a field that does not exist gets a notice, not a crash."""
    service = _service(store, ScriptedExtractor())
    outcome = await service.answer(KEY, user_id="U1", field="approach", value="rag", label="x")
    assert isinstance(outcome.reply, Notice)


async def test_button_on_an_expired_interview_says_so(store: SessionStore) -> None:
    """A click in a thread whose session is gone explains how to start again."""
    service = _service(store, ScriptedExtractor())
    outcome = await service.decide_now(KEY, user_id="U1")
    assert isinstance(outcome.reply, Notice)
    assert outcome.reply.text == EXPIRED_TEXT


async def test_concurrent_messages_in_one_thread_are_both_applied(store: SessionStore) -> None:
    """Two messages handled at once in one thread are applied one after the other."""
    extractor = ScriptedExtractor(
        [
            Extraction(facts=OPENING),
            Extraction(facts={"requests_per_month": 1000}),
            Extraction(facts={"labelled_examples": 500}),
        ],
        delay_seconds=0.05,
    )
    service = _service(store, extractor)
    await service.start(KEY, user_id="U1", text="docs bot")
    await asyncio.gather(
        service.reply(KEY, user_id="U1", text="a"),
        service.reply(KEY, user_id="U2", text="b"),
    )
    session = await store.load(KEY)
    assert session is not None
    assert session.facts["requests_per_month"] == 1000
    assert session.facts["labelled_examples"] == 500
    assert session.turn_count == 3


async def test_two_replicas_on_one_redis_serialise_a_thread(
    redis_url: str, key_prefix: str
) -> None:
    """Two app instances sharing Redis apply simultaneous messages in one thread without loss."""
    stores = [
        RedisSessionStore.from_url(redis_url, ttl_seconds=3600, key_prefix=key_prefix)
        for _ in range(2)
    ]
    extractors = [
        ScriptedExtractor(
            [Extraction(facts=OPENING), Extraction(facts={"requests_per_month": 1000})],
            delay_seconds=0.05,
        ),
        ScriptedExtractor([Extraction(facts={"labelled_examples": 500})], delay_seconds=0.05),
    ]
    replicas = [_service(s, e) for s, e in zip(stores, extractors, strict=True)]
    try:
        await replicas[0].start(KEY, user_id="U1", text="docs bot")
        await asyncio.gather(
            replicas[0].reply(KEY, user_id="U1", text="a"),
            replicas[1].reply(KEY, user_id="U2", text="b"),
        )
        session = await stores[1].load(KEY)
        assert session is not None
        assert session.turn_count == 3
        assert {"requests_per_month", "labelled_examples"} <= set(session.facts)
    finally:
        for s in stores:
            await s.aclose()


async def test_store_down_mid_conversation_raises_a_clear_error(
    redis_url: str, key_prefix: str
) -> None:
    """When Redis cannot be reached the user gets the store's 'try again' message."""
    dead = RedisSessionStore.from_url(
        "redis://127.0.0.1:1/0", ttl_seconds=60, key_prefix=key_prefix
    )
    service = _service(dead, ScriptedExtractor())
    try:
        with pytest.raises(StoreUnavailableError) as caught:
            await service.reply(KEY, user_id="U1", text="hello")
        assert "try again" in caught.value.user_message
    finally:
        await dead.aclose()
