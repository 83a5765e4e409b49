"""Default values for unknown facts, and the resolved view of facts the rules read.

Readiness gates (examples, skills, maintenance, evals, stage) get no default: unknown is
not "no" (docs/design.md §5), so they stay `None` and the engine names them as preconditions
to confirm instead of assuming them away.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, cast

from bot.domain.facts import Facts
from bot.domain.fields import field_label, value_words
from bot.domain.pricing import Pricing
from bot.domain.recommendation import ScalarFact
from bot.domain.requirements import DataPrivacy, DeploymentTarget, Requirements

TOKENS_PER_DOCUMENT = 1_500  # a few pages of prose; only used when no token count is given

DEFAULT_ASSUMPTIONS: Mapping[str, tuple[ScalarFact, str]] = MappingProxyType(
    {
        "task_type": ("other", "Not stated; the task type shapes the wording, not the rules."),
        "needs_external_knowledge": (
            False,
            "Assumed each request carries what the answer needs; say so if answers depend on "
            "private, recent or changing facts.",
        ),
        "knowledge_volatility": ("monthly", "Not stated; assumed the knowledge changes monthly."),
        "citations_required": (False, "Not stated; assumed answers need not cite sources."),
        "kb_size_tokens": (
            1_000_000,
            "Size unknown: assumed larger than the ~200k tokens a cached prompt holds "
            "(Anthropic, Contextual Retrieval) until measured.",
        ),
        "output_format_strictness": ("free", "Not stated; assumed free-form output."),
        "style_consistency_need": ("medium", "Not stated; assumed a medium need for a set tone."),
        "domain_specialization": ("general", "Not stated; assumed general knowledge suffices."),
        "prompt_baseline_gap_pp": (
            0.0,
            "Not measured: assumed the best prompt meets the target until an eval shows a gap "
            "(evals first).",
        ),
        "latency_target_ms": (3_000, "Not stated; assumed an interactive p95 of a few seconds."),
        "deployment_target": ("cloud_api", "Not stated; assumed a hosted cloud API."),
        "requests_per_month": (10_000, "Not stated; assumed a modest 10k requests a month."),
        "input_tokens_per_request": (1_500, "Not stated; a typical instruction plus input."),
        "output_tokens_per_request": (300, "Not stated; a typical short answer."),
        "cost_per_request_usd": (None, "Not stated; estimated from the dated price list."),
        "finetuned_cost_per_request_usd": (
            None,
            "Not stated; estimated from the dated price list for a small tuned model.",
        ),
        "finetune_fixed_cost_usd": (
            10_030.0,
            "Not stated; people cost for data, evals and training runs dominates ($5k-$20k "
            "typical) plus a typical training run at list prices.",
        ),
        "finetune_hosting_usd_per_month": (
            1_241.0,
            "Not stated; a dedicated tuned deployment costs about $1.70/h (Azure list price), "
            "depending on deployment_target.",
        ),
        "budget_monthly_usd": (None, "Not stated; costs are not checked against a budget."),
        "data_privacy": ("standard", "Not stated; assumed no regulated data."),
    }
)

_COMPUTED = frozenset({"finetune_fixed_cost_usd", "finetune_hosting_usd_per_month"})
# The defaults that are constants (costs estimated from prices are filled elsewhere).
_FILLABLE: tuple[tuple[str, ScalarFact, str], ...] = tuple(
    (name, value, why)
    for name, (value, why) in DEFAULT_ASSUMPTIONS.items()
    if value is not None and name not in _COMPUTED
)

_HOSTING_WHY = {
    target: "Not stated; typical monthly hosting of a tuned model on "
    f"{value_words('deployment_target', target)} (price list)."
    for target in ("cloud_api", "private_cloud", "on_prem", "edge_device")
}

# Facts about a knowledge base that matter only when external knowledge is needed.
_KNOWLEDGE_DETAIL = frozenset({"kb_size_tokens", "knowledge_volatility"})
# Facts that describe a knowledge base, so imply one is needed when that is not stated.
_KNOWLEDGE_HINTS = ("kb_size_tokens", "kb_size_docs", "knowledge_volatility", "citations_required")
# Beyond these a fact is outside any real deployment, and float cost maths would overflow;
# the engine reads such values as the cap (validation keeps only the lower bounds).
_CAPS: tuple[tuple[str, float], ...] = (
    ("kb_size_docs", 10**9),
    ("kb_size_tokens", 10**12),
    ("requests_per_month", 10**12),
    ("input_tokens_per_request", 10**9),
    ("output_tokens_per_request", 10**9),
    ("cost_per_request_usd", 1e6),
    ("finetuned_cost_per_request_usd", 1e6),
    ("finetune_fixed_cost_usd", 1e12),
    ("finetune_hosting_usd_per_month", 1e12),
    ("budget_monthly_usd", 1e15),
)
# Facts other defaults are derived from (knowledge inference, kb size, hosting, fixed cost).
_DERIVATION_INPUTS = frozenset(
    {
        *_KNOWLEDGE_HINTS,
        "needs_external_knowledge",
        "deployment_target",
        "data_privacy",
        "finetune_hosting_usd_per_month",
        "finetune_fixed_cost_usd",
    }
)
_CAP_OF: dict[str, float] = dict(_CAPS)
_ALL_UNKNOWN: dict[str, Any] = dict.fromkeys(Requirements.model_fields)
_CONSTANT_DEFAULTS: dict[str, ScalarFact] = {name: value for name, value, _ in _FILLABLE}


def raw_facts(requirements: Requirements) -> dict[str, Any]:
    """The stated facts by field name (`None` for unknown), without validation overhead."""
    return dict(requirements.__dict__)


def fill(raw: Mapping[str, Any], pricing: Pricing) -> Facts:
    """Every fact the rules read: stated, inferred, or the default (the rules' hot path)."""
    known = {name: value for name, value in raw.items() if value is not None}
    for name, cap in _CAPS:
        if name in known and known[name] > cap:
            known[name] = cap
    # Built from the catalogue's names (Requirements' fields), so every key is a Facts key.
    facts = cast(Facts, {**_ALL_UNKNOWN, **_CONSTANT_DEFAULTS, **known, "stated": frozenset(known)})
    if "needs_external_knowledge" not in known and _describes_knowledge(raw):
        facts["needs_external_knowledge"] = True
    if "deployment_target" not in known and known.get("data_privacy") == DataPrivacy.AIR_GAPPED:
        facts["deployment_target"] = DeploymentTarget.ON_PREM
    if "kb_size_tokens" not in known and "kb_size_docs" in known:
        facts["kb_size_tokens"] = known["kb_size_docs"] * TOKENS_PER_DOCUMENT
    if "finetune_hosting_usd_per_month" not in known:
        target = str(facts["deployment_target"])
        facts["finetune_hosting_usd_per_month"] = getattr(pricing.hosting_usd_per_month, target)
    if "finetune_fixed_cost_usd" not in known:
        facts["finetune_fixed_cost_usd"] = default_fixed_cost_usd(pricing)
    return facts


def fill_with(
    facts: Facts, raw: Mapping[str, Any], field: str, value: Any, pricing: Pricing
) -> Facts:
    """`fill({**raw, field: value})`, cheaply: most facts feed no derived default."""
    if field in _DERIVATION_INPUTS or value is None:
        return fill({**raw, field: value}, pricing)
    if field in _CAP_OF and value > _CAP_OF[field]:
        value = _CAP_OF[field]
    changed: Facts = {**facts, field: value, "stated": facts["stated"] | {field}}  # type: ignore[misc]
    return changed


def resolve(raw: Mapping[str, Any], pricing: Pricing) -> tuple[Facts, dict[str, str]]:
    """The filled facts and, for each fact the team did not state, why its value was used.

    A knowledge base's size and volatility are left out when no external knowledge is
    needed: no rule reads them then, so listing them would only mislead.
    """
    facts = fill(raw, pricing)
    assumed: dict[str, str] = {}
    for name, (_, default_why) in DEFAULT_ASSUMPTIONS.items():
        if raw[name] is not None:
            continue
        if name in _KNOWLEDGE_DETAIL and not facts["needs_external_knowledge"]:
            continue
        why = default_why
        if name == "needs_external_knowledge" and facts["needs_external_knowledge"]:
            hints = [field_label(hint).lower() for hint in _KNOWLEDGE_HINTS if raw[hint]]
            why = (
                f"Inferred from what was said ({'; '.join(hints)}): a knowledge base was described."
            )
        elif name == "kb_size_tokens" and raw["kb_size_docs"] is not None:
            why = f"Estimated from the document count at ~{TOKENS_PER_DOCUMENT:,} tokens each."
        elif name == "deployment_target" and facts["deployment_target"] == DeploymentTarget.ON_PREM:
            why = (
                "Not stated; the data is air-gapped, and an air-gapped system cannot call "
                "a cloud API: assumed on-prem hardware the team runs itself."
            )
        elif name == "finetune_hosting_usd_per_month":
            why = _HOSTING_WHY[str(facts["deployment_target"])]
        assumed[name] = why
    return facts, assumed


def _describes_knowledge(raw: Mapping[str, Any]) -> bool:
    return any(raw[hint] for hint in _KNOWLEDGE_HINTS)


def default_fixed_cost_usd(pricing: Pricing) -> float:
    """People cost plus one typical training run at list prices."""
    training = pricing.training
    tokens = training.examples_per_run * training.tokens_per_example * training.epochs
    return training.people_usd + tokens * training.usd_per_mtok_trained / 1_000_000
