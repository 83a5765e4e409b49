"""The decision matrix as the output shows it: each weight with why, and why any approach
scoring above the verdict is out (blocked, over budget, infeasible, or not what the
knowledge calls for), in plain words."""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.costs import TUNED_APPROACHES
from bot.domain.facts import Facts
from bot.domain.fields import value_words
from bot.domain.knowledge import KnowledgeRoute
from bot.domain.matrix import ARTICLE_RATINGS, TRIGGER_WEIGHT, Triggers, ratings, weights
from bot.domain.recommendation import Approach, Criterion, CriterionScore, Scores
from bot.domain.rules import RuleResult, candidates


def _why_weight(facts: Facts, result: RuleResult) -> dict[Criterion, str]:
    gap = facts["prompt_baseline_gap_pp"]
    latency = facts["latency_target_ms"]
    volatility = value_words("knowledge_volatility", str(facts["knowledge_volatility"]))
    prototype = " (the project is a prototype)" if facts["project_stage"] == "prototype" else ""
    if result.route == KnowledgeRoute.NONE:
        current = "No external knowledge is needed."
    elif result.route == KnowledgeRoute.IN_PROMPT:
        current = f"The knowledge changes {volatility}."
    else:
        current = f"The knowledge changes {volatility} and does not fit a prompt."
    domain = facts["domain_specialization"]
    style = value_words("style_consistency_need", str(facts["style_consistency_need"]))
    return {
        Criterion.QUICK_ITERATION: "Prompting first: changing a prompt takes minutes, "
        f"retraining takes weeks{prototype}.",
        Criterion.CURRENT_INFORMATION: current,
        Criterion.CONSISTENT_STYLE: f"A {gap:g} pp gap to the quality target on form (output "
        "format, voice or domain language)."
        if result.form_gap
        else f"The need for a consistent voice is {style} and prompting leaves no large gap on "
        f"form (gap {gap:g} pp).",
        Criterion.DOMAIN_EXPERTISE: "Niche jargon and rare syntax the base model lacks."
        if result.form_gap and domain == "niche_proprietary"
        else f"Domain is {value_words('domain_specialization', str(domain))}: knowledge strong "
        "models already have, or no gap it explains.",
        Criterion.LOW_LATENCY: f"p95 {latency:,} ms on "
        f"{value_words('deployment_target', str(facts['deployment_target']))} needs a small "
        "model."
        if result.small_model
        else f"p95 {latency:,} ms is within reach of a prompted large model.",
        Criterion.COST_EFFICIENCY: f"Distillation pays back in {result.payback_months or 0:.1f} "
        "months at the stated volume (see the costs)."
        if result.cost_win
        else "A tuned model does not pay back within the payback window at a stated volume.",
    }


# Why an approach the knowledge facts do not call for is out, by knowledge route.
_NOT_CALLED_FOR: dict[KnowledgeRoute, str] = {
    KnowledgeRoute.NONE: "not called for: each request carries what the answer needs, so "
    "there is nothing to retrieve or place in the prompt",
    KnowledgeRoute.IN_PROMPT: "cannot carry the knowledge: fine-tuning teaches form, not facts "
    "(Ovadia et al. 2023; Gekhman et al. 2024), so the knowledge base stays in the prompt",
    KnowledgeRoute.RETRIEVAL: "cannot carry the knowledge: it is too large or changes too fast "
    "for a prompt, and fine-tuning teaches form, not facts, so it must be retrieved",
}


def ruled_out(
    result: RuleResult,
    totals: Mapping[str, float],
    infeasible: Mapping[str, str],
    blocked: str,
) -> dict[str, str]:
    """For each approach scoring at least the verdict's total, why it is not the verdict."""
    chosen = totals[result.approach.value]
    wants = result.wants_fine_tuning
    allowed = set(candidates(result.route, wants))
    out: dict[str, str] = {}
    for name, total in totals.items():
        approach = Approach(name)
        if approach == result.approach or total < chosen:
            continue
        if name in infeasible:
            out[name] = infeasible[name]
        elif approach not in allowed:
            out[name] = _NOT_CALLED_FOR[result.route]
        elif result.blockers and approach in TUNED_APPROACHES:
            out[name] = blocked
        else:
            out[name] = "ties with the verdict; the rules prefer the simpler approach"
    return out


def score(facts: Facts, result: RuleResult, infeasible: Mapping[str, str], blocked: str) -> Scores:
    triggers = Triggers(result.route, result.form_gap, result.small_model, result.cost_win)
    weight = weights(facts, triggers)
    why = _why_weight(facts, result)
    criteria: list[CriterionScore] = []
    totals = dict.fromkeys((approach.value for approach in Approach), 0.0)
    for criterion, (label, _) in ARTICLE_RATINGS.items():
        row = {
            approach.value: value for approach, value in ratings(criterion, result.route).items()
        }
        criteria.append(
            CriterionScore(
                criterion=criterion,
                label=label,
                weight=weight[criterion],
                ratings=row,
                why_weight=why[criterion],
            )
        )
        for name, rating in row.items():
            totals[name] += weight[criterion] * rating
    rounded = {name: round(total, 2) for name, total in totals.items()}
    return Scores(
        criteria=criteria,
        totals=rounded,
        ruled_out=ruled_out(result, rounded, infeasible, blocked),
    )


__all__ = ["TRIGGER_WEIGHT", "ruled_out", "score"]
