"""Facts Claude inferred rather than read: kept, shown as "(inferred)", confirmed when decisive.

An inferred value ("customer data must stay in our tenant" read as regulated data) is usually
right, so it is used at once; but when the recommendation could turn on it, the interview asks
the team to confirm it, with the inferred value in the question, before relying on it.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final

from bot.domain.fields import field_label, value_words
from bot.domain.pricing import Pricing
from bot.domain.recommendation import ScalarFact
from bot.domain.requirements import Requirements
from bot.interview.planner import decisive_fields
from bot.interview.questions import QuestionBank
from bot.interview.replies import Question, plain_value
from bot.interview.session import FactSource, Session

INFERRED_MARK: Final = "(inferred)"


def unconfirmed_inferred(session: Session) -> list[str]:
    """Facts whose value was inferred and not yet stated or confirmed by the team."""
    return [
        field
        for field, origin in session.origins.items()
        if origin.source is FactSource.INFERRED and field in session.facts
    ]


def inferred_to_confirm(
    session: Session, *, pricing: Pricing, bank: QuestionBank, exclude: Collection[str]
) -> list[str]:
    """The unconfirmed inferred facts the answer could turn on, in the question bank's order:
    each is probed as if it were unknown, exactly as the planner probes unknown facts."""
    candidates = [field for field in unconfirmed_inferred(session) if field not in exclude]
    if not candidates:
        return []
    without = Requirements.model_validate(
        {field: value for field, value in session.facts.items() if field not in candidates}
    )
    decisive = decisive_fields(without, pricing=pricing, bank=bank, exclude=exclude)
    return [field for field in decisive if field in candidates]


def inferred_value_words(field: str, value: ScalarFact) -> str:
    """A value as the team reads it, marked as inferred."""
    words = value_words(field, value) if isinstance(value, str) else plain_value(value)
    return f"{words} {INFERRED_MARK}"


def confirmation_question(bank: QuestionBank, field: str, value: ScalarFact) -> Question:
    """The field's question, opened with what was inferred so the team can confirm or fix it."""
    base = bank.question(field)
    lead = f"{field_label(field)}: {inferred_value_words(field, value)}. Is that right?"
    return base.model_copy(update={"text": f"{lead} {base.text}"})
