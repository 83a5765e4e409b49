"""Readings the held-out expert scenarios needed end to end, each as a general rule."""

from __future__ import annotations

import pytest

from bot.domain.requirements import Requirements
from bot.interview.gap import read_gap
from bot.interview.offline import extract_offline
from bot.interview.quantities import find_quantities


def _facts(text: str) -> dict[str, object]:
    return dict(extract_offline(text, known=Requirements(), asked=[]).facts)


@pytest.mark.parametrize(
    ("text", "gap"),
    [
        ("Prompted drafts score 72 vs an 86 target on our eval set", 14),
        ("the prompt scored 80 against the 88 goal", 8),
    ],
)
def test_bare_scores_against_a_named_target_give_the_gap(text: str, gap: float) -> None:
    """Two scores without a percent sign, the second named the target, give their difference."""
    assert read_gap(text, find_quantities(text)) == gap


def test_a_score_against_a_count_is_not_a_gap() -> None:
    """A number above 100 after "vs" is not a target score."""
    text = "we scored 72 vs a 4000 target of tickets"
    assert read_gap(text, find_quantities(text)) is None


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("We have about 20,000 documents with their correct messages.", 20000),
        ("We have ~2,000 past reports in the template but no eval set yet.", 2000),
        ("We only have 25 descriptions the brand team considers perfect.", 25),
        ("We have 10,000 historical alerts and an eval set.", 10000),
    ],
)
def test_past_outputs_count_as_examples_not_documents(text: str, count: int) -> None:
    """Documents paired with their outputs, or already written in the output's template, are
    labelled examples, not a knowledge base."""
    facts = _facts(text)
    assert facts.get("labelled_examples") == count
    assert "kb_size_docs" not in facts


def test_the_input_holding_everything_outweighs_an_example_count() -> None:
    """Once the count is read as examples, "the document has everything needed" says no
    knowledge base is needed."""
    text = (
        "We convert scanned shipping documents into our fixed-width EDI message format. We"
        " have about 20,000 documents with their correct messages. The document has"
        " everything needed."
    )
    assert _facts(text).get("needs_external_knowledge") is False


def test_no_external_info_and_input_in_the_request() -> None:
    """Saying no external info is needed, and that the input is in the request, needs none."""
    text = "No external info needed, the product sheet is in the request."
    assert _facts(text).get("needs_external_knowledge") is False


@pytest.mark.parametrize(
    "text",
    [
        "The service guide it answers from is ~30k tokens and changes quarterly.",
        "The exhibit notes are ~10k tokens and never change during a season.",
        "It answers from a ~15k-token services FAQ that changes quarterly.",
        "grounded in our brief bank and case-law summaries: ~4M tokens, updated weekly.",
    ],
)
def test_a_token_count_that_changes_is_the_knowledge_base(text: str) -> None:
    """Tokens said to change or be revised are a body of knowledge, not a request's text."""
    facts = _facts(text)
    assert "input_tokens_per_request" not in facts and "output_tokens_per_request" not in facts
    assert facts.get("kb_size_tokens") is not None


def test_a_request_size_beside_changing_docs_stays_the_request() -> None:
    """A request size stays one when the sentence goes on to say the docs change."""
    text = "each request is ~4k tokens and the docs change weekly"
    assert _facts(text).get("input_tokens_per_request") == 4000
