"""Block Kit primitives shared by the renderers: a message type and limit-aware builders.

Every block is built with slack_sdk's models, whose `to_dict()` checks the
per-block limits; `finish` adds the per-message ones slack_sdk does not check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.domain.text import echo_safe
from bot.entrypoints.slack.ids import DECIDE_NOW_ACTION, START_OVER_ACTION
from bot.entrypoints.slack.mrkdwn import approx_signs, clip

MAX_BLOCKS = 50
SECTION_TEXT_MAX_CHARS = 3000
HEADER_TEXT_MAX_CHARS = 150
CONTEXT_TEXT_MAX_CHARS = 2000
BUTTON_TEXT_MAX_CHARS = 75
OPTION_TEXT_MAX_CHARS = 75
# chat.postMessage accepts 40,000; Slack advises keeping the fallback short.
FALLBACK_TEXT_MAX_CHARS = 3000
TRIMMED_NOTE = "_Some details were left out to fit in one Slack message._"


@dataclass(frozen=True)
class Message:
    """A message ready for chat.postMessage: a plain-text fallback and validated blocks."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=clip(text, HEADER_TEXT_MAX_CHARS), emoji=True))


def section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=clip(text, SECTION_TEXT_MAX_CHARS)))


def sections(title: str, lines: Sequence[str]) -> list[Block]:
    """A titled list split over as many sections as it takes to respect the text limit."""
    blocks: list[Block] = []
    current = f"*{title}*"
    for raw_line in lines:
        line = clip(raw_line, SECTION_TEXT_MAX_CHARS - 2)
        if len(current) + 1 + len(line) > SECTION_TEXT_MAX_CHARS:
            blocks.append(section(current))
            current = line
        else:
            current = f"{current}\n{line}"
    blocks.append(section(current))
    return blocks


def context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=clip(text, CONTEXT_TEXT_MAX_CHARS))])


def divider() -> DividerBlock:
    return DividerBlock()


def button(
    text: str,
    *,
    action_id: str,
    value: str | None = None,
    style: str | None = None,
    confirm: ConfirmObject | None = None,
) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=clip(text, BUTTON_TEXT_MAX_CHARS), emoji=True),
        action_id=action_id,
        value=value,
        style=style,
        confirm=confirm,
    )


def start_over_button() -> ButtonElement:
    return button(
        "Start over",
        action_id=START_OVER_ACTION,
        confirm=ConfirmObject(
            title="Start over?",
            text="This forgets every answer in this thread.",
            confirm="Start over",
            deny="Keep them",
        ),
    )


def decide_now_button() -> ButtonElement:
    return button("Decide now", action_id=DECIDE_NOW_ACTION, style="primary")


def actions(*elements: ButtonElement, block_id: str | None = None) -> ActionsBlock:
    return ActionsBlock(elements=list(elements), block_id=block_id)


def finish(blocks: Sequence[Block], *, text: str) -> Message:
    """Validate every block and fit the message in Slack's 50-block limit.

    When too long, the tail before a closing actions block is dropped (the
    buttons stay usable) and a note says so.
    """
    kept = list(blocks)
    if len(kept) > MAX_BLOCKS:
        closing = [kept[-1]] if isinstance(kept[-1], ActionsBlock) else []
        kept = [*kept[: MAX_BLOCKS - 1 - len(closing)], context(TRIMMED_NOTE), *closing]
    return Message(
        text=clip(echo_safe(text), FALLBACK_TEXT_MAX_CHARS),
        blocks=[echo_safe_strings(block.to_dict()) for block in kept],
    )


def finish_view(view: View) -> dict[str, Any]:
    """A modal or Home view ready for views.open/push/publish, cleaned like every message."""
    return echo_safe_strings(view.to_dict())  # type: ignore[no-any-return]


def echo_safe_strings(value: Any) -> Any:
    """`value` (Block Kit JSON) with every string passed through `echo_safe`, and mrkdwn's
    "about" tildes as ≈: each message and view the bot sends is built here, so no control or
    bidi character, and no accidental strikethrough, reaches Slack."""
    if isinstance(value, str):
        return echo_safe(value)
    if isinstance(value, dict):
        cleaned = {name: echo_safe_strings(item) for name, item in value.items()}
        if cleaned.get("type") == "mrkdwn" and isinstance(cleaned.get("text"), str):
            cleaned["text"] = approx_signs(cleaned["text"])  # no accidental strikethrough
        return cleaned
    if isinstance(value, list):
        return [echo_safe_strings(item) for item in value]
    return value
