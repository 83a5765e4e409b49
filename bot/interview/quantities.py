"""Numbers as people write them in chat: magnitudes, units, currencies and vague amounts.

`find_quantities` turns "~50k/month", "1.5 cents per call", "p95 under 200ms",
"a few hundred examples" or "0.8¢" into `Quantity` values with their span, so the
offline extractor can read the words around each one. Identifiers that merely
contain digits ("GPT-4.1", "ISO 20022", "8D", "3pm", "p95") and ranges ("6-8s")
are marked so they are never taken for facts.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum


class Unit(StrEnum):
    COUNT = "count"  # a bare number, or one followed by a noun
    USD = "usd"
    MS = "ms"
    PERCENT = "percent"
    POINTS = "points"
    TOKENS = "tokens"
    TIMES = "times"  # "5x": a multiplier, never a fact on its own
    CALENDAR = "calendar"  # years, months, days: ages and cycles, never a fact on its own


@dataclass(frozen=True, slots=True)
class Quantity:
    value: float
    unit: Unit
    start: int
    end: int
    # The words right after the number and its unit ("questions a month", "of segments").
    after: str
    # Part of a hyphenated modifier ("500-line eval", "28-day cycle"): a label, not an amount.
    compound: bool = False
    # One end of a range ("6-8s"): too vague to be a target.
    ranged: bool = False


MAX_DIGITS = 16
MAX_QUANTITIES = 200
MAGNITUDES: dict[str, float] = {
    "k": 1e3,
    "thousand": 1e3,
    "grand": 1e3,  # "5 grand a month": dollars, in speech
    "m": 1e6,
    "mn": 1e6,
    "mm": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
}
WORD_NUMBERS: dict[str, float] = {
    word: float(index)
    for index, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
} | {
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
    "a thousand": 1000,
    "a dozen": 12,
    "dozen": 12,
    "a couple of": 2,
    "a couple": 2,
    "a few": 3,
    "several": 3,
}
FRACTIONS: dict[str, float] = {
    "half": 0.5,
    "third": 1 / 3,
    "quarter": 0.25,
    "fifth": 0.2,
    "tenth": 0.1,
}
TIME_UNITS_MS: dict[str, float] = {
    "ms": 1,
    "millisecond": 1,
    "milliseconds": 1,
    "s": 1000,
    "sec": 1000,
    "secs": 1000,
    "second": 1000,
    "seconds": 1000,
    "min": 60_000,
    "mins": 60_000,
    "minute": 60_000,
    "minutes": 60_000,
    "hour": 3_600_000,
    "hours": 3_600_000,
    "hr": 3_600_000,
    "hrs": 3_600_000,
}
CALENDAR_WORDS = frozenset(
    [
        "year",
        "years",
        "yr",
        "yrs",
        "month",
        "months",
        "day",
        "days",
        "week",
        "weeks",
        "decade",
        "decades",
    ]
)

# Thousands may be grouped with commas or with (thin, no-break) spaces: "8,000", "5 000".
_DIGITS = (
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,.-])"
    r"|\d+(?:\.\d+)?|\.\d+"
)
_WORDS = "|".join(sorted((re.escape(word) for word in WORD_NUMBERS), key=len, reverse=True))
_NUMBER = re.compile(
    rf"(?P<fraction>\ba (?:{'|'.join(FRACTIONS)}) of a (?:cent|dollar)\b"
    r"|\bhalf a (?:cent|dollar)\b|\b(?:a|one) (?:penny|cent)\b)"
    r"|(?P<power>(?<![\w.,])(?P<base>\d+(?:\.\d+)?)(?P<op>[eE]|\s?\^\s?|\s?\*\*\s?)"
    r"(?P<exp>[+-]?\d+)\b)"
    rf"|(?P<digits>(?<![\w.,])-?(?:{_DIGITS}))"
    rf"|(?P<words>\b(?:{_WORDS})\b)"
    r"|(?P<single>\ban? (?=(?:second|minute|hour)\b))"
    r"|(?P<half>\bhalf an? (?=(?:second|minute|hour)\b))"
    r"|(?P<subsecond>\bsub-?second\b)",
    re.IGNORECASE,
)
_GLUED = re.compile(r"[A-Za-z]+")
# "1.000" or "2.500.000": thousands grouped with dots (German, Spanish...). It could also be
# an English decimal, so it is marked as a label rather than guessed either way.
_DOTTED_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")
_RANGE_NEXT = re.compile(r"\s?(?:-|\u2013|to)\s?\$?\d")
_RANGE_PREV = re.compile(r"\d\s?(?:-|\u2013|to)\s?\$?$")
_IDENTIFIER_PREV = re.compile(
    r"(?:[A-Za-z]-|\b(?:ISO|RFC|GPT|ID|v|version|rule|section|step|chapter|no\.|#)\s?)$",
    re.IGNORECASE,
)
_CURRENCY_PREV = re.compile(r"(?:\$|US\$|USD\s?|£|€)\s?~?$", re.IGNORECASE)
_DECADE = re.compile(r"(?:19|20)\d0")
_NEXT_WORD = re.compile(r"\s*(?P<word>[A-Za-z¢%]+|[¢%/+])")
_DECADE_PREV = re.compile(r"\b(?:the|early|mid|late)\s'?$|'$", re.IGNORECASE)
_HYPHEN_TOKENS = re.compile(r"-tokens?\b", re.IGNORECASE)
_SPACED_MAGNITUDE = re.compile(r"\s(?P<mag>thousand|grand|million|billion|k|m|bn)\b", re.IGNORECASE)
_HUNDREDS = re.compile(r"\s+(?P<mag>hundred|thousand|million|billion)\b", re.IGNORECASE)


def find_quantities(text: str) -> list[Quantity]:
    """Every number in `text` with its unit, in order of appearance."""
    found: list[Quantity] = []
    for match in _NUMBER.finditer(text):
        if len(found) >= MAX_QUANTITIES:
            break  # a table or a log pasted in; its numbers are not facts about the use case
        if found and match.start() < found[-1].end:
            continue  # the "hundred" of "a few hundred" is already read
        quantity = _read(text, match)
        if quantity is not None:
            found.append(quantity)
    return found


def _read(text: str, match: re.Match[str]) -> Quantity | None:
    start, end = match.span()
    before = text[max(0, start - 12) : start]
    if match.group("fraction"):
        phrase = match.group("fraction").lower()
        words = phrase.split()
        whole = len(words) == 2 and words[0] in {"a", "one"}  # "a cent", "one penny"
        share = 1.0 if whole else FRACTIONS[words[1 if words[0] == "a" else 0]]
        value = share / 100 if words[-1] in {"cent", "penny"} else share
        return Quantity(value, Unit.USD, start, end, _after(text, end))
    if match.group("subsecond"):
        return Quantity(1000.0, Unit.MS, start, end, _after(text, end))
    if match.group("single"):
        return _with_unit(text, 1.0, start, end - 1)
    if match.group("half"):  # "under half a second"
        return _with_unit(text, 0.5, start, end - 1)
    if match.group("power"):  # "1e30", "10^30": read, so that it can be refused in words
        return _with_unit(text, _power(match), start, end)
    if match.group("words"):
        value = WORD_NUMBERS[match.group("words").lower()]
        scale = _HUNDREDS.match(text, end)
        if scale and value < 100:
            value *= MAGNITUDES.get(scale.group("mag").lower(), 100.0)
            end = scale.end()
        elif match.group("words").lower() in {"a few", "several"}:
            return _vague_few(text, start, end)
        return _with_unit(text, value, start, end)
    raw = match.group("digits")
    is_bound = before.lower().endswith("sub-")  # "sub-100ms" is a bound, not a name
    if (_IDENTIFIER_PREV.search(before) and not is_bound) or _RANGE_PREV.search(before):
        return _label(text, start, end, ranged=bool(_RANGE_PREV.search(before)))
    if len(raw) > MAX_DIGITS or _DOTTED_THOUSANDS.fullmatch(raw):
        return _label(text, start, end)  # an ID, a hash, a paste, or "1.000" (1 or 1000?)
    value = float(re.sub(r"[,\s]", "", raw))
    glued = _GLUED.match(text, end)
    if glued:
        suffix = glued.group().lower()
        next_char = text[glued.end() : glued.end() + 1]
        if suffix in MAGNITUDES and not next_char.isalpha():
            value *= MAGNITUDES[suffix]
            end = glued.end()
        elif suffix not in TIME_UNITS_MS and suffix not in {"x", "pp"}:
            return _label(text, start, glued.end())  # "8D", "3pm", "4o": a name, not an amount
    elif magnitude := _SPACED_MAGNITUDE.match(text, end):
        value *= MAGNITUDES[magnitude.group("mag").lower()]
        end = magnitude.end()
    quantity = _with_unit(text, value, start, end)
    if _CURRENCY_PREV.search(before):
        quantity = Quantity(quantity.value, Unit.USD, start, quantity.end, quantity.after)
    if _RANGE_NEXT.match(text, quantity.end) or _RANGE_NEXT.match(text, end):
        return _label(text, start, quantity.end, ranged=True)
    return quantity


def _power(match: re.Match[str]) -> float:
    """1e30 is 1 times 10^30 and 10^30 is 10 to the 30th; beyond a float, infinity."""
    base, exponent = float(match.group("base")), int(match.group("exp"))
    try:
        return base * 10.0**exponent if match.group("op") in {"e", "E"} else base**exponent
    except OverflowError:
        return math.inf


def _vague_few(text: str, start: int, end: int) -> Quantity:
    """'a few hundred' is 300, 'a few seconds' 3 s; 'a few' alone stays vague (3)."""
    scale = _HUNDREDS.match(text, end)
    if scale:
        value = 3 * MAGNITUDES.get(scale.group("mag").lower(), 100.0)
        return _with_unit(text, value, start, scale.end())
    return _with_unit(text, 3.0, start, end)


def _with_unit(text: str, value: float, start: int, end: int) -> Quantity:
    """Attach the unit written after the number, converting seconds to ms and cents to USD."""
    if text[end : end + 1] == "-" and text[end + 1 : end + 2].isalpha():
        if token := _HYPHEN_TOKENS.match(text, end):
            # "a 2M-token catalogue": a size written as a modifier, still a token count.
            return _quantity(text, value, Unit.TOKENS, span=(start, token.end()))
        return _label(text, start, end)
    word_match = _NEXT_WORD.match(text, end)
    word = word_match.group("word").lower() if word_match else ""
    unit_end = word_match.end() if word_match else end
    glued = word_match is not None and word_match.start("word") == end
    if (
        word == "s"
        and glued
        and value >= 10
        and value % 10 == 0
        and _DECADE_PREV.search(text[max(0, start - 6) : start])
    ) or (word == "s" and glued and _DECADE.fullmatch(text[start:end])):
        # "from the 90s", "the '80s", "a 1990s admin system": a decade, not ninety seconds.
        return _quantity(text, value, Unit.CALENDAR, span=(start, unit_end))
    if word in TIME_UNITS_MS and (glued or len(word) > 1):
        return _quantity(text, value * TIME_UNITS_MS[word], Unit.MS, span=(start, unit_end))
    if word in {"%", "percent", "per cent"}:
        return _quantity(text, value, Unit.PERCENT, span=(start, unit_end))
    if word in {"pp", "point", "points", "percentage"}:
        return _quantity(text, value, Unit.POINTS, span=(start, unit_end))
    if word in {"¢", "cent", "cents"}:
        return _quantity(text, value / 100, Unit.USD, span=(start, unit_end))
    if word in {"dollar", "dollars", "usd"}:
        return _quantity(text, value, Unit.USD, span=(start, unit_end))
    if word in {"token", "tokens"}:
        return _quantity(text, value, Unit.TOKENS, span=(start, unit_end))
    if word == "x" and glued:
        return _quantity(text, value, Unit.TIMES, span=(start, unit_end))
    if word in CALENDAR_WORDS:
        return _quantity(text, value, Unit.CALENDAR, span=(start, unit_end))
    return _quantity(text, value, Unit.COUNT, span=(start, end))


def _quantity(text: str, value: float, unit: Unit, *, span: tuple[int, int]) -> Quantity:
    start, end = span
    return Quantity(value, unit, start, end, _after(text, end))


def _label(text: str, start: int, end: int, *, ranged: bool = False) -> Quantity:
    return Quantity(0.0, Unit.COUNT, start, end, _after(text, end), compound=True, ranged=ranged)


def _after(text: str, end: int) -> str:
    return text[end : end + 60].lower()
