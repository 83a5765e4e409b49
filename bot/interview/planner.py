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
    "kb_size_docs": (10, 1_000, 100_000, 1_000_000),
}


def decisive_fields(
    requirements: Requirements,
    *,
    pricing: Pricing,
    bank: QuestionBank,
    exclude: Collection[str] = (),
) -> list[str]:
    """Unknown facts that could change the approach, most decisive first."""
    baseline = decide_approach(requirements, pricing)
    ranked: list[tuple[float, int, str]] = []
    for field in requirements.unknown_fields():
        probes = PROBE_VALUES.get(field)
        if probes is None or field in exclude or field not in bank.specs:
            continue
        # Probes are valid by construction, so copying skips re-validation (this runs ~100x a turn).
        flips = sum(
            decide_approach(requirements.model_copy(update={field: value}), pricing) != baseline
            for value in probes
        )
        if flips:
            ranked.append((-flips / len(probes), bank.priority(field), field))
    return [field for _, _, field in sorted(ranked)]


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
