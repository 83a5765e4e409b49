"""Rates stated per period, turned into the monthly figures the requirements hold."""

from __future__ import annotations

import pytest

from bot.interview.amounts import per_month
from bot.interview.quantities import find_quantities


@pytest.mark.parametrize(
    ("text", "factor"),
    [
        ("8k questions a month", 1),
        ("60k failed builds/month", 1),
        ("80k letters every month", 1),
        ("~40k descriptions monthly", 1),
        ("2k requests a day", 30),
        ("5k daily", 30),
        ("900 reviews a week", 52 / 12),
        ("3,000 new SKUs each quarter", 1 / 3),
        ("200 reports a year", 1 / 12),
        ("40 QPS", 30 * 24 * 3600),
        ("20 req/s", 30 * 24 * 3600),
    ],
)
def test_rate_becomes_a_monthly_factor(text: str, factor: float) -> None:
    """Each way of writing a rate gives how many of it make a month."""
    (quantity,) = find_quantities(text)
    assert per_month(quantity) == pytest.approx(factor)


@pytest.mark.parametrize(
    "text",
    [
        "2,500 venues and events, which our editors update every week",
        "2,500 venues our editors update every week",
        "18,000 approved lines from the last two games",
    ],
)
def test_no_rate_where_the_period_belongs_to_something_else(text: str) -> None:
    """A period after a comma or an update verb, or none at all, is not a volume."""
    assert per_month(find_quantities(text)[0]) is None
