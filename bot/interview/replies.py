"""What the interview says back after a user message: questions, a decision, or a notice.

Adapters render these (Block Kit in Slack, text or JSON lines in the terminal).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from bot.domain.recommendation import Recommendation, ScalarFact
from bot.domain.requirements import Requirements


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


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Frozen):
    label: str
    value: ScalarFact


class Question(_Frozen):
    """One fact to ask about; enum and yes/no facts carry their choices (Slack shows buttons)."""

    field: str
    text: str
    choices: list[Choice] = Field(default_factory=list)
    # Why this matters, e.g. "Decides between a cached prompt and retrieval."
    why: str = ""


class Questions(_Frozen):
    questions: list[Question]
    round: int
    max_rounds: int
    notices: list[str] = Field(default_factory=list)
    # Facts understood from this message, for a short "Got it: ..." acknowledgement.
    understood: dict[str, ScalarFact] = Field(default_factory=dict)
    # True when the round goes on: part of it was answered and `questions` are the ones
    # still open (asked again compactly, without using up a round).
    continued: bool = False
    # The round's questions answered so far (None: "not sure"), in the order asked, so a
    # question card can show each question's state.
    answered: dict[str, ScalarFact] = Field(default_factory=dict)
    # The round's questions as first asked, for redrawing its card.
    asked: list[Question] = Field(default_factory=list)
    # Those of `understood` whose value was inferred rather than stated: shown "(inferred)".
    inferred: list[str] = Field(default_factory=list)


class Decision(_Frozen):
    requirements: Requirements
    recommendation: Recommendation
    notices: list[str] = Field(default_factory=list)
    # The approach recommended before this one in the same session, when it differs.
    changed_from: str | None = None
    # True when the user asked for the scoring in detail ("explain").
    detail: bool = False


class Notice(_Frozen):
    """A plain message: help text, a rejected value, "starting over"."""

    text: str
    notices: list[str] = Field(default_factory=list)


Reply = Questions | Decision | Notice
