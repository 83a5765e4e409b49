"""The decision rules, in docs/design.md §5's order: hard constraints, gates, knowledge,
behaviour, cost, then the choice among what is feasible.

This is the single source of truth: `decide`, `decide_approach`, the matrix and
`what_would_change` all read a `RuleResult` from `evaluate` (or `approach_of`, its fast path).

- Hard constraints decide feasibility first: an edge device or a p95 under the
  real-time line (higher by retrieval's own time on the retrieval route) rules out a
  prompted large model (prompting, RAG); a stated monthly
  budget rules out approaches whose estimate exceeds it, as long as one fits.
- Readiness gates block fine-tuning only when stated as insufficient: unknown is not
  "no" (docs/design.md §5); an unstated gate is a precondition to confirm.
- The verdict is the first feasible, ready approach in the rules' preference order; when
  only a tuned route is feasible and a stated gate blocks it, that route stays the
  verdict, marked not ready (recommending what cannot run would be wrong).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from bot.domain.costs import TUNED_APPROACHES, monthly_usd, pair_usd, payback_months
from bot.domain.facts import Facts
from bot.domain.fields import READINESS_FIELDS, FieldName
from bot.domain.knowledge import FAMILY, KnowledgeRoute, route_knowledge
from bot.domain.matrix import Triggers, totals
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
    RETRIEVAL_LATENCY_MS,
)

# Where managed fine-tuning APIs cannot go: the tuned weights must be served by the team.
SELF_HOSTED_TARGETS = frozenset({DeploymentTarget.ON_PREM, DeploymentTarget.EDGE_DEVICE})

# The approaches that need a large prompted model to do the task (no tuned small model).
LARGE_MODEL_APPROACHES = frozenset({Approach.PROMPTING, Approach.RAG})

# Why an approach is ruled out by a hard constraint (explain.py turns these into words).
LARGE_MODEL_RULED_OUT = "large_model"
OVER_BUDGET = "budget"


class RuleResult(NamedTuple):  # a tuple: built on every probe, so construction must be cheap
    """What the rules found for one set of facts: the triggers, the verdict, what is out."""

    route: KnowledgeRoute
    # Readiness facts stated as insufficient: they block every tuned approach for now.
    blockers: tuple[FieldName, ...]
    # A large gap on form: a non-standard format, a fixed voice, or niche jargon.
    form_gap: bool
    # Latency or deployment that only a small tuned model meets.
    small_model: bool
    # A hard constraint (edge device, p95 under the real-time line) no large model meets.
    large_model_ruled_out: bool
    # Distilling into a cheaper tuned model pays back soon enough, at a stated volume.
    cost_win: bool
    base_usd_per_request: float
    tuned_usd_per_request: float
    payback_months: float | None
    approach: Approach
    # False when a stated gate blocks the verdict (then the only feasible route).
    ready: bool
    # Candidate approaches ruled out by a hard constraint: approach -> LARGE_MODEL_RULED_OUT
    # or OVER_BUDGET.
    infeasible: Mapping[Approach, str]

    @property
    def feasible(self) -> bool:
        """Whether tuning is ready as far as stated facts go (no stated gate blocks it)."""
        return not self.blockers

    @property
    def wants_fine_tuning(self) -> bool:
        return self.form_gap or self.small_model or self.cost_win


def blockers(facts: Facts) -> tuple[FieldName, ...]:
    """The gates stated as insufficient, in the order examples, skills, maintenance, stage.

    An unstated gate (None) never blocks: it is a precondition to confirm."""
    found: list[FieldName] = []
    examples = facts["labelled_examples"]
    if examples is not None and examples < MIN_LABELLED_EXAMPLES:
        found.append("labelled_examples")
    capability = facts["team_ml_capability"]
    if capability == MlCapability.NONE or (
        capability == MlCapability.BASIC and facts["deployment_target"] in SELF_HOSTED_TARGETS
    ):
        found.append("team_ml_capability")
    if facts["maintenance_capacity"] == MaintenanceCapacity.NONE:
        found.append("maintenance_capacity")
    if facts["project_stage"] == ProjectStage.PROTOTYPE:
        found.append("project_stage")
    return tuple(found)


def open_gates(facts: Facts) -> tuple[FieldName, ...]:
    """Readiness facts nobody stated: preconditions to confirm before tuning."""
    return tuple(name for name in READINESS_FIELDS if facts[name] is None)


def has_form_gap(facts: Facts) -> bool:
    """Fine-tuning teaches form, not facts: a large gap counts only on form."""
    if facts["prompt_baseline_gap_pp"] <= LARGE_GAP_PP:
        return False
    return bool(
        facts["output_format_strictness"] == OutputStrictness.STRICT_CUSTOM
        or facts["style_consistency_need"] == Level.HIGH
        or facts["domain_specialization"] == DomainSpecialization.NICHE_PROPRIETARY
    )


def large_model_floor_ms(route: KnowledgeRoute) -> int:
    """The lowest p95 a prompted large model can meet on this route: its round trip and time
    to first token, plus retrieval's own time when the facts are fetched at query time."""
    if route == KnowledgeRoute.RETRIEVAL:
        return REALTIME_LATENCY_MS + RETRIEVAL_LATENCY_MS
    return REALTIME_LATENCY_MS


