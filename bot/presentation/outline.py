"""One outline of a recommendation, in plain words, that every format renders.

The Slack card, the details view, the terminal text, markdown and the decision record
all read the same verdict, sentence of why, key numbers, preconditions and tables from
here, so they cannot drift apart and none of them shows an identifier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from bot.domain.costs import TUNED_APPROACHES
from bot.domain.fields import field_label
from bot.domain.recommendation import Recommendation
from bot.domain.requirements import Requirements
from bot.presentation.labels import approach_label, fact_value
from bot.presentation.plain import change_words, inline_field, inline_label, plain_text

Status = Literal["ready", "provisional", "not ready"]
TUNED = frozenset(approach.value for approach in TUNED_APPROACHES)
RATING_WORDS = {0: "none", 1: "poor", 2: "good", 3: "best"}
WHY_MAX_CHARS = 240
# Sentence ends: a full stop after a word or number and before a capital (not "e.g. 0.1x").
_SENTENCE_END = re.compile(r"(?<=[a-z0-9%)])\.\s+(?=[A-Z])")


@dataclass(frozen=True)
class Outline:
    verdict: str
    status: Status
    why: str
    confidence: float
    runner_up: str | None
    # The two or three numbers that matter, as (label, value).
    numbers: list[tuple[str, str]]
    preconditions: list[str]
    blocked_by: list[str]
    changes: list[str]
    infeasible: list[tuple[str, str]]
    reasons: list[str]
    matrix_header: list[str]
    matrix_rows: list[list[str]]
    cost_header: list[str]
    cost_rows: list[list[str]]
    # (label, value in words, why) for each fact the engine assumed.
    assumptions: list[tuple[str, str, str]]
    # (label, value in words) for each fact the team stated.
    stated: list[tuple[str, str]]
    risks: list[str]
    next_steps: list[str]
    use_case: str | None
    engine_version: str
    notes: list[str] = field(default_factory=list)

    @property
    def headline(self) -> str:
        """The verdict as a header: "RAG + fine-tuning (provisional)"."""
        return self.verdict if self.status == "ready" else f"{self.verdict} ({self.status})"

    @property
    def why_inline(self) -> str:
        """The sentence of why, to follow a colon."""
        return inline_label(self.why)


def usd(amount: float) -> str:
    """Dollars as people read them: $0.0042 a request, $1,250 a month."""
    if amount and abs(amount) < 1:
        return f"${amount:.4f}".rstrip("0")
    return f"${amount:,.0f}"


def months_words(months: float) -> str:
    """3.24 -> "3.2 months"; a payback within days does not read as "0.0 months"."""
    return "under 0.1 months" if months < 0.05 else f"{months:.1f} months"


def first_sentence(text: str, limit: int = WHY_MAX_CHARS) -> str:
    sentence = _SENTENCE_END.split(text.strip(), maxsplit=1)[0].rstrip(".")
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
    return sentence + ("" if sentence.endswith("…") else ".")


def runner_up(rec: Recommendation) -> str | None:
    """The best-scoring other approach a stated constraint does not rule out."""
    others = [
        (total, name)
        for name, total in rec.scores.totals.items()
        if name != rec.approach.value and name not in rec.infeasible
    ]
    return max(others)[1] if others else None


def decisive_fields(rec: Recommendation) -> set[str]:
    return {change.field for change in rec.what_would_change}


def status_of(rec: Recommendation) -> Status:
    """Not ready when a stated fact blocks it; provisional when it rests on assumed
    decisive facts or on preconditions nobody has confirmed."""
    if not rec.ready:
        return "not ready"
    assumed = {item.field for item in rec.assumptions}
    if rec.preconditions or decisive_fields(rec) & assumed:
        return "provisional"
    return "ready"


def _why(rec: Recommendation) -> str:
    reasons = rec.reasons
    chosen = reasons[0] if reasons else None
    if not rec.ready and rec.blocked_by:
        chosen = next((r for r in reasons if set(r.facts) & set(rec.blocked_by)), chosen)
    elif rec.approach.value in TUNED:
        chosen = next(
            (
                r
                for r in reasons
                if ("tun" in r.text.lower() or "model" in r.text.lower())
                and "not feasible" not in r.text
                and "not an option" not in r.text
            ),
            chosen,
        )
    if chosen is None:
        return "It fits the facts best."
    return first_sentence(plain_text(chosen.text))


def _numbers(rec: Recommendation) -> list[tuple[str, str]]:
    numbers: list[tuple[str, str]] = []
    cost = rec.costs.get(rec.approach.value)
    if cost is not None:
        numbers.append(("Monthly cost", usd(cost.monthly_usd)))
        if cost.upfront_usd:
            numbers.append(("Up front", usd(cost.upfront_usd)))
    second = runner_up(rec)
    in_play = rec.approach.value in TUNED or (second in TUNED)
    if in_play:
        if rec.payback_months is not None:
            numbers.append(("Payback", months_words(rec.payback_months)))
        elif rec.break_even_requests is not None:
            numbers.append(("Break-even", f"{rec.break_even_requests:,} requests"))
        else:
            numbers.append(("Payback", "never, in money"))
    return numbers[:3]


def _matrix(rec: Recommendation) -> tuple[list[str], list[list[str]]]:
    approaches = list(rec.scores.totals)
    header = ["Criterion", "Weight", *(approach_label(name) for name in approaches)]
    rows = [
        [
            row.label,
            f"{row.weight:g}",
            *(
                f"{row.ratings.get(name, 0)} {RATING_WORDS.get(row.ratings.get(name, 0), '')}"
                for name in approaches
            ),
        ]
        for row in rec.scores.criteria
    ]
    rows.append(["Weighted total", "", *(f"{rec.scores.totals[n]:g}" for n in approaches)])
    return header, rows


def _costs(rec: Recommendation) -> tuple[list[str], list[list[str]]]:
    header = ["Approach", "Up front", "Monthly", "Per request"]
    rows = [
        [
            approach_label(name),
            usd(cost.upfront_usd),
            usd(cost.monthly_usd),
            usd(cost.per_request_usd),
        ]
        for name, cost in rec.costs.items()
    ]
    return header, rows


def build_outline(requirements: Requirements, rec: Recommendation) -> Outline:
    """The recommendation in plain words, ready for any format."""
    assumed = {item.field for item in rec.assumptions}
    numbers = _numbers(rec)
    second = runner_up(rec)
    matrix_header, matrix_rows = _matrix(rec)
    cost_header, cost_rows = _costs(rec)
    stated = [
        (field_label(name), fact_value(name, value))
        for name, value in requirements.known().items()
        if name != "use_case"
    ]
    notes = []
    if not rec.ready and rec.blocked_by:
        notes.append(
            "Not ready yet: "
            + "; ".join(inline_field(name) for name in rec.blocked_by)
            + " rule it out for now, but no other approach meets the hard constraints."
        )
    return Outline(
        verdict=approach_label(rec.approach.value),
        status=status_of(rec),
        why=_why(rec),
        confidence=rec.confidence,
        runner_up=approach_label(second) if second else None,
        numbers=numbers,
        preconditions=[
            f"{field_label(p.field)}: {plain_text(p.condition)}" for p in rec.preconditions
        ],
        blocked_by=[
            f"{field_label(name)}: {fact_value(name, requirements.known().get(name))}"
            for name in rec.blocked_by
        ],
        changes=[change_words(c, assumed=c.field in assumed) for c in rec.what_would_change],
        infeasible=[(approach_label(n), plain_text(why)) for n, why in rec.infeasible.items()],
        reasons=[plain_text(reason.text) for reason in rec.reasons],
        matrix_header=matrix_header,
        matrix_rows=matrix_rows,
        cost_header=cost_header,
        cost_rows=cost_rows,
        assumptions=[
            (field_label(a.field), fact_value(a.field, a.value), plain_text(a.why))
            for a in rec.assumptions
        ],
        stated=stated,
        risks=[plain_text(risk) for risk in rec.risks],
        next_steps=[plain_text(step) for step in rec.next_steps],
        use_case=requirements.use_case,
        engine_version=rec.engine_version,
        notes=notes,
    )
