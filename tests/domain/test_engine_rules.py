"""Table-driven tests: one row per rule of docs/design.md §5 and per hybrid."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.engine import decide, decide_approach
from bot.domain.requirements import Requirements

# Fully known, fine-tuning feasible but not wanted, no knowledge needed: prompting.
READY: dict[str, Any] = {
    "task_type": "generation",
    "needs_external_knowledge": False,
    "output_format_strictness": "free",
    "style_consistency_need": "medium",
    "domain_specialization": "general",
    "prompt_baseline_gap_pp": 0,
    "latency_target_ms": 3000,
    "deployment_target": "cloud_api",
    "requests_per_month": 10_000,
    "labelled_examples": 1_000,
    "team_ml_capability": "basic",
    "maintenance_capacity": "limited",
    "project_stage": "pilot",
    "eval_set_exists": True,
}
SMALL_KB = {
    "needs_external_knowledge": True,
    "kb_size_tokens": 50_000,
    "knowledge_volatility": "quarterly",
}
LARGE_KB = {
    "needs_external_knowledge": True,
    "kb_size_tokens": 9_000_000,
    "knowledge_volatility": "monthly",
}
FORM_GAP = {"prompt_baseline_gap_pp": 15, "output_format_strictness": "strict_custom"}
# The source article's own cost example at a volume that pays back in days.
COST_WIN = {
    "requests_per_month": 150_000,
    "cost_per_request_usd": 0.02,
    "finetuned_cost_per_request_usd": 0.005,
    "finetune_fixed_cost_usd": 500,
    "finetune_hosting_usd_per_month": 0,
}

CASES: list[tuple[str, dict[str, Any], str]] = [
    # Prompting first.
    ("nothing calls for more than a prompt", {}, "prompting"),
    # Knowledge: size with volatility decides, not document count alone.
    ("a small knowledge base fits a cached prompt", SMALL_KB, "prompting"),
    (
        "just under the 200k line stays in the prompt",
        {**SMALL_KB, "kb_size_tokens": 199_999},
        "prompting",
    ),
    ("at the 200k line retrieval takes over", {**SMALL_KB, "kb_size_tokens": 200_000}, "rag"),
    (
        "real-time knowledge is fetched at query time",
        {**SMALL_KB, "knowledge_volatility": "realtime"},
        "rag",
    ),
    (
        "static but large knowledge still needs retrieval",
        {**LARGE_KB, "knowledge_volatility": "static"},
        "rag",
    ),
    (
        "citations come from in-prompt documents",
        {**SMALL_KB, "citations_required": True},
        "prompting",
    ),
    (
        "a document count alone implies a large knowledge base",
        {"needs_external_knowledge": None, "kb_size_docs": 120_000},
        "rag",
    ),
    # Behaviour: fine-tuning teaches form.
    ("a large gap on a custom format", FORM_GAP, "fine_tuning"),
    (
        "a large gap on a fixed voice",
        {"prompt_baseline_gap_pp": 15, "style_consistency_need": "high"},
        "fine_tuning",
    ),
    (
        "a large gap on niche jargon",
        {"prompt_baseline_gap_pp": 15, "domain_specialization": "niche_proprietary"},
        "fine_tuning",
    ),
    (
        "a large gap on a common schema is for structured outputs",
        {"prompt_baseline_gap_pp": 15, "output_format_strictness": "common_schema"},
        "prompting",
    ),
    ("a 5 pp gap is not large", {**FORM_GAP, "prompt_baseline_gap_pp": 5}, "prompting"),
    (
        "specialised public knowledge is not trained in",
        {"domain_specialization": "specialized_public", "prompt_baseline_gap_pp": 3},
        "prompting",
    ),
    # Behaviour: latency and deployment.
    ("a real-time latency target needs a small model", {"latency_target_ms": 299}, "fine_tuning"),
    ("300 ms is within reach of prompting", {"latency_target_ms": 300}, "prompting"),
    (
        "an edge device needs a small tuned model",
        {"deployment_target": "edge_device", "team_ml_capability": "strong"},
        "fine_tuning",
    ),
    (
        "on-prem with a sub-second target needs a small model",
        {"deployment_target": "on_prem", "team_ml_capability": "strong", "latency_target_ms": 999},
        "fine_tuning",
    ),
    (
        "on-prem with a relaxed target does not",
        {"deployment_target": "on_prem", "team_ml_capability": "strong", "latency_target_ms": 1000},
        "prompting",
    ),
    # Cost: distillation only with a short payback.
    ("distillation that pays back in days", COST_WIN, "fine_tuning"),
    (
        "distillation that takes 20 months to pay back",
        {
            "requests_per_month": 2_000_000,
            "cost_per_request_usd": 0.0009,
            "finetuned_cost_per_request_usd": 0.0007,
            "finetune_fixed_cost_usd": 8000,
            "finetune_hosting_usd_per_month": 0,
        },
        "prompting",
    ),
    (
        "a saving eaten by hosting never pays back",
        {**COST_WIN, "finetune_hosting_usd_per_month": 5_000},
        "prompting",
    ),
    # Gates.
    ("49 examples are under the floor", {**FORM_GAP, "labelled_examples": 49}, "prompting"),
    ("50 examples meet the floor", {**FORM_GAP, "labelled_examples": 50}, "fine_tuning"),
    ("no ML skills", {**FORM_GAP, "team_ml_capability": "none"}, "prompting"),
    ("nobody to retrain", {**FORM_GAP, "maintenance_capacity": "none"}, "prompting"),
    ("prototypes iterate with prompts", {**FORM_GAP, "project_stage": "prototype"}, "prompting"),
    (
        "edge weights need a team that serves open weights, but nothing else runs there",
        {"deployment_target": "edge_device", "team_ml_capability": "basic"},
        "fine_tuning",
    ),
    (
        "on-prem weights need a team that serves open weights; a relaxed target allows prompting",
        {**FORM_GAP, "deployment_target": "on_prem", "team_ml_capability": "basic"},
        "prompting",
    ),
    (
        "a gated case with knowledge keeps retrieval",
        {**LARGE_KB, **FORM_GAP, "labelled_examples": 0},
        "rag",
    ),
    # Hybrids.
    ("retrieval for facts, tuning for form", {**LARGE_KB, **FORM_GAP}, "rag+fine_tuning"),
    ("cached knowledge plus tuning for form", {**SMALL_KB, **FORM_GAP}, "prompting+fine_tuning"),
    (
        "real-time facts plus a cheaper tuned model",
        {**SMALL_KB, "knowledge_volatility": "realtime", **COST_WIN},
        "rag+fine_tuning",
    ),
    ("cached knowledge plus distillation", {**SMALL_KB, **COST_WIN}, "prompting+fine_tuning"),
    (
        "retrieval on an edge device with a small tuned model",
        {**LARGE_KB, "deployment_target": "edge_device", "team_ml_capability": "strong"},
        "rag+fine_tuning",
    ),
]


@pytest.mark.parametrize(
    ("overrides", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_rule_table(overrides: dict[str, Any], expected: str) -> None:
    """Each rule row reaches its approach, in decide() and decide_approach() alike."""
    requirements = Requirements.model_validate({**READY, **overrides})
    assert decide_approach(requirements) == expected
    assert decide(requirements).approach == expected


def test_unknown_readiness_is_a_precondition_not_a_blocker() -> None:
    """Unstated readiness does not block fine-tuning: each open gate is a precondition and
    confidence is lower than with every gate stated."""
    open_gates = Requirements.model_validate({**FORM_GAP, "needs_external_knowledge": False})
    recommendation = decide(open_gates)
    assert recommendation.approach == "fine_tuning" and recommendation.ready
    assert [item.field for item in recommendation.preconditions] == [
        "labelled_examples",
        "team_ml_capability",
        "maintenance_capacity",
        "eval_set_exists",
        "project_stage",
    ]
    stated = decide(Requirements.model_validate({**READY, **FORM_GAP}))
    assert stated.preconditions == [] and stated.confidence > recommendation.confidence


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("labelled_examples", 10),
        ("team_ml_capability", "none"),
        ("maintenance_capacity", "none"),
        ("project_stage", "prototype"),
    ],
)
def test_stated_insufficiency_still_blocks(field: str, value: Any) -> None:
    """A gate stated as insufficient blocks tuning and the reason says why in plain words."""
    requirements = Requirements.model_validate({**FORM_GAP, field: value})
    recommendation = decide(requirements)
    assert recommendation.approach == "prompting"
    assert any(reason.facts == [field] for reason in recommendation.reasons)


def test_the_only_feasible_route_stays_the_verdict_when_blocked() -> None:
    """On an edge device with nobody to retrain, fine-tuning stays the verdict, not ready,
    blocked by maintenance, with prompting and RAG listed as infeasible (dev-39's shape)."""
    requirements = Requirements.model_validate(
        {
            **READY,
            "deployment_target": "edge_device",
            "team_ml_capability": "strong",
            "maintenance_capacity": "none",
        }
    )
    recommendation = decide(requirements)
    assert recommendation.approach == "fine_tuning"
    assert not recommendation.ready
    assert recommendation.blocked_by == ["maintenance_capacity"]
    assert set(recommendation.infeasible) == {"prompting", "rag"}
    assert "edge device" in recommendation.infeasible["prompting"]
    text = " ".join(reason.text for reason in recommendation.reasons)
    assert "only route that runs on the device" in text and "Not ready" in text
    assert "maintenance_capacity" not in text  # plain words, not identifiers


def test_latency_under_the_line_rules_out_prompting_with_a_cited_source() -> None:
    """A p95 under 300 ms rules out a prompted large model, and the reason cites its source."""
    recommendation = decide(Requirements.model_validate({**READY, "latency_target_ms": 80}))
    assert recommendation.approach == "fine_tuning"
    assert "Latency optimization" in recommendation.infeasible["prompting"]


def test_a_stated_budget_rules_out_what_exceeds_it() -> None:
    """A budget prompting breaks, and a tuned model meets, gives fine-tuning (dev-43's shape);
    the over-budget approach is infeasible, with its estimate in words."""
    facts = {
        **READY,
        "requests_per_month": 1_500_000,
        "cost_per_request_usd": 0.004,
        "finetuned_cost_per_request_usd": 0.0015,
        "finetune_hosting_usd_per_month": 1224,
        "finetune_fixed_cost_usd": 35_000,
        "budget_monthly_usd": 4500,
    }
    recommendation = decide(Requirements.model_validate(facts))
    assert recommendation.approach == "fine_tuning"
    assert "budget" in recommendation.infeasible["prompting"]
    assert "$6,000" in recommendation.infeasible["prompting"]
    no_budget = decide(Requirements.model_validate({**facts, "budget_monthly_usd": None}))
    assert no_budget.approach == "prompting"


def test_a_budget_nothing_fits_rules_nothing_out() -> None:
    """When no approach fits the budget, the verdict stands and the overrun is a risk."""
    recommendation = decide(Requirements.model_validate({**READY, "budget_monthly_usd": 0}))
    assert recommendation.approach == "prompting"
    assert recommendation.infeasible == {}
    assert any("no approach fits" in risk for risk in recommendation.risks)


def test_cost_driven_tuning_needs_a_stated_volume() -> None:
    """The article's saving decides only at a stated volume; list prices lower confidence."""
    stated = {**COST_WIN, "input_tokens_per_request": 1500}
    assert decide_approach(Requirements.model_validate({**READY, **stated})) == "fine_tuning"
    unstated = {**stated, "requests_per_month": None}
    assert decide_approach(Requirements.model_validate({**READY, **unstated})) == "prompting"
    listed = {
        **stated,
        "cost_per_request_usd": None,
        "finetuned_cost_per_request_usd": None,
        "requests_per_month": 5_000_000,
    }
    recommendation = decide(Requirements.model_validate({**READY, **listed}))
    assert recommendation.approach == "fine_tuning"
    assert any("price list's prices, not yours" in r.text for r in recommendation.reasons)


def test_empty_requirements_decide_prompting() -> None:
    """With nothing known, the engine starts with prompting."""
    assert decide(Requirements()).approach == "prompting"
