"""The offline extractor over the whole dev corpus: every description and every answer."""

from __future__ import annotations

import pytest

from bot.domain.requirements import Requirements
from bot.interview.offline import extract_offline
from tests.support.extraction_scores import (
    load_cases,
    score_answers,
    score_combined_answers,
    score_descriptions,
)

CASES = load_cases()
ANSWER_ACCURACY_MIN = 0.95  # the issue asks for 85%; the rules reach 100% on this corpus
DESCRIPTION_PRECISION_MIN = 0.97  # a wrong fact costs more than a question
DESCRIPTION_RECALL_MIN = 0.95


def test_corpus_is_complete() -> None:
    """The corpus holds its 50 cases, so the thresholds below measure something."""
    assert len(CASES) == 50


def test_answers_meet_the_accuracy_target() -> None:
    """Each `answers` reply, read with its field asked, gives the labelled value."""
    score = score_answers(CASES)
    assert score.accuracy >= ANSWER_ACCURACY_MIN, score.wrong


def test_answers_add_no_contradicting_facts() -> None:
    """Facts an answer states beyond the asked field never contradict the labels."""
    assert score_answers(CASES).extra_wrong == []


def test_joined_answers_meet_the_accuracy_target() -> None:
    """Replies to up to three questions at once, joined by '; ', land on their own fields."""
    score = score_combined_answers(CASES)
    assert score.accuracy >= ANSWER_ACCURACY_MIN, score.wrong


def test_descriptions_are_precise() -> None:
    """Facts read from descriptions are nearly always the labelled ones."""
    score = score_descriptions(CASES)
    assert score.precision() >= DESCRIPTION_PRECISION_MIN, score.wrong


def test_descriptions_have_high_recall() -> None:
    """Most facts the descriptions state are found."""
    assert score_descriptions(CASES).recall() >= DESCRIPTION_RECALL_MIN


# Task types the rules do not read yet, each for a reason worth fixing with care rather than
# with a rule for one sentence; strict, so a fix shows up here.
TASK_TYPE_MISSES = {
    "dev-32": "emails 'turned into our booking message' reads as nothing (extraction)",
    "dev-42": "'updates the order as JSON against our POS schema' reads as nothing",
    "dev-48": "'drafts a day-by-day trip summary' reads as summarization",
}


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            case, marks=pytest.mark.xfail(reason=TASK_TYPE_MISSES[case["id"]], strict=True)
        )
        if case["id"] in TASK_TYPE_MISSES
        else case
        for case in CASES
    ],
    ids=[case["id"] for case in CASES],
)
def test_every_description_gives_a_use_case_and_a_task_type(case: dict[str, object]) -> None:
    """Each description yields a one-line use case and the labelled task type."""
    facts = extract_offline(str(case["description"]), known=Requirements(), asked=[]).facts
    assert 0 < len(str(facts["use_case"])) <= 200
    assert facts["task_type"] == case["facts"]["task_type"]  # type: ignore[index]


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_not_sure_to_every_asked_field_gives_no_facts(case: dict[str, object]) -> None:
    """'not sure' to each question of a case adds nothing and marks the fields unknown."""
    asked = list(case["answers"])  # type: ignore[call-overload]
    got = extract_offline("; ".join("not sure" for _ in asked), known=Requirements(), asked=asked)
    assert got.facts == {}
    assert got.unknown == asked
