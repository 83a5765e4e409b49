"""Properties of the engine over generated requirements (hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from bot.domain.assumptions import fill, fill_with, raw_facts, resolve
from bot.domain.confidence import (
    KEY_FIELDS,
    KNOWLEDGE_KEY_FIELDS,
    MAX_CONFIDENCE,
    runner_up_margin,
)
from bot.domain.costs import TUNED_APPROACHES
from bot.domain.engine import decide, decide_approach
from bot.domain.fields import FIELD_NAMES, VALUE_WORDS
from bot.domain.knowledge import FAMILY, route_knowledge
from bot.domain.pricing import load_pricing
from bot.domain.recommendation import Approach, Change, Criterion, Recommendation
from bot.domain.requirements import (
    DataPrivacy,
    DeploymentTarget,
    DomainSpecialization,
    Level,
    MaintenanceCapacity,
    MlCapability,
    OutputStrictness,
    ProjectStage,
    Requirements,
    TaskType,
    Volatility,
)
from bot.domain.rules import candidates, evaluate
from bot.domain.sensitivity import (
    ENUM_CANDIDATES,
    NUMERIC_CANDIDATES,
    gate_passes,
    is_combined,
)
from bot.presentation.figures import matrix_notes
from bot.presentation.outline import build_outline

PRICING = load_pricing()
RETRIEVAL = {Approach.RAG, Approach.RAG_FINE_TUNING}


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def enum(kind: type) -> st.SearchStrategy[Any]:
    return maybe(st.sampled_from([member.value for member in kind]))  # type: ignore[attr-defined]


# Values cluster around the rules' thresholds so that the properties meet them.
counts = st.sampled_from(
    [0, 10, 49, 50, 51, 1_000, 150_000, 199_999, 200_000, 3_000_000]
) | st.integers(min_value=0, max_value=10**9)
money = st.sampled_from([0.0, 0.0005, 0.002, 0.02, 500.0, 1241.0]) | st.floats(
    min_value=0, max_value=1e5, allow_nan=False
)
per_request_money = st.sampled_from([0.0, 0.0005, 0.002, 0.02, 0.5]) | st.floats(
    min_value=0, max_value=1_000, allow_nan=False
)


def consistent_requirements(**facts: Any) -> Requirements:
    """Requirements from drawn facts, with the one contradiction the model refuses resolved."""
    if facts.get("data_privacy") == "air_gapped" and facts.get("deployment_target") == "cloud_api":
        facts["deployment_target"] = "on_prem"
    return Requirements(**facts)


requirements_strategy = st.builds(
    consistent_requirements,
    task_type=enum(TaskType),
    needs_external_knowledge=maybe(st.booleans()),
    knowledge_volatility=enum(Volatility),
    citations_required=maybe(st.booleans()),
    kb_size_docs=maybe(counts),
    kb_size_tokens=maybe(counts),
    output_format_strictness=enum(OutputStrictness),
    style_consistency_need=enum(Level),
    domain_specialization=enum(DomainSpecialization),
    prompt_baseline_gap_pp=maybe(
        st.sampled_from([-3.0, 0.0, 5.0, 5.1, 15.0])
        | st.floats(min_value=-100, max_value=100, allow_nan=False)
    ),
    latency_target_ms=maybe(
        st.sampled_from([80, 299, 300, 999, 1000, 3000]) | st.integers(1, 10**6)
    ),
    deployment_target=enum(DeploymentTarget),
    requests_per_month=maybe(counts),
    input_tokens_per_request=maybe(st.integers(0, 200_000)),
    output_tokens_per_request=maybe(st.integers(0, 20_000)),
    cost_per_request_usd=maybe(per_request_money),
    finetuned_cost_per_request_usd=maybe(per_request_money),
    finetune_fixed_cost_usd=maybe(money),
    finetune_hosting_usd_per_month=maybe(money),
    labelled_examples=maybe(counts),
    team_ml_capability=enum(MlCapability),
    budget_monthly_usd=maybe(money),
    data_privacy=enum(DataPrivacy),
    maintenance_capacity=enum(MaintenanceCapacity),
    eval_set_exists=maybe(st.booleans()),
    project_stage=enum(ProjectStage),
)
fast = settings(max_examples=150, deadline=None)


def with_fact(requirements: Requirements, field: str, value: Any) -> Requirements:
    return requirements.merged({field: value})


def payback_rank(months: float | None) -> float:
    return float("inf") if months is None else months


def has_tuning(approach: Approach) -> bool:
    return approach in TUNED_APPROACHES


@fast
@given(requirements_strategy)
def test_decide_is_deterministic(requirements: Requirements) -> None:
    """The same requirements, even rebuilt from JSON, give byte-identical JSON."""
    rebuilt = Requirements.model_validate_json(requirements.model_dump_json())
    assert decide(requirements).model_dump_json() == decide(rebuilt).model_dump_json()


@fast
@given(requirements_strategy)
def test_output_validates_against_the_model(requirements: Requirements) -> None:
    """The recommendation's JSON validates back into an equal Recommendation."""
    recommendation = decide(requirements)
    assert Recommendation.model_validate_json(recommendation.model_dump_json()) == recommendation


