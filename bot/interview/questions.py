"""The question bank: how to ask about each fact (the copy lives in prompts/questions.yaml)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bot.domain.requirements import FIELD_NAMES
from bot.interview.replies import Choice, Question


class QuestionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    why: str = ""
    hint: str = ""
    choices: list[Choice] = Field(default_factory=list)


class QuestionBank(BaseModel):
    """Question copy per field, in priority order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    specs: dict[str, QuestionSpec]

    def priority(self, field: str) -> int:
        """Lower asks first when facts are equally decisive."""
        order = list(self.specs)
        return order.index(field) if field in self.specs else len(order)

    def question(self, field: str, *, problem: str = "") -> Question:
        """The question for `field`; `problem` explains why an earlier answer was not accepted."""
        spec = self.specs[field]
        text = spec.text if not spec.hint else f"{spec.text} ({spec.hint})"
        if problem:
            text = f"{problem} {text}"
        return Question(field=field, text=text, choices=list(spec.choices), why=spec.why)


def parse_question_bank(data: Mapping[str, Any]) -> QuestionBank:
    """Validate the question file; every key must be a Requirements field."""
    unknown = sorted(set(data) - set(FIELD_NAMES))
    if unknown:
        raise ValueError(f"questions file names unknown fields: {', '.join(unknown)}")
    return QuestionBank(
        specs={name: QuestionSpec.model_validate(spec) for name, spec in data.items()}
    )
