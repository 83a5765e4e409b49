"""*What if…*: the decisive facts as one-click buttons; each answer comes back as a delta.

The choices are the engine's `what_would_change` (each tried just past its threshold) and
ten times today's volume; the view that offers them and the one that confirms the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import Block, MarkdownTextObject, SectionBlock
from slack_sdk.models.views import View

from bot.domain.recommendation import ScalarFact
from bot.entrypoints.slack.block_kit import button, context, finish_view, section
from bot.entrypoints.slack.card_ids import (
    WHAT_IF_APPLY_PREFIX,
    WHAT_IF_VIEW_CALLBACK,
    CardRef,
    encode_card_ref,
    encode_try,
)
from bot.entrypoints.slack.mrkdwn import escape
from bot.interview.replies import Decision
from bot.presentation.plain import change_words, short_number, what_if_label, what_if_value

MAX_TRIES = 8
VOLUME_FACTOR = 10


@dataclass(frozen=True)
class Try:
    """One change a person can try with a click."""

    label: str
    description: str
    field: str
    value: ScalarFact


def what_ifs(decision: Decision) -> list[Try]:
    """The changes worth one click: ten times the volume, then each decisive fact."""
    rec = decision.recommendation
    assumed = {item.field: item.value for item in rec.assumptions}
    tries: list[Try] = []
    volume = decision.requirements.requests_per_month or assumed.get("requests_per_month")
    if isinstance(volume, int) and volume > 0:
        more = volume * VOLUME_FACTOR
        tries.append(
            Try(
                label=f"{VOLUME_FACTOR}\u00d7 volume",
                description=f"If requests a month were {short_number(more)} "
                f"(now {short_number(volume)})",
                field="requests_per_month",
                value=more,
            )
        )
    for change in rec.what_would_change:
        tries.append(
            Try(
                label=what_if_label(change),
                description=change_words(change, assumed=change.field in assumed),
                field=change.field,
                value=what_if_value(change),
            )
        )
    seen: set[tuple[str, str]] = set()
    unique = []
    for item in tries:
        if (item.field, repr(item.value)) not in seen:
            seen.add((item.field, repr(item.value)))
            unique.append(item)
    return unique[:MAX_TRIES]


def render_what_if_view(decision: Decision, ref: CardRef) -> dict[str, Any]:
    """One row per change: what it is in words and a *Try it* button."""
    tries = what_ifs(decision)
    blocks: list[Block] = [
        section(
            "Try a change with one click: the card in the thread updates, and a one-line "
            "summary says what moved."
        )
    ]
    for index, item in enumerate(tries):
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text=f"*{escape(item.label)}*\n{escape(item.description)}"),
                accessory=button(
                    "Try it",
                    action_id=f"{WHAT_IF_APPLY_PREFIX}{index}",
                    value=encode_try(item.field, item.value),
                ),
            )
        )
    if not tries:
        blocks.append(section("Nothing within the ranges I probe would change the verdict."))
    blocks.append(context("For any other change, use *Edit answers* on the card."))
    return _view(blocks, ref)


def render_tried_view(summary: str, ref: CardRef) -> dict[str, Any]:
    """What the what-if view becomes once a change is applied."""
    return _view([section(f":white_check_mark: {summary}"), context("The card is updated.")], ref)


def _view(blocks: list[Block], ref: CardRef) -> dict[str, Any]:
    view = View(
        type="modal",
        callback_id=WHAT_IF_VIEW_CALLBACK,
        title={"type": "plain_text", "text": "What if…"},
        close={"type": "plain_text", "text": "Close"},
        private_metadata=encode_card_ref(ref),
        blocks=blocks,
    )
    return finish_view(view)
