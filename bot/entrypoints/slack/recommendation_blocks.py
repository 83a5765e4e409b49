"""Block Kit for a decision: the short card, and the scoring in detail ("explain")."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from bot.domain.recommendation import Recommendation
from bot.entrypoints.slack.block_kit import Message, finish, header, section, sections
from bot.entrypoints.slack.card import render_card
from bot.entrypoints.slack.mrkdwn import escape
from bot.interview.replies import Decision
from bot.presentation.figures import ratings_line
from bot.presentation.labels import approach_label
from bot.presentation.outline import runner_up
from bot.presentation.plain import plain_text

__all__ = ["render_explain", "render_recommendation"]


def render_recommendation(decision: Decision) -> Message:
    """The recommendation card (see `card.py`): short, with details one click away."""
    return render_card(decision)


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
        ratings = ratings_line(criterion.ratings, capitalised=True)
        blocks.append(
            section(
                f"*{criterion.label}*: weight {criterion.weight:.2f}\n"
                f"_{escape(plain_text(criterion.why_weight))}_\n{ratings}"
            )
        )
    ranked = sorted(rec.scores.totals.items(), key=lambda item: -item[1])
    blocks += sections(
        "Totals", [f"• {approach_label(name)}: {total:.2f}" for name, total in ranked]
    )
    blocks.append(section(f"*Confidence {rec.confidence:.0%}*: {_confidence_why(rec)}"))
    return finish(blocks, text=f"How I scored {approach_label(rec.approach)}.")


def _confidence_why(rec: Recommendation) -> str:
    assumed = len(rec.assumptions)
    second = runner_up(rec)
    parts = []
    if second:
        gap = rec.scores.totals.get(rec.approach, 0.0) - rec.scores.totals[second]
        parts.append(f"{approach_label(second)} is {gap:.2f} behind")
    parts.append(f"{assumed} fact{'s' if assumed != 1 else ''} assumed rather than stated")
    return "; ".join(parts) + "."
