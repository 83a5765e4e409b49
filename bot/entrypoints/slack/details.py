"""Details on demand: the matrix, costs, break-even, then (pushed) assumptions, risks and steps.

Views rather than messages, so the thread keeps one short card. Every table is laid out as
section text and two-column fields, which read at a phone's width, with full column names.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    Block,
    MarkdownTextObject,
    SectionBlock,
    TableBlock,
    TableBlockColumnSettings,
)
from slack_sdk.models.views import View

from bot.domain.recommendation import Recommendation
from bot.entrypoints.slack.block_kit import (
    Message,
    actions,
    button,
    context,
    divider,
    finish,
    header,
    section,
    sections,
)
from bot.entrypoints.slack.card_ids import (
    CHART_ACTION,
    DETAILS_IN_THREAD_ACTION,
    DETAILS_VIEW_CALLBACK,
    EXPORT_ACTION,
    MORE_DETAILS_ACTION,
    CardRef,
    encode_card_ref,
)
from bot.entrypoints.slack.mrkdwn import escape
from bot.interview.replies import Decision
from bot.presentation.labels import approach_label
from bot.presentation.outline import RATING_WORDS, Outline, build_outline, usd
from bot.presentation.report import break_even_line, matrix_note

VIEW_MAX_BLOCKS = 100
VIEW_TITLE = "Details"


def _matrix_blocks(rec: Recommendation) -> list[Block]:
    blocks: list[Block] = [
        section("*Decision matrix*"),
        context("How much each criterion matters to you (weight), and how each approach rates."),
    ]
    for row in rec.scores.criteria:
        ratings = " · ".join(
            f"{approach_label(name)}: {RATING_WORDS.get(rating, str(rating))}"
            for name, rating in row.ratings.items()
        )
        blocks.append(section(f"*{row.label}* · weight {row.weight:g}\n{ratings}"))
    ranked = sorted(rec.scores.totals.items(), key=lambda item: -item[1])
    blocks.append(
        section(
            "*Weighted totals*\n"
            + " · ".join(f"{approach_label(name)}: {total:g}" for name, total in ranked)
        )
    )
    blocks += [context(escape(note)) for note in matrix_note(rec)]
    return blocks


def _cost_blocks(rec: Recommendation) -> list[Block]:
    if not rec.costs:
        return [section("*Costs*\nNo cost figures: volume and prices are unknown.")]
    fields = [
        MarkdownTextObject(
            text=f"*{approach_label(name)}*\n{usd(cost.monthly_usd)} a month\n"
            f"{usd(cost.upfront_usd)} up front\n{usd(cost.per_request_usd)} a request"
        )
        for name, cost in rec.costs.items()
    ]
    return [
        section("*Costs (USD)*"),
        SectionBlock(fields=fields[:10]),
        section(break_even_line(rec).replace("Break-even:", "*Break-even:*")),
    ]


def _view(blocks: list[Block], ref: CardRef, *, title: str) -> dict[str, Any]:
    view = View(
        type="modal",
        callback_id=DETAILS_VIEW_CALLBACK,
        title={"type": "plain_text", "text": title},
        close={"type": "plain_text", "text": "Close"},
        private_metadata=encode_card_ref(ref),
        blocks=blocks[:VIEW_MAX_BLOCKS],
    )
    return view.to_dict()


def _heading(outline: Outline) -> Block:
    line = f"*{outline.headline}* · confidence {outline.confidence:.0%}"
    if outline.runner_up:
        line += f" · runner-up {outline.runner_up}"
    return section(line)


def render_details_view(decision: Decision, ref: CardRef) -> dict[str, Any]:
    """Why, the matrix and the costs, with buttons for more, the chart and the record."""
    rec = decision.recommendation
    outline = build_outline(decision.requirements, rec)
    blocks: list[Block] = [_heading(outline)]
    blocks += sections("Why", [f"• {escape(reason)}" for reason in outline.reasons])
    blocks += [divider(), *_matrix_blocks(rec), divider(), *_cost_blocks(rec)]
    blocks.append(
        actions(
            button("Assumptions, risks, next steps", action_id=MORE_DETAILS_ACTION),
            button("Cost chart", action_id=CHART_ACTION),
            button("Export decision record", action_id=EXPORT_ACTION),
            button("Post in thread", action_id=DETAILS_IN_THREAD_ACTION),
            block_id="details_actions",
        )
    )
    return _view(blocks, ref, title=VIEW_TITLE)


def render_more_view(decision: Decision, ref: CardRef) -> dict[str, Any]:
    """The pushed view: everything that would change it, assumptions, risks, next steps."""
    outline = build_outline(decision.requirements, decision.recommendation)
    blocks: list[Block] = [_heading(outline)]
    if outline.changes:
        blocks += sections("What would change it", [f"• {escape(c)}" for c in outline.changes])
    if outline.infeasible:
        blocks += sections(
            "Ruled out", [f"• {name}: {escape(why)}" for name, why in outline.infeasible]
        )
    if outline.preconditions:
        blocks += sections("Before you start", [f"• {escape(p)}" for p in outline.preconditions])
    assumed = outline.assumptions
    if assumed:
        blocks += sections(
            "Assumed (not stated)",
            [f"• {label}: *{escape(value)}*. {escape(why)}" for label, value, why in assumed],
        )
    if outline.risks:
        blocks += sections("Risks", [f"• {escape(risk)}" for risk in outline.risks])
    if outline.next_steps:
        blocks += sections(
            "Next steps", [f"{n}. {escape(step)}" for n, step in enumerate(outline.next_steps, 1)]
        )
    blocks.append(context(f"Engine {outline.engine_version} · same answers, same result."))
    return _view(blocks, ref, title="More details")


def _cell(text: str) -> dict[str, str]:
    return {"type": "raw_text", "text": text}


def _cost_table(rec: Recommendation) -> TableBlock:
    """Slack's native table (one per message): approach, monthly and up-front cost; the
    first column wraps so the table fits a phone."""
    rows = [[_cell("Approach"), _cell("Monthly"), _cell("Up front")]]
    rows += [
        [_cell(approach_label(name)), _cell(usd(cost.monthly_usd)), _cell(usd(cost.upfront_usd))]
        for name, cost in rec.costs.items()
    ]
    return TableBlock(
        rows=rows,
        column_settings=[
            TableBlockColumnSettings(is_wrapped=True),
            TableBlockColumnSettings(align="right"),
            TableBlockColumnSettings(align="right"),
        ],
    )


def render_details_message(decision: Decision) -> Message:
    """The details as one threaded message, for when someone asks for them in the thread."""
    rec = decision.recommendation
    outline = build_outline(decision.requirements, rec)
    blocks: list[Block] = [header(f"Details: {outline.headline}")]
    if rec.costs:
        blocks += [section("*Costs (USD)*"), _cost_table(rec)]
        blocks.append(section(break_even_line(rec).replace("Break-even:", "*Break-even:*")))
    blocks += _matrix_blocks(rec)
    if outline.changes:
        blocks += sections("What would change it", [f"• {escape(c)}" for c in outline.changes])
    return finish(blocks, text=f"Details of the recommendation: {outline.headline}.")
