"""Hard constraints in plain words: which approaches they rule out, and the reasons that
say so (docs/design.md §5: hard constraints decide what is feasible before anything else)."""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.facts import Facts
from bot.domain.fields import value_words
from bot.domain.knowledge import KnowledgeRoute
from bot.domain.readiness import blocked_text
from bot.domain.recommendation import APPROACH_WORDS, Approach, ApproachCost, Reason
from bot.domain.requirements import DataPrivacy, DeploymentTarget
from bot.domain.rules import (
    LARGE_MODEL_APPROACHES,
    OVER_BUDGET,
    RuleResult,
    candidates,
    large_model_floor_ms,
)
from bot.domain.thresholds import REALTIME_LATENCY_MS, RETRIEVAL_LATENCY_MS

LATENCY_SOURCE = (
    "a large model's time to first token (with a hosted API's round trip) alone takes about that "
    "long; "
    "OpenAI, Latency optimization: model size is the main factor in speed, and a smaller "
    "fine-tuned model keeps the quality"
)


def _large_model_words(facts: Facts, route: KnowledgeRoute) -> str:
    if facts["deployment_target"] == DeploymentTarget.EDGE_DEVICE:
        return (
            "it runs on an edge device, which holds only a small model and, offline, cannot "
            "reach a hosted API"
        )
    floor = large_model_floor_ms(route)
    retrieval = (
        f" once retrieval takes its own ~{RETRIEVAL_LATENCY_MS} ms (RAG adds roughly 15-150 ms)"
        if floor > REALTIME_LATENCY_MS
        else ""
    )
    return (
        f"a p95 of {facts['latency_target_ms']:,} ms is under the ~{floor} ms a "
        f"prompted large model can meet{retrieval} ({LATENCY_SOURCE})"
    )


def _budget_applies(facts: Facts, result: RuleResult, costs: Mapping[str, ApproachCost]) -> bool:
    budget = facts["budget_monthly_usd"]
    if budget is None:
        return False
    pool = [
        a
        for a in candidates(result.route, result.wants_fine_tuning)
        if not (result.large_model_ruled_out and a in LARGE_MODEL_APPROACHES)
    ]
    return any(costs[a.value].monthly_usd <= budget for a in pool)


def infeasible(
    facts: Facts, result: RuleResult, costs: Mapping[str, ApproachCost]
) -> dict[str, str]:
    """Every approach a stated hard constraint rules out, with the reason in plain words."""
    out: dict[str, str] = {}
    if result.large_model_ruled_out:
        words = _large_model_words(facts, result.route)
        for approach in LARGE_MODEL_APPROACHES:
            out[approach.value] = f"needs a prompted large model, and {words}"
    if _budget_applies(facts, result, costs):
        budget = facts["budget_monthly_usd"] or 0.0
        for approach in Approach:
            monthly = costs[approach.value].monthly_usd
            if approach.value not in out and monthly > budget:
                out[approach.value] = (
                    f"over the ${budget:,.0f} monthly budget: about ${monthly:,.0f} a month "
                    "(the costs table)"
                )
    return dict(sorted(out.items()))


def constraint_reasons(
    facts: Facts, result: RuleResult, costs: Mapping[str, ApproachCost], as_of: str
) -> list[Reason]:
    """Why hard constraints shaped the verdict, and what blocks it when it is not ready."""
    reasons: list[Reason] = []
    if result.large_model_ruled_out:
        reasons.append(
            Reason(
                text="Hard constraint: "
                + _large_model_words(facts, result.route)
                + ". Prompting and RAG on a large model cannot meet it; only a small model "
                "tuned for the task can.",
                facts=["deployment_target", "latency_target_ms"],
            )
        )
    over = sorted(a.value for a, why in result.infeasible.items() if why == OVER_BUDGET)
    if over:
        budget = facts["budget_monthly_usd"] or 0.0
        priced = ", ".join(
            f"{APPROACH_WORDS[Approach(name)]} (~${costs[name].monthly_usd:,.0f} a month)"
            for name in over
        )
        stated = (
            "your stated costs"
            if facts["cost_per_request_usd"] is not None
            else (f"the {as_of} price list")
        )
        reasons.append(
            Reason(
                text=f"Hard constraint: the ${budget:,.0f} monthly budget rules out {priced}; "
                f"{APPROACH_WORDS[result.approach]} fits at ~"
                f"${costs[result.approach.value].monthly_usd:,.0f} a month (estimates from "
                f"{stated} at {facts['requests_per_month']:,} requests a month).",
                facts=["budget_monthly_usd", "requests_per_month"],
            )
        )
    if not result.ready:
        why = (
            "runs on the device"
            if facts["deployment_target"] == DeploymentTarget.EDGE_DEVICE
            else "meets the latency target"
            if result.large_model_ruled_out
            else "fits the hard constraints"
        )
        lead = APPROACH_WORDS[result.approach]
        reasons.append(
            Reason(
                text=f"{lead[0].upper()}{lead[1:]} is the only route that {why}. Not ready: "
                f"{blocked_text(facts, result.blockers)}. Recommending an approach that cannot "
                "meet the constraints would be wrong: resolve the blocker first.",
                facts=list(result.blockers),
            )
        )
    if facts["data_privacy"] == DataPrivacy.AIR_GAPPED:
        target = value_words("deployment_target", str(facts["deployment_target"]))
        reasons.append(
            Reason(
                text="Hard constraint: air-gapped data rules out every hosted model API; "
                f"each part of the answer runs on {target} you operate.",
                facts=["data_privacy", "deployment_target"],
            )
        )
    return reasons
