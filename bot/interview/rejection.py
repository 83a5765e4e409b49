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
    lower: str | None = None
    upper: str | None = None
    for rule in info.metadata:
        # A field may carry both a shared `ge=0` and its own `gt=0`: the tighter one wins.
        if isinstance(rule, Gt) or (isinstance(rule, Ge) and lower is None):
            lower = f"above {rule.gt:,}" if isinstance(rule, Gt) else f"at least {rule.ge:,}"
        elif isinstance(rule, Le):
            upper = f"at most {rule.le:,}"
        elif isinstance(rule, Lt):
            upper = f"below {rule.lt:,}"
    bounds = [bound for bound in (lower, upper) if bound]
    return f"it must be {noun}" + (" " + " and ".join(bounds) if bounds else "")