def rules_out_large_model(facts: Facts, route: KnowledgeRoute) -> bool:
    """A hard constraint no prompted large model meets: it must fit an edge device, or answer
    under the real-time line (a hosted large model's round trip and time to first token alone
    take that long; OpenAI, Latency optimization: model size is the main factor in speed),
    which retrieval moves up by its own ~150 ms."""
    return bool(
        facts["deployment_target"] == DeploymentTarget.EDGE_DEVICE
        or facts["latency_target_ms"] < large_model_floor_ms(route)
    )


def needs_small_model(facts: Facts, route: KnowledgeRoute) -> bool:
    return rules_out_large_model(facts, route) or bool(
        facts["deployment_target"] == DeploymentTarget.ON_PREM
        and facts["latency_target_ms"] < ON_PREM_SMALL_MODEL_LATENCY_MS
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


def has_cost_basis(facts: Facts) -> bool:
    """Whether a saving can be priced from what the team said: a stated volume, and a stated
    per-request cost or prompt size (prices may still come from the price list). Azure's
    guidance warns against cost as the main motive on guessed numbers."""
    stated = facts["stated"]
    return "requests_per_month" in stated and (
        "cost_per_request_usd" in stated or "input_tokens_per_request" in stated
    )


def _cost_win(facts: Facts, payback: float | None) -> bool:
    """Distillation for cost only on a stated basis, and only when it pays back in time."""
    return has_cost_basis(facts) and payback is not None and payback <= PAYBACK_MAX_MONTHS


def candidates(route: KnowledgeRoute, wants_tuning: bool) -> tuple[Approach, ...]:
    """The approaches the knowledge facts allow, in the rules' order of preference.

    Tuning first when a trigger asks for it, the simpler approach first otherwise; a
    knowledge base small enough for a cached prompt can also be retrieved (when the
    prompt is too dear), never the other way round."""
    base, tuned = FAMILY[route]
    if route == KnowledgeRoute.IN_PROMPT:
        rag, rag_tuned = FAMILY[KnowledgeRoute.RETRIEVAL]
        return (tuned, base, rag_tuned, rag) if wants_tuning else (base, rag, tuned, rag_tuned)
    return (tuned, base) if wants_tuning else (base, tuned)


def choose(
    facts: Facts,
    triggers: Triggers,
    gates: tuple[FieldName, ...],
    monthly: Callable[[Sequence[Approach]], Mapping[Approach, float]],
    *,
    large_model_ruled_out: bool,
) -> tuple[Approach, bool, dict[Approach, str]]:
    """The verdict, whether it is ready, and the candidates a hard constraint rules out.

    Among the feasible candidates, the ready ones compete on the matrix's totals (ties go
    to the rules' order of preference); when none is ready, the feasible ones do."""
    wants = triggers.form_gap or triggers.small_model or triggers.cost_win
    order = candidates(triggers.route, wants)
    infeasible: dict[Approach, str] = {}
    if large_model_ruled_out:
        infeasible = {a: LARGE_MODEL_RULED_OUT for a in order if a in LARGE_MODEL_APPROACHES}
    feasible = [a for a in order if a not in infeasible]
    budget = facts["budget_monthly_usd"]
    over_budget = False
    if budget is not None:
        usd = monthly(feasible)
        within = [a for a in feasible if usd[a] <= budget]
        # A budget nothing fits rules nothing out: the verdict stands, over budget (a risk).
        if within and len(within) < len(feasible):
            infeasible.update((a, OVER_BUDGET) for a in feasible if a not in within)
            feasible = within
            over_budget = True
    ready = [a for a in feasible if not gates or a not in TUNED_APPROACHES]
    pool = ready or feasible
    if len(pool) == 1 or not over_budget:
        # Unless a budget removed some, the rules' first choice is the matrix's highest total
        # (the triggers set the weights; a property test holds this): no totals are needed.
        return pool[0], bool(ready), infeasible
    total = totals(facts, triggers)
    best = max(pool, key=lambda approach: total[approach])  # max keeps the first of ties
    return best, bool(ready), infeasible


def evaluate(facts: Facts, pricing: Pricing) -> RuleResult:
    """Every rule's verdict, for explaining a decision."""
    route = route_knowledge(facts)
    base_usd, tuned_usd, payback = _payback(facts, pricing, route)
    gates = blockers(facts)
    form_gap = has_form_gap(facts)
    large = rules_out_large_model(facts, route)
    small_model = large or needs_small_model(facts, route)
    cost_win = _cost_win(facts, payback)
    approach, ready, infeasible = choose(
        facts,
        Triggers(route, form_gap, small_model, cost_win),
        gates,
        lambda only: monthly_usd(facts, pricing, route, only),
        large_model_ruled_out=large,
    )
    return RuleResult(
        route=route,
        blockers=gates,
        form_gap=form_gap,
        small_model=small_model,
        large_model_ruled_out=large,
        cost_win=cost_win,
        base_usd_per_request=base_usd,
        tuned_usd_per_request=tuned_usd,
        payback_months=payback,
        approach=approach,
        ready=ready,
        infeasible=infeasible,
    )


def approach_of(facts: Facts, pricing: Pricing) -> Approach:
    """The same verdict as `evaluate(...).approach`, skipping what does not settle it (the
    probes behind what_would_change and the interview planner call this thousands of times).
    """
    route = route_knowledge(facts)
    large = rules_out_large_model(facts, route)
    if facts["budget_monthly_usd"] is None:
        # Without a budget the verdict is the first ready candidate (see `choose`): the
        # route's tuned approach when a trigger asks for it and no stated gate blocks it, or
        # when a hard constraint leaves only tuned routes; its untuned approach otherwise.
        base, tuned = FAMILY[route]
        if large:
            return tuned
        if blockers(facts):
            return base
        if has_form_gap(facts) or needs_small_model(facts, route):
            return tuned
        if has_cost_basis(facts) and _cost_win(facts, _payback(facts, pricing, route)[2]):
            return tuned
        return base
    # A budget can move the verdict to any candidate: the matrix weighs them all.
    cost_win = has_cost_basis(facts) and _cost_win(facts, _payback(facts, pricing, route)[2])
    triggers = Triggers(
        route, has_form_gap(facts), large or needs_small_model(facts, route), cost_win
    )
    approach, _, _ = choose(
        facts,
        triggers,
        blockers(facts),
        lambda only: monthly_usd(facts, pricing, route, only),
        large_model_ruled_out=large,
    )
    return approach
