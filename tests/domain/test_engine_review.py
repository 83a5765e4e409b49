"""Privacy routes, gates that block together, cost and knowledge assumptions (review fixes)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from bot.domain.engine import decide
from bot.domain.recommendation import Recommendation
from bot.domain.requirements import Requirements
from bot.domain.sensitivity import is_combined
from tests.support import paths

EXAMPLES = paths.REPO_ROOT / "examples"
HOSTED_SERVICES = ("Vertex", "Azure", "Bedrock", "OpenAI")

# The reviewer's case: air-gapped data, ready to tune for a fixed voice, team skills unknown.
AIR_GAPPED: dict[str, Any] = {
    "data_privacy": "air_gapped",
    "labelled_examples": 5000,
    "maintenance_capacity": "dedicated",
    "style_consistency_need": "high",
    "prompt_baseline_gap_pp": 20,
}


def assumed(recommendation: Recommendation) -> dict[str, Any]:
    return {item.field: item for item in recommendation.assumptions}


def advice(recommendation: Recommendation) -> str:
    return " ".join(recommendation.next_steps + recommendation.risks)


def test_air_gapped_data_assumes_on_prem_and_says_why() -> None:
    """Air-gapped data with no deployment target stated is assumed on-prem, with the reason."""
    item = assumed(decide(Requirements.model_validate(AIR_GAPPED)))["deployment_target"]
    assert item.value == "on_prem"
    assert "air-gapped" in item.why


def test_air_gapped_tuning_needs_a_strong_team() -> None:
    """The self-hosted skills gate applies: a team that only uses managed APIs cannot tune
    on-prem; unstated, it is a precondition naming open weights on own hardware."""
    blocked = decide(Requirements.model_validate({**AIR_GAPPED, "team_ml_capability": "basic"}))
    assert blocked.approach == "prompting"
    assert any("team_ml_capability" in reason.facts for reason in blocked.reasons)
    open_gate = decide(Requirements.model_validate(AIR_GAPPED))
    assert open_gate.approach == "fine_tuning"
    skills = {item.field: item for item in open_gate.preconditions}["team_ml_capability"]
    assert "open-weight" in skills.condition and "own hardware" in skills.condition


def test_air_gapped_tuning_offers_only_self_hosted_routes() -> None:
    """A tuned air-gapped outcome names open-weight LoRA on own hardware and no hosted API."""
    facts = {**AIR_GAPPED, "team_ml_capability": "strong"}
    recommendation = decide(Requirements.model_validate(facts))
    assert recommendation.approach == "fine_tuning"
    text = advice(recommendation)
    assert "open-weight" in text and "own hardware" in text
    assert not [name for name in HOSTED_SERVICES if name in text]


def test_air_gapped_prompting_runs_an_own_model() -> None:
    """An untuned air-gapped outcome says no hosted model API can be used."""
    text = advice(decide(Requirements.model_validate(AIR_GAPPED)))
    assert "own hardware" in text
    assert not [name for name in HOSTED_SERVICES if name in text]


@pytest.mark.parametrize(
    "facts",
    [
        {"data_privacy": "regulated", "prompt_baseline_gap_pp": 0},
        {**AIR_GAPPED, "data_privacy": "regulated", "team_ml_capability": "basic"},
    ],
    ids=["prompting", "fine_tuning"],
)
def test_regulated_data_names_compliance_terms(facts: dict[str, Any]) -> None:
    """Regulated data: hosted routes need the provider's BAA/DPA and an approved region."""
    recommendation = decide(Requirements.model_validate(facts))
    assert "BAA" in " ".join(recommendation.next_steps)
    assert "BAA" in " ".join(recommendation.risks)


def test_what_would_change_never_offers_cloud_api_for_air_gapped_data() -> None:
    """No suggested change contradicts the model's refusal of air-gapped data on a cloud API."""
    for facts in (
        AIR_GAPPED,
        {**AIR_GAPPED, "team_ml_capability": "strong"},
        {**AIR_GAPPED, "latency_target_ms": 80, "deployment_target": "on_prem"},
    ):
        for change in decide(Requirements.model_validate(facts)).what_would_change:
            assert (change.field, change.threshold) != ("deployment_target", "cloud_api")


