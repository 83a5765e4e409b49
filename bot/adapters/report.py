"""A recommendation as plain text or markdown for people: verdict first, then why.

Pure functions (no I/O); the `decide` command and the terminal chat both use them.
"""

from __future__ import annotations

from bot.adapters.wording import approach_label
from bot.domain.fields import field_label
from bot.domain.recommendation import Recommendation
from bot.domain.requirements import Requirements


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


def _break_even(recommendation: Recommendation) -> str:
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


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:g}"
    return "unknown" if value is None else str(value)


def _matrix_rows(recommendation: Recommendation) -> tuple[list[str], list[list[str]]]:
    approaches = list(recommendation.scores.totals)
    header = ["criterion", "weight", *(approach_label(name) for name in approaches)]
    rows = [
        [row.label, f"{row.weight:g}", *(str(row.ratings[name]) for name in approaches)]
        for row in recommendation.scores.criteria
    ]
    rows.append(
        ["weighted total", "", *(f"{recommendation.scores.totals[name]:g}" for name in approaches)]
    )
    ruled_out = recommendation.scores.ruled_out
    if ruled_out:
        rows.append(["ruled out", "", *("out" if name in ruled_out else "" for name in approaches)])
    return header, rows


def matrix_note(recommendation: Recommendation) -> list[str]:
    """Why each approach scoring at least the verdict's total is out (the engine's words)."""
    return [
        f"{approach_label(name)} is out: {why}."
        for name, why in recommendation.scores.ruled_out.items()
    ]


def readiness_lines(recommendation: Recommendation) -> list[str]:
    """Not ready (and what blocks it), ruled out by a hard constraint, and what to confirm,
    in plain words from the field catalogue."""
    lines: list[str] = []
    if not recommendation.ready:
        lines.append(
            "Not ready yet: blocked by "
            + ", ".join(field_label(field) for field in recommendation.blocked_by)
            + " (see Why)."
        )
    lines += [
        f"Ruled out: {approach_label(name)}: {why}."
        for name, why in recommendation.infeasible.items()
    ]
    lines += [
        f"Confirm first ({field_label(item.field)}): {item.condition}. {item.why}"
        for item in recommendation.preconditions
    ]
    return lines


def _cost_rows(recommendation: Recommendation) -> tuple[list[str], list[list[str]]]:
    header = ["approach", "upfront", "monthly", "per request"]
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


def _heading(requirements: Requirements, recommendation: Recommendation) -> str:
    ready = "" if recommendation.ready else ", not ready yet"
    return (
        f"Recommendation: {approach_label(recommendation.approach.value)} "
        f"(confidence {recommendation.confidence:.0%}{ready})"
    )


def render_text(requirements: Requirements, recommendation: Recommendation) -> str:
    """Plain text for a terminal."""
    lines = [_heading(requirements, recommendation)]
    if requirements.use_case:
        lines.append(f"Use case: {requirements.use_case}")
    if readiness_lines(recommendation):
        lines += ["", "Before you start:"] + [
            f"  - {line}" for line in readiness_lines(recommendation)
        ]
    lines += ["", "Why:"]
    lines += [f"  - {reason.text} [{', '.join(reason.facts)}]" for reason in recommendation.reasons]
    lines += ["", "Decision matrix (weight x rating, 1 poor .. 3 best):"]
    lines += _table_text(*_matrix_rows(recommendation))
    lines += [f"  {note}" for note in matrix_note(recommendation)]
    lines += ["", "Costs (USD):"]
    lines += _table_text(*_cost_rows(recommendation))
    lines += ["", _break_even(recommendation)]
    lines += ["", "What would change the answer:"]
    lines += [f"  - {change.text}" for change in recommendation.what_would_change] or [
        "  - nothing within the probed ranges"
    ]
    if recommendation.assumptions:
        lines += ["", "Assumed (unknown facts):"]
        lines += [
            f"  - {item.field} = {_value(item.value)}: {item.why}"
            for item in recommendation.assumptions
        ]
    lines += ["", "Risks:"] + [f"  - {risk}" for risk in recommendation.risks]
    lines += ["", "Next steps:"]
    lines += [f"  {index}. {step}" for index, step in enumerate(recommendation.next_steps, 1)]
    lines += ["", f"engine {recommendation.engine_version}"]
    return printable("\n".join(lines)) + "\n"


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def _table_markdown(header: list[str], rows: list[list[str]]) -> list[str]:
    align = ["---", *("---:" for _ in header[1:])]
    return [
        "| " + " | ".join(_escape(cell) for cell in cells) + " |"
        for cells in [header, align, *rows]
    ]


def render_markdown(requirements: Requirements, recommendation: Recommendation) -> str:
    """Markdown (GitHub flavour) for a terminal renderer, an issue or a document."""
    lines = [f"## {_heading(requirements, recommendation)}"]
    if requirements.use_case:
        lines += ["", f"*{_escape(requirements.use_case)}*"]
    if readiness_lines(recommendation):
        lines += ["", "### Before you start"]
        lines += [f"- {_escape(line)}" for line in readiness_lines(recommendation)]
    lines += ["", "### Why"]
    lines += [
        f"- {reason.text} ({', '.join(f'`{fact}`' for fact in reason.facts)})"
        for reason in recommendation.reasons
    ]
    lines += ["", "### Decision matrix", "", "Weight x rating (1 poor .. 3 best).", ""]
    lines += _table_markdown(*_matrix_rows(recommendation))
    lines += ["", *matrix_note(recommendation)] if matrix_note(recommendation) else []
    lines += ["", "### Costs (USD)", ""]
    lines += _table_markdown(*_cost_rows(recommendation))
    lines += ["", _break_even(recommendation)]
    lines += ["", "### What would change the answer"]
    lines += [f"- {change.text}" for change in recommendation.what_would_change] or [
        "- nothing within the probed ranges"
    ]
    if recommendation.assumptions:
        lines += ["", "### Assumed (unknown facts)"]
        lines += [
            f"- `{item.field}` = {_value(item.value)}: {item.why}"
            for item in recommendation.assumptions
        ]
    lines += ["", "### Risks"] + [f"- {risk}" for risk in recommendation.risks]
    lines += ["", "### Next steps"]
    lines += [f"{index}. {step}" for index, step in enumerate(recommendation.next_steps, 1)]
    lines += ["", f"<sub>engine {recommendation.engine_version}</sub>"]
    return printable("\n".join(lines)) + "\n"
