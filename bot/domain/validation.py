"""One line for a rejected fact: the field, what was wrong, and what is allowed."""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import ValidationError

from bot.domain.requirements import FIELD_NAMES, Requirements


def describe_validation_error(exc: ValidationError) -> str:
    """The first error of `exc` in words a user can act on, naming the field."""
    error = exc.errors()[0]
    if not error["loc"]:  # a rule across fields; its message names them
        return str(error["msg"]).removeprefix("Value error, ")
    field = str(error["loc"][0])
    if error["type"] == "extra_forbidden":
        return f"unknown field {field!r}; allowed fields: {', '.join(FIELD_NAMES)}"
    given = _short(error.get("input"))
    annotation = Requirements.model_fields[field].annotation if field in FIELD_NAMES else None
    choices = _enum_choices(annotation)
    if choices:
        return f"{field}: {given} is not allowed; allowed values: {', '.join(choices)}"
    return f"{field}: {error['msg'].lower()} (got {given})"


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _enum_choices(annotation: Any) -> list[str]:
    for member in getattr(annotation, "__args__", (annotation,)):
        if isinstance(member, type) and issubclass(member, Enum):
            return [str(item.value) for item in member]
        if member is bool:
            return ["true", "false"]
    return []
