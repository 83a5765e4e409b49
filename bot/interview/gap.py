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
    r"\b(?:(?:target|bar|goal)(?:'s| is| of)?|need(?:s)?(?: that| it| to (?:get|be|go))?"
    r"|aiming for|aim for"
    r"|wants?|'d like|would like|has to be"
    r"|must be|should be|required|require|at least|vs\.?(?: a)?)"
    r"(?:\s+(?:under|below|over|above|at least|about|around))?\s*[~<>]?$",
    re.IGNORECASE,
)
_TARGET_AFTER: Final = re.compile(
    r"^(?:\+|\s*(?:target|bar|goal|we need|needed|required|is the target)\b)", re.IGNORECASE
)
# A share of outputs that goes wrong: "~30% get sent back by reviewers" is a 70% score.
_NEGATIVE_METRIC: Final = re.compile(
    r"\b(?:rework|reject\w*|fail\w*|errors?|wrong|incorrect|(?:get|gets|got|are|is) sent back)\b",
    re.IGNORECASE,
)
_POINTS_SHORT: Final = re.compile(
    r"\b(?P<beat>beat|beats|exceed|exceeds|above|over|ahead of) (?:the |our )?(?:target|bar|goal)"
    r" by (?:about |~)?(?P<over>\d+(?:\.\d+)?)"
    r"|(?<![\d.,])(?P<value>\d+(?:\.\d+)?)\s*(?:pp|percentage points?|points?)\s+"
    r"(?P<side>short|below|under|behind|off|from|above|over|ahead|better)\b"
    r"|\bgap (?:of|is) (?:about |~)?(?P<gap>\d+(?:\.\d+)?)\s*(?:pp|points?)",
    re.IGNORECASE,
)
_NO_GAP: Final = re.compile(
    r"\bno gap\b|\bzero gap\b"
    r"|\b(?:we|it|prompting|the prompt|already) (?:already )?(?:meets?|met|hits?"
    r"|reach(?:es|ed)?|pass(?:es|ed)?|makes?|made) (?:it|the (?:target|bar|goal))\b"
    r"|\b(?:at|on) (?:the )?target\b",
    re.IGNORECASE,
)
# "score 72 vs an 86 target", "score it 68 vs our 85 target", "score prompted drafts 70 vs
# an 86 target": two bare scores, the second named the target; at most three words, none a
# number, between the verb and the first score.
_SCORE_VS_TARGET: Final = re.compile(
    r"\bscor(?:e|es|ed|ing)(?: [a-z-]+){0,3} (?P<got>\d{1,3}(?:\.\d+)?)"
    r" (?:vs\.?|versus|against) (?:an? |the |our )?"
    r"(?P<want>\d{1,3}(?:\.\d+)?)(?:%)? (?:target|goal|bar)\b",
    re.IGNORECASE,
)
_WINDOW_CHARS = 30
# A bare target ends its clause ("we need 95.", "need 95+"); "we need 2 engineers" counts.
_BARE_TARGET_END: Final = re.compile(r"^(?:\+|\s*(?:[.,;:!?)]|$|or (?:more|better|above)\b))")


def read_gap(
    text: str, quantities: Sequence[Quantity], *, bare_scores: bool = False
) -> float | None:
    """The gap in points, from a measured and a target percentage, or a stated point gap.

    `bare_scores` reads plain numbers up to 100 as percentages ("at 71, target 85"): only
    when the gap was just asked, since elsewhere "71" is as likely a count.
    """
    if _NO_GAP.search(text):
        return 0.0
    if stated := _POINTS_SHORT.search(text):
        if stated.group("over"):
            return -float(stated.group("over"))
        if stated.group("gap"):
            return float(stated.group("gap"))
        value = float(stated.group("value"))
        return (
            -value
            if stated.group("side").lower() in {"above", "over", "ahead", "better"}
            else value
        )
    if (versus := _SCORE_VS_TARGET.search(text)) and float(versus.group("want")) <= 100:
        return round(float(versus.group("want")) - float(versus.group("got")), 2)
    targets: list[tuple[float, int]] = []
    measured: list[tuple[float, bool]] = []
    measured_at: list[tuple[float, bool, int]] = []
    # Scores written as fractions ("0.82 F1 and need 0.9") count when no percentage is given.
    as_fractions = not any(q.unit is Unit.PERCENT for q in quantities)
    has_percent = not as_fractions
    for index, quantity in enumerate(quantities):
        score = _score(quantity, as_fractions=as_fractions, bare=bare_scores)
        before, after = _windows(text, quantities, index)
        if (
            score is None
            and has_percent
            and _TARGET_BEFORE.search(before)
            and _BARE_TARGET_END.match(after)
        ):
            # "it gets 70% ... we need 95": beside a measured percentage, a bare number
            # after "need" or "target" is the target score in the same unit.
            score = _score(quantity, as_fractions=False, bare=True)
        if score is None:
            continue
        if _TARGET_BEFORE.search(before) or _TARGET_AFTER.match(after):
            targets.append((score, index))
        else:
            negative = bool(_NEGATIVE_METRIC.search(before + after))
            measured.append((score, negative))
            measured_at.append((score, negative, index))
    if not targets or not measured:
        return None
    best, negative = measured[0]
    target, target_at = targets[0]
    # The score a target answers is the one stated just before it ("... gets 58%; we need
    # 95%"), not an earlier percentage ("raise the hitch to 40 percent").
    before_target = [(score, neg) for score, neg, at in measured_at if at < target_at]
    if before_target:
        best, negative = before_target[-1]
    if negative:
        best, target = 100 - best, 100 - target
    return round(target - best, 2)


def _score(quantity: Quantity, *, as_fractions: bool, bare: bool) -> float | None:
    """A score in percent, or None when the number is not a score."""
    if quantity.compound:
        return None
    if quantity.unit is Unit.PERCENT:
        return quantity.value
    if bare and quantity.unit is Unit.COUNT and 1 <= quantity.value <= 100:
        return quantity.value
    if as_fractions and quantity.unit is Unit.COUNT and 0 < quantity.value < 1:
        return quantity.value * 100
    return None


def _windows(text: str, quantities: Sequence[Quantity], index: int) -> tuple[str, str]:
    quantity = quantities[index]
    previous_end = quantities[index - 1].end if index > 0 else 0
    next_start = quantities[index + 1].start if index + 1 < len(quantities) else len(text)
    before = text[max(previous_end, quantity.start - _WINDOW_CHARS) : quantity.start]
    after = text[quantity.end : min(next_start, quantity.end + _WINDOW_CHARS)]
    return before, after
