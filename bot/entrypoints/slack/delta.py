"""The short message a what-if or an edit leaves in the thread while the card updates in place.

One line of at most 600 characters: what changed and who changed it, whether the verdict
held, and how the numbers that matter moved ("Requests a month 200k → 5M (by @ana): still
RAG + fine-tuning; payback 10.0 → 0.2 months").
"""

from __future__ import annotations

from bot.domain.recommendation import ScalarFact
from bot.entrypoints.slack.block_kit import Message, finish, section
from bot.entrypoints.slack.mrkdwn import clip, escape
from bot.interview.replies import Decision
from bot.presentation.labels import field_label
from bot.presentation.outline import Outline, build_outline
from bot.presentation.plain import amount_words

DELTA_MAX_CHARS = 600
MAX_FACTS_NAMED = 3
ICON = ":arrows_counterclockwise:"


def _value(field: str, value: ScalarFact) -> str:
    # One line has little room: shorten numbers sooner than a sentence would.
    return amount_words(field, value, short_from=10_000)


def changed_facts(before: Decision, after: Decision) -> dict[str, tuple[ScalarFact, ScalarFact]]:
    """Each fact whose stated value differs between two decisions: (old, new)."""
    old, new = before.requirements.known(), after.requirements.known()
    return {
        field: (old.get(field), new.get(field))
        for field in [*old, *(f for f in new if f not in old)]
        if old.get(field) != new.get(field)
    }


def _numbers_moved(before: Outline, after: Outline) -> list[str]:
    was = dict(before.numbers)
    moved = []
    for label, value in after.numbers:
        if label in was and was[label] != value:
            moved.append(f"{label.lower()} {was[label]} → {value}")
        elif label not in was:
            moved.append(f"{label.lower()} {value}")
    if round(before.confidence, 2) != round(after.confidence, 2):
        moved.append(f"confidence {before.confidence:.0%} → {after.confidence:.0%}")
    return moved


def delta_text(before: Decision, after: Decision, *, user_id: str | None) -> str:
    changes = changed_facts(before, after)
    named = [
        f"{field_label(field)} {_value(field, old)} → {_value(field, new)}"
        for field, (old, new) in list(changes.items())[:MAX_FACTS_NAMED]
    ]
    if len(changes) > MAX_FACTS_NAMED:
        named.append(f"{len(changes) - MAX_FACTS_NAMED} more")
    what = escape("; ".join(named)) if named else "No facts changed"
    who = f" (by <@{user_id}>)" if user_id else ""
    was, now = (
        build_outline(before.requirements, before.recommendation),
        build_outline(after.requirements, after.recommendation),
    )
    verdict = (
        f"still {now.headline}"
        if was.verdict == now.verdict
        else f"now *{now.headline}* (was {was.verdict})"
    )
    moved = _numbers_moved(was, now)
    line = f"{what}{who}: {verdict}" + ("; " + "; ".join(moved) if moved else "")
    return clip(line, DELTA_MAX_CHARS - len(ICON) - 1)


def render_delta(before: Decision, after: Decision, *, user_id: str | None) -> Message:
    text = delta_text(before, after, user_id=user_id)
    return finish([section(f"{ICON} {text}")], text=text)
