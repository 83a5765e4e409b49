"""Ordinary phrasings the offline extractor once misread, each pinned by a test."""

from __future__ import annotations

import pytest

from bot.domain.requirements import Requirements
from bot.interview.amounts import TOKENS_PER_PAGE
from bot.interview.offline import extract_offline

KNOWLEDGE_QUESTIONS = ["needs_external_knowledge", "kb_size_tokens", "knowledge_volatility"]


def test_a_volume_correction_goes_to_the_volume_not_the_asked_field() -> None:
    """'actually it's 5M a month' while the knowledge questions are pending corrects the volume."""
    got = extract_offline(
        "actually it's 5M a month", known=Requirements(), asked=KNOWLEDGE_QUESTIONS
    )
    assert got.facts == {"requests_per_month": 5_000_000}
    assert got.corrected == ["requests_per_month"]


@pytest.mark.parametrize("text", ["we have 5000 examples", "5000 labelled examples"])
def test_a_count_of_examples_is_not_the_asked_token_count(text: str) -> None:
    """A number followed by "examples" states the examples, whatever was asked."""
    got = extract_offline(text, known=Requirements(), asked=KNOWLEDGE_QUESTIONS)
    assert got.facts == {"labelled_examples": 5000}


def test_a_count_of_requests_is_not_the_asked_latency() -> None:
    """'20k requests a month' in reply to the latency question is a volume, not 20 seconds."""
    got = extract_offline(
        "no idea, but we get about 20k requests a month",
        known=Requirements(),
        asked=["latency_target_ms"],
    )
    assert got.facts == {"requests_per_month": 20_000}


def test_pages_in_a_token_answer_are_converted_to_tokens() -> None:
    """An answer to the token question in pages gives ~400 tokens a page (docs/design.md §5)."""
    got = extract_offline("about 1,000 pages", known=Requirements(), asked=["kb_size_tokens"])
    assert TOKENS_PER_PAGE == 400
    assert got.facts["kb_size_tokens"] == 400_000


def test_stated_tokens_beat_pages_in_a_token_answer() -> None:
    """When an answer gives both pages and tokens, the token count is taken as written."""
    got = extract_offline(
        "~120 pages, roughly 50k tokens", known=Requirements(), asked=["kb_size_tokens"]
    )
    assert got.facts["kb_size_tokens"] == 50_000


def test_pages_of_a_wiki_in_a_description_are_documents_not_tokens() -> None:
    """In a description, pages of a wiki count documents and the volume is kept."""
    facts = extract_offline(
        "We want a bot over our wiki of 1,000 pages that changes weekly, 10k requests a month",
        known=Requirements(),
        asked=[],
    ).facts
    assert facts["requests_per_month"] == 10_000
    assert facts["kb_size_docs"] == 1000
    assert "kb_size_tokens" not in facts


def test_a_tuned_price_between_two_others_is_a_per_request_cost() -> None:
    """The article's three prices in one line land on their three fields."""
    facts = extract_offline(
        "$0.02 per request, fine-tuned would be $0.005, fixed cost $500",
        known=Requirements(),
        asked=[],
    ).facts
    assert facts["cost_per_request_usd"] == 0.02
    assert facts["finetuned_cost_per_request_usd"] == 0.005
    assert facts["finetune_fixed_cost_usd"] == 500


@pytest.mark.parametrize(
    "text",
    [
        "we don't need any external knowledge",
        "We don't need RAG",
        "the input has everything it needs",
        "no, the request text has all it needs",
    ],
)
@pytest.mark.parametrize("asked", [[], ["needs_external_knowledge"]])
def test_saying_no_knowledge_is_needed_states_false(text: str, asked: list[str]) -> None:
    """Plain ways of saying the input is enough give needs_external_knowledge = false."""
    facts = extract_offline(text, known=Requirements(), asked=asked).facts
    assert facts["needs_external_knowledge"] is False


def test_a_decimal_point_thousands_separator_is_not_misread() -> None:
    """'1.000 Anfragen' is not read as 1 of anything; the examples stay 50."""
    facts = extract_offline(
        "1.000 Anfragen pro Monat, 50 labelled examples", known=Requirements(), asked=[]
    ).facts
    assert facts["labelled_examples"] == 50


@pytest.mark.parametrize("text", ["month", "asdf qwer", "ok"])
@pytest.mark.parametrize("asked", [[], ["use_case"], ["use_case", "task_type"]])
def test_garbage_is_not_a_use_case(text: str, asked: list[str]) -> None:
    """A word or two of noise never becomes the use case."""
    facts = extract_offline(text, known=Requirements(), asked=asked).facts
    assert "use_case" not in facts


@pytest.mark.parametrize("text", ["summarising support calls", "a bot that answers HR questions"])
def test_a_short_real_use_case_answer_is_kept(text: str) -> None:
    """A short answer that says what is being built is the use case."""
    facts = extract_offline(text, known=Requirements(), asked=["use_case"]).facts
    assert facts["use_case"] == text


def test_an_example_noun_belongs_to_the_nearest_number() -> None:
    """'1,000 widgets, 50 labelled examples': the examples are the 50, not the 1,000."""
    facts = extract_offline(
        "We sell 1,000 widgets, 50 labelled examples exist", known=Requirements(), asked=[]
    ).facts
    assert facts["labelled_examples"] == 50


def test_a_negation_does_not_reach_past_and() -> None:
    """'no ML engineers and nobody can maintain a model' still states no maintenance capacity."""
    facts = extract_offline(
        "We want a tutor bot. We have no ML engineers and nobody can maintain a model.",
        known=Requirements(),
        asked=[],
    ).facts
    assert facts["maintenance_capacity"] == "none"


def test_a_hyphenated_token_size_is_a_token_count() -> None:
    """'a 2M-token catalogue' states the knowledge base size."""
    facts = extract_offline(
        "Shoppers ask questions about our 2M-token product catalogue.",
        known=Requirements(),
        asked=[],
    ).facts
    assert facts["kb_size_tokens"] == 2_000_000


def test_tokens_of_each_item_are_the_input_size() -> None:
    """'each diff about 3k tokens' is the input per request, not a knowledge base."""
    facts = extract_offline(
        "Explain diffs to junior devs, 12k PRs a month, each diff about 3k tokens.",
        known=Requirements(),
        asked=[],
    ).facts
    assert facts["input_tokens_per_request"] == 3000
    assert "kb_size_tokens" not in facts


@pytest.mark.parametrize("text", ["$0.10 per 1k tokens", "input is $0.25 per million tokens"])
def test_a_price_per_tokens_states_neither_a_request_price_nor_a_size(text: str) -> None:
    """A token price is a rate: no per-request cost and no knowledge-base size."""
    facts = extract_offline(text, known=Requirements(), asked=[]).facts
    assert "cost_per_request_usd" not in facts
    assert "kb_size_tokens" not in facts
