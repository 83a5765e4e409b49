"""Why a value was refused, in plain words: what the fact accepts, never a field identifier."""

from __future__ import annotations

import math
import re
from enum import Enum
from typing import get_args

from annotated_types import Ge, Gt, Le, Lt

from bot.domain.fields import field_label, value_words
from bot.domain.recommendation import ScalarFact
from bot.domain.requirements import Requirements

# Plain questions to ask again after a refused figure, for the facts people state most.
ASK_AGAIN: dict[str, str] = {
    "requests_per_month": "what is the monthly volume?",
    "latency_target_ms": "what response time (p95) do you need?",
    "labelled_examples": "how many curated examples do you have?",
}
# Figures beyond this many digits are shown as powers of ten ("10^30").
SHOWN_DIGITS_MAX = 15


def allowed_values(field: str) -> str:
    """'it must be one of: a, b, c' or 'it must be a whole number of at least 0', for `field`."""
    info = Requirements.model_fields[field]
    kinds = [arg for arg in get_args(info.annotation) if arg is not type(None)]
    kind = kinds[0] if kinds else info.annotation
    if isinstance(kind, type) and issubclass(kind, Enum):
        words = (value_words(field, str(member.value)) for member in kind)
        return "it must be one of: " + ", ".join(words)
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


def rejection_reason(field: str, value: ScalarFact, *, limit: float | None = None) -> str:
    """Why `value` can't be `field`, in words a person can act on ("10^30 is more requests
    than any deployment serves; what is the monthly volume?")."""
    label = plain_label(field)
    again = ASK_AGAIN.get(field, f"what is the {label}?")
    if isinstance(value, float) and not math.isfinite(value):
        return f"That figure isn't a number I can use for the {label}; {again}"
    bound = _upper_bound(field) if limit is None else limit
    if isinstance(value, int | float) and not isinstance(value, bool) and bound is not None:
        if value > bound and field == "requests_per_month":
            return f"{_shown(value)} is more requests than any deployment serves; {again}"
        if value > bound:
            return (
                f"{_shown(value)} is more than the {label} could plausibly be "
                f"({allowed_values(field) if limit is None else f'it must be at most {limit:,}'});"
                f" {again}"
            )
    return f"The {label} can't be {_shown(value)}: {allowed_values(field)}."


def plain_label(field: str) -> str:
    """The field's label in running text, without its unit ("cost per request with prompting")."""
    return re.sub(r"\s*\([^)]*\)$", "", field_label(field)).lower()


def _upper_bound(field: str) -> float | None:
    for rule in Requirements.model_fields[field].metadata:
        if isinstance(rule, Le):
            return float(rule.le)  # type: ignore[arg-type]
        if isinstance(rule, Lt):
            return float(rule.lt)  # type: ignore[arg-type]
    return None


def _shown(value: ScalarFact) -> str:
    if isinstance(value, bool) or value is None:
        return "yes" if value else "no"
    if isinstance(value, int | float):
        if abs(value) >= 10**SHOWN_DIGITS_MAX:
            return f"10^{math.floor(math.log10(abs(value)))}"
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    return f"“{value}”"
