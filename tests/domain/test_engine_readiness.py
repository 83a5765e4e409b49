"""Unknown readiness on the dev corpus: the open facts are preconditions, the planner still
asks about them when they are decisive, and the only feasible route stays the verdict."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.adapters.prompts import load_question_bank
from bot.domain.engine import decide
from bot.domain.pricing import load_pricing
from bot.domain.requirements import Requirements
from bot.interview.planner import decisive_fields
from tests.support import paths

DEV = paths.DEV_JSONL
CASES = {case["id"]: case for case in map(json.loads, DEV.read_text().splitlines()) if case}

# shared/scenarios/README.md: the readiness facts each of dev-31..38 leaves open on purpose.
LEFT_OPEN = {
    "dev-31": ["maintenance_capacity", "project_stage"],
    "dev-32": ["labelled_examples", "project_stage"],
    "dev-33": ["team_ml_capability", "maintenance_capacity"],
    "dev-34": ["maintenance_capacity", "eval_set_exists"],
    "dev-35": ["labelled_examples", "eval_set_exists"],
    "dev-36": ["team_ml_capability", "maintenance_capacity", "project_stage"],
    "dev-37": ["team_ml_capability", "project_stage"],
    "dev-38": ["labelled_examples", "maintenance_capacity", "project_stage"],
}


def merged(case: dict[str, Any]) -> Requirements:
    return Requirements.model_validate({**case["facts"], **case["answer_facts"]})


@pytest.mark.parametrize("case_id", sorted(LEFT_OPEN))
def test_open_readiness_facts_are_the_preconditions(case_id: str) -> None:
    """The verdict is what the stated facts support, and it names exactly the open facts."""
    recommendation = decide(merged(CASES[case_id]))
    assert recommendation.approach == CASES[case_id]["expected"]
    assert recommendation.ready
    assert sorted(item.field for item in recommendation.preconditions) == sorted(LEFT_OPEN[case_id])


def test_dev_39_names_the_missing_maintenance_owner() -> None:
    """Fully offline on a cab terminal with nobody to retrain: fine-tuning, not ready,
    blocked by maintenance, with prompting and RAG ruled out."""
    recommendation = decide(merged(CASES["dev-39"]))
    assert recommendation.approach == "fine_tuning"
    assert not recommendation.ready
    assert "maintenance_capacity" in recommendation.blocked_by
    assert {"prompting", "rag"} <= set(recommendation.infeasible)


@pytest.mark.parametrize("case_id", ["dev-43", "dev-44", "dev-45"])
def test_budget_cases_name_what_is_over_budget(case_id: str) -> None:
    """Each budget case rules out the approach that would otherwise win, in words."""
    recommendation = decide(merged(CASES[case_id]))
    assert recommendation.approach == CASES[case_id]["expected"]
    assert any("budget" in why for why in recommendation.infeasible.values())


def test_the_planner_still_asks_decisive_readiness_facts() -> None:
    """With a form gap and no readiness stated, the interview asks about the gates."""
    facts = {
        "needs_external_knowledge": False,
        "output_format_strictness": "strict_custom",
        "prompt_baseline_gap_pp": 20,
    }
    asked = decisive_fields(
        Requirements.model_validate(facts), pricing=load_pricing(), bank=load_question_bank()
    )
    assert {"labelled_examples", "team_ml_capability", "maintenance_capacity"} <= set(asked)


def test_no_eval_set_yet_is_a_precondition_of_a_tuned_verdict_not_a_block() -> None:
    """A team that says it has no eval set still gets the tuned verdict its facts call for,
    with "build the eval set" before anything, and no more confidence than when unstated."""
    facts = {
        "task_type": "extraction",
        "needs_external_knowledge": False,
        "output_format_strictness": "strict_custom",
        "prompt_baseline_gap_pp": 20,
        "labelled_examples": 5000,
        "requests_per_month": 200_000,
    }
    unstated = decide(Requirements.model_validate(facts))
    without = decide(Requirements.model_validate({**facts, "eval_set_exists": False}))
    with_one = decide(Requirements.model_validate({**facts, "eval_set_exists": True}))
    assert without.approach == unstated.approach == with_one.approach
    assert without.ready and not without.blocked_by
    assert "eval_set_exists" in {p.field for p in without.preconditions}
    assert "eval_set_exists" not in {p.field for p in with_one.preconditions}
    assert without.confidence <= unstated.confidence < with_one.confidence