def test_gates_blocking_together_are_one_combined_change() -> None:
    """A payback in weeks blocked by two gates names both, and opening both gives fine-tuning."""
    requirements = Requirements(
        requests_per_month=5_000_000,
        input_tokens_per_request=1500,
        labelled_examples=10,
        maintenance_capacity="none",
    )
    recommendation = decide(requirements)
    combined = [change for change in recommendation.what_would_change if is_combined(change)]
    assert len(combined) == 1
    change = combined[0]
    assert (change.field, change.switches_to) == ("labelled_examples", "fine_tuning")
    assert change.together == ["maintenance_capacity"]
    assert "curated examples" in change.text and "someone owning retraining" in change.text
    opened = requirements.merged({"labelled_examples": 50, "maintenance_capacity": "limited"})
    assert decide(opened).approach == "fine_tuning"


def test_a_single_gate_needs_no_combined_change() -> None:
    """With one gate blocking, its own change suffices and nothing is combined."""
    requirements = Requirements(
        requests_per_month=5_000_000,
        input_tokens_per_request=1500,
        labelled_examples=10,
        maintenance_capacity="limited",
    )
    changes = decide(requirements).what_would_change
    assert not [change for change in changes if is_combined(change)]
    assert ("labelled_examples", "fine_tuning") in {(c.field, c.switches_to) for c in changes}


def test_assumed_cost_says_which_approach_it_prices() -> None:
    """The assumed per-request cost is the costs table's row for the untuned approach, and says
    so (support-assistant: retrieval, so the RAG row)."""
    data = yaml.safe_load((EXAMPLES / "support-assistant.yaml").read_text(encoding="utf-8"))
    recommendation = decide(Requirements.model_validate(data))
    item = assumed(recommendation)["cost_per_request_usd"]
    assert item.value == recommendation.costs["rag"].per_request_usd
    assert "per-request cost of RAG" in item.why
    tuned = assumed(recommendation)["finetuned_cost_per_request_usd"]
    assert tuned.value == recommendation.costs["rag+fine_tuning"].per_request_usd
    assert "per-request cost of RAG with a fine-tuned model" in tuned.why


def test_no_knowledge_assumptions_without_external_knowledge() -> None:
    """A use case needing no external knowledge lists no knowledge-base size or volatility."""
    data = json.loads((EXAMPLES / "invoice-extraction.json").read_text(encoding="utf-8"))
    listed = assumed(decide(Requirements.model_validate(data)))
    assert "kb_size_tokens" not in listed
    assert "knowledge_volatility" not in listed


def test_knowledge_assumptions_stay_when_knowledge_is_needed() -> None:
    """When external knowledge is needed, unknown size and volatility are still assumed."""
    listed = assumed(decide(Requirements(needs_external_knowledge=True)))
    assert {"kb_size_tokens", "knowledge_volatility"} <= set(listed)


def test_no_budget_change_past_what_a_team_can_state() -> None:
    """At absurd volumes and prices no approach's estimate is a budget anyone can enter, so
    no what-would-change names one (found by the property test's search)."""
    rec = decide(
        Requirements(
            output_format_strictness="strict_custom",
            prompt_baseline_gap_pp=5.1,
            requests_per_month=49_999_994,
            cost_per_request_usd=0.0,
            finetuned_cost_per_request_usd=200.0,
            budget_monthly_usd=0.0,
        )
    )
    for change in rec.what_would_change:
        if change.field == "budget_monthly_usd":
            assert isinstance(change.threshold, int | float)
            Requirements(budget_monthly_usd=change.threshold)  # within the model's bounds


def test_the_form_reason_names_only_the_form_that_asks_for_tuning() -> None:
    """A gap on a house template is explained by the template, not by a voice or a domain
    nobody described (their defaults are no reason to tune)."""
    rec = decide(
        Requirements(
            task_type="extraction",
            needs_external_knowledge=False,
            output_format_strictness="strict_custom",
            prompt_baseline_gap_pp=20,
            labelled_examples=2000,
        )
    )
    form = next(r for r in rec.reasons if "on form" in r.text)
    assert "house template or DSL output" in form.text
    assert "voice" not in form.text and "domain" not in form.text
    assert form.facts == ["prompt_baseline_gap_pp", "output_format_strictness"]


def test_an_uncounted_saving_names_the_fact_nobody_stated() -> None:
    """A saving not counted says which part of its basis was assumed: here the volume is
    stated, so it is the per-request cost (or prompt size)."""
    rec = decide(
        Requirements(
            task_type="extraction",
            needs_external_knowledge=False,
            output_format_strictness="strict_custom",
            prompt_baseline_gap_pp=20,
            labelled_examples=3000,
            requests_per_month=2_000_000,
        )
    )
    text = " ".join(reason.text for reason in rec.reasons)
    assert "per-request cost (or prompt size) behind it was assumed" in text
    assert "volume" not in text
