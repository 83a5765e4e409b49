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
    fill,
    fill_with,
    raw_facts,
    resolve,
)
from bot.domain.confidence import confidence
from bot.domain.costs import TUNED_APPROACHES, approach_costs, break_even_requests
from bot.domain.explain import fine_tuning_reasons, knowledge_reason
from bot.domain.facts import Facts
from bot.domain.feasibility import constraint_reasons, infeasible
from bot.domain.knowledge import FAMILY, KnowledgeRoute
from bot.domain.pricing import Pricing, load_pricing
from bot.domain.readiness import blocked_text, preconditions
from bot.domain.recommendation import (
    APPROACH_WORDS,
    Approach,
    ApproachCost,
    Assumption,
    Reason,
    Recommendation,
    ScalarFact,
)
from bot.domain.requirements import Requirements
from bot.domain.rules import RuleResult, approach_of, evaluate
from bot.domain.scorecard import score
from bot.domain.sensitivity import what_would_change

ENGINE_VERSION = "2.0.0"

__all__ = ["DEFAULT_ASSUMPTIONS", "ENGINE_VERSION", "decide", "decide_approach"]

# Assumptions are listed in the schema's order, so the output is stable.
_FIELD_ORDER = {name: index for index, name in enumerate(Requirements.model_fields)}


def decide_approach(requirements: Requirements, pricing: Pricing | None = None) -> Approach:
    """Only the approach: the same rules as decide(), without explanation, what-would-change or
    matrix (the interview planner calls it ~100 times per turn to find decisive unknown facts)."""
    prices = pricing or load_pricing()
    return approach_of(fill(raw_facts(requirements), prices), prices)


def decide(requirements: Requirements, pricing: Pricing | None = None) -> Recommendation:
    """The approach with its confidence, matrix, reasons, assumptions, costs, break-even,
    payback, what would change it, risks and next steps (docs/design.md §4)."""
    prices = pricing or load_pricing()
    raw = raw_facts(requirements)
    facts, assumed = resolve(raw, prices)
    result = evaluate(facts, prices)

    def probe(field: str, value: ScalarFact) -> Approach:
        return approach_of(fill_with(facts, raw, field, value, prices), prices)

    def probe_many(values: Mapping[str, ScalarFact]) -> Approach:
        return approach_of(fill({**raw, **values}, prices), prices)

    costs = approach_costs(facts, prices, result.route)
    base, tuned = FAMILY[result.route]
    budget_lines = (
        [cost.monthly_usd for cost in costs.values()]
        if facts["budget_monthly_usd"] is not None
        else []
    )
    changes = what_would_change(
        facts,
        result,
        assumed,
        probe=probe,
        probe_many=probe_many,
        budget_lines_usd=budget_lines,
    )
    ruled_out = infeasible(facts, result, costs)
    tuned_verdict = result.approach in TUNED_APPROACHES
    blocked = "not ready: " + blocked_text(facts, result.blockers)
    scores = score(facts, result, ruled_out, blocked)
    open_preconditions = preconditions(facts) if tuned_verdict else []
    return Recommendation(
        approach=result.approach,
        confidence=confidence(
            facts,
            assumed,
            result,
            changes=changes,
            totals=scores.totals,
            open_preconditions=len(open_preconditions),
        ),
        ready=result.ready,
        blocked_by=[] if result.ready else list(result.blockers),
        preconditions=open_preconditions,
        infeasible=ruled_out,
        scores=scores,
        reasons=_reasons(facts, result, costs, prices),
        assumptions=_assumptions(facts, assumed, costs, result.route, prices),
        costs=costs,
        break_even_requests=break_even_requests(
            fixed_usd=facts["finetune_fixed_cost_usd"],
            base_usd_per_request=costs[base.value].per_request_usd,
            tuned_usd_per_request=costs[tuned.value].per_request_usd,
        ),
        payback_months=None if result.payback_months is None else round(result.payback_months, 2),
        what_would_change=changes,
        risks=risks(facts, result, costs),
        next_steps=next_steps(facts, result),
        engine_version=ENGINE_VERSION,
    )


def _reasons(
    facts: Facts, result: RuleResult, costs: Mapping[str, ApproachCost], pricing: Pricing
) -> list[Reason]:
    reasons = constraint_reasons(facts, result, costs, pricing.as_of)
    reasons.append(knowledge_reason(facts, result.route))
    if result.route == KnowledgeRoute.IN_PROMPT and facts["citations_required"]:
        reasons.append(
            Reason(
                text="Citations do not need retrieval: they can come from documents placed in "
                "the prompt (Anthropic Citations).",
                facts=["citations_required"],
            )
        )
    reasons.extend(fine_tuning_reasons(facts, result, pricing.as_of))
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
            f"Not stated; the per-request cost of {APPROACH_WORDS[base]}, the approach without "
            f"fine-tuning here (its row in the costs table), estimated from the "
            f"{pricing.as_of} price list; break-even and payback compare it with "
            f"{APPROACH_WORDS[tuned]}.",
        ),
        "finetuned_cost_per_request_usd": (
            costs[tuned.value].per_request_usd,
            f"Not stated; the per-request cost of {APPROACH_WORDS[tuned]} (its row in the costs "
            f"table), estimated for a small tuned model from the {pricing.as_of} price list.",
        ),
    }
    listed = [
        Assumption(field=field, value=estimated[field][0], why=estimated[field][1])
        if field in estimated
        else Assumption(field=field, value=_plain(facts[field]), why=why)  # type: ignore[literal-required]
        for field, why in assumed.items()
    ]
    return sorted(listed, key=lambda item: _FIELD_ORDER[item.field])


def _plain(value: Any) -> ScalarFact:
    return value.value if hasattr(value, "value") else value  # type: ignore[no-any-return]
