"""Cost maths: the article's break-even, payback with hosting, and the per-approach table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.assumptions import raw_facts, resolve
from bot.domain.costs import (
    MIN_SAVING_USD_PER_REQUEST,
    approach_costs,
    break_even_requests,
    pair_usd,
    payback_months,
    per_request_usd,
    requests_for_payback,
)
from bot.domain.knowledge import FAMILY, KnowledgeRoute, route_knowledge
from bot.domain.pricing import load_pricing
from bot.domain.requirements import Requirements

PRICING = load_pricing()

usd = st.floats(min_value=0, max_value=10, allow_nan=False)
fixed = st.floats(min_value=0, max_value=1e6, allow_nan=False)


@pytest.mark.parametrize(
    ("fixed_usd", "base", "tuned", "expected"),
    [
        (500, 0.02, 0.005, 33_333),  # the source article's own example
        (1000, 0.02, 0.005, 66_666),  # 66,666.67: truncated, not rounded up
        (3, 0.5, 0.1, 7),  # 7.5: truncated, not rounded half to even
        (3, 0.07, 0.01, 50),  # 49.99999999999999 in floats: still 50, not 49
        (7, 0.3, 0.1, 35),  # an exact quotient despite float subtraction
        (10_000, 0.01, 0.005, 2_000_000),
        (0, 0.02, 0.005, 0),
        (500, 0.005, 0.005, None),  # no saving per request
        (500, 0.004, 0.005, None),  # tuned costs more
    ],
)
def test_break_even_table(
    fixed_usd: float, base: float, tuned: float, expected: int | None
) -> None:
    """Break-even is fixed / (prompting - finetuned), truncated, or None when it never pays."""
    assert (
        break_even_requests(
            fixed_usd=fixed_usd, base_usd_per_request=base, tuned_usd_per_request=tuned
        )
        == expected
    )


@pytest.mark.parametrize(
    ("volume", "hosting", "expected"),
    [
        (150_000, 0, 500 / 2250),
        (100_000, 500, 500 / 1000),
        (10_000, 150, None),  # saving 150/month exactly covers hosting: never pays
        (0, 0, None),
    ],
)
def test_payback_table(volume: int, hosting: float, expected: float | None) -> None:
    """Payback counts volume and hosting: fixed / (volume x saving - hosting)."""
    months = payback_months(
        fixed_usd=500,
        requests_per_month=volume,
        base_usd_per_request=0.02,
        tuned_usd_per_request=0.005,
        hosting_usd_per_month=hosting,
    )
    assert months == (None if expected is None else pytest.approx(expected))


@given(fixed_usd=fixed, base=usd, tuned=usd)
def test_break_even_is_none_exactly_when_tuning_never_saves(
    fixed_usd: float, base: float, tuned: float
) -> None:
    """None exactly when the tuned model saves nothing (not even a billionth of a dollar)."""
    result = break_even_requests(
        fixed_usd=fixed_usd, base_usd_per_request=base, tuned_usd_per_request=tuned
    )
    assert (result is None) == (base - tuned < MIN_SAVING_USD_PER_REQUEST)


@given(
    fixed_usd=fixed,
    base=usd,
    tuned=usd,
    hosting=st.floats(min_value=0, max_value=1e4, allow_nan=False),
    volume=st.integers(min_value=0, max_value=10**9),
    extra=st.integers(min_value=1, max_value=10**9),
)
def test_more_volume_never_lengthens_payback(
    fixed_usd: float, base: float, tuned: float, hosting: float, volume: int, extra: int
) -> None:
    """Payback months never grow (nor appear from None to worse) as volume rises."""

    def months(requests: int) -> float:
        value = payback_months(
            fixed_usd=fixed_usd,
            requests_per_month=requests,
            base_usd_per_request=base,
            tuned_usd_per_request=tuned,
            hosting_usd_per_month=hosting,
        )
        return float("inf") if value is None else value

    assert months(volume + extra) <= months(volume)


@given(
    fixed_usd=st.floats(min_value=1, max_value=1e6),
    base=st.floats(min_value=0.001, max_value=1),
    hosting=st.floats(min_value=0, max_value=1e4),
)
def test_requests_for_payback_is_the_threshold(
    fixed_usd: float, base: float, hosting: float
) -> None:
    """The volume found pays back within the window, and one request less does not."""
    tuned = base / 4
    volume = requests_for_payback(
        months=6,
        fixed_usd=fixed_usd,
        base_usd_per_request=base,
        tuned_usd_per_request=tuned,
        hosting_usd_per_month=hosting,
    )
    assert volume is not None

    def pays(requests: int) -> bool:
        months = payback_months(
            fixed_usd=fixed_usd,
            requests_per_month=requests,
            base_usd_per_request=base,
            tuned_usd_per_request=tuned,
            hosting_usd_per_month=hosting,
        )
        return months is not None and months <= 6

    assert pays(volume)
    assert not pays(volume - 1)


def _facts(**known: object) -> tuple[dict[str, object], KnowledgeRoute]:
    facts, _ = resolve(raw_facts(Requirements.model_validate(known)), PRICING)
    return facts, route_knowledge(facts)


def test_stated_costs_override_the_price_list() -> None:
    """A stated prompting and tuned cost are used as given."""
    facts, route = _facts(cost_per_request_usd=0.02, finetuned_cost_per_request_usd=0.005)
    assert pair_usd(facts, PRICING, route) == (0.02, 0.005)


def test_a_stated_prompting_cost_rescales_the_estimates() -> None:
    """With only the prompting cost stated, the tuned estimate keeps its ratio to the baseline."""
    estimated, route = _facts()
    stated, _ = _facts(cost_per_request_usd=0.001)
    base_estimate, tuned_estimate = pair_usd(estimated, PRICING, route)
    base, tuned = pair_usd(stated, PRICING, route)
    assert base == 0.001
    assert tuned == pytest.approx(0.001 * tuned_estimate / base_estimate)


def test_pair_matches_the_full_table() -> None:
    """The fast pair used by the rules equals the pair in the full per-request table."""
    for known in ({}, {"cost_per_request_usd": 0.003}, {"kb_size_tokens": 9_000_000}):
        facts, route = _facts(needs_external_knowledge=True, **known)
        table = per_request_usd(facts, PRICING, route)
        base, tuned = FAMILY[route]
        assert pair_usd(facts, PRICING, route) == pytest.approx((table[base], table[tuned]))


def test_tuned_estimate_is_cheaper_than_the_baseline() -> None:
    """The price list's small tuned model costs less per request than the large base model."""
    facts, route = _facts()
    base, tuned = pair_usd(facts, PRICING, route)
    assert 0 < tuned < base


