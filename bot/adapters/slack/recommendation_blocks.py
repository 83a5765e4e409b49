"""Block Kit for a decision: the recommendation itself and the detailed scoring behind it."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from bot.adapters.report import matrix_note
from bot.adapters.slack.block_kit import (
    Message,
    actions,
    button,
    context,
    divider,
    finish,
    header,
    section,
    sections,
    start_over_button,
)
from bot.adapters.slack.ids import EDIT_ANSWERS_ACTION, EXPLAIN_ACTION
from bot.adapters.slack.mrkdwn import escape
from bot.adapters.slack.reminder import render_reminder_offer
from bot.adapters.slack.wording import (
    approach_label,
    field_label,
    format_field_value,
    format_usd,
)
from bot.domain.recommendation import Recommendation, Scores
from bot.interview.replies import Decision

RATING_WORDS = {0: "None", 1: "Poor", 2: "Good", 3: "Best"}
# Short column heads keep the matrix readable in a narrow code block.
COLUMN_HEADS = {
    "prompting": "Prompt",
    "rag": "RAG",
    "fine_tuning": "FT",
    "rag+fine_tuning": "RAG+FT",
    "prompting+fine_tuning": "P+FT",
}
# The label column fits the longest criterion ("Cost efficiency at volume") in full.
_MIN_LABEL_WIDTH = len("Criterion") + 2
_COLUMN_WIDTH = 7


def render_recommendation(decision: Decision) -> Message:
    """Verdict and confidence first, then why, the matrix, costs, what would change, risks,
    next steps and assumptions, with Edit answers / Explain / Start over."""
    rec = decision.recommendation
    facts = decision.requirements.known()
    verdict = approach_label(rec.approach)
    blocks: list[Block] = [
        header(f"Recommendation: {verdict}"),
        section(_confidence_line(rec, changed_from=decision.changed_from)),
    ]
    if decision.requirements.use_case:
        blocks.append(context(f"Use case: {escape(decision.requirements.use_case)}"))
    blocks += [context(f":information_source: {note}") for note in decision.notices]
    blocks.append(divider())
    blocks += sections(
        "Why",
        [f"• {reason.text}" + _facts_behind(reason.facts, facts) for reason in rec.reasons],
    )
    blocks.append(
        section(
            "*Decision matrix* (weight for your team; 1 poor … 3 best)\n"
            + _matrix_table(rec.scores)
            # The totals must not seem to contradict the verdict when gates rule tuning out.
            + "".join(f"\n_{note}_" for note in matrix_note(rec))
        )
    )
    blocks.append(section("*Costs*\n" + _cost_table(rec)))
    blocks.append(section(_break_even_line(rec)))
    if rec.what_would_change:
        blocks += sections(
            "What would change the answer", [f"• {c.text}" for c in rec.what_would_change]
        )
    if rec.risks:
        blocks += sections("Risks", [f"• {risk}" for risk in rec.risks])
    if rec.next_steps:
        blocks += sections("Next steps", [f"• {step}" for step in rec.next_steps])
    if rec.assumptions:
        blocks += sections(
            "Assumptions I made",
            [
                f"• {field_label(a.field)} = *{format_field_value(a.field, a.value)}*: {a.why}"
                for a in rec.assumptions
            ],
        )
    blocks.append(context(f"Engine {rec.engine_version} · same answers, same result."))
    blocks += render_reminder_offer(rec)  # *Remind me in 2 weeks*, when there is a measurement
    blocks.append(
        actions(
            button("Edit answers", action_id=EDIT_ANSWERS_ACTION),
            button("Explain", action_id=EXPLAIN_ACTION),
            start_over_button(),
            block_id="recommendation_actions",
        )
    )
    fallback = f"Recommendation: {verdict} (confidence {rec.confidence:.0%})."
    if rec.reasons:
        fallback += " " + rec.reasons[0].text
    return finish(blocks, text=fallback)


def render_explain(decision: Decision) -> Message:
    """The scoring in detail: each criterion's weight and why, each approach's rating, totals."""
    rec = decision.recommendation
    blocks: list[Block] = [header(f"How I scored {approach_label(rec.approach)}")]
    blocks.append(
        section(
            "Each criterion from the decision matrix gets a weight for your team; each "
            "approach is rated 1 (poor) to 3 (best) on it; an approach's total is the "
            "weighted sum. The rules decide; the scores explain and break ties."
        )
    )
    for criterion in rec.scores.criteria:
        ratings = " · ".join(
            f"{approach_label(name)}: {RATING_WORDS.get(value, str(value))}"
            for name, value in criterion.ratings.items()
        )
        blocks.append(
            section(
                f"*{criterion.label}*: weight {criterion.weight:.2f}\n"
                f"_{criterion.why_weight}_\n{ratings}"
            )
        )
    ranked = sorted(rec.scores.totals.items(), key=lambda item: -item[1])
    blocks += sections(
        "Totals", [f"• {approach_label(name)}: {total:.2f}" for name, total in ranked]
    )
    blocks.append(section(f"*Confidence {rec.confidence:.0%}*: {_confidence_why(rec)}"))
    return finish(blocks, text=f"How I scored {approach_label(rec.approach)}.")


def _confidence_line(rec: Recommendation, *, changed_from: str | None) -> str:
    line = f"*Confidence:* {rec.confidence:.0%}"
    runner_up = _runner_up(rec)
    if runner_up:
        line += f" · runner-up: {approach_label(runner_up)}"
    if changed_from and changed_from != rec.approach:
        line += f"\n:arrows_counterclockwise: Changed from *{approach_label(changed_from)}*."
    return line


def _runner_up(rec: Recommendation) -> str | None:
    others = [(total, name) for name, total in rec.scores.totals.items() if name != rec.approach]
    return max(others)[1] if others else None


def _confidence_why(rec: Recommendation) -> str:
    assumed = len(rec.assumptions)
    runner_up = _runner_up(rec)
    parts = []
    if runner_up:
        gap = rec.scores.totals.get(rec.approach, 0.0) - rec.scores.totals[runner_up]
        parts.append(f"{approach_label(runner_up)} is {gap:.2f} behind")
    parts.append(f"{assumed} fact{'s' if assumed != 1 else ''} assumed rather than stated")
    return "; ".join(parts) + "."


def _facts_behind(fields: list[str], facts: dict[str, object]) -> str:
    if not fields:
        return ""
    shown = []
    for name in fields:
        value = facts.get(name)
        shown.append(
            f"{field_label(name)} = {format_field_value(name, value)}"  # type: ignore[arg-type]
            if name in facts
            else f"{field_label(name)} (assumed)"
        )
    return " _(" + "; ".join(shown) + ")_"


def _matrix_table(scores: Scores) -> str:
    approaches = list(scores.totals) or (
        list(scores.criteria[0].ratings) if scores.criteria else []
    )
    width = max([_MIN_LABEL_WIDTH, *(len(c.label) + 2 for c in scores.criteria)])
    head = "Criterion".ljust(width) + "Weight".rjust(_COLUMN_WIDTH)
    head += "".join(COLUMN_HEADS.get(a, a[:6]).rjust(_COLUMN_WIDTH) for a in approaches)
    rows = [head]
    for criterion in scores.criteria:
        row = criterion.label.ljust(width)
        row += f"{criterion.weight:.2f}".rjust(_COLUMN_WIDTH)
        row += "".join(str(criterion.ratings.get(a, "-")).rjust(_COLUMN_WIDTH) for a in approaches)
        rows.append(row)
    total = "Total".ljust(width) + "".rjust(_COLUMN_WIDTH)
    total += "".join(f"{scores.totals.get(a, 0.0):.2f}".rjust(_COLUMN_WIDTH) for a in approaches)
    rows.append(total)
    return "```\n" + "\n".join(rows) + "\n```"


def _cost_table(rec: Recommendation) -> str:
    if not rec.costs:
        return "_No cost figures: volume and prices are unknown._"
    rows = ["Approach".ljust(24) + "Upfront".rjust(10) + "Monthly".rjust(10) + "Per req".rjust(10)]
    for name, cost in rec.costs.items():
        rows.append(
            approach_label(name).ljust(24)
            + format_usd(cost.upfront_usd).rjust(10)
            + format_usd(cost.monthly_usd).rjust(10)
            + format_usd(cost.per_request_usd).rjust(10)
        )
    return "```\n" + "\n".join(rows) + "\n```"


def _break_even_line(rec: Recommendation) -> str:
    if rec.break_even_requests is None:
        break_even = "Fine-tuning never pays for itself against prompting at these prices."
    else:
        break_even = (
            f"Fine-tuning pays for itself after *{rec.break_even_requests:,} requests* "
            "(fixed cost ÷ saving per request)."
        )
    if rec.payback_months is None:
        payback = "With hosting counted, it never pays back at this volume."
    else:
        payback = (
            f"With volume and hosting counted, payback takes *{rec.payback_months:.1f} months*."
        )
    return f"*Break-even*\n{break_even}\n{payback}"
