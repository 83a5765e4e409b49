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


def test_the_field_catalogue_matches_the_requirements_model() -> None:
    """Names, enum values and numeric bounds in the catalogue are the model's own."""
    from enum import Enum  # noqa: PLC0415

    from bot.domain.fields import FIELD_NAMES as CATALOGUE  # noqa: PLC0415
    from bot.domain.fields import FIELD_SPECS, enum_values  # noqa: PLC0415

    assert tuple(Requirements.model_fields) == CATALOGUE
    for name, spec in FIELD_SPECS.items():
        info = Requirements.model_fields[name]
        members = [m for m in getattr(info.annotation, "__args__", ()) if isinstance(m, type)]
        enums = [m for m in members if issubclass(m, Enum)]
        if spec.kind == "enum":
            assert enums and enum_values(name) == tuple(v.value for v in enums[0]), name
        else:
            assert not enums, name
        limits = {
            key: getattr(item, key)
            for item in info.metadata
            for key in ("ge", "gt", "le", "max_length")
            if getattr(item, key, None) is not None
        }
        if spec.kind in {"count", "number", "usd"}:
            low = limits.get("gt" if spec.exclusive_minimum else "ge")
            assert (low, limits.get("le")) == (spec.minimum, spec.maximum), name
        elif spec.kind == "text":
            assert limits.get("max_length") == spec.maximum


def test_roles_put_readiness_and_hard_constraints_where_the_engine_reads_them() -> None:
    """The readiness gates and hard constraints are the ones docs/design.md §5 names."""
    from bot.domain.fields import HARD_CONSTRAINT_FIELDS, READINESS_FIELDS  # noqa: PLC0415

    assert READINESS_FIELDS == (
        "labelled_examples",
        "team_ml_capability",
        "maintenance_capacity",
        "eval_set_exists",
        "project_stage",
    )
    assert set(HARD_CONSTRAINT_FIELDS) == {
        "latency_target_ms",
        "deployment_target",
        "budget_monthly_usd",
        "data_privacy",
    }
