"""The recommendation card: what a person reads in ten seconds, with details one click away.

At most 10 blocks and 1,500 visible characters: the verdict as header, one sentence of
why, confidence and runner-up, the numbers that matter, two of the outline's sections
under its headings (before you start; the top two things that would change it), and the
Details / What if… / Edit answers / Share buttons. The actions block's id carries the
card's fingerprint (the facts it was drawn from), so a click on an outdated card can be
told from a click on the current one.
"""

from __future__ import annotations

import hashlib
from typing import Any

from slack_sdk.models.blocks import Block, MarkdownTextObject, SectionBlock

from bot.entrypoints.slack.block_kit import (
    Message,
    actions,
    button,
    context,
    finish,
    header,
    section,
)
from bot.entrypoints.slack.card_ids import (
    CARD_BLOCK_PREFIX,
    DETAILS_ACTION,
    EDIT_ANSWERS_ACTION,
    SHARE_ACTION,
    WHAT_IF_ACTION,
)
from bot.entrypoints.slack.mrkdwn import clip, escape
from bot.entrypoints.slack.reminder import render_reminder_offer
from bot.interview.replies import Decision
from bot.presentation.labels import approach_label
from bot.presentation.outline import Outline, SectionKey, build_outline

CARD_MAX_BLOCKS = 10
CARD_MAX_VISIBLE_CHARS = 1500
TOP_CHANGES = 2
MAX_PRECONDITIONS = 3
# The outline sections the card shows, in the outline's order, and how many items of each.
CARD_SECTIONS: dict[SectionKey, int] = {"before": MAX_PRECONDITIONS, "changes": TOP_CHANGES}
LINE_MAX_CHARS = 160
SHARE_WHY_MAX_CHARS = 300
SUPERSEDED_TEXT = "Superseded: a newer recommendation is further down this thread."


def fingerprint(decision: Decision) -> str:
    """A short digest of the facts and engine behind a card; equal cards, equal digests."""
    facts = decision.requirements.model_dump_json(exclude_none=True)
    raw = f"{decision.recommendation.engine_version}|{facts}".encode()
    return hashlib.sha256(raw).hexdigest()[:16]


def card_block_id(decision: Decision) -> str:
    return CARD_BLOCK_PREFIX + fingerprint(decision)


def _fields_block(pairs: list[tuple[str, str]]) -> SectionBlock:
    return SectionBlock(
        fields=[MarkdownTextObject(text=f"*{label}*\n{value}") for label, value in pairs]
    )


def _body_blocks(outline: Outline, decision: Decision) -> list[Block]:
    confidence = f"*Confidence* {outline.confidence:.0%}"
    if outline.runner_up:
        confidence += f" · runner-up: {outline.runner_up}"
    changed = decision.changed_from
    if changed and changed != decision.recommendation.approach.value:
        confidence += f" · changed from {approach_label(changed)}"
    blocks: list[Block] = [
        header(f"Recommendation: {outline.headline}"),
        section(f"{escape(outline.why)}\n{confidence}"),
    ]
    if outline.numbers:
        blocks.append(_fields_block(outline.numbers))
    if outline.notes:
        blocks.append(section(escape(clip(outline.notes[0], LINE_MAX_CHARS * 2))))
    for part in outline.sections:
        shown = part.items[: CARD_SECTIONS.get(part.key, 0)]
        if shown:
            lines = [f"• {escape(clip(item, LINE_MAX_CHARS))}" for item in shown]
            blocks.append(section(f"*{part.heading}*\n" + "\n".join(lines)))
    notes = [escape(clip(note, LINE_MAX_CHARS)) for note in decision.notices[:2]]
    if decision.requirements.use_case:
        notes.insert(0, "Use case: " + escape(clip(decision.requirements.use_case, 120)))
    if notes:
        blocks.append(context(" · ".join(notes)))
    return blocks


def render_card(decision: Decision) -> Message:
    """The short card with its four buttons."""
    outline = build_outline(decision.requirements, decision.recommendation)
    blocks = _body_blocks(outline, decision)
    blocks += render_reminder_offer(decision.recommendation)  # when next steps measure something
    blocks.append(
        actions(
            button("Details", action_id=DETAILS_ACTION, style="primary"),
            button("What if…", action_id=WHAT_IF_ACTION),
            button("Edit answers", action_id=EDIT_ANSWERS_ACTION),
            button("Share", action_id=SHARE_ACTION),
            block_id=card_block_id(decision),
        )
    )
    return finish(blocks, text=notification_text(outline))


def render_superseded_notice(current_link: str | None) -> Message:
    """What an earlier card becomes once a newer one is posted: a pointer to the current one."""
    where = f"<{current_link}|see the current recommendation>" if current_link else "see below"
    text = f"This recommendation was superseded by a newer one: {where}."
    return finish([context(f":arrow_down: {text}")], text="Superseded recommendation")


def notification_text(outline: Outline) -> str:
    """The push notification: verdict and the reason for it."""
    return clip(f"Recommendation: {outline.headline}. {outline.why}", 300)


def visible_chars(blocks: list[dict[str, Any]]) -> int:
    """Characters a person sees: every text in header, section, fields, context and buttons."""
    total = 0

    def walk(node: Any) -> None:
        nonlocal total
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
                total += len(node["text"])
                return
            for key, value in node.items():
                if key not in ("action_id", "block_id", "value", "url"):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return total


def render_share(decision: Decision, *, link: str | None, user_id: str | None) -> Message:
    """A compact summary for the channel, linked to the thread."""
    outline = build_outline(decision.requirements, decision.recommendation)
    subject = escape(clip(decision.requirements.use_case or "a use case", 120))
    why = escape(clip(outline.why, SHARE_WHY_MAX_CHARS))
    lines = f"*{escape(outline.headline)}* for {subject} ({outline.confidence:.0%})\n{why}"
    if link:
        lines += f"\n<{link}|Open the thread>"
    who = f"Shared by <@{user_id}>" if user_id else "Shared"
    return finish(
        [section(lines), context(who)], text=f"Recommendation: {outline.headline}: {outline.why}"
    )
