"""The offline extractor on phrasings written apart from the dev corpus (a small held-out check)."""

from __future__ import annotations

import pytest

from bot.domain.requirements import Requirements
from bot.interview.offline import extract_offline

DESCRIPTIONS: list[tuple[str, dict[str, object]]] = [
    (
        "We want to auto-triage incoming support tickets into one of 40 categories. About 120k "
        "tickets/month; the prompt is at 88% on our gold set and we need 93%. We have 50k "
        "labelled tickets.",
        {
            "task_type": "classification",
            "requests_per_month": 120_000,
            "prompt_baseline_gap_pp": 5,
            "labelled_examples": 50_000,
            "eval_set_exists": True,
        },
    ),
    (
        "Customer support chatbot for our fintech app. It should answer from our help center "
        "(~800 articles, around 1.2M tokens) which changes weekly, and always link the article.",
        {
            "task_type": "qa_over_docs",
            "kb_size_docs": 800,
            "kb_size_tokens": 1_200_000,
            "knowledge_volatility": "weekly",
            "citations_required": True,
            "needs_external_knowledge": True,
        },
    ),
    (
        "Radiology: draft reports from dictated findings in our structured template. Must run "
        "on-prem because of HIPAA, p95 of 2 seconds. We have 200k historical reports paired "
        "with dictations.",
        {
            "task_type": "generation",
            "output_format_strictness": "strict_custom",
            "deployment_target": "on_prem",
            "data_privacy": "regulated",
            "latency_target_ms": 2000,
            "labelled_examples": 200_000,
        },
    ),
    (
        "We currently pay $0.03/request; a tuned 8B would cost $0.004/request plus $1,500/month "
        "hosting and $12k upfront.",
        {
            "cost_per_request_usd": 0.03,
            "finetuned_cost_per_request_usd": 0.004,
            "finetune_hosting_usd_per_month": 1500,
            "finetune_fixed_cost_usd": 12_000,
        },
    ),
    (
        "Roughly 1,000,000 requests per month, each with 2k tokens of input and 300 output tokens.",
        {
            "requests_per_month": 1_000_000,
            "input_tokens_per_request": 2000,
            "output_tokens_per_request": 300,
        },
    ),
    (
        "Our knowledge base is 150k tokens and static; we answer HR policy questions for 2,000 "
        "employees, maybe 3k questions a month.",
        {
            "kb_size_tokens": 150_000,
            "knowledge_volatility": "static",
            "requests_per_month": 3000,
            "task_type": "qa_over_docs",
        },
    ),
]


@pytest.mark.parametrize(("text", "expected"), DESCRIPTIONS)
def test_description_states_its_facts(text: str, expected: dict[str, object]) -> None:
    """Each stated fact is read with its labelled value, and nothing contradicts it."""
    facts = extract_offline(text, known=Requirements(), asked=[]).facts
    assert {field: facts.get(field) for field in expected} == pytest.approx(expected)


DESCRIPTIONS += [
    (
        "Insurance claims team. We want to pull policy number, claimant and amount from scanned "
        "claim letters into our claims JSON. 80k letters every month. We have 12,000 letters "
        "with hand-keyed fields.",
        {
            "task_type": "extraction",
            "output_format_strictness": "common_schema",
            "requests_per_month": 80_000,
            "labelled_examples": 12_000,
        },
    ),
    (
        "Rewrite shopper queries into structured filters for our catalog API. Peak 40 QPS, "
        "p95 must stay under 250ms.",
        {
            "task_type": "semantic_parsing",
            "requests_per_month": 40 * 30 * 24 * 3600,
            "latency_target_ms": 250,
        },
    ),
    (
        "Marketing wants product descriptions written in our brand voice for ~3,000 new SKUs "
        "each quarter. Budget is around $1,000 a month.",
        {
            "task_type": "generation",
            "style_consistency_need": "high",
            "requests_per_month": 1000,
            "knowledge_volatility": None,
            "budget_monthly_usd": 1000,
        },
    ),
]

ANSWERS: list[tuple[str, str, object]] = [
    ("requests_per_month", "about 500 per day", 15_000),
    ("requests_per_month", "we get around 3000 tickets weekly", 13_000),
    ("latency_target_ms", "a minute is ok", 60_000),
    ("labelled_examples", "a couple hundred", 200),
    ("kb_size_docs", "~150 PDFs", 150),
    ("cost_per_request_usd", "0.5 cents per call", 0.005),
    ("prompt_baseline_gap_pp", "we're at 80%, need 90%", 10),
    ("prompt_baseline_gap_pp", "no gap, we already meet the target", 0),
    ("team_ml_capability", "nobody knows ML", "none"),
    ("maintenance_capacity", "nobody", "none"),
    ("data_privacy", "nothing special", "standard"),
    ("deployment_target", "AWS Bedrock is fine", "cloud_api"),
    ("deployment_target", "on laptops, offline", "edge_device"),
    ("eval_set_exists", "we have a golden set of 200", True),
    ("knowledge_volatility", "hardly ever changes", "static"),
    ("knowledge_volatility", "a few times a year", "quarterly"),
    ("output_format_strictness", "just text", "free"),
    ("style_consistency_need", "doesn't matter", "low"),
    ("domain_specialization", "lots of internal acronyms", "niche_proprietary"),
    ("citations_required", "not necessary", False),
]


@pytest.mark.parametrize(("field", "text", "value"), ANSWERS)
def test_answer_gives_the_asked_fact(field: str, text: str, value: object) -> None:
    """A reply phrased in a way the corpus does not use still answers the asked field."""
    facts = extract_offline(text, known=Requirements(), asked=[field]).facts
    assert facts.get(field) == pytest.approx(value)


@pytest.mark.parametrize("text", ["no budget set yet", "?", "skip"])
def test_non_answers_mark_the_field_unknown(text: str) -> None:
    """A reply that gives no value leaves the field unknown rather than guessing zero."""
    got = extract_offline(text, known=Requirements(), asked=["budget_monthly_usd"])
    assert got.facts == {}
    assert got.unknown == ["budget_monthly_usd"]
