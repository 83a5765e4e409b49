"""Facts an extractor inferred rather than read: used, shown "(inferred)", confirmed if decisive."""

from __future__ import annotations

from bot.interview.extraction import Extraction
from bot.interview.inferred import INFERRED_MARK, inferred_to_confirm
from bot.interview.replies import Questions
from bot.interview.session import FactSource
from tests.support.interview_helpers import KEY, could_change_answer, make_interview

NOW = 1_700_000_000.0
# Retrieval or not turns on the knowledge fact; privacy "standard" changes nothing here.
OPENING = {
    "task_type": "qa_over_docs",
    "needs_external_knowledge": True,
    "requests_per_month": 50_000,
    "data_privacy": "standard",
}
INFERRED = ["needs_external_knowledge", "data_privacy"]


def _opened():  # type: ignore[no-untyped-def]
    interview = make_interview()
    session = interview.begin(KEY, user_id="U1", now=NOW)
    extraction = Extraction(facts=OPENING, inferred=INFERRED, source="claude")
    session, reply = interview.on_message(session, text="opening", extraction=extraction, now=NOW)
    assert isinstance(reply, Questions)
    return interview, session, reply


def test_inferred_facts_are_kept_with_their_origin_and_shown_as_inferred() -> None:
    _, session, reply = _opened()
    for field in INFERRED:
        assert session.facts[field] == OPENING[field]
        assert session.origins[field].source is FactSource.INFERRED
    assert session.origins["task_type"].source is FactSource.STATED
    assert set(reply.inferred) == set(INFERRED)
    assert "task_type" not in reply.inferred


def test_a_decisive_inferred_fact_is_asked_back_with_its_value() -> None:
    """The knowledge fact could change the answer, so it is confirmed first, value shown."""
    _, session, reply = _opened()
    without = session.requirements.model_copy(update={"needs_external_knowledge": None})
    assert could_change_answer(without, "needs_external_knowledge")
    first = reply.questions[0]
    assert first.field == "needs_external_knowledge"
    assert first.text.startswith(f"Needs knowledge beyond the request: yes {INFERRED_MARK}.")
    assert first.choices, "the usual answer buttons stay, so one click confirms or fixes it"
    assert len(reply.questions) <= 3


def test_an_inferred_fact_that_changes_nothing_is_not_asked() -> None:
    interview, session, reply = _opened()
    assert "data_privacy" not in [q.field for q in reply.questions]
    assert "data_privacy" not in inferred_to_confirm(
        session, pricing=interview.pricing, bank=interview.bank, exclude=()
    )


def test_confirming_the_inferred_value_makes_it_stated() -> None:
    interview, session, _ = _opened()
    session, reply = interview.on_answer(
        session, field="needs_external_knowledge", value=True, label="Yes", now=NOW + 1
    )
    assert session.facts["needs_external_knowledge"] is True
    assert session.origins["needs_external_knowledge"].source is FactSource.STATED
    if isinstance(reply, Questions):
        assert "needs_external_knowledge" not in [q.field for q in reply.questions]


def test_a_different_answer_replaces_the_inferred_value() -> None:
    interview, session, _ = _opened()
    extraction = Extraction(facts={"needs_external_knowledge": False})
    session, _ = interview.on_message(session, text="no", extraction=extraction, now=NOW + 1)
    assert session.facts["needs_external_knowledge"] is False
    assert session.origins["needs_external_knowledge"].source is FactSource.CORRECTED


def test_an_inferred_fact_is_asked_back_once_only() -> None:
    """Left unanswered, it is not asked again: the round budget goes to other facts."""
    interview, session, _ = _opened()
    session, reply = interview.on_message(
        session, text="next", extraction=Extraction(facts={"latency_target_ms": 2000}), now=NOW
    )
    if isinstance(reply, Questions):
        assert "needs_external_knowledge" not in [q.field for q in reply.questions]


def test_an_inferred_value_never_overrides_a_stated_one() -> None:
    """Inference about a field already known is a conflict to ask about, not a new origin."""
    interview, session, _ = _opened()
    extraction = Extraction(facts={"requests_per_month": 60_000}, inferred=["requests_per_month"])
    session, _ = interview.on_message(session, text="x", extraction=extraction, now=NOW)
    assert session.origins["requests_per_month"].source is not FactSource.INFERRED
