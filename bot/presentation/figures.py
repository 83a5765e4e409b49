"""Money, months and the two tables of a recommendation (decision matrix, costs) in words.

One of each for every format: text, markdown, the decision record and Slack all format
dollars with `usd` and read the same rows, so a figure never reads two ways.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.domain.recommendation import Recommendation
from bot.presentation.labels import approach_label
from bot.presentation.plain import plain_text

RATING_WORDS = {0: "none", 1: "poor", 2: "good", 3: "best"}


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]


def ratings_line(ratings: Mapping[str, int], *, capitalised: bool = False) -> str:
    """Each approach's rating on one criterion in words: "Prompting: good · RAG: best"."""
    words = (RATING_WORDS.get(rating, str(rating)) for rating in ratings.values())
    return " · ".join(
        f"{approach_label(name)}: {word.capitalize() if capitalised else word}"
        for name, word in zip(ratings, words, strict=True)
    )


def usd(amount: float) -> str:
    """Dollars as people read them: $0.0042 a request, $1,250 a month."""
    if amount and abs(amount) < 1:
        return f"${amount:.4f}".rstrip("0")
    return f"${amount:,.0f}"


def months_words(months: float) -> str:
    """3.24 -> "3.2 months"; a payback within days does not read as "0.0 months"."""
    return "under 0.1 months" if months < 0.05 else f"{months:.1f} months"


def matrix_table(rec: Recommendation) -> Table:
    """Each criterion's weight and each approach's rating, the totals, and which are out."""
    approaches = list(rec.scores.totals)
    header = ["Criterion", "Weight", *(approach_label(name) for name in approaches)]
    rows = [
        [row.label, f"{row.weight:g}", *(str(row.ratings[name]) for name in approaches)]
        for row in rec.scores.criteria
    ]
    rows.append(["Weighted total", "", *(f"{rec.scores.totals[name]:g}" for name in approaches)])
    ruled_out = rec.scores.ruled_out
    if ruled_out:
        rows.append(["Ruled out", "", *("out" if name in ruled_out else "" for name in approaches)])
    return Table(header, rows)


def matrix_notes(rec: Recommendation) -> list[str]:
    """Why each approach scoring at least the verdict's total is out (the engine's words)."""
    return [
        f"{approach_label(name)} is out: {plain_text(why)}."
        for name, why in rec.scores.ruled_out.items()
    ]


def cost_table(rec: Recommendation) -> Table:
    """Each approach's cost up front, a month and a request; costs the team stated say so."""
    header = ["Approach", "Up front", "Monthly", "Per request"]
    rows = [
        [
            approach_label(name) + ("" if not cost.inputs.get("stated") else " (stated)"),
            usd(cost.upfront_usd),
            usd(cost.monthly_usd),
            usd(cost.per_request_usd),
        ]
        for name, cost in rec.costs.items()
    ]
    return Table(header, rows)


def break_even_line(rec: Recommendation) -> str:
    requests = rec.break_even_requests
    months = rec.payback_months
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
