"""The field catalogue: every fact's name, plain label and value wording in one place.

Field names are the JSON contract of docs/design.md §3; everything a person reads about a
fact (Slack, the terminal, markdown, the modal) takes its words from here, so no
surface shows an identifier such as `maintenance_capacity` or `cloud_api`.
"""

from __future__ import annotations

from typing import Final, Literal, NamedTuple, get_args

FieldName = Literal[
    "use_case",
    "task_type",
    "needs_external_knowledge",
    "knowledge_volatility",
    "citations_required",
    "kb_size_docs",
    "kb_size_tokens",
    "output_format_strictness",
    "style_consistency_need",
    "domain_specialization",
    "prompt_baseline_gap_pp",
    "latency_target_ms",
    "deployment_target",
    "requests_per_month",
    "input_tokens_per_request",
    "output_tokens_per_request",
    "cost_per_request_usd",
    "finetuned_cost_per_request_usd",
    "finetune_fixed_cost_usd",
    "finetune_hosting_usd_per_month",
    "labelled_examples",
    "team_ml_capability",
    "budget_monthly_usd",
    "data_privacy",
    "maintenance_capacity",
    "eval_set_exists",
    "project_stage",
]
FIELD_NAMES: Final[tuple[FieldName, ...]] = get_args(FieldName)

# A short noun phrase a person understands, used as a label or inside a sentence.
FIELD_LABELS: Final[dict[FieldName, str]] = {
    "use_case": "Use case",
    "task_type": "Task",
    "needs_external_knowledge": "Needs knowledge beyond the request",
    "knowledge_volatility": "How often the knowledge changes",
    "citations_required": "Citations required",
    "kb_size_docs": "Documents in the knowledge base",
    "kb_size_tokens": "Knowledge base size (tokens)",
    "output_format_strictness": "Output format",
    "style_consistency_need": "Need for a consistent voice",
    "domain_specialization": "Domain language",
    "prompt_baseline_gap_pp": "Gap to the quality target (points)",
    "latency_target_ms": "Latency target (p95, ms)",
    "deployment_target": "Where it runs",
    "requests_per_month": "Requests a month",
    "input_tokens_per_request": "Input tokens per request",
    "output_tokens_per_request": "Output tokens per request",
    "cost_per_request_usd": "Cost per request with prompting (USD)",
    "finetuned_cost_per_request_usd": "Cost per request on a tuned model (USD)",
    "finetune_fixed_cost_usd": "Up-front fine-tuning cost (USD)",
    "finetune_hosting_usd_per_month": "Tuned-model hosting a month (USD)",
    "labelled_examples": "Curated examples",
    "team_ml_capability": "Team's ML skills",
    "budget_monthly_usd": "Monthly budget (USD)",
    "data_privacy": "Data privacy",
    "maintenance_capacity": "Who retrains the model",
    "eval_set_exists": "Eval set",
    "project_stage": "Project stage",
}

# Enum values in words; the same words the interview's buttons use.
VALUE_WORDS: Final[dict[FieldName, dict[str, str]]] = {
    "task_type": {
        "summarization": "summarization",
        "classification": "classification",
        "extraction": "extraction",
        "translation": "translation",
        "code_explanation": "code explanation",
        "qa_over_docs": "Q&A over documents",
        "generation": "generation",
        "semantic_parsing": "semantic parsing",
        "dialogue": "dialogue",
        "moderation": "moderation",
        "other": "other",
    },
    "knowledge_volatility": {
        "static": "never",
        "yearly": "yearly",
        "quarterly": "quarterly",
        "monthly": "monthly",
        "weekly": "weekly",
        "daily": "daily",
        "realtime": "in real time",
    },
    "output_format_strictness": {
        "free": "free text",
        "common_schema": "JSON/YAML schema",
        "strict_custom": "house template or DSL",
    },
    "style_consistency_need": {"low": "low", "medium": "medium", "high": "high"},
    "domain_specialization": {
        "general": "general",
        "specialized_public": "specialised but public",
        "niche_proprietary": "niche or proprietary",
    },
    "deployment_target": {
        "cloud_api": "a hosted cloud API",
        "private_cloud": "a private cloud",
        "on_prem": "on-prem servers",
        "edge_device": "an edge device",
    },
    "team_ml_capability": {
        "none": "no ML experience",
        "basic": "managed fine-tuning APIs",
        "strong": "trains and serves open weights",
    },
    "data_privacy": {
        "standard": "standard",
        "regulated": "regulated",
        "air_gapped": "air-gapped",
    },
    "maintenance_capacity": {
        "none": "nobody",
        "limited": "someone part-time",
        "dedicated": "a dedicated owner",
    },
    "project_stage": {"prototype": "prototype", "pilot": "pilot", "production": "production"},
}


