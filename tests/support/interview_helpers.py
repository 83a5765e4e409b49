"""Shared builders for interview tests: the real question bank, pricing and engine."""

from __future__ import annotations

from bot.adapters.prompts import load_question_bank
from bot.domain.engine import decide_approach
from bot.domain.pricing import load_pricing
from bot.domain.recommendation import ScalarFact
from bot.domain.requirements import Requirements
from bot.interview.conversation import Interview
from bot.interview.planner import FINE_TUNING_READY, PROBE_VALUES
from bot.interview.session import SessionKey

KEY = SessionKey(team_id="T1", channel_id="C1", thread_ts="1700000000.000100")


def make_interview(max_rounds: int = 3) -> Interview:
    return Interview(bank=load_question_bank(), pricing=load_pricing(), max_rounds=max_rounds)


def could_change_answer(requirements: Requirements, field: str) -> bool:
    """True when some value of `field` makes the engine choose differently, either as things
    stand or once the other unknown fine-tuning gates are passed."""
    pricing = load_pricing()
    passed = {
        gate: value
        for gate, value in FINE_TUNING_READY.items()
        if gate != field and getattr(requirements, gate) is None
    }
    probes: tuple[ScalarFact, ...] = PROBE_VALUES.get(field, ())
    for context in (requirements, requirements.merged(passed)):
        baseline = decide_approach(context, pricing)
        if any(decide_approach(context.merged({field: v}), pricing) != baseline for v in probes):
            return True
    return False
