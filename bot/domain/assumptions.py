"""Default values for unknown facts, and the resolved view of facts the rules read.

Defaults lean towards "prompting first": fine-tuning is never recommended on
assumed readiness (examples, maintenance), only on readiness the team states.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from bot.domain.pricing import Pricing
from bot.domain.recommendation import ScalarFact
from bot.domain.requirements import Requirements

# Resolved facts: every field the rules read, with defaults filled in.
Facts = dict[str, Any]

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
        "labelled_examples": (
            0,
            "Not stated; assumed no curated input/output pairs yet (fine-tuning needs ~50+).",
        ),
        "team_ml_capability": ("basic", "Not stated; assumed the team can use managed APIs."),
        "budget_monthly_usd": (None, "Not stated; costs are not checked against a budget."),
        "data_privacy": ("standard", "Not stated; assumed no regulated data."),
        "maintenance_capacity": (
            "none",
            "Not stated; assumed nobody owns retraining when the base model is retired "
            "(every 12-18 months) until someone is named.",
        ),
        "eval_set_exists": (False, "Not stated; assumed there is no eval set yet."),
        "project_stage": ("pilot", "Not stated; assumed a pilot."),
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
    target: f"Not stated; typical monthly hosting of a tuned model on {target} (price list)."
    for target in ("cloud_api", "private_cloud", "on_prem", "edge_device")
}

# Unknown facts with no constant default; listed as assumptions all the same.
_ESTIMATED: tuple[tuple[str, str], ...] = tuple(
    (name, why) for name, (value, why) in DEFAULT_ASSUMPTIONS.items() if value is None
)

_KNOWLEDGE_HINTS = ("kb_size_tokens", "kb_size_docs", "knowledge_volatility")


def raw_facts(requirements: Requirements) -> dict[str, Any]:
    """The stated facts by field name (`None` for unknown), without validation overhead."""
    return dict(requirements.__dict__)


def resolve(raw: Mapping[str, Any], pricing: Pricing) -> tuple[Facts, dict[str, str]]:
    """Fill unknown facts: returns the facts and, per filled field, why that value was used."""
    facts: Facts = dict(raw)
    assumed: dict[str, str] = {}
    if facts["needs_external_knowledge"] is None:
        hints = [name for name in _KNOWLEDGE_HINTS if facts[name]] + (
            ["citations_required"] if facts["citations_required"] else []
        )
        if hints:
            facts["needs_external_knowledge"] = True
            assumed["needs_external_knowledge"] = (
                f"Inferred from {', '.join(hints)}: a knowledge base was described."
            )
    if facts["kb_size_tokens"] is None and facts["kb_size_docs"] is not None:
        facts["kb_size_tokens"] = facts["kb_size_docs"] * TOKENS_PER_DOCUMENT
        assumed["kb_size_tokens"] = (
            f"Estimated from kb_size_docs at ~{TOKENS_PER_DOCUMENT:,} tokens per document."
        )
    for name, value, why in _FILLABLE:
        if facts[name] is None:
            facts[name] = value
            assumed[name] = why
    for name, why in _ESTIMATED:
        if facts[name] is None:
            assumed[name] = why  # stays None: the cost model estimates it from prices
    # Costs that depend on the price list or on other facts, not on a constant.
    if raw["finetune_hosting_usd_per_month"] is None:
        target = str(facts["deployment_target"])
        facts["finetune_hosting_usd_per_month"] = getattr(pricing.hosting_usd_per_month, target)
        assumed["finetune_hosting_usd_per_month"] = _HOSTING_WHY[target]
    if raw["finetune_fixed_cost_usd"] is None:
        facts["finetune_fixed_cost_usd"] = default_fixed_cost_usd(pricing)
        assumed["finetune_fixed_cost_usd"] = DEFAULT_ASSUMPTIONS["finetune_fixed_cost_usd"][1]
    return facts, assumed


def default_fixed_cost_usd(pricing: Pricing) -> float:
    """People cost plus one typical training run at list prices."""
    training = pricing.training
    tokens = training.examples_per_run * training.tokens_per_example * training.epochs
    return training.people_usd + tokens * training.usd_per_mtok_trained / 1_000_000
