"""The source article's decision matrix, weighted for one team.

Ratings are the article's (1 poor, 2 good/medium, 3 best), refined by where the
knowledge comes from (DESIGN.md §5): knowledge small enough for a cached prompt is
as current, and as useful to the domain, as retrieved knowledge; retrieval or a
prompt-borne knowledge base the facts do not call for only adds latency and cost.
Weights come from the same rule outcome the decision does: a criterion
that triggered fine-tuning weighs 3, others weigh a little, so that within the
approaches the knowledge facts allow, the matrix agrees with the rules.
"""

from __future__ import annotations

from bot.domain.assumptions import Facts
from bot.domain.knowledge import KnowledgeRoute
from bot.domain.recommendation import Approach, Criterion, CriterionScore, Scores
from bot.domain.requirements import (
    DomainSpecialization,
    Level,
    ProjectStage,
    Volatility,
)
from bot.domain.rules import Outcome
from bot.domain.thresholds import ON_PREM_SMALL_MODEL_LATENCY_MS

TRIGGER_WEIGHT = 3.0
# Criteria that did not trigger fine-tuning stay small enough (4 x 0.2 < 1) that
# quick iteration keeps the simpler approach ahead, as "prompting first" asks.
_MINOR_WEIGHT = 0.2

_P, _R, _F, _RF, _PF = (
    Approach.PROMPTING,
    Approach.RAG,
    Approach.FINE_TUNING,
    Approach.RAG_FINE_TUNING,
    Approach.PROMPTING_FINE_TUNING,
)

# criterion -> (label, ratings for prompting, rag, fine_tuning, rag+ft, prompting+ft)
ARTICLE_RATINGS: dict[Criterion, tuple[str, tuple[int, int, int, int, int]]] = {
    Criterion.QUICK_ITERATION: ("Quick iteration", (3, 2, 1, 1, 1)),
    Criterion.CURRENT_INFORMATION: ("Current information", (1, 3, 1, 3, 1)),
    Criterion.CONSISTENT_STYLE: ("Consistent style", (2, 2, 3, 3, 3)),
    Criterion.DOMAIN_EXPERTISE: ("Domain expertise", (1, 2, 3, 3, 3)),
    Criterion.LOW_LATENCY: ("Low latency", (1, 2, 3, 3, 3)),
    Criterion.COST_EFFICIENCY: ("Cost efficiency at volume", (1, 2, 3, 3, 3)),
}
_ORDER = (_P, _R, _F, _RF, _PF)

_OVERHEAD_CRITERIA = frozenset({Criterion.LOW_LATENCY, Criterion.COST_EFFICIENCY})
_UNNEEDED_MACHINERY: dict[KnowledgeRoute, tuple[Approach, ...]] = {
    KnowledgeRoute.NONE: (_R, _RF, _PF),
    KnowledgeRoute.IN_PROMPT: (_R, _RF),
    KnowledgeRoute.RETRIEVAL: (_PF,),  # a knowledge base too large for any prompt
}
# Knowledge that does not fit a prompt makes current information weigh at least this.
_RETRIEVAL_MIN_WEIGHT = 2.0

_VOLATILITY_WEIGHT = {
    Volatility.STATIC: 0.5,
    Volatility.YEARLY: 0.75,
    Volatility.QUARTERLY: 1.0,
    Volatility.MONTHLY: 1.5,
    Volatility.WEEKLY: 2.0,
    Volatility.DAILY: 2.5,
    Volatility.REALTIME: 3.0,
}

_STYLE_WEIGHT = {Level.LOW: 0.0, Level.MEDIUM: 0.1}
_DOMAIN_WEIGHT = {DomainSpecialization.GENERAL: 0.0, DomainSpecialization.SPECIALIZED_PUBLIC: 0.1}


def _ratings(criterion: Criterion, route: KnowledgeRoute) -> dict[str, int]:
    values = dict(zip(_ORDER, ARTICLE_RATINGS[criterion][1], strict=True))
    if route == KnowledgeRoute.IN_PROMPT:
        if criterion == Criterion.CURRENT_INFORMATION:
            # A cached prompt re-injected when the knowledge changes is as current as an index.
            values[_P] = values[_PF] = 3
        elif criterion == Criterion.DOMAIN_EXPERTISE:
            values[_P] = 2  # the same documents retrieval would bring are in the prompt
    elif route == KnowledgeRoute.NONE and criterion == Criterion.DOMAIN_EXPERTISE:
        values[_R] = values[_P]  # with nothing to retrieve, retrieval adds no expertise
    if criterion in _OVERHEAD_CRITERIA:
        # Knowledge machinery the facts do not call for only adds latency and cost.
        for approach in _UNNEEDED_MACHINERY[route]:
            values[approach] = max(1, values[approach] - 1)
    return {approach.value: value for approach, value in values.items()}


