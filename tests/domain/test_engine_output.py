"""What a recommendation carries: reasons, assumptions, costs, changes, risks and steps."""

from __future__ import annotations

from bot.domain.engine import DEFAULT_ASSUMPTIONS, ENGINE_VERSION, decide
from bot.domain.fields import READINESS_FIELDS
from bot.domain.recommendation import Recommendation
from bot.domain.requirements import FIELD_NAMES, Requirements

READY = Requirements(
    needs_external_knowledge=True,
    knowledge_volatility="monthly",
    kb_size_tokens=14_000_000,
    output_format_strictness="strict_custom",
    style_consistency_need="high",
    domain_specialization="general",
    prompt_baseline_gap_pp=12,
    latency_target_ms=3000,
    deployment_target="private_cloud",
    requests_per_month=1800,
    labelled_examples=3500,
    team_ml_capability="basic",
    maintenance_capacity="limited",
    eval_set_exists=True,
    project_stage="production",
)


def test_reasons_name_real_fields() -> None:
    """Every reason names at least one fact, and only real field names."""
    for requirements in (Requirements(), READY):
        for reason in decide(requirements).reasons:
            assert reason.facts
            assert set(reason.facts) <= set(FIELD_NAMES)


def test_every_unknown_fact_is_an_assumption() -> None:
    """Each unknown fact with a default is listed with its value and why (knowledge needed, so
    the knowledge base's defaults count too)."""
    recommendation = decide(Requirements(needs_external_knowledge=True))
    listed = {item.field: item for item in recommendation.assumptions}
    assert set(DEFAULT_ASSUMPTIONS) - {"needs_external_knowledge"} <= set(listed)
    # Readiness gates get no default: unknown is not "no" (a precondition, never assumed).
    assert not set(READINESS_FIELDS) & set(listed)
    assert all(item.why for item in recommendation.assumptions)


def test_stated_facts_are_not_assumptions() -> None:
    """Facts the team stated never appear as assumptions."""
    listed = {item.field for item in decide(READY).assumptions}
    assert not listed & set(READY.known())


def test_assumed_costs_show_the_estimate_used() -> None:
    """An unknown prompting cost is listed with the estimated per-request figure."""
    recommendation = decide(Requirements())
    listed = {item.field: item.value for item in recommendation.assumptions}
    assert listed["cost_per_request_usd"] == recommendation.costs["prompting"].per_request_usd


def test_assumed_key_facts_lower_confidence() -> None:
    """Leaving key facts unknown lowers confidence."""
    partial = READY.merged({"labelled_examples": None, "prompt_baseline_gap_pp": None})
    assert decide(partial).confidence < decide(READY).confidence


def test_what_would_change_gives_thresholds_from_the_rules() -> None:
    """The kb-size switch sits exactly on the 200k-token line, with its new approach."""
    changes = {change.field: change for change in decide(READY).what_would_change}
    kb = changes["kb_size_tokens"]
    assert (kb.threshold, kb.direction, kb.switches_to) == (
        200_000,
        "below",
        "prompting+fine_tuning",
    )
    assert "200,000" in kb.text


def test_volume_threshold_is_the_payback_volume() -> None:
    """The volume switch is where payback falls to six months, and the text says so."""
    # Cost decides only on a stated basis: the volume and the prompt size.
    no_gap = READY.merged({"prompt_baseline_gap_pp": 0, "input_tokens_per_request": 1500})
    changes = {change.field: change for change in decide(no_gap).what_would_change}
    volume = changes["requests_per_month"]
    assert (volume.direction, volume.switches_to) == ("above", "rag+fine_tuning")
    assert isinstance(volume.threshold, int)
    assert f"{volume.threshold:,}" in volume.text
    at = decide(no_gap.merged({"requests_per_month": volume.threshold}))
    below = decide(no_gap.merged({"requests_per_month": volume.threshold - 1}))
    assert at.payback_months is not None
    assert at.payback_months <= 6
    assert below.approach == "rag"
    # Rounded to cents of a month, the last volume that misses shows as 6.0 at best.
    assert below.payback_months is None or below.payback_months >= 6


def test_fine_tuning_outcome_plans_maintenance_and_routes() -> None:
    """A fine-tuning outcome names retraining, evals and realistic tuning routes."""
    recommendation = decide(READY)
    assert recommendation.approach == "rag+fine_tuning"
    steps = " ".join(recommendation.next_steps)
    assert "12-18 months" in " ".join(recommendation.risks)
    assert "closed to new organisations" in steps
    assert "open-weight LoRA" in steps


def test_missing_eval_set_puts_evals_first() -> None:
    """Without an eval set the first next step is to build one."""
    recommendation = decide(READY.merged({"eval_set_exists": False}))
    assert recommendation.next_steps[0].startswith("Build an eval set")


def test_budget_overrun_is_a_risk() -> None:
    """A monthly estimate above the stated budget appears among the risks."""
    recommendation = decide(READY.merged({"budget_monthly_usd": 1, "requests_per_month": 10_000}))
    assert any("budget" in risk for risk in recommendation.risks)


def test_engine_version_is_stamped() -> None:
    """The output carries the engine version."""
    assert decide(READY).engine_version == ENGINE_VERSION


def test_floats_are_rounded() -> None:
    """Money is rounded to cents (per-request to six places) so JSON stays stable."""
    for cost in decide(READY).costs.values():
        assert round(cost.monthly_usd, 2) == cost.monthly_usd
        assert round(cost.per_request_usd, 6) == cost.per_request_usd


def test_extreme_values_still_give_a_valid_recommendation() -> None:
    """The largest and tiniest allowed numbers neither crash the engine nor put Infinity
    into the JSON."""
    extreme = Requirements(
        needs_external_knowledge=True,
        kb_size_tokens=10**13,
        requests_per_month=10**12,
        input_tokens_per_request=10**7,
        output_tokens_per_request=10**7,
        cost_per_request_usd=1_000.0,
        finetuned_cost_per_request_usd=5e-324,
        finetune_fixed_cost_usd=1e9,
        finetune_hosting_usd_per_month=1e8,
        labelled_examples=10**10,
        team_ml_capability="strong",
        maintenance_capacity="dedicated",
    )
    recommendation = decide(extreme)
    text = recommendation.model_dump_json()
    assert "Infinity" not in text
    # A what-would-change on an unstated fact has no current value (null means not stated).
    assert "null" not in text.replace('"payback_months":null', "").replace(
        '"break_even_requests":null', ""
    ).replace('"current":null', "").replace('"value":null', "")
    assert Recommendation.model_validate_json(text) == recommendation
