"""Facts written as `field = value` (or `field: value`), the way power users and tests type them.

Only the Requirements' own field names are read, so `approach=fine_tuning` or any
other key is ignored: text can state facts, never settings or instructions.
"""

from __future__ import annotations

import re
from typing import Any, Final

from bot.domain.requirements import FIELD_NAMES
from bot.interview.amounts import NUMERIC_FIELDS, as_field_type
from bot.interview.phrases import BOOLEAN_FIELDS
from bot.interview.quantities import find_quantities

_ASSIGNMENT: Final = re.compile(
    r"\b(?P<field>" + "|".join(FIELD_NAMES) + r")\s*(?:=|:|\bto\b|\bis\b)\s*"
    r"(?P<value>-?[$~]?[\w.,+-]+(?:¢|%)?)",
    re.IGNORECASE,
)
_TRUE: Final = frozenset({"true", "yes", "y", "1"})
_FALSE: Final = frozenset({"false", "no", "n", "0"})


def read_assignments(text: str) -> dict[str, Any]:
    """Fields set explicitly by name; the value is taken as written and validated later."""
    facts: dict[str, Any] = {}
    for match in _ASSIGNMENT.finditer(text):
        field = match.group("field").lower()
        raw = match.group("value").rstrip(".,")
        if field in BOOLEAN_FIELDS:
            word = raw.lower()
            facts[field] = True if word in _TRUE else False if word in _FALSE else raw
        elif field in NUMERIC_FIELDS:
            quantities = find_quantities(raw)
            facts[field] = as_field_type(field, quantities[0].value) if quantities else raw
        else:
            facts[field] = raw.lower() if field != "use_case" else raw
    return facts
