"""How a reply splits into answers to the questions just asked.

Replies to several questions come numbered ("1) yes 2) ~40 pages", "1: x 2: y"), one per
line or per "; ", in order with looser separators (",", " / ", "and", "but"), or as
"Label: value" lines. A list number is a position, never a value; a part that names its
field ("examples: maybe 100") goes to that field whatever its position.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from bot.interview import answer_vocabulary as answers

_LABELLED_LINE: Final = re.compile(
    r"^\s*(?:[-•*]\s*)?(?P<label>[A-Za-z][A-Za-z0-9 /-]{1,30}?)\s*[:=]\s*(?P<value>\S.*)$"
)
# Answers to several questions: numbered ("1) yes 2) ~40 pages", "1: x 2: y", "(1) x",
# "1 - x"), one per line, or per "; ". A list number is a position, never a value.
_LIST_NUMBER_TEXT: Final = r"(?:\(\d{1,2}\)|\d{1,2}(?:[.):]|\s+-)(?!\d))"
_NUMBERED_BREAK: Final = re.compile(rf"(?:^|\s+)(?={_LIST_NUMBER_TEXT}\s)")
_LIST_NUMBER: Final = re.compile(rf"^\s*{_LIST_NUMBER_TEXT}\s+")
_LINE_BREAK: Final = re.compile(r"\s*(?:;|\n)\s*")
# A line's own list number ("1. ~30k a month", "2) aws"); not "5 - 10 ms" or "3: x", which
# may be values when they stand alone.
_LINE_LIST_NUMBER: Final = re.compile(r"^(\s*)(?:\(\d{1,2}\)|\d{1,2}[.)])(?!\d)\s+", re.MULTILINE)
# "yes, no": loosely separated answers this short are taken in order before anything else.
SHORT_ANSWER_MAX_WORDS: Final = 2
# Answers in order, separated more loosely: "on prem / regulated / 1s", "no and no".
_LOOSE_BREAKS: Final = (
    re.compile(r"\s*,\s*"),
    re.compile(r"\s+/\s+"),
    re.compile(r"\s*,?\s+\band\b\s+"),
    re.compile(r"\s*,?\s+\bbut\b\s+"),
)


def without_list_numbers(text: str) -> str:
    """`text` with its list numbers taken out, since a list number is a position, never a
    value: "1) no 2) 40 pages" reads "no; 40 pages", and "1. ~30k a month" "~30k a month"."""
    numbered = [part for part in _NUMBERED_BREAK.split(text) if part.strip()]
    if len(numbered) > 1 and all(_LIST_NUMBER.match(part) for part in numbered):
        return "; ".join(_LIST_NUMBER.sub("", part).strip(" ,;") for part in numbered)
    return _LINE_LIST_NUMBER.sub(r"\1", text)


def answer_segments(text: str, asked: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Answers to several questions go to the fields in the order asked when the reply has
    one part per question; "Label: value" lines go to the field the label names; otherwise
    the whole message answers all the asked fields."""
    asked = list(asked)
    rest, labelled = _split_labelled_lines(text)
    if labelled and not rest.strip():
        return [("", asked), *labelled]
    if len(asked) > 1 and (parts := ordered_parts(text, len(asked))):
        return _assigned(parts, asked)
    if asked or not labelled:
        return [(text, asked)]
    return [(rest, []), *labelled]


def _assigned(parts: list[str], asked: list[str]) -> list[tuple[str, list[str]]]:
    """Each part to its question: a part labelled with its field ("examples: maybe 100") or
    naming the topic of one question asked ("1,200 labelled pairs") goes there; the others
    take the remaining questions in the order asked."""
    named: dict[int, str] = {}
    for index, part in enumerate(parts):
        match = _LABELLED_LINE.match(part)
        label = match.group("label").strip() if match else ""
        field = next((f for pattern, f in answers.LINE_LABELS if pattern.match(label)), None)
        if match and field in asked and field not in named.values():
            named[index] = field
    for index, part in enumerate(parts):
        # "about 1,200 labelled pairs; 100 of them held out as a test set" to "eval set?
        # examples?": a part naming one asked question's topic answers that one.
        topics = [f for f in answers.mentioned_fields(part) if f in asked]
        if index not in named and len(topics) == 1 and topics[0] not in named.values():
            named[index] = topics[0]
    rest = iter(field for field in asked if field not in named.values())
    return [
        (_LABELLED_LINE.sub(r"\g<value>", part) if index in named else part, [field])
        for index, part in enumerate(parts)
        if (field := named.get(index) or next(rest))
    ]


def ordered_parts(text: str, count: int, *, loose: bool = False) -> list[str]:
    """`text` cut into exactly `count` answers, numbered or one per line (or, with `loose`,
    by a comma, " / " or "and"), or nothing when no way of cutting it gives that many."""
    numbered = [part for part in _NUMBERED_BREAK.split(text) if part.strip()]
    if len(numbered) > 1 and all(_LIST_NUMBER.match(part) for part in numbered):
        parts = [_LIST_NUMBER.sub("", part).strip(" ,;") for part in numbered]
        return parts if len(parts) == count else []
    for pattern in (_LINE_BREAK, *_LOOSE_BREAKS):
        parts = [part.strip(" .") for part in pattern.split(text) if part.strip(" .")]
        is_terse = all(len(part.split()) <= SHORT_ANSWER_MAX_WORDS for part in parts)
        if len(parts) == count and (pattern is _LINE_BREAK or loose or is_terse):
            return parts
    return []


def _split_labelled_lines(text: str) -> tuple[str, list[tuple[str, list[str]]]]:
    """The lines without a known label, and each labelled line's value with its field."""
    rest: list[str] = []
    labelled: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        match = _LABELLED_LINE.match(line)
        label = match.group("label").strip() if match else ""
        field = next((f for pattern, f in answers.LINE_LABELS if pattern.match(label)), "")
        if match and field != "":
            labelled.append((match.group("value"), [field] if field else []))
        else:
            rest.append(line)
    return "\n".join(rest), labelled
