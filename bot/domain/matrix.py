"""The source article's decision matrix, weighted for one team.

Ratings are the article's (1 poor, 2 good/medium, 3 best), refined by where the
knowledge comes from (docs/design.md §5): knowledge small enough for a cached prompt is
as current, and as useful to the domain, as retrieved knowledge; retrieval or a
prompt-borne knowledge base the facts do not call for only adds latency and cost.
Weights come from the rules' triggers: a criterion that triggered fine-tuning weighs 3,
others weigh a little. The verdict is the highest total among the feasible, ready
candidates (rules.choose), so the matrix and the verdict agree by construction; the
explanation of each weight and of why a higher total is out lives in `scorecard`.
"""

from __future__ import annotations

from typing import NamedTuple

from bot.domain.facts import Facts
from bot.domain.knowledge import KnowledgeRoute
from bot.domain.recommendation import Approach, Criterion
from bot.domain.requirements import (
    DomainSpecialization,
    Level,
    ProjectStage,
    Volatility,
)
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


def ratings(criterion: Criterion, route: KnowledgeRoute) -> dict[Approach, int]:
    return _RATINGS[route][criterion]


_RATINGS: dict[KnowledgeRoute, dict[Criterion, dict[Approach, int]]] = {
    route: {
        criterion: {Approach(name): value for name, value in _ratings(criterion, route).items()}
        for criterion in ARTICLE_RATINGS
    }
    for route in KnowledgeRoute
}


class Triggers(NamedTuple):
    """The rule results the weights read (a subset of rules.RuleResult)."""

    route: KnowledgeRoute
    form_gap: bool
    small_model: bool
    cost_win: bool


def weights(facts: Facts, triggers: Triggers) -> dict[Criterion, float]:
    """How much this team cares about each criterion (numbers only: the hot path)."""
    route = triggers.route
    if route == KnowledgeRoute.NONE:
        current = 0.0
    elif route == KnowledgeRoute.IN_PROMPT:
        current = _VOLATILITY_WEIGHT[Volatility(facts["knowledge_volatility"])]
    else:
        volatility = _VOLATILITY_WEIGHT[Volatility(facts["knowledge_volatility"])]
        current = max(_RETRIEVAL_MIN_WEIGHT, volatility)
    domain = facts["domain_specialization"]
    return {
        Criterion.QUICK_ITERATION: 1.2 if facts["project_stage"] == ProjectStage.PROTOTYPE else 1.0,
        Criterion.CURRENT_INFORMATION: current,
        Criterion.CONSISTENT_STYLE: TRIGGER_WEIGHT
        if triggers.form_gap
        else _STYLE_WEIGHT.get(Level(facts["style_consistency_need"]), _MINOR_WEIGHT),
        Criterion.DOMAIN_EXPERTISE: TRIGGER_WEIGHT
        if triggers.form_gap and domain == DomainSpecialization.NICHE_PROPRIETARY
        else _DOMAIN_WEIGHT.get(DomainSpecialization(domain), _MINOR_WEIGHT),
        Criterion.LOW_LATENCY: TRIGGER_WEIGHT
        if triggers.small_model
        else (
            _MINOR_WEIGHT
            if facts["latency_target_ms"] < ON_PREM_SMALL_MODEL_LATENCY_MS * 2
            else 0.1
        ),
        Criterion.COST_EFFICIENCY: TRIGGER_WEIGHT
        if triggers.cost_win
        else (_MINOR_WEIGHT if facts["requests_per_month"] > 0 else 0.0),
    }


def totals(facts: Facts, triggers: Triggers) -> dict[Approach, float]:
    """Each approach's weighted total, rounded as the matrix shows it."""
    weight = weights(facts, triggers)
    table = _RATINGS[triggers.route]
    return {
        approach: round(sum(weight[c] * table[c][approach] for c in ARTICLE_RATINGS), 2)
        for approach in _ORDER
    }
