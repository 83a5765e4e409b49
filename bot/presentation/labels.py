"""How approaches, fact names and values read to people, whatever the medium."""

from __future__ import annotations

from bot.domain.fields import field_label, value_words
from bot.domain.recommendation import ScalarFact
from bot.interview.replies import plain_value

__all__ = ["APPROACH_LABELS", "approach_label", "fact_value", "field_label", "plain_value"]

APPROACH_LABELS: dict[str, str] = {
    "prompting": "Prompting",
    "rag": "RAG",
    "fine_tuning": "Fine-tuning",
    "rag+fine_tuning": "RAG + fine-tuning",
    "prompting+fine_tuning": "Prompting + fine-tuning",
}


def approach_label(approach: str) -> str:
    return APPROACH_LABELS.get(approach, approach)


def fact_value(field: str, value: ScalarFact) -> str:
    """A fact's value in words: enum values as the buttons say them, numbers grouped."""
    if isinstance(value, str) and field != "use_case":
        return value_words(field, value)
    return plain_value(value)