def _weights(facts: Facts, outcome: Outcome) -> dict[Criterion, tuple[float, str]]:
    prototype = facts["project_stage"] == ProjectStage.PROTOTYPE
    weights: dict[Criterion, tuple[float, str]] = {
        Criterion.QUICK_ITERATION: (
            1.2 if prototype else 1.0,
            "Prompting first: changing a prompt takes minutes, retraining takes weeks"
            + (" (project_stage: prototype)." if prototype else "."),
        )
    }
    if outcome.route == KnowledgeRoute.NONE:
        weights[Criterion.CURRENT_INFORMATION] = (
            0.0,
            "No external knowledge is needed (needs_external_knowledge).",
        )
    elif outcome.route == KnowledgeRoute.IN_PROMPT:
        volatility = facts["knowledge_volatility"]
        weights[Criterion.CURRENT_INFORMATION] = (
            _VOLATILITY_WEIGHT[volatility],
            f"The knowledge changes {volatility} (knowledge_volatility).",
        )
    else:
        volatility = facts["knowledge_volatility"]
        weights[Criterion.CURRENT_INFORMATION] = (
            max(_RETRIEVAL_MIN_WEIGHT, _VOLATILITY_WEIGHT[volatility]),
            f"The knowledge changes {volatility} and does not fit a prompt "
            "(knowledge_volatility, kb_size_tokens).",
        )
    gap = facts["prompt_baseline_gap_pp"]
    if outcome.form_gap:
        weights[Criterion.CONSISTENT_STYLE] = (
            TRIGGER_WEIGHT,
            f"A {gap:g} pp gap on form (prompt_baseline_gap_pp, output_format_strictness, "
            "style_consistency_need).",
        )
    else:
        need = facts["style_consistency_need"]
        weights[Criterion.CONSISTENT_STYLE] = (
            _STYLE_WEIGHT.get(need, _MINOR_WEIGHT),
            f"Style need is {need} and prompting leaves no large gap on form "
            f"(prompt_baseline_gap_pp {gap:g}).",
        )
    domain = facts["domain_specialization"]
    if outcome.form_gap and domain == DomainSpecialization.NICHE_PROPRIETARY:
        weights[Criterion.DOMAIN_EXPERTISE] = (
            TRIGGER_WEIGHT,
            "Niche jargon and rare syntax the base model lacks (domain_specialization).",
        )
    else:
        weights[Criterion.DOMAIN_EXPERTISE] = (
            _DOMAIN_WEIGHT.get(domain, _MINOR_WEIGHT),
            f"Domain is {domain}: knowledge strong models already have, or no gap it explains.",
        )
    latency = facts["latency_target_ms"]
    if outcome.small_model:
        weights[Criterion.LOW_LATENCY] = (
            TRIGGER_WEIGHT,
            f"p95 {latency:,} ms on {facts['deployment_target']} needs a small model "
            "(latency_target_ms, deployment_target).",
        )
    else:
        weights[Criterion.LOW_LATENCY] = (
            _MINOR_WEIGHT if latency < ON_PREM_SMALL_MODEL_LATENCY_MS * 2 else 0.1,
            f"p95 {latency:,} ms is within reach of a prompted large model (latency_target_ms).",
        )
    if outcome.cost_win:
        weights[Criterion.COST_EFFICIENCY] = (
            TRIGGER_WEIGHT,
            f"Distillation pays back in {outcome.payback_months or 0:.1f} months "
            "(requests_per_month, costs).",
        )
    else:
        weights[Criterion.COST_EFFICIENCY] = (
            _MINOR_WEIGHT if facts["requests_per_month"] > 0 else 0.0,
            "A tuned model does not pay back within the payback window (requests_per_month).",
        )
    return weights


def score(facts: Facts, outcome: Outcome) -> Scores:
    weights = _weights(facts, outcome)
    criteria: list[CriterionScore] = []
    totals = dict.fromkeys((approach.value for approach in _ORDER), 0.0)
    for criterion, (label, _) in ARTICLE_RATINGS.items():
        weight, why = weights[criterion]
        ratings = _ratings(criterion, outcome.route)
        criteria.append(
            CriterionScore(
                criterion=criterion, label=label, weight=weight, ratings=ratings, why_weight=why
            )
        )
        for name, rating in ratings.items():
            totals[name] += weight * rating
    return Scores(
        criteria=criteria, totals={name: round(total, 2) for name, total in totals.items()}
    )
