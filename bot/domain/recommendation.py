"""The engine's output (docs/design.md §4). Key names are a public contract."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Approach(StrEnum):
    PROMPTING = "prompting"
    RAG = "rag"
    FINE_TUNING = "fine_tuning"
    RAG_FINE_TUNING = "rag+fine_tuning"
    PROMPTING_FINE_TUNING = "prompting+fine_tuning"


# Each approach in the words a person reads (reasons, what would change).
APPROACH_WORDS: dict[Approach, str] = {
    Approach.PROMPTING: "prompting",
    Approach.RAG: "RAG",
    Approach.FINE_TUNING: "fine-tuning",
    Approach.RAG_FINE_TUNING: "RAG with a fine-tuned model",
    Approach.PROMPTING_FINE_TUNING: "a fine-tuned model with the knowledge in its prompt",
}


class Criterion(StrEnum):
    """The source article's six decision-matrix criteria."""

    QUICK_ITERATION = "quick_iteration"
    CURRENT_INFORMATION = "current_information"
    CONSISTENT_STYLE = "consistent_style"
    DOMAIN_EXPERTISE = "domain_expertise"
    LOW_LATENCY = "low_latency"
    COST_EFFICIENCY = "cost_efficiency"


ScalarFact = str | int | float | bool | None


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CriterionScore(_Frozen):
    """One matrix row: how much this team cares, and how each approach rates (1 poor .. 3 best)."""

    criterion: Criterion
    label: str
    weight: float = Field(ge=0)
    ratings: dict[str, int]
    why_weight: str


class Scores(_Frozen):
    criteria: list[CriterionScore]
    # Weighted totals per approach (the three base approaches and the hybrids).
    totals: dict[str, float]
    # Every approach scoring at least the verdict's total, with why it is not the verdict
    # (ruled out by a hard constraint, blocked by a stated gate, or not what the knowledge
    # calls for), in plain words.
    ruled_out: dict[str, str] = Field(default_factory=dict)


class Reason(_Frozen):
    text: str
    facts: list[str]


class Assumption(_Frozen):
    field: str
    value: ScalarFact
    why: str


class ApproachCost(_Frozen):
    upfront_usd: float = Field(ge=0)
    monthly_usd: float = Field(ge=0)
    per_request_usd: float = Field(ge=0)
    inputs: dict[str, ScalarFact]


class Change(_Frozen):
    """A decisive fact and the value at which the recommendation would switch."""

    field: str
    current: ScalarFact
    threshold: ScalarFact
    direction: str  # "above", "below" or "set_to"
    switches_to: Approach
    text: str
    # Other facts that must move together with `field` for the switch (empty: this one alone).
    together: list[str] = Field(default_factory=list)


class Precondition(_Frozen):
    """A readiness fact nobody stated that the approach needs: confirm it before starting."""

    field: str
    # What must be true, in plain words ("someone owns retraining the tuned model").
    condition: str
    why: str


class Recommendation(_Frozen):
    approach: Approach
    confidence: float = Field(ge=0, le=1)
    # False when a stated readiness fact rules the approach out for now (`blocked_by` says
    # which); the approach is then still the only one that meets the hard constraints.
    ready: bool = True
    blocked_by: list[str] = Field(default_factory=list)
    preconditions: list[Precondition] = Field(default_factory=list)
    # Approaches a stated hard constraint rules out, each with the reason in plain words.
    infeasible: dict[str, str] = Field(default_factory=dict)
    scores: Scores
    reasons: list[Reason]
    assumptions: list[Assumption]
    costs: dict[str, ApproachCost]
    break_even_requests: int | None
    payback_months: float | None
    what_would_change: list[Change]
    risks: list[str]
    next_steps: list[str]
    engine_version: str
