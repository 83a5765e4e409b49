"""Engine sentences in plain words: no field identifier or raw enum value reaches a person.

The engine's reasons, risks and next steps are written for people but may still name a
fact by its JSON key (`maintenance_capacity: none`) or a value by its enum (`cloud_api`).
Every surface a person reads passes engine text through `plain_text`, which swaps those
for the field catalogue's words; JSON output keeps the identifiers.
"""

from __future__ import annotations

import re
from functools import cache

from bot.domain.fields import FIELD_LABELS, FIELD_NAMES, VALUE_WORDS
from bot.domain.recommendation import Change, ScalarFact
from bot.presentation.labels import APPROACH_LABELS, fact_value

# What a reader must never see: a snake_case identifier (a field, an enum value, an approach).
IDENTIFIER = re.compile(r"(?<![\w/.:-])[a-z]+(?:_[a-z]+)+(?![\w/-])")


def inline_label(label: str) -> str:
    """A label inside a sentence: "Who retrains the model" -> "who retrains the model"."""
    if len(label) > 1 and label[1].islower():
        return label[0].lower() + label[1:]
    return label


@cache
def _replacements() -> tuple[re.Pattern[str], dict[str, str]]:
    words: dict[str, str] = {}
    for approach, label in APPROACH_LABELS.items():
        if approach != "rag":  # "rag" alone never appears lower-case in prose
            words[approach] = label if "+" in approach else inline_label(label)
    for field in FIELD_NAMES:
        if "_" in field:
            words[field] = inline_label(FIELD_LABELS[field])
    for values in VALUE_WORDS.values():
        for value, said in values.items():
            if "_" in value:
                words.setdefault(value, said)
    # Longest first, so `rag+fine_tuning` wins over `fine_tuning`.
    names = sorted(words, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\w/.:-])(" + "|".join(re.escape(name) for name in names) + r")(?![\w/-])"
    )
    return pattern, words


def inline_field(field: str) -> str:
    """A field's label inside a sentence: "who retrains the model", "team's ML skills"."""
    return inline_label(FIELD_LABELS.get(field, field))  # type: ignore[call-overload]


@cache
def _fact_values() -> re.Pattern[str]:
    """`maintenance_capacity: limited`, `team_ml_capability is basic`: a field and its value."""
    fields = "|".join(re.escape(field) for field in VALUE_WORDS)
    values = "|".join(
        sorted({re.escape(v) for words in VALUE_WORDS.values() for v in words}, key=len)[::-1]
    )
    return re.compile(rf"(?<![\w])({fields})(\s*[:=]\s*|\s+is\s+|\s+)({values})(?![\w])")


def _fact_value_words(match: re.Match[str]) -> str:
    field, separator, value = match.groups()
    said = VALUE_WORDS[field].get(value)  # type: ignore[index]
    if said is None:
        return match.group(0)
    return f"{inline_field(field)}{separator}{said}"


def plain_text(text: str) -> str:
    """`text` with every known identifier replaced by the catalogue's words: a field named
    with its value reads as label and value words ("who retrains the model: someone
    part-time"), any other identifier as its label or words."""
    pattern, words = _replacements()
    text = _fact_values().sub(_fact_value_words, text)
    return pattern.sub(lambda match: words[match.group(1)], text)


def identifiers_in(text: str) -> list[str]:
    """The snake_case identifiers left in `text` (tests assert there are none)."""
    return IDENTIFIER.findall(text)


def amount_words(field: str, value: ScalarFact, *, short_from: float = 100_000) -> str:
    """A fact's value in words, numbers from `short_from` up shortened ("2.1M")."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= short_from:
        return short_number(float(value))
    return fact_value(field, value)


def short_number(value: float) -> str:
    """2,100,000 -> "2.1M"; 200,000 -> "200k"."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.1f}".rstrip("0").rstrip(".") + suffix
    return f"{value:g}"


def change_words(change: Change, *, assumed: bool = False) -> str:
    """A decisive fact and where the verdict flips, in words:
    "If requests a month were 2.1M or more (now 200k) → RAG + fine-tuning"."""
    label = inline_label(FIELD_LABELS.get(change.field, change.field))  # type: ignore[call-overload]
    now = amount_words(change.field, change.current) + (", assumed" if assumed else "")
    threshold = amount_words(change.field, change.threshold)
    bound = {"above": f"{threshold} or more", "below": f"under {threshold}"}
    if isinstance(change.threshold, bool):
        condition = f"If {label}: {threshold} (now {now})"
    else:
        condition = f"If {label} were {bound.get(change.direction, threshold)} (now {now})"
    others = [
        inline_label(FIELD_LABELS[field])
        for field in FIELD_NAMES
        if field != change.field and re.search(rf"(?<!\w){field}(?!\w)", change.text)
    ]
    if others:
        condition += ", together with " + " and ".join(others)
    target = APPROACH_LABELS.get(change.switches_to.value, change.switches_to.value)
    return f"{condition} → {target}"


def what_if_label(change: Change) -> str:
    """A short button label for trying a change: "Requests a month: 2.1M"."""
    label = FIELD_LABELS.get(change.field, change.field)  # type: ignore[call-overload]
    return f"{label}: {amount_words(change.field, what_if_value(change))}"


def what_if_value(change: Change) -> ScalarFact:
    """A value just past the threshold, so that trying the change flips the verdict."""
    threshold = change.threshold
    if change.direction == "below" and isinstance(threshold, int | float):
        if isinstance(threshold, bool):
            return threshold
        return threshold - 1 if isinstance(threshold, int) else round(threshold * 0.9, 4)
    return threshold
