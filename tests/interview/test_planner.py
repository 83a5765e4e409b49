from __future__ import annotations

import pytest

from bot.adapters.prompts import load_question_bank
from bot.domain.pricing import load_pricing
from bot.domain.requirements import Requirements
from bot.interview.planner import FINE_TUNING_READY, decisive_fields, plan_questions
from tests.support.interview_helpers import could_change_answer
from tests.support.scenarios import load_scenarios

SCENARIOS = load_scenarios()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_planner_asks_only_decisive_facts(scenario) -> None:  # type: ignore[no-untyped-def]
    """Every fact the planner picks could change the answer; every one it skips could not."""
    requirements = Requirements.model_validate(
        {k: v for k, v in scenario.facts.items() if v is not None}
    )
    bank = load_question_bank()
    decisive = set(decisive_fields(requirements, pricing=load_pricing(), bank=bank))
    for field in requirements.unknown_fields():
        if field in bank.specs:
            assert (field in decisive) == could_change_answer(requirements, field), field


def test_planner_respects_the_limit_and_exclusions() -> None:
    """At most `limit` questions, none of them excluded."""
    bank = load_question_bank()
    everything = decisive_fields(Requirements(), pricing=load_pricing(), bank=bank)
    assert everything, "an empty case must have something worth asking"
    excluded = set(everything[:2])
    planned = plan_questions(
        Requirements(), pricing=load_pricing(), bank=bank, exclude=excluded, limit=2
    )
    assert len(planned) <= 2
    assert excluded.isdisjoint(planned)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_planner_stops_when_all_decisive_facts_are_known(scenario) -> None:  # type: ignore[no-untyped-def]
    """With every fact of a case known, there is nothing left worth asking."""
    bank = load_question_bank()
    requirements = Requirements.model_validate(scenario.full_facts)
    remaining = decisive_fields(requirements, pricing=load_pricing(), bank=bank)
    for field in remaining:
        assert could_change_answer(requirements, field)


def test_fine_tuning_ready_context_passes_every_gate() -> None:
    """The planner's "gates passed" context really passes all of the engine's gates."""
    from bot.domain.assumptions import fill, raw_facts  # noqa: PLC0415
    from bot.domain.rules import blockers  # noqa: PLC0415

    requirements = Requirements().merged(FINE_TUNING_READY)
    assert blockers(fill(raw_facts(requirements), load_pricing())) == ()
