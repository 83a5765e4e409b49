"""The prompt baseline gap: target score minus the best measured prompt score, in points.

"94% vs a 95% target" gives 1; a rework or reject rate is turned into a score
first, so "25% need rework, target under 10%" gives 15. A single percentage
with no target says nothing about the gap and gives None.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from bot.interview.quantities import Quantity, Unit

_TARGET_BEFORE: Final = re.compile(
    r"\b(?:target(?: is)?(?: under| over| above)?|need|needs|aiming for|aim for|want|bar is"
    r"|has to be|must be|goal is|required|require|at least)\s*~?$",
    re.IGNORECASE,
)
_TARGET_AFTER: Final = re.compile(
    r"^(?:\+|\s*(?:target|bar|goal|we need|needed|required|is the target)\b)", re.IGNORECASE
)
_NEGATIVE_METRIC: Final = re.compile(
    r"\b(?:rework|reject\w*|fail\w*|errors?|wrong|incorrect)\b", re.IGNORECASE
)
_POINTS_SHORT: Final = re.compile(
    r"(?<![\d.,])(?P<value>\d+(?:\.\d+)?)\s*(?:pp|percentage points?|points?)\s+"
    r"(?P<side>short|below|under|behind|off|from|above|over|ahead|better)\b"
    r"|\bgap (?:of|is) (?:about |~)?(?P<gap>\d+(?:\.\d+)?)\s*(?:pp|points?)",
    re.IGNORECASE,
)
_NO_GAP: Final = re.compile(r"\bno gap\b|\bzero gap\b", re.IGNORECASE)
_WINDOW_CHARS = 30


def read_gap(text: str, quantities: Sequence[Quantity]) -> float | None:
    """The gap in points, from a measured and a target percentage, or a stated point gap."""
    if _NO_GAP.search(text):
        return 0.0
    if stated := _POINTS_SHORT.search(text):
        if stated.group("gap"):
            return float(stated.group("gap"))
        value = float(stated.group("value"))
        return (
            -value
            if stated.group("side").lower() in {"above", "over", "ahead", "better"}
            else value
        )
    targets: list[float] = []
    measured: list[tuple[float, bool]] = []
    for index, quantity in enumerate(quantities):
        if quantity.unit is not Unit.PERCENT or quantity.compound:
            continue
        before, after = _windows(text, quantities, index)
        if _TARGET_BEFORE.search(before) or _TARGET_AFTER.match(after):
            targets.append(quantity.value)
        else:
            measured.append((quantity.value, bool(_NEGATIVE_METRIC.search(before + after))))
    if not targets or not measured:
        return None
    score, negative = measured[0]
    target = targets[0]
    if negative:
        score, target = 100 - score, 100 - target
    return round(target - score, 2)


def _windows(text: str, quantities: Sequence[Quantity], index: int) -> tuple[str, str]:
    quantity = quantities[index]
    previous_end = quantities[index - 1].end if index > 0 else 0
    next_start = quantities[index + 1].start if index + 1 < len(quantities) else len(text)
    before = text[max(previous_end, quantity.start - _WINDOW_CHARS) : quantity.start]
    after = text[quantity.end : min(next_start, quantity.end + _WINDOW_CHARS)]
    return before, after
