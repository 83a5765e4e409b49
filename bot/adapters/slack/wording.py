"""How facts, values and approaches read in Slack (user-supplied strings come back escaped)."""

from __future__ import annotations

from bot.adapters.slack.mrkdwn import escape
from bot.domain.recommendation import ScalarFact

APPROACH_LABELS: dict[str, str] = {
    "prompting": "Prompting",
    "rag": "RAG",
    "fine_tuning": "Fine-tuning",
    "rag+fine_tuning": "RAG + fine-tuning",
    "prompting+fine_tuning": "Prompting + fine-tuning",
}
# Acronyms and units a plain `.capitalize()` would spoil.
_WORDS = {"kb": "KB", "ml": "ML", "usd": "USD", "ms": "ms", "pp": "pp", "qa": "QA"}


def approach_label(approach: str) -> str:
    return APPROACH_LABELS.get(approach, approach)


def field_label(field: str) -> str:
    """`kb_size_tokens` -> `KB size tokens`."""
    words = [_WORDS.get(word, word) for word in field.split("_")]
    first = words[0] if words[0] in _WORDS.values() else words[0].capitalize()
    return " ".join([first, *words[1:]])


def format_value(value: ScalarFact) -> str:
    """A fact value for mrkdwn: numbers grouped, booleans as yes/no, text escaped."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
    return escape(value)


def format_usd(amount: float) -> str:
    if amount and abs(amount) < 1:
        return f"${amount:.4f}".rstrip("0")
    return f"${amount:,.0f}"


# Free-text facts; every other string fact is an enum value like `qa_over_docs`.
FREE_TEXT_FIELDS = frozenset({"use_case"})


def format_field_value(field: str, value: ScalarFact) -> str:
    """A fact's value for reading: enum values with spaces (`qa over docs`), text escaped."""
    if isinstance(value, str) and field not in FREE_TEXT_FIELDS:
        return escape(value.replace("_", " "))
    return format_value(value)


def format_fact(field: str, value: ScalarFact) -> str:
    return f"{field_label(field)}: *{format_field_value(field, value)}*"
