"""A decision record (ADR, markdown) of one recommendation, for a repo or a wiki.

Sections: title, status, context (facts stated vs assumed), decision, alternatives
considered (the matrix and why each lost), consequences (costs, payback, risks,
preconditions) and a revisit date. Pure: the date is passed in.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain.recommendation import Approach, Recommendation
from bot.domain.requirements import Requirements
from bot.presentation.labels import approach_label
from bot.presentation.outline import build_outline
from bot.presentation.report import (
    break_even_line,
    cost_rows,
    escape_markdown,
    matrix_note,
    matrix_rows,
    printable,
    table_markdown,
)
from bot.presentation.why_not import explain_why_not

# A recommendation rests on prices and facts that move; look again within a quarter.
REVISIT_AFTER_DAYS = 90
_STATUS = {"ready": "Proposed", "provisional": "Proposed (provisional)", "not ready": "Deferred"}


def render_adr(requirements: Requirements, rec: Recommendation, *, decided_on: date) -> str:
    """The decision record as markdown."""
    outline = build_outline(requirements, rec)
    subject = escape_markdown(requirements.use_case or "this use case")
    lines = [f"# ADR: {outline.verdict} for {subject}", ""]
    lines += [f"- Status: {_STATUS[outline.status]}", f"- Date: {decided_on.isoformat()}"]
    lines += [f"- Confidence: {outline.confidence:.0%}", ""]
    lines += ["## Context", ""]
    if requirements.use_case:
        lines += [escape_markdown(requirements.use_case), ""]
    lines += ["Facts stated by the team:", ""]
    lines += [f"- {label}: {escape_markdown(value)}" for label, value in outline.stated] or [
        "- none"
    ]
    lines += ["", "Facts assumed (not stated; confirm them):", ""]
    lines += [
        f"- {label}: {escape_markdown(value)}. {why}" for label, value, why in outline.assumptions
    ] or ["- none"]
    lines += ["", "## Decision", "", f"Use **{outline.verdict}**. {outline.why}", ""]
    lines += [f"- {reason}" for reason in outline.reasons]
    lines += [f"- {note}" for note in outline.notes]
    lines += ["", "## Alternatives considered", ""]
    lines += table_markdown(*matrix_rows(rec))
    lines += ["", *matrix_note(rec)] if matrix_note(rec) else []
    lines += [""]
    for name in rec.scores.totals:
        if name == rec.approach.value:
            continue
        answer = explain_why_not(requirements, rec, Approach(name))
        lines.append(f"- **{approach_label(name)}**: {answer.split('? ', 1)[-1]}")
    lines += ["", "## Consequences", "", "Costs (USD):", ""]
    lines += table_markdown(*cost_rows(rec))
    lines += ["", break_even_line(rec), ""]
    if outline.preconditions:
        lines += ["Before starting:", "", *(f"- {p}" for p in outline.preconditions), ""]
    lines += ["Risks:", "", *(f"- {risk}" for risk in outline.risks), ""]
    lines += ["Next steps:", ""]
    lines += [f"{index}. {step}" for index, step in enumerate(outline.next_steps, 1)]
    revisit = decided_on + timedelta(days=REVISIT_AFTER_DAYS)
    lines += ["", "## Revisit", "", f"By {revisit.isoformat()}, or sooner if:", ""]
    lines += [f"- {change}" for change in outline.changes] or ["- prices or volume change"]
    lines += ["", f"<sub>should-we-finetune engine {rec.engine_version}</sub>"]
    return printable("\n".join(lines)) + "\n"
