"""The field catalogue: every fact's name, plain label and value wording in one place.

Field names are the JSON contract of DESIGN.md §3; everything a person reads about a
fact (Slack, the terminal, markdown, the modal) takes its words from here, so no
surface shows an identifier such as `maintenance_capacity` or `cloud_api`.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

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
