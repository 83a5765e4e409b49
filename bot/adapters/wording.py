"""How approaches, fact names and values read to people, whatever the medium."""

from __future__ import annotations

from bot.interview.replies import plain_value

__all__ = ["APPROACH_LABELS", "approach_label", "field_label", "plain_value"]

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
