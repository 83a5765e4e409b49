"""A decision record (ADR, markdown) of one recommendation, for a repo or a wiki.

The record's frame (title, status, context, decision, alternatives considered,
consequences, revisit date) holds the outline's sections in the outline's order: the
facts assumed in the context; why and what to do first in the decision; what was ruled
out and the matrix among the alternatives; costs, risks and next steps as consequences;
what would change it under revisit. Pure: the date is passed in.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain.recommendation import Approach, Recommendation
from bot.domain.requirements import Requirements
from bot.presentation.labels import approach_label
from bot.presentation.outline import Outline, SectionKey, build_outline
from bot.presentation.report import escape_markdown, markdown_section, printable
from bot.presentation.why_not import explain_why_not

# A recommendation rests on prices and facts that move; look again within a quarter.
REVISIT_AFTER_DAYS = 90
_STATUS = {"ready": "Proposed", "provisional": "Proposed (provisional)", "not ready": "Deferred"}
# The record's parts and the outline sections each holds, in the outline's order.
ADR_PARTS: tuple[tuple[str, frozenset[SectionKey]], ...] = (
    ("Context", frozenset({"assumed"})),
    ("Decision", frozenset({"why", "before"})),
    ("Alternatives considered", frozenset({"ruled_out", "matrix"})),
    ("Consequences", frozenset({"costs", "risks", "next_steps"})),
    ("Revisit", frozenset({"changes"})),
)


def _opening(
    part: str, requirements: Requirements, outline: Outline, *, revisit: date
) -> list[str]:
    """What a part says before its sections."""
    if part == "Context":
        lines = [escape_markdown(requirements.use_case), ""] if requirements.use_case else []
        lines += ["Facts stated by the team:", ""]
        stated = [f"- {label}: {escape_markdown(value)}" for label, value in outline.stated]
        return [*lines, *(stated or ["- none"]), ""]
    if part == "Decision":
        lines = [f"Use **{outline.verdict}**. {outline.why}", ""]
        return lines + ([*outline.notes, ""] if outline.notes else [])
    if part == "Revisit":
        return [f"By {revisit.isoformat()}, or sooner if one of these comes true.", ""]
    return []


def _why_not_lines(requirements: Requirements, rec: Recommendation) -> list[str]:
    """Why each other approach lost, after the matrix."""
    lines = []
    for name in rec.scores.totals:
        if name != rec.approach.value:
            answer = explain_why_not(requirements, rec, Approach(name))
            lines.append(f"- **{approach_label(name)}**: {answer.split('? ', 1)[-1]}")
    return [*lines, ""] if lines else []


def render_adr(requirements: Requirements, rec: Recommendation, *, decided_on: date) -> str:
    """The decision record as markdown."""
    outline = build_outline(requirements, rec)
    revisit = decided_on + timedelta(days=REVISIT_AFTER_DAYS)
    subject = escape_markdown(requirements.use_case or "this use case")
    lines = [f"# ADR: {outline.verdict} for {subject}", ""]
    lines += [f"- Status: {_STATUS[outline.status]}", f"- Date: {decided_on.isoformat()}"]
    lines += [f"- Confidence: {outline.confidence:.0%}", ""]
    for part, keys in ADR_PARTS:
        lines += [f"## {part}", "", *_opening(part, requirements, outline, revisit=revisit)]
        for section in outline.sections:
            if section.key in keys:
                lines += markdown_section(section)
        if part == "Alternatives considered":
            lines += _why_not_lines(requirements, rec)
    lines += [f"<sub>should-we-finetune engine {rec.engine_version}</sub>"]
    return printable("\n".join(lines)) + "\n"
