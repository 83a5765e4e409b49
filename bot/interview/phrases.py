"""Enum and yes/no facts read from words, for a whole description or a short answer."""

from __future__ import annotations

import difflib
import re
from enum import Enum
from typing import Final, get_args

from bot.domain.requirements import VOLATILITY_ORDER, Requirements, Volatility
from bot.interview import answer_vocabulary as answers
from bot.interview import vocabulary as vocab
from bot.interview.plaintext import sentences

Phrase = str | bool
BOOLEAN_FIELDS: Final = ("needs_external_knowledge", "citations_required", "eval_set_exists")
# "eval no", "citations yes": the answer word after the field's name.
_TRAILING_YES_NO: Final = re.compile(
    r"\b(?P<word>yes|yep|true|no|nope|false)\s*[.!]*\s*$", re.IGNORECASE
)
_RARELY: Final = re.compile(r"\b(?:rarely|hardly ever|almost never|seldom)\b", re.IGNORECASE)
_LEADING: Final = re.compile(
    r"^\W*(?:(?:it'?s|we'?re|we are|probably|i'?d say|maybe|mostly|pretty|fairly|very|quite"
    r"|just|definitely)\s+)*(?P<word>[a-z][a-z-]*)(?P<rest>.?)",
    re.IGNORECASE,
)


def first_cue(text: str, cues: tuple[vocab.Cue, ...]) -> Phrase | None:
    """The value of the first row with a match that is not denied just before it."""
    for pattern, value in cues:
        for match in pattern.finditer(text):
            if not vocab.NEGATION_BEFORE.search(text[max(0, match.start() - 30) : match.start()]):
                return value
    return None


def read_stated_phrases(text: str) -> dict[str, Phrase]:
    """Every enum and yes/no fact the text states in words."""
    facts: dict[str, Phrase] = {}
    for field, cues in vocab.ENUM_CUES.items():
        if (value := first_cue(text, cues)) is not None:
            facts[field] = value
    if (volatility := read_volatility(text, require_change=True)) is not None:
        facts["knowledge_volatility"] = volatility
    for field, cues in (
        ("citations_required", vocab.CITATIONS),
        ("eval_set_exists", vocab.EVAL_SET),
    ):
        if (value := first_cue(text, cues)) is not None:
            facts[field] = value
    return facts


def read_volatility(text: str, *, require_change: bool) -> str | None:
    """The most volatile rate of change mentioned where the text says something changes."""
    found: list[Volatility] = []
    for sentence in sentences(vocab.VOLUME_RATE.sub(" ", text)):
        if require_change and not vocab.CHANGE_WORDS.search(sentence):
            # "static" and "never changes" say it all by themselves.
            found += [Volatility.STATIC] if vocab.VOLATILITY[-1][0].search(sentence) else []
            continue
        found += [Volatility(str(v)) for p, v in vocab.VOLATILITY if p.search(sentence)]
    if not found:
        return None
    return max(found, key=VOLATILITY_ORDER.index).value


def needs_external_knowledge(text: str, *, has_knowledge_facts: bool) -> bool | None:
    """False only when the text says the input holds everything; True when it names a source."""
    if has_knowledge_facts:
        return True
    if vocab.NO_EXTERNAL_KNOWLEDGE.search(text):
        return False
    if vocab.KNOWLEDGE_SOURCE.search(text):
        return True
    return None


def read_yes_no(text: str) -> bool | None:
    if answers.YES.search(text):
        return True
    if answers.NO.search(text):
        return False
    return None


def read_asked_phrase(field: str, text: str, *, yes_no: bool) -> Phrase | None:
    """The value a short answer gives for the enum or yes/no `field` the bot just asked about.

    `yes_no` says whether a bare yes/no belongs to this field (only the first asked
    yes/no field gets it).
    """
    if field in BOOLEAN_FIELDS:
        return _read_asked_boolean(field, text, yes_no=yes_no)
    if (exact := _exact_enum_value(field, text)) is not None:
        return exact
    if field == "knowledge_volatility":
        return (
            _leading_value(field, text, definitive=False)
            or read_volatility(text, require_change=False)
            or ("static" if _RARELY.search(text) else None)
            or _misspelt_value(field, text)
        )
    cues = vocab.ENUM_CUES.get(field, ()) + answers.ANSWER_CUES.get(field, ())
    if (leading := _leading_value(field, text, definitive=True)) is not None:
        return leading
    if (phrase := first_cue(text, cues)) is not None:
        return phrase
    return _leading_value(field, text, definitive=False) or _misspelt_value(field, text)


# A short answer with a small typo ("prodution", "weekley") still names its value.
MISSPELT_MAX_WORDS: Final = 3
MISSPELT_MIN_LETTERS: Final = 5
MISSPELT_MIN_SIMILARITY: Final = 0.8


def _misspelt_value(field: str, text: str) -> str | None:
    words = re.findall(r"[a-z-]+", text.lower())
    if not 0 < len(words) <= MISSPELT_MAX_WORDS:
        return None
    names = answers.LEADING_WORDS.get(field, {})
    for word in words:
        if len(word) < MISSPELT_MIN_LETTERS:
            continue
        close = difflib.get_close_matches(word, names, n=1, cutoff=MISSPELT_MIN_SIMILARITY)
        if close:
            return names[close[0]]
    return None


def _exact_enum_value(field: str, text: str) -> str | None:
    """The value when the answer is just a value's name ("qa_over_docs", "on prem")."""
    wanted = re.sub(r"[\s_-]+", " ", text.strip(" .!`'\"").lower())
    for value in enum_values(field):
        if wanted == value.replace("_", " "):
            return value
    return None


def enum_values(field: str) -> list[str]:
    """The allowed values of an enum field of Requirements (empty for other fields)."""
    annotation = Requirements.model_fields[field].annotation
    for kind in get_args(annotation) or (annotation,):
        if isinstance(kind, type) and issubclass(kind, Enum):
            return [str(member.value) for member in kind]
    return []


def _read_asked_boolean(field: str, text: str, *, yes_no: bool) -> bool | None:
    if (
        yes_no
        and (answer := read_yes_no(text)) is not None
        and not answers.denies_another_field(text, field)
    ):
        return answer
    if yes_no and (trailing := _TRAILING_YES_NO.search(text)):
        return trailing.group("word").lower() in {"yes", "yep", "true"}
    if field == "needs_external_knowledge":
        return needs_external_knowledge(text, has_knowledge_facts=False)
    table = vocab.CITATIONS if field == "citations_required" else vocab.EVAL_SET
    rows = table + answers.ANSWER_CUES.get(field, ()) + answers.YES_NO_PHRASES
    # A stated "not required" outweighs the mere mention of the thing ("citations would be
    # nice but not required"), so the denials are tried first.
    value = first_cue(text, tuple(row for row in rows if row[1] is False))
    if value is None:
        value = first_cue(text, tuple(row for row in rows if row[1] is True))
    return value if isinstance(value, bool) else None


def _leading_value(field: str, text: str, *, definitive: bool) -> str | None:
    """A value named by the answer's first word; `definitive` needs it to stand alone
    ("basic, we'd use Vertex"), so that "cloud is fine in our VPC" is left to the phrases."""
    match = _LEADING.match(text)
    if match is None:
        return None
    word = match.group("word").lower().removesuffix("-ish")  # "medium-ish" is medium
    value = answers.LEADING_WORDS.get(field, {}).get(word)
    if value is None:
        return None
    stands_alone = match.group("rest") in {"", ",", ".", ";", "!", ":", "-", "\u2013", "\u2014"}
    return value if stands_alone or not definitive else None
