"""What a field accepts, in words, for the message that rejects a value."""

from __future__ import annotations

from enum import Enum
from typing import get_args

from annotated_types import Ge, Gt, Le, Lt

from bot.domain.requirements import Requirements


def allowed_values(field: str) -> str:
    """'it must be one of: a, b, c' or 'it must be a whole number of at least 0', for `field`."""
    info = Requirements.model_fields[field]
    kinds = [arg for arg in get_args(info.annotation) if arg is not type(None)]
    kind = kinds[0] if kinds else info.annotation
    if isinstance(kind, type) and issubclass(kind, Enum):
        return "it must be one of: " + ", ".join(str(member.value) for member in kind)
    if kind is bool:
        return "it must be yes or no"
    if kind is str:
        return "it must be a short text"
    noun = "a whole number" if kind is int else "a number"
    bounds = []
    for rule in info.metadata:
        if isinstance(rule, Ge):
            bounds.append(f"at least {rule.ge}")
        elif isinstance(rule, Gt):
            bounds.append(f"above {rule.gt}")
        elif isinstance(rule, Le):
            bounds.append(f"at most {rule.le}")
        elif isinstance(rule, Lt):
            bounds.append(f"below {rule.lt}")
    return f"it must be {noun}" + (" " + " and ".join(bounds) if bounds else "")
