"""A recommendation as plain text or markdown for people: verdict first, then why.

Pure functions (no I/O); the `decide` command and the terminal chat both use them.
"""

from __future__ import annotations

from bot.domain.recommendation import Recommendation
from bot.domain.requirements import Requirements
from bot.presentation.labels import approach_label
from bot.presentation.outline import Outline, build_outline
from bot.presentation.plain import plain_text


def printable(text: str) -> str:
    """`text` with control and bidi characters shown escaped, so none reaches a terminal raw
    (newlines kept: they are the layout)."""
    if text.replace("\n", "").isprintable():
        return text
    return "\n".join(
        "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in line)
        for line in text.split("\n")
    )


def _usd(value: float) -> str:
    if value and abs(value) < 0.01:
        return f"${value:.4f}"
    return f"${value:,.2f}" if value < 1000 else f"${value:,.0f}"


def break_even_line(recommendation: Recommendation) -> str:
    requests = recommendation.break_even_requests
    months = recommendation.payback_months
    first = (
        "never: a tuned model costs as much per request as the untuned one"
        if requests is None
        else f"{requests:,} requests before fine-tuning's fixed cost is recovered"
    )
    second = (
        "never at this volume once hosting is counted"
        if months is None
        else f"{months:g} months with hosting counted"
    )
    return f"Break-even: {first}. Payback: {second}."


def matrix_rows(recommendation: Recommendation) -> tuple[list[str], list[list[str]]]:
    approaches = list(recommendation.scores.totals)
    header = ["Criterion", "Weight", *(approach_label(name) for name in approaches)]
    rows = [
        [row.label, f"{row.weight:g}", *(str(row.ratings[name]) for name in approaches)]
        for row in recommendation.scores.criteria
    ]
    rows.append(
        ["Weighted total", "", *(f"{recommendation.scores.totals[name]:g}" for name in approaches)]
    )
    ruled_out = recommendation.scores.ruled_out
    if ruled_out:
        rows.append(["Ruled out", "", *("out" if name in ruled_out else "" for name in approaches)])
    return header, rows


def matrix_note(recommendation: Recommendation) -> list[str]:
    """Why each approach scoring at least the verdict's total is out (the engine's words)."""
    return [
        f"{approach_label(name)} is out: {plain_text(why)}."
        for name, why in recommendation.scores.ruled_out.items()
    ]


def cost_rows(recommendation: Recommendation) -> tuple[list[str], list[list[str]]]:
    header = ["Approach", "Up front", "Monthly", "Per request"]
    rows = [
        [
            approach_label(name) + ("" if not cost.inputs.get("stated") else " (stated)"),
            _usd(cost.upfront_usd),
            _usd(cost.monthly_usd),
            _usd(cost.per_request_usd),
        ]
        for name, cost in recommendation.costs.items()
    ]
    return header, rows


def _table_text(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  " + "  ".join([first, *rest]).rstrip()

    return [line(header), *(line(row) for row in rows)]


def _heading(outline: Outline) -> str:
    return f"Recommendation: {outline.headline} (confidence {outline.confidence:.0%})"


def _card_lines(outline: Outline, bullet: str) -> list[str]:
    """The short card: why, runner-up, the numbers that matter, before you start."""
    lines = [outline.why]
    if outline.runner_up:
        lines.append(f"Runner-up: {outline.runner_up}.")
    lines += [f"{bullet}{label}: {value}" for label, value in outline.numbers]
    lines += outline.notes
    if outline.preconditions:
        lines += ["Before you start:", *(f"{bullet}{p}" for p in outline.preconditions)]
    if outline.infeasible:
        lines += ["Ruled out:", *(f"{bullet}{name}: {why}" for name, why in outline.infeasible)]
    return lines


def render_text(requirements: Requirements, recommendation: Recommendation) -> str:
    """Plain text for a terminal, in plain words (no field identifiers)."""
    outline = build_outline(requirements, recommendation)
    lines = [_heading(outline)]
    if requirements.use_case:
        lines.append(f"Use case: {requirements.use_case}")
    lines += ["", *_card_lines(outline, "  - ")]
    lines += ["", "Why:"]
    lines += [f"  - {reason}" for reason in outline.reasons]
    lines += ["", "Decision matrix (weight x rating, 1 poor .. 3 best):"]
    lines += _table_text(*matrix_rows(recommendation))
    lines += [f"  {note}" for note in matrix_note(recommendation)]
    lines += ["", "Costs (USD):"]
    lines += _table_text(*cost_rows(recommendation))
    lines += ["", break_even_line(recommendation)]
    lines += ["", "What would change the answer:"]
    lines += [f"  - {change}" for change in outline.changes] or [
        "  - nothing within the probed ranges"
    ]
    if outline.assumptions:
        lines += ["", "Assumed (unknown facts):"]
        lines += [f"  - {label} = {value}: {why}" for label, value, why in outline.assumptions]
    lines += ["", "Risks:"] + [f"  - {risk}" for risk in outline.risks]
    lines += ["", "Next steps:"]
    lines += [f"  {index}. {step}" for index, step in enumerate(outline.next_steps, 1)]
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


def render_markdown(requirements: Requirements, recommendation: Recommendation) -> str:
    """Markdown (GitHub flavour) for a terminal renderer, an issue or a document."""
    outline = build_outline(requirements, recommendation)
    lines = [f"## {_heading(outline)}"]
    if requirements.use_case:
        lines += ["", f"*{escape_markdown(requirements.use_case)}*"]
    lines += ["", *_card_lines(outline, "- ")]
    lines += ["", "### Why"]
    lines += [f"- {reason}" for reason in outline.reasons]
    lines += ["", "### Decision matrix", "", "Weight x rating (1 poor .. 3 best).", ""]
    lines += table_markdown(*matrix_rows(recommendation))
    lines += ["", *matrix_note(recommendation)] if matrix_note(recommendation) else []
    lines += ["", "### Costs (USD)", ""]
    lines += table_markdown(*cost_rows(recommendation))
    lines += ["", break_even_line(recommendation)]
    lines += ["", "### What would change the answer"]
    lines += [f"- {change}" for change in outline.changes] or ["- nothing within the probed ranges"]
    if outline.assumptions:
        lines += ["", "### Assumed (unknown facts)"]
        lines += [f"- {label} = {value}: {why}" for label, value, why in outline.assumptions]
    lines += ["", "### Risks"] + [f"- {risk}" for risk in outline.risks]
    lines += ["", "### Next steps"]
    lines += [f"{index}. {step}" for index, step in enumerate(outline.next_steps, 1)]
    lines += ["", f"<sub>engine {recommendation.engine_version}</sub>"]
    return printable("\n".join(lines)) + "\n"
