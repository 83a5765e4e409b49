"""A recommendation as plain text or markdown for people: verdict first, then why.

Pure functions (no I/O); the `decide` command and the terminal chat both use them.
"""

from __future__ import annotations

from bot.domain.recommendation import Recommendation
from bot.domain.requirements import Requirements
from bot.presentation.outline import Outline, Section, build_outline


def printable(text: str) -> str:
    """`text` with control and bidi characters shown escaped, so none reaches a terminal raw
    (newlines kept: they are the layout)."""
    if text.replace("\n", "").isprintable():
        return text
    return "\n".join(
        "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in line)
        for line in text.split("\n")
    )


def _table_text(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  " + "  ".join([first, *rest]).rstrip()

    return [line(header), *(line(row) for row in rows)]


def _heading(outline: Outline) -> str:
    return f"Recommendation: {outline.headline} (confidence {outline.confidence:.0%})"


def _summary(outline: Outline, bullet: str) -> list[str]:
    """What the card says under the verdict: why, runner-up, the numbers that matter."""
    lines = [outline.why]
    if outline.runner_up:
        lines.append(f"Runner-up: {outline.runner_up}.")
    lines += [f"{bullet}{label}: {value}" for label, value in outline.numbers]
    return lines + outline.notes


def _items(section: Section, indent: str) -> list[str]:
    if section.numbered and section.items:
        return [f"{indent}{n}. {item}" for n, item in enumerate(section.items, 1)]
    return [f"{indent}- {line}" for line in section.lines]


def text_section(section: Section) -> list[str]:
    """One outline section as plain text: "Heading:", then its lead, items, table and notes."""
    lines = [f"{section.heading}:"]
    lines += [f"  {section.lead}"] if section.lead else []
    lines += _items(section, "  ")
    lines += _table_text(section.table.header, section.table.rows) if section.table else []
    return lines + [f"  {note}" for note in section.notes]


def render_text(requirements: Requirements, recommendation: Recommendation) -> str:
    """Plain text for a terminal, in plain words (no field identifiers)."""
    outline = build_outline(requirements, recommendation)
    lines = [_heading(outline)]
    if requirements.use_case:
        lines.append(f"Use case: {requirements.use_case}")
    lines += ["", *_summary(outline, "  - ")]
    for section in outline.sections:
        lines += ["", *text_section(section)]
    lines += ["", f"engine {recommendation.engine_version}"]
    return printable("\n".join(lines)) + "\n"


def escape_markdown(text: str) -> str:
    return text.replace("|", "\\|")


def table_markdown(header: list[str], rows: list[list[str]]) -> list[str]:
    align = ["---", *("---:" for _ in header[1:])]
    return [
        "| " + " | ".join(escape_markdown(cell) for cell in cells) + " |"
        for cells in [header, align, *rows]
    ]


def markdown_section(section: Section) -> list[str]:
    """One outline section as markdown: a third-level heading, lead, items, table, notes."""
    lines = [f"### {section.heading}", ""]
    lines += [section.lead, ""] if section.lead else []
    items = _items(section, "")
    lines += [*items, ""] if items else []
    if section.table:
        lines += [*table_markdown(section.table.header, section.table.rows), ""]
    for note in section.notes:
        lines += [note, ""]
    return lines


def render_markdown(requirements: Requirements, recommendation: Recommendation) -> str:
    """Markdown (GitHub flavour) for a terminal renderer, an issue or a document."""
    outline = build_outline(requirements, recommendation)
    lines = [f"## {_heading(outline)}", ""]
    if requirements.use_case:
        lines += [f"*{escape_markdown(requirements.use_case)}*", ""]
    lines += [*_summary(outline, "- "), ""]
    for section in outline.sections:
        lines += markdown_section(section)
    lines += [f"<sub>engine {recommendation.engine_version}</sub>"]
    return printable("\n".join(lines)) + "\n"
