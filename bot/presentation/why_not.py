""" "Why not prompting?": why an approach lost, from the rules and the matrix scores.

Two or three sentences: what rules it out (a hard constraint or a readiness gate), how it
scores against the pick on the criteria that matter to this team, and what would make it win.
"""

from __future__ import annotations

import re

from bot.domain.costs import TUNED_APPROACHES
from bot.domain.recommendation import Approach, Recommendation
from bot.domain.requirements import Requirements
from bot.presentation.labels import approach_label, fact_value
from bot.presentation.outline import build_outline
from bot.presentation.plain import change_words, inline_field, plain_text

_TUNED = frozenset(approach.value for approach in TUNED_APPROACHES)
_QUESTION = re.compile(
    r"^\s*(?:but\s+|so\s+|and\s+)?why\s+(?:not|no|wouldn'?t\s+you\s+(?:use|pick|choose)|"
    r"didn'?t\s+you\s+(?:pick|choose|go\s+with))\s+(?:just\s+|simply\s+|use\s+|using\s+|"
    r"go\s+with\s+|a\s+|an\s+|plain\s+)*(?P<name>[^?!.]{1,60})[?!.\s]*$",
    re.IGNORECASE,
)
_AND = r"(\+|and|with|plus|&)\s*"
_TUNING = r"(fine[- ]?tun\w*|tun\w*|ft)\b"
# Longest names first: "rag + fine-tuning" must not read as "rag".
_ALIASES: tuple[tuple[re.Pattern[str], Approach], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), Approach(approach))
    for pattern, approach in (
        (r"^(rag|retrieval)\s*" + _AND + _TUNING, "rag+fine_tuning"),
        (r"^(prompt\w*)\s*" + _AND + _TUNING, "prompting+fine_tuning"),
        (r"^(fine[- ]?tun\w*|tun\w*|ft|a\s+tuned\s+model|training)\b", "fine_tuning"),
        (r"^(rag|retrieval\w*|a\s+vector\s+(db|database|store|index)|vector\s+search)\b", "rag"),
        (r"^(prompt\w*|few[- ]shot|in[- ]context|a\s+cached\s+prompt)\b", "prompting"),
        (r"^(a\s+)?hybrid\b", "rag+fine_tuning"),
    )
)


def parse_why_not(text: str) -> Approach | None:
    """The approach a "why not X?" question asks about, or None for any other message."""
    match = _QUESTION.match(" ".join(text.split()))
    if match is None:
        return None
    name = match.group("name").strip()
    for pattern, approach in _ALIASES:
        if pattern.search(name):
            return approach
    return None


def _score_sentence(rec: Recommendation, asked: str) -> str:
    pick = rec.approach.value
    totals = rec.scores.totals
    if asked not in totals or pick not in totals:
        return ""
    weaker = sorted(
        (
            (row.weight * (row.ratings.get(pick, 0) - row.ratings.get(asked, 0)), row.label)
            for row in rec.scores.criteria
            if row.weight > 0 and row.ratings.get(asked, 0) < row.ratings.get(pick, 0)
        ),
        reverse=True,
    )
    scores = f"On the decision matrix it totals {totals[asked]:g} against {totals[pick]:g}"
    if totals[asked] > totals[pick]:
        return (
            f"{scores}: higher, but the rules come first and the scores only explain and "
            "break ties."
        )
    if not weaker:
        return f"{scores}."
    named = [label.lower() for _, label in weaker[:2]]
    matter = "which matters" if len(named) == 1 else "which matter"
    return f"{scores}, weaker on {' and '.join(named)}, {matter} to your team."


def _rule_sentence(requirements: Requirements, rec: Recommendation, asked: str) -> str:
    if asked in rec.infeasible:
        return f"It is ruled out: {plain_text(rec.infeasible[asked]).rstrip('.')}."
    gates = rec.blocked_by
    if asked in _TUNED and gates:
        return f"Fine-tuning is not feasible yet, given {_gate_facts(requirements, rec, gates)}."
    outline = build_outline(requirements, rec)
    return f"The rules point to {outline.verdict} instead: {outline.why_inline}"


def _gate_facts(requirements: Requirements, rec: Recommendation, gates: list[str]) -> str:
    """ "team's ML skills (managed fine-tuning APIs, assumed) and who retrains the model (…)"."""
    known = requirements.known()
    assumed = {item.field: item.value for item in rec.assumptions}
    parts = []
    for gate in gates:
        if gate in known:
            parts.append(f"{inline_field(gate)} ({fact_value(gate, known[gate])})")
        else:
            parts.append(f"{inline_field(gate)} ({fact_value(gate, assumed.get(gate))}, assumed)")
    return " and ".join(parts)


def explain_why_not(requirements: Requirements, rec: Recommendation, asked: Approach) -> str:
    """Two or three sentences on why `asked` is not the recommendation."""
    label = approach_label(asked.value)
    if asked == rec.approach:
        outline = build_outline(requirements, rec)
        return f"{label} is the recommendation: {outline.why_inline}"
    sentences = [f"Why not {label}? " + _rule_sentence(requirements, rec, asked.value)]
    score = _score_sentence(rec, asked.value)
    if score:
        sentences.append(score)
    assumed = {item.field for item in rec.assumptions}
    flip = next((c for c in rec.what_would_change if c.switches_to == asked), None)
    if flip is not None:
        words = change_words(flip, assumed=flip.field in assumed)
        sentences.append(f"It would win {words[0].lower()}{words[1:].rsplit(' → ', 1)[0]}.")
    return " ".join(sentences[:3])