def test_cost_table_names_every_approach_with_its_inputs() -> None:
    """Every approach has upfront, monthly and per-request USD and the inputs behind them."""
    facts, route = _facts(needs_external_knowledge=True, kb_size_tokens=9_000_000)
    table = approach_costs(facts, PRICING, route)
    assert set(table) == {
        "prompting",
        "rag",
        "fine_tuning",
        "rag+fine_tuning",
        "prompting+fine_tuning",
    }
    assert table["prompting"].upfront_usd == 0
    assert table["rag"].upfront_usd == PRICING.rag.setup_usd
    assert table["fine_tuning"].inputs["finetune_hosting_usd_per_month"] == 1241.0
    assert table["rag+fine_tuning"].inputs["retrieved_tokens_per_request"] == 2000
    assert table["rag"].inputs["price_list_as_of"] == PRICING.as_of


def test_monthly_cost_is_volume_times_per_request_plus_fixed_monthly() -> None:
    """Monthly USD is the per-request cost times volume, plus hosting for tuned models."""
    facts, route = _facts(
        requests_per_month=1000,
        cost_per_request_usd=0.02,
        finetuned_cost_per_request_usd=0.005,
        finetune_hosting_usd_per_month=100,
    )
    table = approach_costs(facts, PRICING, route)
    assert table["prompting"].monthly_usd == 20.0
    assert table["fine_tuning"].monthly_usd == 105.0
