from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.adapters.prompts import load_question_bank
from bot.domain.requirements import Requirements
from bot.interview.planner import PROBE_VALUES
from bot.interview.questions import parse_question_bank


def test_every_probed_fact_has_a_question() -> None:
    """The planner can only ask about facts the question file knows how to ask."""
    bank = load_question_bank()
    assert set(PROBE_VALUES) <= set(bank.specs)


def test_every_choice_is_a_valid_value_of_its_field() -> None:
    """Each button's value validates for the fact it answers."""
    for field, spec in load_question_bank().specs.items():
        for choice in spec.choices:
            Requirements.model_validate({field: choice.value})


def test_every_probe_value_is_valid() -> None:
    """The planner's probe values are all valid for their fields."""
    for field, values in PROBE_VALUES.items():
        for value in values:
            Requirements.model_validate({field: value})


def test_unknown_field_in_question_file_is_refused() -> None:
    """A question about a field that does not exist is caught when the file is loaded."""
    with pytest.raises(ValueError, match="approach"):
        parse_question_bank({"approach": {"text": "Which approach?"}})


def test_malformed_question_is_refused() -> None:
    """A question entry without text is refused."""
    with pytest.raises(ValidationError):
        parse_question_bank({"requests_per_month": {"why": "volume"}})
