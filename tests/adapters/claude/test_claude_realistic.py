"""Claude as a model behaves, beside the echo: partial, inferred and corrected readings, through
the whole interview (real SDK, fake Messages API, the InterviewService and its in-memory store)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from bot.adapters.claude.extractor import CallRecord, ClaudeExtractor, cache_outcome
from bot.adapters.metrics import REGISTRY
from bot.adapters.store.memory import MemorySessionStore
from bot.bootstrap import build_interview
from bot.domain.requirements import Requirements
from bot.interview.inferred import INFERRED_MARK
from bot.interview.offline import OfflineExtractor
from bot.interview.replies import Decision, Questions
from bot.interview.session import FactSource, SessionKey
from bot.service import InterviewService
from tests.support.fake_anthropic import FakeAnthropic, FromRequest, ToolUse, running_fake_anthropic

KEY = "sk-ant-realistic-test"
MODEL = "claude-haiku-5-5"
THREAD = SessionKey(team_id="T1", channel_id="C1", thread_ts="1700000000.000100")
# What a model reading the opening would say: the knowledge need is implied, not stated.
OPENING = "Support agents ask about our refund policies, ~50k questions a month."
OPENING_READ = {
    "task_type": "qa_over_docs",
    "requests_per_month": 50_000,
    "needs_external_knowledge": True,
    "inferred": ["needs_external_knowledge"],
}
# Plausible answers for whatever is asked.
ANSWERS: dict[str, object] = {
    "needs_external_knowledge": True,
    "kb_size_tokens": 120_000,
    "knowledge_volatility": "monthly",
    "latency_target_ms": 2000,
    "citations_required": True,
    "deployment_target": "cloud_api",
    "labelled_examples": 0,
}


def just_asked(body: dict[str, Any]) -> list[str]:
    text = body["messages"][-1]["content"][0]["text"]
    return list(json.loads(text.split("<just_asked>\n", 1)[1].split("\n</just_asked>", 1)[0]))


def answers_first_only(body: dict[str, Any]) -> dict[str, Any]:
    """A partial reading: the first asked field answered, the second one not known, the rest
    left out."""
    asked = just_asked(body)
    reading: dict[str, Any] = {}
    if asked:
        reading[asked[0]] = ANSWERS.get(asked[0])
    if len(asked) > 1:
        reading["unknown"] = [asked[1]]
    return reading


@pytest.fixture
def fake() -> Iterator[FakeAnthropic]:
    with running_fake_anthropic(api_key=KEY) as server:
        yield server


@pytest.fixture
def calls() -> list[CallRecord]:
    return []


@pytest.fixture
async def claude(fake: FakeAnthropic, calls: list[CallRecord]) -> AsyncIterator[ClaudeExtractor]:
    extractor = ClaudeExtractor(
        api_key=KEY,
        model=MODEL,
        base_url=fake.base_url,
        fallback=OfflineExtractor(),
        timeout_seconds=2.0,
        max_retries=0,
        on_call=calls.append,
    )
    yield extractor
    await extractor.aclose()


@pytest.fixture
def service(claude: ClaudeExtractor) -> InterviewService:
    return InterviewService(
        store=MemorySessionStore(ttl_seconds=600), extractor=claude, interview=build_interview()
    )


async def test_an_inferred_fact_is_shown_and_asked_back(
    service: InterviewService, fake: FakeAnthropic
) -> None:
    fake.script(ToolUse(OPENING_READ))
    outcome = await service.start(THREAD, user_id="U1", text=OPENING)
    reply = outcome.reply
    assert isinstance(reply, Questions)
    assert reply.inferred == ["needs_external_knowledge"]
    confirm = reply.questions[0]
    assert confirm.field == "needs_external_knowledge"
    assert INFERRED_MARK in confirm.text
    assert outcome.session.origins["needs_external_knowledge"].source is FactSource.INFERRED


async def test_partial_answers_keep_what_was_said_and_the_interview_goes_on(
    service: InterviewService, fake: FakeAnthropic
) -> None:
    """Only the first question is answered each time; the interview still reaches a decision."""
    fake.script(ToolUse(OPENING_READ))
    fake.default = FromRequest(answers_first_only)
    outcome = await service.start(THREAD, user_id="U1", text=OPENING)
    for _ in range(4):
        assert isinstance(outcome.reply, Questions)
        first, *_ = outcome.reply.questions
        outcome = await service.reply(THREAD, user_id="U1", text="first one: yes") or outcome
        assert first.field in outcome.session.facts or first.field in outcome.session.declined
        if isinstance(outcome.reply, Decision):
            break
    if not isinstance(outcome.reply, Decision):
        outcome = await service.reply(THREAD, user_id="U1", text="decide now") or outcome
    assert isinstance(outcome.reply, Decision)
    assert outcome.reply.requirements.requests_per_month == 50_000


async def test_a_corrected_fact_replaces_the_earlier_value(
    service: InterviewService, fake: FakeAnthropic
) -> None:
    fake.script(
        ToolUse(OPENING_READ),
        ToolUse({"requests_per_month": 5_000, "corrected": ["requests_per_month"]}),
    )
    await service.start(THREAD, user_id="U1", text=OPENING)
    outcome = await service.reply(THREAD, user_id="U1", text="sorry, 5k a month, not 50k")
    assert outcome is not None
    assert outcome.session.facts["requests_per_month"] == 5_000
    assert outcome.session.origins["requests_per_month"].source is FactSource.CORRECTED


async def test_inferred_names_without_a_value_are_dropped(
    claude: ClaudeExtractor, fake: FakeAnthropic
) -> None:
    fake.script(
        ToolUse({"data_privacy": "regulated", "inferred": ["data_privacy", "eval_set_exists"]})
    )
    extraction = await claude.extract(text="patient notes", known=Requirements(), asked=[])
    assert extraction.facts == {"data_privacy": "regulated"}
    assert extraction.inferred == ["data_privacy"]


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_each_call_records_its_cache_outcome(
    claude: ClaudeExtractor, calls: list[CallRecord]
) -> None:
    """The first call writes the prefix to the cache, the next reads it; both are metrics."""
    writes = sample("swf_claude_cache_calls_total", outcome="write")
    reads = sample("swf_claude_cache_calls_total", outcome="read")
    read_tokens = sample("swf_claude_cache_tokens_per_call_sum", kind="cache_read")
    for _ in range(2):
        await claude.extract(text="hello", known=Requirements(), asked=[])
    assert [cache_outcome(call) for call in calls] == ["write", "read"]
    assert sample("swf_claude_cache_calls_total", outcome="write") == writes + 1
    assert sample("swf_claude_cache_calls_total", outcome="read") == reads + 1
    assert (
        sample("swf_claude_cache_tokens_per_call_sum", kind="cache_read")
        == read_tokens + calls[1].cache_read_input_tokens
    )
    assert calls[1].cache_read_input_tokens == calls[0].cache_creation_input_tokens > 0
    assert all(call.seconds > 0 for call in calls)


async def test_a_prefix_the_model_will_not_cache_shows_as_none(
    claude: ClaudeExtractor, fake: FakeAnthropic, calls: list[CallRecord]
) -> None:
    fake.cache_minimum = 1_000_000
    for _ in range(2):
        await claude.extract(text="hello", known=Requirements(), asked=[])
    assert [cache_outcome(call) for call in calls] == ["none", "none"]
