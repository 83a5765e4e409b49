"""One outline of a recommendation, in plain words, that every format renders.

The Slack card, the details views, the terminal text, markdown and the decision record
all read the same verdict, sentence of why and key numbers from here, and show the same
headed sections (`Outline.sections`) in the same order with the same heading words, so
they cannot drift apart and none of them shows an identifier. A format may leave sections
out (the card shows two), never reorder or reword them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from bot.domain.costs import TUNED_APPROACHES
from bot.domain.fields import field_label
from bot.domain.recommendation import Recommendation
from bot.domain.requirements import Requirements
from bot.presentation.figures import (
    Table,
    break_even_line,
    cost_table,
    matrix_notes,
    matrix_table,
    months_words,
    usd,
)
from bot.presentation.labels import approach_label, fact_value
from bot.presentation.plain import change_words, inline_field, inline_label, plain_text

Status = Literal["ready", "provisional", "not ready"]
SectionKey = Literal[
    "why", "before", "ruled_out", "matrix", "costs", "assumed", "risks", "next_steps", "changes"
]
# Every section a recommendation can have, in the one order every format shows them, with
# the words of its heading. A decision record frames them in its own parts (context first:
# bot/presentation/adr.py), each part in this order.
SECTION_HEADINGS: dict[SectionKey, str] = {
    "why": "Why",
    "before": "Before you start",
    "ruled_out": "Ruled out",
    "matrix": "Decision matrix",
    "costs": "Costs (USD)",
    # After the costs, which most assumed facts (volumes, prices) feed: a long list of
    # defaults never stands between a person and the reasons for the verdict.
    "assumed": "Facts assumed (not stated)",
    "risks": "Risks",
    "next_steps": "Next steps",
    "changes": "What would change it",
}
SECTION_ORDER: tuple[SectionKey, ...] = tuple(SECTION_HEADINGS)
MATRIX_LEAD = (
    "How much each criterion matters to you (weight), and how each approach rates "
    "(1 poor to 3 best)."
)
TUNED = frozenset(approach.value for approach in TUNED_APPROACHES)
WHY_MAX_CHARS = 240
# Sentence ends: a full stop after a word or number and before a capital (not "e.g. 0.1x").
_SENTENCE_END = re.compile(r"(?<=[a-z0-9%)])\.\s+(?=[A-Z])")


@dataclass(frozen=True)
class Section:
    """One headed part of a recommendation, its content in plain words (no markup)."""

    key: SectionKey
    items: list[str]
    # What the section says when it has no items; a section with neither is left out.
    empty: str = ""
    numbered: bool = False
    # A sentence before the items or table, and sentences after them.
    lead: str = ""
    table: Table | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return SECTION_HEADINGS[self.key]

    @property
    def lines(self) -> list[str]:
        """The items, or the words for none (a table speaks for itself)."""
        if self.items or self.table:
            return self.items
        return [self.empty] if self.empty else []


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
    infeasible: list[tuple[str, str]]
    # (label, value in words) for each fact the team stated.
    stated: list[tuple[str, str]]
    use_case: str | None
    engine_version: str
    # The headed sections, in SECTION_HEADINGS order; every format renders these.
    sections: list[Section]
    notes: list[str] = field(default_factory=list)

    @property
    def headline(self) -> str:
        """The verdict as a header: "RAG + fine-tuning (provisional)"."""
        return self.verdict if self.status == "ready" else f"{self.verdict} ({self.status})"

    @property
    def why_inline(self) -> str:
        """The sentence of why, to follow a colon."""
        return inline_label(self.why)

    def section(self, key: SectionKey) -> Section | None:
        return next((section for section in self.sections if section.key == key), None)


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


def _sections(
    rec: Recommendation, *, preconditions: list[str], infeasible: list[tuple[str, str]]
) -> list[Section]:
    assumed = {item.field for item in rec.assumptions}
    costs = cost_table(rec)
    found = [
        Section(
            "assumed",
            [
                f"{field_label(a.field)} = {fact_value(a.field, a.value)}: {plain_text(a.why)}"
                for a in rec.assumptions
            ],
            empty="none",
        ),
        Section("why", [plain_text(reason.text) for reason in rec.reasons]),
        Section("before", preconditions),
        Section("ruled_out", [f"{name}: {why}" for name, why in infeasible]),
        Section(
            "matrix",
            [],
            lead=MATRIX_LEAD,
            table=matrix_table(rec),
            notes=matrix_notes(rec),
        ),
        Section(
            "costs",
            [],
            empty="No cost figures: volume and prices are unknown.",
            table=costs if costs.rows else None,
            notes=[break_even_line(rec)] if costs.rows else [],
        ),
        Section("risks", [plain_text(risk) for risk in rec.risks]),
        Section("next_steps", [plain_text(step) for step in rec.next_steps], numbered=True),
        Section(
            "changes",
            [change_words(c, assumed=c.field in assumed) for c in rec.what_would_change],
            empty="nothing within the probed ranges",
        ),
    ]
    found.sort(key=lambda section: SECTION_ORDER.index(section.key))
    return [section for section in found if section.lines or section.table]


def build_outline(requirements: Requirements, rec: Recommendation) -> Outline:
    """The recommendation in plain words, ready for any format."""
    second = runner_up(rec)
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
    preconditions = [
        f"{field_label(p.field)}: {plain_text(p.condition)}" for p in rec.preconditions
    ]
    infeasible = [(approach_label(n), plain_text(why)) for n, why in rec.infeasible.items()]
    return Outline(
        verdict=approach_label(rec.approach.value),
        status=status_of(rec),
        why=_why(rec),
        confidence=rec.confidence,
        runner_up=approach_label(second) if second else None,
        numbers=_numbers(rec),
        preconditions=preconditions,
        blocked_by=[
            f"{field_label(name)}: {fact_value(name, requirements.known().get(name))}"
            for name in rec.blocked_by
        ],
        infeasible=infeasible,
        stated=stated,
        use_case=requirements.use_case,
        engine_version=rec.engine_version,
        sections=_sections(rec, preconditions=preconditions, infeasible=infeasible),
        notes=notes,
    )
