"""The resolved facts the rules read: every field, stated, inferred or defaulted.

A TypedDict costs nothing at run time (the hot path stays a plain dict) while mypy
checks every `facts["..."]` key against the catalogue in `fields.py`. Readiness gates
stay `None` when nobody stated them: unknown is not "no" (docs/design.md §5).
"""

from __future__ import annotations

from typing import Any, TypedDict

from bot.domain.fields import FieldName


class Facts(TypedDict):
    use_case: str | None
    # Enum facts hold the Requirements' StrEnum members or their plain string defaults;
    # both compare equal to the enum members.
    task_type: str
    needs_external_knowledge: bool
    knowledge_volatility: str
    citations_required: bool
    kb_size_docs: int | None
    kb_size_tokens: int
    output_format_strictness: str
    style_consistency_need: str
    domain_specialization: str
    prompt_baseline_gap_pp: float
    latency_target_ms: int
    deployment_target: str
    requests_per_month: int
    input_tokens_per_request: int
    output_tokens_per_request: int
    cost_per_request_usd: float | None
    finetuned_cost_per_request_usd: float | None
    finetune_fixed_cost_usd: float
    finetune_hosting_usd_per_month: float
    labelled_examples: int | None
    team_ml_capability: str | None
    budget_monthly_usd: float | None
    data_privacy: str
    maintenance_capacity: str | None
    eval_set_exists: bool | None
    project_stage: str | None
    # The fields the team stated (the rest are inferred or defaulted).
    stated: frozenset[FieldName]


def value_of(facts: Facts, field: str) -> Any:
    """A fact by a name only known at run time (probes, assumptions); typed code indexes
    `facts["..."]` directly so mypy checks the name."""
    return facts[field]  # type: ignore[literal-required]