def field_label(field: str) -> str:
    """The plain label of a field; an unknown name is returned as it is."""
    return FIELD_LABELS.get(field, field)  # type: ignore[call-overload,no-any-return]


def value_words(field: str, value: str) -> str:
    """An enum value in words (`cloud_api` -> "a hosted cloud API")."""
    return VALUE_WORDS.get(field, {}).get(value, value)  # type: ignore[call-overload,no-any-return]


# What kind of value a field holds; `validation` and the engine read this, not the model's
# annotations, so "what this field accepts" is written once.
FieldKind = Literal["text", "enum", "flag", "count", "number", "usd"]
# Readiness gates block fine-tuning only when stated as insufficient (unknown is a
# precondition); hard constraints decide which approaches are feasible before any
# preference; knowledge facts describe the use case the rules weigh.
FieldRole = Literal["readiness_gate", "hard_constraint", "knowledge_fact"]


class FieldSpec(NamedTuple):
    kind: FieldKind
    role: FieldRole
    # Inclusive bounds for numbers (None: unbounded on that side); `exclusive_minimum`
    # marks a strict lower bound (latency must be above 0 ms).
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False


def _count(maximum: float, role: FieldRole = "knowledge_fact") -> FieldSpec:
    return FieldSpec("count", role, 0, maximum)


def _usd(maximum: float, role: FieldRole = "knowledge_fact") -> FieldSpec:
    return FieldSpec("usd", role, 0, maximum)


_ENUM = FieldSpec("enum", "knowledge_fact")
_FLAG = FieldSpec("flag", "knowledge_fact")

FIELD_SPECS: Final[dict[FieldName, FieldSpec]] = {
    "use_case": FieldSpec("text", "knowledge_fact", maximum=500),
    "task_type": _ENUM,
    "needs_external_knowledge": _FLAG,
    "knowledge_volatility": _ENUM,
    "citations_required": _FLAG,
    "kb_size_docs": _count(10**10),
    "kb_size_tokens": _count(10**13),
    "output_format_strictness": _ENUM,
    "style_consistency_need": _ENUM,
    "domain_specialization": _ENUM,
    "prompt_baseline_gap_pp": FieldSpec("number", "knowledge_fact", -100, 100),
    "latency_target_ms": FieldSpec("count", "hard_constraint", 0, 3_600_000, True),
    "deployment_target": FieldSpec("enum", "hard_constraint"),
    "requests_per_month": _count(10**12),
    "input_tokens_per_request": _count(10**7),
    "output_tokens_per_request": _count(10**7),
    "cost_per_request_usd": _usd(1_000),
    "finetuned_cost_per_request_usd": _usd(1_000),
    "finetune_fixed_cost_usd": _usd(10**9),
    "finetune_hosting_usd_per_month": _usd(10**8),
    "labelled_examples": _count(10**10, "readiness_gate"),
    "team_ml_capability": FieldSpec("enum", "readiness_gate"),
    "budget_monthly_usd": _usd(10**10, "hard_constraint"),
    "data_privacy": FieldSpec("enum", "hard_constraint"),
    "maintenance_capacity": FieldSpec("enum", "readiness_gate"),
    "eval_set_exists": FieldSpec("flag", "readiness_gate"),
    "project_stage": FieldSpec("enum", "readiness_gate"),
}

READINESS_FIELDS: Final[tuple[FieldName, ...]] = tuple(
    name for name, spec in FIELD_SPECS.items() if spec.role == "readiness_gate"
)
HARD_CONSTRAINT_FIELDS: Final[tuple[FieldName, ...]] = tuple(
    name for name, spec in FIELD_SPECS.items() if spec.role == "hard_constraint"
)


def enum_values(field: FieldName) -> tuple[str, ...]:
    """The values an enum field accepts, in the contract's order (empty for other kinds)."""
    return tuple(VALUE_WORDS.get(field, {}))


def allowed(field: FieldName) -> str:
    """What a field accepts, in one phrase (for the one-line error on bad input)."""
    spec = FIELD_SPECS[field]
    if spec.kind == "enum":
        return "allowed values: " + ", ".join(enum_values(field))
    if spec.kind == "flag":
        return "allowed values: true, false"
    if spec.kind == "text":
        return f"text of at most {spec.maximum:,.0f} characters"
    noun = {"count": "a whole number", "number": "a number", "usd": "an amount in USD"}[spec.kind]
    low = "above" if spec.exclusive_minimum else "from"
    return f"{noun} {low} {spec.minimum:,.0f} to {spec.maximum:,.0f}"
