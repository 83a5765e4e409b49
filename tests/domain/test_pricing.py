"""The dated price list: present, valid, dated, sourced, loaded once."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources

from bot.domain.assumptions import DEFAULT_ASSUMPTIONS, default_fixed_cost_usd
from bot.domain.pricing import Pricing, load_pricing


def test_price_list_is_dated_and_sourced() -> None:
    """The file carries an ISO date and at least one source."""
    pricing = load_pricing()
    assert dt.date.fromisoformat(pricing.as_of)
    assert pricing.sources
    assert pricing.currency == "USD"


def test_price_list_loads_once() -> None:
    """Loading is cached: the same object comes back."""
    assert load_pricing() is load_pricing()


def test_price_list_file_validates_strictly() -> None:
    """The packaged JSON validates against the model with no unknown keys."""
    text = resources.files("bot").joinpath("data", "pricing.json").read_text(encoding="utf-8")
    assert Pricing.model_validate(json.loads(text)) == load_pricing()


def test_tuned_tokens_cost_more_than_base_tokens_of_the_same_model() -> None:
    """Tuned-model token prices carry the 1.5-2x multiplier of vendor list prices."""
    assert 1.5 <= load_pricing().tuned_token_multiplier <= 2


def test_hosting_covers_every_deployment_target() -> None:
    """Each deployment target has a hosting figure; edge devices host on the device."""
    hosting = load_pricing().hosting_usd_per_month
    assert hosting.cloud_api > 0
    assert hosting.edge_device == 0


def test_default_fine_tuning_costs_match_the_price_list() -> None:
    """The published defaults for fixed cost and hosting are the price list's own figures."""
    pricing = load_pricing()
    assert DEFAULT_ASSUMPTIONS["finetune_fixed_cost_usd"][0] == default_fixed_cost_usd(pricing)
    assert DEFAULT_ASSUMPTIONS["finetune_hosting_usd_per_month"][0] == (
        pricing.hosting_usd_per_month.cloud_api
    )