@fast
@given(requirements_strategy)
def test_decide_and_decide_approach_agree(requirements: Requirements) -> None:
    """decide().approach always equals decide_approach()."""
    assert decide(requirements).approach == decide_approach(requirements)


@fast
@given(requirements_strategy, st.integers(min_value=1, max_value=10**9))
def test_more_requests_never_lower_fine_tunings_cost_standing(
    requirements: Requirements, extra: int
) -> None:
    """More monthly requests never lengthen payback, drop its cost weight or drop fine-tuning
    (without a budget: a higher volume can price a tuned model out of one)."""
    requirements = requirements.merged({"budget_monthly_usd": None})
    volume = requirements.requests_per_month or 0
    before = decide(with_fact(requirements, "requests_per_month", volume))
    after = decide(with_fact(requirements, "requests_per_month", volume + extra))
    assert payback_rank(after.payback_months) <= payback_rank(before.payback_months)

    def cost_weight(recommendation: Recommendation) -> float:
        return next(
            row.weight
            for row in recommendation.scores.criteria
            if row.criterion == Criterion.COST_EFFICIENCY
        )

    assert cost_weight(after) >= cost_weight(before)
    if has_tuning(before.approach):
        assert has_tuning(after.approach)


@fast
@given(requirements_strategy, st.integers(min_value=1, max_value=10**7))
def test_more_examples_never_make_fine_tuning_less_feasible(
    requirements: Requirements, extra: int
) -> None:
    """Adding labelled examples never adds a gate nor drops fine-tuning from the approach."""
    count = requirements.labelled_examples or 0
    fewer = with_fact(requirements, "labelled_examples", count)
    more = with_fact(requirements, "labelled_examples", count + extra)
    blockers_fewer = evaluate(resolve(raw_facts(fewer), PRICING)[0], PRICING).blockers
    blockers_more = evaluate(resolve(raw_facts(more), PRICING)[0], PRICING).blockers
    assert set(blockers_more) <= set(blockers_fewer)
    if has_tuning(decide_approach(fewer)):
        assert has_tuning(decide_approach(more))


@fast
@given(requirements_strategy, st.integers(min_value=200_000, max_value=10**10))
def test_large_knowledge_never_leaves_retrieval_as_volatility_rises(
    requirements: Requirements, tokens: int
) -> None:
    """Once a large knowledge base needs retrieval, more volatility keeps it there."""
    large = requirements.merged({"needs_external_knowledge": True, "kb_size_tokens": tokens})
    approaches = [
        decide_approach(with_fact(large, "knowledge_volatility", level.value))
        for level in Volatility
    ]
    first = next((i for i, a in enumerate(approaches) if a in RETRIEVAL), None)
    assert first is not None
    assert all(approach in RETRIEVAL for approach in approaches[first:])


@fast
@given(requirements_strategy)
def test_break_even_is_none_exactly_when_fine_tuning_never_saves(
    requirements: Requirements,
) -> None:
    """break_even_requests is None exactly when the tuned approach saves nothing per request."""
    recommendation = decide(requirements)
    route = route_knowledge(resolve(raw_facts(requirements), PRICING)[0])
    base, tuned = FAMILY[route]
    saving = (
        recommendation.costs[base.value].per_request_usd
        - recommendation.costs[tuned.value].per_request_usd
    )
    assert (recommendation.break_even_requests is None) == (saving <= 0)


@fast
@given(requirements_strategy)
def test_matrix_agrees_with_the_verdict(requirements: Requirements) -> None:
    """The verdict has the highest total among the feasible, ready approaches the knowledge
    allows, and every approach scoring at least as much says in words why it is out."""
    recommendation = decide(requirements)
    result = evaluate(resolve(raw_facts(requirements), PRICING)[0], PRICING)
    totals = recommendation.scores.totals
    chosen = totals[recommendation.approach.value]
    if recommendation.ready:
        for approach in candidates(result.route, result.wants_fine_tuning):
            blocked = bool(recommendation.blocked_by or result.blockers) and has_tuning(approach)
            if approach.value in recommendation.infeasible or blocked:
                continue
            assert totals[approach.value] <= chosen, approach
    for name, total in totals.items():
        if name != recommendation.approach.value and total > chosen:
            assert recommendation.scores.ruled_out.get(name), name
    assert recommendation.approach.value not in recommendation.infeasible


