"""Which facts are worth asking about: only those whose value could change the answer.

A fact is decisive when some plausible value of it, laid over what is known,
makes the engine pick a different approach than it picks with the default
assumption. The probe values below span each fact's meaningful bands.
"""

from __future__ import annotations

from collections.abc import Collection

from bot.domain.engine import decide_approach
from bot.domain.pricing import Pricing
from bot.domain.recommendation import ScalarFact
from bot.domain.requirements import (
    DataPrivacy,
    DeploymentTarget,
    DomainSpecialization,
    Level,
    MaintenanceCapacity,
    MlCapability,
    OutputStrictness,
    ProjectStage,
    Requirements,
    Volatility,
)
from bot.interview.questions import QuestionBank

MAX_QUESTIONS_PER_ROUND = 3


# Enum probes are the members themselves, so copies hold the same types validation would give.
PROBE_VALUES: dict[str, tuple[ScalarFact, ...]] = {
    "needs_external_knowledge": (True, False),
    "kb_size_tokens": (20_000, 150_000, 500_000, 5_000_000, 50_000_000),
    "knowledge_volatility": tuple(Volatility),
    "citations_required": (True, False),
    "output_format_strictness": tuple(OutputStrictness),
    "prompt_baseline_gap_pp": (0, 3, 8, 20),
    "style_consistency_need": tuple(Level),
    "domain_specialization": tuple(DomainSpecialization),
    "labelled_examples": (0, 30, 200, 2_000, 20_000),
    "team_ml_capability": tuple(MlCapability),
    "maintenance_capacity": tuple(MaintenanceCapacity),
    "eval_set_exists": (True, False),
    "requests_per_month": (1_000, 50_000, 500_000, 5_000_000, 50_000_000),
    "latency_target_ms": (150, 800, 3_000, 10_000),
    "deployment_target": tuple(DeploymentTarget),
    "data_privacy": tuple(DataPrivacy),
    "project_stage": tuple(ProjectStage),
    "kb_size_docs": (10, 1_000, 100_000, 1_000_000),
}


# Readiness for fine-tuning is an AND of gates (examples, skills, maintenance, stage: see
# bot.domain.rules.blockers). With every gate at its default, no single gate fact can
# flip the answer, so each fact is also probed in a context where the other unknown
# gates are passed: a fact that matters there could change the answer too.
FINE_TUNING_READY: dict[str, ScalarFact] = {
    "labelled_examples": 10_000,
    "team_ml_capability": MlCapability.STRONG,
    "maintenance_capacity": MaintenanceCapacity.DEDICATED,
    "project_stage": ProjectStage.PRODUCTION,
}


def _contexts(
    requirements: Requirements, field: str, settled: Collection[str]
) -> list[Requirements]:
    """Where to probe `field`: as things stand, and with the other open gates passed."""
    open_gates = {
        gate: value
        for gate, value in FINE_TUNING_READY.items()
        if gate != field and gate not in settled and getattr(requirements, gate) is None
    }
    if not open_gates:
        return [requirements]
    return [requirements, requirements.model_copy(update=open_gates)]


def _flip_share(
    requirements: Requirements, field: str, pricing: Pricing, settled: Collection[str]
) -> float:
    """The share of probes of `field` that change the approach, over its contexts."""
    probes = PROBE_VALUES[field]
    flips = total = 0
    for context in _contexts(requirements, field, settled):
        baseline = decide_approach(context, pricing)
        # Probes are valid by construction, so copying skips re-validation (this runs
        # a few hundred times a turn).
        flips += sum(
            decide_approach(context.model_copy(update={field: value}), pricing) != baseline
            for value in probes
        )
        total += len(probes)
    return flips / total


def decisive_fields(
    requirements: Requirements,
    *,
    pricing: Pricing,
    bank: QuestionBank,
    exclude: Collection[str] = (),
) -> list[str]:
    """Unknown facts that could change the approach, in the question bank's order.

    `exclude` holds facts already asked (answered "not sure" or left open): they are
    not asked again and count as settled at their default.
    """
    ranked: list[tuple[int, str]] = []
    for field in requirements.unknown_fields():
        if field not in PROBE_VALUES or field in exclude or field not in bank.specs:
            continue
        if _flip_share(requirements, field, pricing, exclude) > 0:
            ranked.append((bank.priority(field), field))
    return [field for _, field in sorted(ranked)]


def plan_questions(
    requirements: Requirements,
    *,
    pricing: Pricing,
    bank: QuestionBank,
    exclude: Collection[str] = (),
    limit: int = MAX_QUESTIONS_PER_ROUND,
) -> list[str]:
    """The fields to ask next (at most `limit`); empty when nothing left could change the answer."""
    return decisive_fields(requirements, pricing=pricing, bank=bank, exclude=exclude)[:limit]
