"""The decision engine: pure and deterministic (same requirements, byte-identical JSON).

`decide_approach` runs only the rules; `decide` runs the same rules and explains
them (matrix, costs, what would change). Both read the same rule predicates in
`rules.py`; a hypothesis test holds them to the same answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.domain.advice import next_steps, risks
from bot.domain.assumptions import (
    DEFAULT_ASSUMPTIONS,
    Facts,
    fill,
    fill_with,
    raw_facts,
    resolve,
)
from bot.domain.costs import approach_costs, break_even_requests
from bot.domain.explain import fine_tuning_reasons, knowledge_reason
from bot.domain.knowledge import FAMILY, KnowledgeRoute
from bot.domain.matrix import score
from bot.domain.pricing import Pricing, load_pricing
from bot.domain.recommendation import (
    Approach,
    ApproachCost,
    Assumption,
    Change,
    Reason,
    Recommendation,
    ScalarFact,
)
from bot.domain.requirements import Requirements
from bot.domain.rules import Outcome, approach_of, evaluate
from bot.domain.sensitivity import is_combined, what_would_change

ENGINE_VERSION = "1.0.0"

__all__ = ["DEFAULT_ASSUMPTIONS", "ENGINE_VERSION", "decide", "decide_approach"]

# Facts whose assumed value the decision leans on; each one assumed lowers confidence.
_KEY_FIELDS = (
    "needs_external_knowledge",
    "prompt_baseline_gap_pp",
    "labelled_examples",
    "team_ml_capability",
    "maintenance_capacity",
    "requests_per_month",
    "latency_target_ms",
    "deployment_target",
)
_KNOWLEDGE_KEY_FIELDS = ("kb_size_tokens", "knowledge_volatility")
# Assumptions are listed in the schema's order, so the output is stable.
_FIELD_ORDER = {name: index for index, name in enumerate(Requirements.model_fields)}


def decide_approach(requirements: Requirements, pricing: Pricing | None = None) -> Approach:
    """Only the approach: the same rules as decide(), without explanation, what-would-change or
    matrix (the interview planner calls it ~100 times per turn to find decisive unknown facts)."""
    prices = pricing or load_pricing()
    return approach_of(fill(raw_facts(requirements), prices), prices)


def decide(requirements: Requirements, pricing: Pricing | None = None) -> Recommendation:
    """The approach with its confidence, matrix, reasons, assumptions, costs, break-even,
    payback, what would change it, risks and next steps (DESIGN.md §4)."""
    prices = pricing or load_pricing()
    raw = raw_facts(requirements)
    facts, assumed = resolve(raw, prices)
    outcome = evaluate(facts, prices)

    def probe(field: str, value: ScalarFact) -> Approach:
        return approach_of(fill_with(facts, raw, field, value, prices), prices)

    def probe_many(values: Mapping[str, ScalarFact]) -> Approach:
        return approach_of(fill({**raw, **values}, prices), prices)

    costs = approach_costs(facts, prices, outcome.route)
    base, tuned = FAMILY[outcome.route]
    changes = what_would_change(facts, outcome, assumed, probe, probe_many)
    scores = score(facts, outcome)
    return Recommendation(
        approach=outcome.approach,
        confidence=_confidence(facts, assumed, outcome, changes, scores.totals),
        scores=scores,
        reasons=_reasons(facts, outcome, assumed),
        assumptions=_assumptions(facts, assumed, costs, outcome.route, prices),
        costs=costs,
        break_even_requests=break_even_requests(
            fixed_usd=facts["finetune_fixed_cost_usd"],
            base_usd_per_request=costs[base.value].per_request_usd,
            tuned_usd_per_request=costs[tuned.value].per_request_usd,
        ),
        payback_months=None if outcome.payback_months is None else round(outcome.payback_months, 2),
        what_would_change=changes,
        risks=risks(facts, outcome, costs),
        next_steps=next_steps(facts, outcome),
        engine_version=ENGINE_VERSION,
    )


def _reasons(facts: Facts, outcome: Outcome, assumed: Mapping[str, str]) -> list[Reason]:
    reasons = [knowledge_reason(facts, outcome.route)]
    if outcome.route == KnowledgeRoute.IN_PROMPT and facts["citations_required"]:
        reasons.append(
            Reason(
                text="Citations do not need retrieval: they can come from documents placed in "
                "the prompt (Anthropic Citations).",
                facts=["citations_required"],
            )
        )
    reasons.extend(fine_tuning_reasons(facts, outcome, assumed))
    return reasons


def _assumptions(
    facts: Facts,
    assumed: Mapping[str, str],
    costs: Mapping[str, ApproachCost],
    route: KnowledgeRoute,
    pricing: Pricing,
) -> list[Assumption]:
    base, tuned = FAMILY[route]
    # Costs the team did not state are shown as the estimates the comparison used: the
    # route's pair (its rows in the costs table), which break-even and payback compare.
    estimated: dict[str, tuple[ScalarFact, str]] = {
        "cost_per_request_usd": (
            costs[base.value].per_request_usd,
            f"Not stated; the per-request cost of {base.value}, the approach without "
            f"fine-tuning here (its row in the costs table), estimated from the "
            f"{pricing.as_of} price list; break-even and payback compare it with "
            f"{tuned.value}.",
        ),
        "finetuned_cost_per_request_usd": (
            costs[tuned.value].per_request_usd,
            f"Not stated; the per-request cost of {tuned.value} with a small tuned model "
            f"(its row in the costs table), estimated from the {pricing.as_of} price list.",
        ),
    }
    listed = [
        Assumption(field=field, value=estimated[field][0], why=estimated[field][1])
        if field in estimated
        else Assumption(field=field, value=_plain(facts[field]), why=why)
        for field, why in assumed.items()
    ]
    return sorted(listed, key=lambda item: _FIELD_ORDER[item.field])


def _plain(value: Any) -> ScalarFact:
    return value.value if hasattr(value, "value") else value  # type: ignore[no-any-return]


def _confidence(
    facts: Facts,
    assumed: Mapping[str, str],
    outcome: Outcome,
    changes: list[Change],
    totals: Mapping[str, float],
) -> float:
    key = _KEY_FIELDS + (_KNOWLEDGE_KEY_FIELDS if facts["needs_external_knowledge"] else ())
    confidence = 0.92 - 0.05 * sum(1 for field in key if field in assumed)
    # A numeric threshold within a factor of two of today's value is a close call.
    for change in changes:
        if is_combined(change):
            continue  # one fact of several that must move together is no close call
        current, threshold = change.current, change.threshold
        if (
            isinstance(current, int | float)
            and isinstance(threshold, int | float)
            and not isinstance(current, bool)
            and change.field not in assumed
            and current > 0
            and 0.5 <= threshold / current <= 2
        ):
            confidence -= 0.1
            break
    base, tuned = FAMILY[outcome.route]
    if abs(totals[base.value] - totals[tuned.value]) < 1:
        confidence -= 0.05
    return round(min(0.95, max(0.3, confidence)), 2)