@fast
@given(requirements_strategy)
def test_no_verdict_breaks_a_hard_constraint_another_meets(requirements: Requirements) -> None:
    """A verdict is never ruled out by a stated hard constraint; a not-ready verdict is tuned,
    names its stated blockers, and no feasible approach without tuning remains."""
    recommendation = decide(requirements)
    assert recommendation.approach.value not in recommendation.infeasible
    if not recommendation.ready:
        assert has_tuning(recommendation.approach)
        assert recommendation.blocked_by
        assert all(getattr(requirements, field) is not None for field in recommendation.blocked_by)
    for item in recommendation.preconditions:
        # Unstated, or the eval set the team said it does not have yet.
        assert getattr(requirements, item.field) in (None, False)
        assert item.field == "eval_set_exists" or getattr(requirements, item.field) is None
        assert item.condition and item.why


@fast
@given(requirements_strategy, st.data())
def test_stating_an_assumed_fact_never_lowers_confidence(
    requirements: Requirements, data: st.DataObject
) -> None:
    """Stating an assumed key fact with the value that was assumed never lowers confidence
    (and, volume aside, never changes the verdict)."""
    recommendation = decide(requirements)
    key = set(KEY_FIELDS) | set(KNOWLEDGE_KEY_FIELDS)
    items = [item for item in recommendation.assumptions if item.field in key]
    if not items:
        return
    item = data.draw(st.sampled_from(items))
    stated = decide(with_fact(requirements, item.field, item.value))
    if item.field != "requests_per_month":  # a stated volume can open cost-driven tuning
        assert stated.approach == recommendation.approach
    if stated.approach == recommendation.approach:
        assert stated.confidence >= recommendation.confidence


@fast
@given(requirements_strategy)
def test_a_close_runner_up_lowers_confidence(requirements: Requirements) -> None:
    """Confidence is below the maximum whenever a feasible, ready rival is within a point."""
    recommendation = decide(requirements)
    result = evaluate(resolve(raw_facts(requirements), PRICING)[0], PRICING)
    margin = runner_up_margin(result, recommendation.scores.totals)
    if margin is not None and margin < 1:
        assert recommendation.confidence < MAX_CONFIDENCE


def probe_value(change: Change) -> Any:
    threshold = change.threshold
    if change.direction == "set_to":
        return threshold
    if change.field == "budget_monthly_usd":  # a budget fits what costs no more than it
        assert isinstance(threshold, float)
        return threshold if change.direction == "above" else round(threshold - 0.01, 2)
    if isinstance(threshold, float):
        return threshold + 0.1 if change.direction == "above" else threshold
    assert isinstance(threshold, int)
    return threshold if change.direction == "above" else threshold - 1


@fast
@given(requirements_strategy)
def test_every_change_really_switches(requirements: Requirements) -> None:
    """Setting a fact past each reported threshold switches the approach as stated."""
    recommendation = decide(requirements)
    facts = resolve(raw_facts(requirements), PRICING)[0]
    for change in recommendation.what_would_change:
        if is_combined(change):  # the gates that only open together, all at once
            gates = evaluate(facts, PRICING).blockers
            assert [change.field, *change.together] == list(gates)
            moved = requirements.merged(gate_passes(facts, gates))
        else:
            moved = with_fact(requirements, change.field, probe_value(change))
        assert decide_approach(moved) == change.switches_to, change.text
        assert change.switches_to != recommendation.approach


@fast
@given(requirements_strategy)
def test_every_enum_switch_is_reported(requirements: Requirements) -> None:
    """Each approach reachable by changing one probed enum fact appears in what_would_change."""
    recommendation = decide(requirements)
    facts = resolve(raw_facts(requirements), PRICING)[0]
    reported = {(c.field, c.switches_to) for c in recommendation.what_would_change}
    for field, values in ENUM_CANDIDATES.items():
        if field == "knowledge_volatility" and not facts["needs_external_knowledge"]:
            continue
        for value in values:
            try:
                changed = with_fact(requirements, field, value)
            except ValidationError:
                continue  # a contradiction (air-gapped data on a cloud API) is no change to report
            switched = decide_approach(changed)
            if switched != recommendation.approach:
                assert (field, switched) in reported


@fast
@given(requirements_strategy)
def test_fine_tuning_outcomes_always_consider_maintenance(requirements: Requirements) -> None:
    """Any fine-tuning outcome names retraining in risks and next steps."""
    recommendation = decide(requirements)
    if has_tuning(recommendation.approach):
        assert any("retrain" in risk for risk in recommendation.risks)
        assert any("retrain" in step for step in recommendation.next_steps)
        routes = "Bedrock" if requirements.data_privacy != "air_gapped" else "open-weight"
        assert any(routes in step for step in recommendation.next_steps)


