"""The decision rules, in DESIGN.md §5's order: gates, knowledge, behaviour, cost, combine.

This is the single source of truth: `decide`, `decide_approach`, the matrix and
`what_would_change` all read an `Outcome` from `evaluate`.
"""

from __future__ import annotations

from typing import NamedTuple

from bot.domain.assumptions import Facts
from bot.domain.costs import pair_usd, payback_months
from bot.domain.knowledge import FAMILY, KnowledgeRoute, route_knowledge
from bot.domain.pricing import Pricing
from bot.domain.recommendation import Approach
from bot.domain.requirements import (
    DeploymentTarget,
    DomainSpecialization,
    Level,
    MaintenanceCapacity,
    MlCapability,
    OutputStrictness,
    ProjectStage,
)
from bot.domain.thresholds import (
    LARGE_GAP_PP,
    MIN_LABELLED_EXAMPLES,
    ON_PREM_SMALL_MODEL_LATENCY_MS,
    PAYBACK_MAX_MONTHS,
    REALTIME_LATENCY_MS,
)

# Where managed fine-tuning APIs cannot go: the tuned weights must be served by the team.
SELF_HOSTED_TARGETS = frozenset({DeploymentTarget.ON_PREM, DeploymentTarget.EDGE_DEVICE})


class Outcome(NamedTuple):  # a tuple: built on every probe, so construction must be cheap
    route: KnowledgeRoute
    # Facts that make fine-tuning infeasible for now (empty when feasible).
    blockers: tuple[str, ...]
    # A large gap on form: a non-standard format, a fixed voice, or niche jargon.
    form_gap: bool
    # Latency or deployment that only a small tuned model meets.
    small_model: bool
    # Distilling into a cheaper tuned model pays back soon enough.
    cost_win: bool
    base_usd_per_request: float
    tuned_usd_per_request: float
    payback_months: float | None

    @property
    def feasible(self) -> bool:
        return not self.blockers

    @property
    def wants_fine_tuning(self) -> bool:
        return self.form_gap or self.small_model or self.cost_win

    @property
    def approach(self) -> Approach:
        base, tuned = FAMILY[self.route]
        return tuned if self.feasible and self.wants_fine_tuning else base


# The facts the gates read: a reason naming only these explains why tuning is ruled out.
GATE_FIELDS = ("labelled_examples", "team_ml_capability", "maintenance_capacity", "project_stage")


def blockers(facts: Facts) -> tuple[str, ...]:
    """The gates: examples, skills, maintenance and stage, in that order."""
    found: list[str] = []
    if facts["labelled_examples"] < MIN_LABELLED_EXAMPLES:
        found.append("labelled_examples")
    capability = facts["team_ml_capability"]
    if capability == MlCapability.NONE or (
        capability != MlCapability.STRONG and facts["deployment_target"] in SELF_HOSTED_TARGETS
    ):
        found.append("team_ml_capability")
    if facts["maintenance_capacity"] == MaintenanceCapacity.NONE:
        found.append("maintenance_capacity")
    if facts["project_stage"] == ProjectStage.PROTOTYPE:
        found.append("project_stage")
    return tuple(found)


def has_form_gap(facts: Facts) -> bool:
    """Fine-tuning teaches form, not facts: a large gap counts only on form."""
    if facts["prompt_baseline_gap_pp"] <= LARGE_GAP_PP:
        return False
    return bool(
        facts["output_format_strictness"] == OutputStrictness.STRICT_CUSTOM
        or facts["style_consistency_need"] == Level.HIGH
        or facts["domain_specialization"] == DomainSpecialization.NICHE_PROPRIETARY
    )


def needs_small_model(facts: Facts) -> bool:
    latency = facts["latency_target_ms"]
    target = facts["deployment_target"]
    return bool(
        latency < REALTIME_LATENCY_MS
        or target == DeploymentTarget.EDGE_DEVICE
        or (target == DeploymentTarget.ON_PREM and latency < ON_PREM_SMALL_MODEL_LATENCY_MS)
    )


def _payback(
    facts: Facts, pricing: Pricing, route: KnowledgeRoute
) -> tuple[float, float, float | None]:
    base_usd, tuned_usd = pair_usd(facts, pricing, route)
    payback = payback_months(
        fixed_usd=facts["finetune_fixed_cost_usd"],
        requests_per_month=facts["requests_per_month"],
        base_usd_per_request=base_usd,
        tuned_usd_per_request=tuned_usd,
        hosting_usd_per_month=facts["finetune_hosting_usd_per_month"],
    )
    return base_usd, tuned_usd, payback


def _pays_back(payback: float | None) -> bool:
    return payback is not None and payback <= PAYBACK_MAX_MONTHS


def evaluate(facts: Facts, pricing: Pricing) -> Outcome:
    """Every rule's verdict, for explaining a decision."""
    route = route_knowledge(facts)
    base_usd, tuned_usd, payback = _payback(facts, pricing, route)
    return Outcome(
        route=route,
        blockers=blockers(facts),
        form_gap=has_form_gap(facts),
        small_model=needs_small_model(facts),
        cost_win=_pays_back(payback),
        base_usd_per_request=base_usd,
        tuned_usd_per_request=tuned_usd,
        payback_months=payback,
    )


def approach_of(facts: Facts, pricing: Pricing) -> Approach:
    """The same verdict as `evaluate(...).approach`, stopping at the first rule that settles it
    (the probes behind what_would_change and the interview planner call this thousands of times).
    """
    route = route_knowledge(facts)
    base, tuned = FAMILY[route]
    if blockers(facts):
        return base
    if has_form_gap(facts) or needs_small_model(facts):
        return tuned
    return tuned if _pays_back(_payback(facts, pricing, route)[2]) else base
