"""Details on demand: the outline's sections, up to the costs, then (pushed) the rest.

Views rather than messages, so the thread keeps one short card. Each section comes under
the outline's heading words, in the outline's order. Every table is laid out as section
text and two-column fields, which read at a phone's width, with full column names.
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
    finish_view,
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
from bot.presentation.figures import Table, ratings_line
from bot.presentation.labels import approach_label
from bot.presentation.outline import SECTION_HEADINGS, Outline, Section, SectionKey, build_outline

VIEW_MAX_BLOCKS = 100
VIEW_TITLE = "Details"
# The Details view shows the outline's sections up to the costs; the pushed view the rest.
LAST_IN_FIRST_VIEW: SectionKey = "costs"
MORE_BUTTON = "Assumptions, risks, next steps"
# The details posted in the thread: the tables and what would change the verdict.
THREAD_SECTIONS: frozenset[SectionKey] = frozenset({"matrix", "costs", "changes"})


def _matrix_blocks(part: Section, rec: Recommendation) -> list[Block]:
    """The matrix a phone can read: one section a criterion, ratings in words."""
    blocks: list[Block] = [section_heading(part), context(escape(part.lead))]
    for row in rec.scores.criteria:
        blocks.append(
            section(f"*{row.label}* · weight {row.weight:g}\n{ratings_line(row.ratings)}")
        )
    ranked = sorted(rec.scores.totals.items(), key=lambda item: -item[1])
    blocks.append(
        section(
            "*Weighted totals*\n"
            + " · ".join(f"{approach_label(name)}: {total:g}" for name, total in ranked)
        )
    )
    return blocks + [context(escape(note)) for note in part.notes]


def _cost_fields(table: Table) -> SectionBlock:
    """The cost table as two-column fields: one approach a field, its three figures below."""
    fields = [
        MarkdownTextObject(
            text=f"*{escape(name)}*\n{monthly} a month\n{upfront} up front\n{per_request} a request"
        )
        for name, upfront, monthly, per_request in table.rows
    ]
    return SectionBlock(fields=fields[:10])


def _notes(part: Section) -> list[Block]:
    # The break-even sentence leads with its label; bold it as a heading of its own.
    return [section(escape(note).replace("Break-even:", "*Break-even:*")) for note in part.notes]


def section_heading(part: Section) -> Block:
    return section(f"*{part.heading}*")


def section_blocks(part: Section, rec: Recommendation) -> list[Block]:
    """One outline section as Block Kit, under the outline's heading words."""
    if part.key == "matrix":
        return _matrix_blocks(part, rec)
    if part.key == "costs" and part.table:
        return [section_heading(part), _cost_fields(part.table), *_notes(part)]
    if part.numbered:
        lines = [f"{n}. {escape(item)}" for n, item in enumerate(part.lines, 1)]
    else:
        lines = [f"• {escape(line)}" for line in part.lines]
    return sections(part.heading, lines)


def _split(outline: Outline) -> tuple[list[Section], list[Section]]:
    """The sections of the Details view, and those of the pushed view, in outline order."""
    order = list(SECTION_HEADINGS)
    cut = order.index(LAST_IN_FIRST_VIEW)
    first = [s for s in outline.sections if order.index(s.key) <= cut]
    return first, [s for s in outline.sections if order.index(s.key) > cut]


def _view(blocks: list[Block], ref: CardRef, *, title: str) -> dict[str, Any]:
    view = View(
        type="modal",
        callback_id=DETAILS_VIEW_CALLBACK,
        title={"type": "plain_text", "text": title},
        close={"type": "plain_text", "text": "Close"},
        private_metadata=encode_card_ref(ref),
        blocks=blocks[:VIEW_MAX_BLOCKS],
    )
    return finish_view(view)


def _heading(outline: Outline) -> Block:
    line = f"*{outline.headline}* · confidence {outline.confidence:.0%}"
    if outline.runner_up:
        line += f" · runner-up {outline.runner_up}"
    return section(line)


def _section_run(sections_shown: list[Section], rec: Recommendation) -> list[Block]:
    """Sections one after another; a divider sets each table apart."""
    blocks: list[Block] = []
    for shown in sections_shown:
        blocks += [divider()] if shown.table else []
        blocks += section_blocks(shown, rec)
    return blocks


def render_details_view(decision: Decision, ref: CardRef) -> dict[str, Any]:
    """The outline's sections up to the costs, with buttons for the rest, the chart and the
    record."""
    rec = decision.recommendation
    outline = build_outline(decision.requirements, rec)
    first, _ = _split(outline)
    blocks: list[Block] = [_heading(outline), *_section_run(first, rec)]
    blocks.append(
        actions(
            button(MORE_BUTTON, action_id=MORE_DETAILS_ACTION),
            button("Cost chart", action_id=CHART_ACTION),
            button("Export decision record", action_id=EXPORT_ACTION),
            button("Post in thread", action_id=DETAILS_IN_THREAD_ACTION),
            block_id="details_actions",
        )
    )
    return _view(blocks, ref, title=VIEW_TITLE)


def render_more_view(decision: Decision, ref: CardRef) -> dict[str, Any]:
    """The pushed view: the outline's sections after the costs (assumptions, risks, next steps, what
    would change it)."""
    rec = decision.recommendation
    outline = build_outline(decision.requirements, rec)
    _, rest = _split(outline)
    blocks: list[Block] = [_heading(outline), *_section_run(rest, rec)]
    blocks.append(context(f"Engine {outline.engine_version} · same answers, same result."))
    return _view(blocks, ref, title="More details")


def _cell(text: str) -> dict[str, str]:
    return {"type": "raw_text", "text": text}


def _cost_table(table: Table) -> TableBlock:
    """Slack's native table (one per message): approach, monthly and up-front cost; the
    first column wraps so the table fits a phone."""
    rows = [[_cell("Approach"), _cell("Monthly"), _cell("Up front")]]
    rows += [
        [_cell(name), _cell(monthly), _cell(upfront)] for name, upfront, monthly, _ in table.rows
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
    """The details as one threaded message, for when someone asks for them in the thread:
    the matrix, the costs and what would change it, in outline order."""
    rec = decision.recommendation
    outline = build_outline(decision.requirements, rec)
    blocks: list[Block] = [header(f"Details: {outline.headline}")]
    for shown in outline.sections:
        if shown.key not in THREAD_SECTIONS:
            continue
        if shown.key == "costs" and shown.table:
            blocks += [section_heading(shown), _cost_table(shown.table), *_notes(shown)]
        else:
            blocks += section_blocks(shown, rec)
    return finish(blocks, text=f"Details of the recommendation: {outline.headline}.")
