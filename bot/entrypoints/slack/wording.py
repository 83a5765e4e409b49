"""How facts, values and approaches read in Slack (user-supplied strings come back escaped)."""

from __future__ import annotations

from bot.domain.recommendation import ScalarFact
from bot.entrypoints.slack.mrkdwn import escape
from bot.presentation.labels import (
    APPROACH_LABELS,
    approach_label,
    fact_value,
    field_label,
    plain_value,
)

__all__ = ["APPROACH_LABELS", "approach_label", "field_label"]


def format_value(value: ScalarFact) -> str:
    """A fact value for mrkdwn: numbers grouped, booleans as yes/no, text escaped."""
    return escape(value) if isinstance(value, str) else plain_value(value)


def format_usd(amount: float) -> str:
    if amount and abs(amount) < 1:
        return f"${amount:.4f}".rstrip("0")
    return f"${amount:,.0f}"


# Free-text facts; every other string fact is an enum value like `qa_over_docs`.
FREE_TEXT_FIELDS = frozenset({"use_case"})


def format_field_value(field: str, value: ScalarFact) -> str:
    """A fact's value for reading: enum values with spaces (`qa over docs`), text escaped."""
    if isinstance(value, str) and field not in FREE_TEXT_FIELDS:
        return escape(fact_value(field, value))
    return format_value(value)


def format_fact(field: str, value: ScalarFact) -> str:
    return f"{field_label(field)}: *{format_field_value(field, value)}*"
