"""Pure Block Kit builders for everything the bot posts. Each returns a validated `Message`."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    Option,
    PlainTextObject,
    StaticSelectElement,
)

from bot.domain.recommendation import ScalarFact
from bot.entrypoints.slack.block_kit import (
    OPTION_TEXT_MAX_CHARS,
    Message,
    actions,
    button,
    context,
    decide_now_button,
    finish,
    section,
    start_over_button,
)
from bot.entrypoints.slack.ids import answer_action_id, encode_value
from bot.entrypoints.slack.modal import parse_edit_submission, render_edit_modal
from bot.entrypoints.slack.mrkdwn import clip, escape
from bot.entrypoints.slack.recommendation_blocks import render_explain, render_recommendation
from bot.interview.replies import Decision, Notice, Question, Questions, Reply
from bot.presentation.labels import fact_value, field_label

__all__ = [
    "Message",
    "mark_answered",
    "parse_edit_submission",
    "render_edit_modal",
    "render_explain",
    "render_notice",
    "render_question_card",
    "render_questions",
    "render_recommendation",
    "render_reply",
    "render_status",
]

# More choices than this read better as a drop-down than as a row of buttons.
MAX_BUTTON_CHOICES = 5
MAX_SELECT_OPTIONS = 100


def render_notice(notice: Notice) -> Message:
    """A plain message (help, a rejected value, "starting over") and any side notes."""
    blocks: list[Block] = [section(notice.text)]
    blocks += [context(f":information_source: {note}") for note in notice.notices]
    return finish(blocks, text=notice.text)


def render_status(text: str) -> Message:
    """A placeholder shown while the work is under way, replaced in place when done."""
    return finish([context(f":hourglass_flowing_sand: {text}")], text=text)


def _fact_line(field: str, value: ScalarFact) -> str:
    """A fact understood so far, its value in bold and escaped (a use case is user text)."""
    return f"{field_label(field)}: *{escape(fact_value(field, value))}*"


def render_questions(questions: Questions) -> Message:
    """The next round of questions: buttons or a select for enum facts, free text for the rest."""
    blocks: list[Block] = []
    if questions.understood:
        got = " · ".join(
            _fact_line(name, value) + (" (inferred)" if name in questions.inferred else "")
            for name, value in questions.understood.items()
        )
        blocks.append(context(f":white_check_mark: Got it: {got}"))
    blocks += [context(f":information_source: {note}") for note in questions.notices]
    for number, question in enumerate(questions.questions, start=1):
        # Asked again in the same round, the question is shown compactly (its "why" was read).
        shown = question.model_copy(update={"why": ""}) if questions.continued else question
        blocks += _question_blocks(shown, number=number, total=len(questions.questions))
    blocks.append(
        context(
            f"Round {questions.round} of {questions.max_rounds} · Answer in this thread, "
            "or press *Decide now* and I'll state what I assume."
        )
    )
    blocks.append(actions(decide_now_button(), start_over_button()))
    fallback = "A few questions: " + " / ".join(q.text for q in questions.questions)
    return finish(blocks, text=fallback)


def render_question_card(card: Questions) -> Message:
    """A round's question card as its answers come in: each answered question shows its
    answer instead of its buttons; Decide now stays while any question is open."""
    blocks: list[Block] = []
    total = len(card.asked)
    for number, question in enumerate(card.asked, start=1):
        if question.field in card.answered:
            blocks.append(_answered_block(question, card.answered[question.field], number, total))
        else:
            blocks += _question_blocks(question, number=number, total=total)
    if card.questions:
        open_count = len(card.questions)
        blocks.append(
            context(
                f"Round {card.round} of {card.max_rounds} · {open_count} still open · Answer in "
                "this thread, or press *Decide now* and I'll state what I assume."
            )
        )
        blocks.append(actions(decide_now_button(), start_over_button()))
    else:
        blocks.append(context(f"Round {card.round} of {card.max_rounds} · all answered"))
    fallback = "Questions: " + " / ".join(q.text for q in card.asked)
    return finish(blocks, text=fallback)


def _answered_block(question: Question, value: ScalarFact, number: int, total: int) -> Block:
    prefix = f"{number}. " if total > 1 else ""
    answer = "not sure" if value is None else fact_value(question.field, value)
    return context(f":white_check_mark: {prefix}{escape(question.text)} → *{escape(answer)}*")


def _question_blocks(question: Question, *, number: int, total: int) -> list[Block]:
    prefix = f"{number}. " if total > 1 else ""
    text = f"*{prefix}{question.text}*"
    if question.why:
        text += f"\n_{question.why}_"
    blocks: list[Block] = [section(text)]
    if not question.choices:
        blocks.append(context("Reply in this thread in your own words."))
    elif len(question.choices) <= MAX_BUTTON_CHOICES:
        blocks.append(_choice_buttons(question))
    else:
        blocks.append(_choice_select(question))
    return blocks


def _choice_buttons(question: Question) -> ActionsBlock:
    # Slack wants action ids unique within a block, so each button gets its index.
    return actions(
        *(
            button(
                choice.label,
                action_id=f"{answer_action_id(question.field)}:{index}",
                value=encode_value(choice.value),
            )
            for index, choice in enumerate(question.choices)
        ),
        block_id=f"question:{question.field}",
    )


def _choice_select(question: Question) -> ActionsBlock:
    options = [
        Option(
            text=PlainTextObject(text=clip(choice.label, OPTION_TEXT_MAX_CHARS)),
            value=encode_value(choice.value),
        )
        for choice in question.choices[:MAX_SELECT_OPTIONS]
    ]
    select = StaticSelectElement(
        placeholder=PlainTextObject(text="Choose an answer"),
        action_id=f"{answer_action_id(question.field)}:select",
        options=options,
    )
    return ActionsBlock(elements=[select], block_id=f"question:{question.field}")


def render_text(text: str) -> Message:
    """Escaped user-facing text as one section (errors, links lists)."""
    return finish([section(escape(text))], text=text)


def render_reply(reply: Reply) -> Message:
    """Whichever message an interview reply calls for."""
    if isinstance(reply, Questions):
        return render_questions(reply)
    if isinstance(reply, Decision):
        return render_explain(reply) if reply.detail else render_recommendation(reply)
    return render_notice(reply)


def mark_answered(
    message: dict[str, Any], *, field: str, user_id: str | None, label: str
) -> Message | None:
    """The question message with `field`'s buttons replaced by who answered what, so a
    question is not answered twice by accident; None when it has no such buttons."""
    block_id = f"question:{field}"
    raw_blocks = list(message.get("blocks") or [])
    if not any(block.get("block_id") == block_id for block in raw_blocks):
        return None
    who = f"<@{user_id}>" if user_id else "Someone"
    blocks: list[Block] = []
    for raw in raw_blocks:
        if raw.get("block_id") == block_id:
            blocks.append(context(f":white_check_mark: {who} answered *{escape(label)}*"))
        elif (parsed := Block.parse(raw)) is not None:
            blocks.append(parsed)
    return finish(blocks, text=str(message.get("text") or "Questions"))
