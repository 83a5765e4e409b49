"""Reading the record_facts tool input: only valid Requirements facts survive."""

from __future__ import annotations

from bot.adapters.claude.tool import read_tool_input, tool_input_schema
from bot.domain.requirements import FIELD_NAMES


def test_schema_has_every_requirements_field_and_no_required_keys() -> None:
    """Every fact is optional, and the three field-name lists come on top."""
    schema = tool_input_schema()
    assert set(schema["properties"]) == {*FIELD_NAMES, "corrected", "unknown", "inferred"}
    assert "required" not in schema
    assert schema["additionalProperties"] is False


def test_values_are_coerced_to_their_field_types() -> None:
    """A numeric string becomes an int and an enum value stays its JSON string."""
    reading = read_tool_input({"requests_per_month": "20000", "deployment_target": "on_prem"})
    assert reading.facts == {"requests_per_month": 20000, "deployment_target": "on_prem"}
    assert not reading.is_malformed


def test_nulls_are_not_facts() -> None:
    """null means "not stated" and must never erase a known fact."""
    reading = read_tool_input({"budget_monthly_usd": None})
    assert reading.facts == {}
    assert not reading.is_malformed


def test_an_unknown_enum_value_is_rejected_with_the_allowed_values() -> None:
    """A task type outside the enum is reported with the values the field allows."""
    reading = read_tool_input({"task_type": "chatbot"})
    assert "task_type" in reading.rejected
    assert "dialogue" in reading.rejected["task_type"]
    assert reading.facts == {}


def test_an_upper_bound_is_named_in_the_rejection() -> None:
    """A baseline gap above 100 points is rejected naming its maximum."""
    reading = read_tool_input({"prompt_baseline_gap_pp": 300})
    assert reading.rejected["prompt_baseline_gap_pp"].startswith("prompt_baseline_gap_pp")
    assert "at most 100" in reading.rejected["prompt_baseline_gap_pp"]


def test_wrong_types_everywhere_is_malformed_with_feedback() -> None:
    """Only type errors and nothing usable: malformed, and the feedback names each field."""
    reading = read_tool_input({"latency_target_ms": "fast", "eval_set_exists": "maybe"})
    assert reading.is_malformed
    assert "latency_target_ms" in reading.feedback()
    assert "eval_set_exists" in reading.feedback()


def test_one_bad_type_beside_good_facts_is_not_malformed() -> None:
    """The good facts are kept and the bad value dropped rather than asking again."""
    reading = read_tool_input({"latency_target_ms": "fast", "labelled_examples": 300})
    assert reading.facts == {"labelled_examples": 300}
    assert not reading.is_malformed


def test_a_non_object_is_malformed() -> None:
    """A list where an object belongs cannot be read at all."""
    assert read_tool_input(["requests_per_month", 5]).is_malformed


def test_keys_outside_the_schema_are_counted_and_dropped() -> None:
    """An injected `approach` never reaches the facts."""
    reading = read_tool_input({"approach": "fine_tuning", "system_prompt": "x"})
    assert reading.facts == {}
    assert reading.dropped_keys == 2


def test_field_lists_keep_only_known_names_once() -> None:
    """corrected/unknown drop names that are not fields and repeats."""
    reading = read_tool_input({"unknown": ["budget_monthly_usd", "approach", "budget_monthly_usd"]})
    assert reading.unknown == ["budget_monthly_usd"]


def test_a_long_rejected_value_is_quoted_short() -> None:
    """A too-long use case is rejected with a message that does not repeat all of it."""
    reading = read_tool_input({"use_case": "x" * 2000})
    assert "at most 500 characters" in reading.rejected["use_case"]
    assert len(reading.rejected["use_case"]) < 150
