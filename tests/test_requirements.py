from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from bot.domain.requirements import FIELD_NAMES, Requirements


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"requests_per_month": True}, "requests_per_month"),
        ({"requests_per_month": "5000"}, "requests_per_month"),
        ({"requests_per_month": 5000.5}, "requests_per_month"),
        ({"citations_required": 1}, "citations_required"),
        ({"citations_required": "yes"}, "citations_required"),
        ({"cost_per_request_usd": float("inf")}, "cost_per_request_usd"),
        ({"cost_per_request_usd": float("nan")}, "cost_per_request_usd"),
        ({"cost_per_request_usd": True}, "cost_per_request_usd"),
        ({"requests_per_month": 10**13}, "requests_per_month"),
        ({"latency_target_ms": 0}, "latency_target_ms"),
        ({"kb_size_tokens": -1}, "kb_size_tokens"),
        ({"task_type": "poem"}, "task_type"),
        ({"approach": "rag"}, "approach"),
    ],
)
def test_wrong_types_and_out_of_range_values_name_the_field(
    facts: dict[str, Any], field: str
) -> None:
    """A wrong type, a non-finite or out-of-range number, or an unknown key names its field."""
    with pytest.raises(ValidationError) as caught:
        Requirements.model_validate(facts)
    assert caught.value.errors()[0]["loc"] == (field,)


def test_json_numbers_keep_their_types() -> None:
    """An integer in JSON is accepted for a money field, and JSON round-trips exactly."""
    requirements = Requirements.model_validate_json(
        '{"cost_per_request_usd": 1, "labelled_examples": 3}'
    )
    assert requirements.cost_per_request_usd == 1.0
    assert Requirements.model_validate_json(requirements.model_dump_json()) == requirements


def test_air_gapped_data_cannot_go_to_a_cloud_api() -> None:
    """An air-gapped system calling a cloud API is a contradiction named in the message."""
    with pytest.raises(ValidationError) as caught:
        Requirements.model_validate(
            {"data_privacy": "air_gapped", "deployment_target": "cloud_api"}
        )
    message = str(caught.value)
    assert "air_gapped" in message
    assert "cloud_api" in message


def test_use_case_loses_control_and_bidi_characters() -> None:
    """Terminal escapes and bidi overrides in the summary are dropped before anyone sees it."""
    requirements = Requirements(use_case="docs\x1b[31m bot\u202e\x07 ")
    assert requirements.use_case == "docs[31m bot"


def test_unknown_fields_are_listed_in_schema_order() -> None:
    """With one fact known, every other field is unknown, in the contract's order."""
    unknown = Requirements(requests_per_month=5).unknown_fields()
    assert unknown == [name for name in FIELD_NAMES if name != "requests_per_month"]