@fast
@given(requirements_strategy)
def test_air_gapped_advice_names_no_hosted_service(requirements: Requirements) -> None:
    """For air-gapped data, no risk or next step offers a hosted model or tuning service."""
    if requirements.data_privacy != "air_gapped":
        return
    text = " ".join(decide(requirements).next_steps + decide(requirements).risks)
    assert not [name for name in ("Vertex", "Azure", "Bedrock", "OpenAI's") if name in text]


@fast
@given(requirements_strategy)
def test_gates_blocking_together_are_reported(requirements: Requirements) -> None:
    """When tuning is wanted, several gates block and opening them all switches, it is listed."""
    facts = resolve(raw_facts(requirements), PRICING)[0]
    result = evaluate(facts, PRICING)
    if len(result.blockers) < 2 or not result.wants_fine_tuning:
        return
    opened = decide_approach(requirements.merged(gate_passes(facts, result.blockers)))
    recommendation = decide(requirements)
    combined = [c for c in recommendation.what_would_change if is_combined(c)]
    # A blocked route that stays the verdict (the only feasible one) switches nothing.
    expected = [] if opened == recommendation.approach else [opened]
    assert [c.switches_to for c in combined] == expected


@fast
@given(
    requirements_strategy,
    st.sampled_from(
        [(field, value) for field, values in ENUM_CANDIDATES.items() for value in values]
        + [("requests_per_month", 5_000_000), ("kb_size_tokens", 10), ("labelled_examples", 60)]
        + [("latency_target_ms", 250), ("prompt_baseline_gap_pp", 9.5)]
    ),
)
def test_probe_shortcut_fills_like_a_full_fill(
    requirements: Requirements, probe: tuple[str, Any]
) -> None:
    """The probes' cheap refill gives exactly the facts a full fill of the changed input gives."""
    field, value = probe
    raw = raw_facts(requirements)
    facts = fill(raw, PRICING)
    assert fill_with(facts, raw, field, value, PRICING) == fill({**raw, field: value}, PRICING)


@fast
@given(requirements_strategy)
def test_every_numeric_threshold_switch_is_reported(requirements: Requirements) -> None:
    """If a probed threshold value of a numeric fact switches the approach, the fact is listed."""
    recommendation = decide(requirements)
    facts = resolve(raw_facts(requirements), PRICING)[0]
    reported = {change.field for change in recommendation.what_would_change}
    for field, thresholds in NUMERIC_CANDIDATES.items():
        if field == "kb_size_tokens" and not facts["needs_external_knowledge"]:
            continue
        for _direction, value, _threshold, _phrase in thresholds:
            probe = int(value) if field != "prompt_baseline_gap_pp" else value
            if decide_approach(with_fact(requirements, field, probe)) != recommendation.approach:
                assert field in reported, (field, value)


@fast
@given(requirements_strategy)
def test_rendered_readiness_comes_from_the_structured_keys(requirements: Requirements) -> None:
    """The report's readiness lines and matrix notes are the engine's structured keys in words:
    one line per blocked verdict, infeasible approach and precondition, no identifiers."""
    recommendation = decide(requirements)
    outline = build_outline(requirements, recommendation)
    assert len(outline.blocked_by) == len(recommendation.blocked_by)
    assert len(outline.infeasible) == len(recommendation.infeasible)
    assert len(outline.preconditions) == len(recommendation.preconditions)
    assert (outline.status == "not ready") == (not recommendation.ready)
    assert len(matrix_notes(recommendation)) == len(recommendation.scores.ruled_out)
    lines = [*outline.blocked_by, *outline.preconditions, *(why for _, why in outline.infeasible)]
    for field in recommendation.blocked_by:
        assert field not in " ".join(lines)


IDENTIFIERS = (
    set(FIELD_NAMES)
    | {value for words in VALUE_WORDS.values() for value in words if "_" in value}
    | {approach.value for approach in Approach if "_" in approach.value}
)


@fast
@given(requirements_strategy)
def test_what_people_read_has_no_identifiers(requirements: Requirements) -> None:
    """Reasons, risks, steps, preconditions, ruled-out reasons, changes, weights and
    assumptions are in plain words: no field identifier or raw enum value."""
    recommendation = decide(requirements)
    texts = [
        *(reason.text for reason in recommendation.reasons),
        *recommendation.risks,
        *recommendation.next_steps,
        *recommendation.infeasible.values(),
        *recommendation.scores.ruled_out.values(),
        *(f"{item.condition} {item.why}" for item in recommendation.preconditions),
        *(change.text for change in recommendation.what_would_change),
        *(row.why_weight for row in recommendation.scores.criteria),
        *(item.why for item in recommendation.assumptions),
    ]
    for text in texts:
        assert not [name for name in IDENTIFIERS if name in text], text
