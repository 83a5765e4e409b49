"""How approaches, fact names and values read to people, whatever the medium."""

from __future__ import annotations

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


def plain_value(value: ScalarFact) -> str:
    """A fact value in plain text: numbers grouped, booleans as yes/no."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
    return value
