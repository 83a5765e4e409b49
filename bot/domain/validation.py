"""One line for a rejected fact: the field, what was wrong, and what is allowed.

What a field accepts comes from the field catalogue (`fields.py`), the one place it is
written; a test holds the Requirements model to the same names, values and bounds.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from bot.domain.fields import FIELD_NAMES, FIELD_SPECS, allowed


def describe_validation_error(exc: ValidationError) -> str:
    """The first error of `exc` in words a user can act on, naming the field."""
    error = exc.errors()[0]
    if not error["loc"]:  # a rule across fields; its message names them
        return str(error["msg"]).removeprefix("Value error, ")
    field = str(error["loc"][0])
    if error["type"] == "extra_forbidden":
        return f"unknown field {field!r}; allowed fields: {', '.join(FIELD_NAMES)}"
    given = _short(error.get("input"))
    for name in FIELD_NAMES:
        if name == field and FIELD_SPECS[name].kind in {"enum", "flag"}:
            return f"{field}: {given} is not allowed; {allowed(name)}"
    return f"{field}: {error['msg'].lower()} (got {given})"


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
