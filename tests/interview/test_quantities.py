"""Numbers as written in chat: magnitudes, units, currencies, vague amounts and distractors."""

from __future__ import annotations

import pytest

from bot.interview.quantities import Unit, find_quantities


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("~50k/month", 50_000, Unit.COUNT),
        ("2M a month", 2_000_000, Unit.COUNT),
        ("1.5 cents per call", 0.015, Unit.USD),
        ("p95 under 200ms", 200, Unit.MS),
        ("a few hundred examples", 300, Unit.COUNT),
        ("6M tokens", 6_000_000, Unit.TOKENS),
        ("0.8¢ a line", 0.008, Unit.USD),
        ("a fifth of a cent per listing", 0.002, Unit.USD),
        ("half a cent per call", 0.005, Unit.USD),
        ("a penny a request", 0.01, Unit.USD),
        ("sub-100ms", 100, Unit.MS),
        ("a couple of seconds", 2000, Unit.MS),
        ("a few seconds is fine", 3000, Unit.MS),
        ("about a dozen briefs", 12, Unit.COUNT),
        ("under 1.5s", 1500, Unit.MS),
        ("<80ms", 80, Unit.MS),
        ("$6k/month", 6000, Unit.USD),
        ("$1,224 a month", 1224, Unit.USD),
        ("~$0.0012 each", 0.0012, Unit.USD),
        ("8,000", 8000, Unit.COUNT),
        ("1.5M mappings", 1_500_000, Unit.COUNT),
        ("two million requests", 2_000_000, Unit.COUNT),
        ("within 2 minutes", 120_000, Unit.MS),
        ("85%+", 85, Unit.PERCENT),
        ("a 5 point gap", 5, Unit.POINTS),
        ("-5 requests", -5, Unit.COUNT),
    ],
)
def test_reads_amount_and_unit(text: str, value: float, unit: Unit) -> None:
    """Each phrase yields one usable quantity with the stated value and unit."""
    usable = [q for q in find_quantities(text) if not q.compound and not q.ranged]
    assert len(usable) == 1
    assert usable[0].value == pytest.approx(value)
    assert usable[0].unit is unit


@pytest.mark.parametrize(
    "text",
    ["GPT-4.1", "ISO 20022", "an 8D report", "move my 3pm", "takes 6-8s", "rule 5"],
)
def test_identifiers_and_ranges_are_not_amounts(text: str) -> None:
    """Digits inside names, times of day, rule numbers and ranges are marked as labels."""
    assert all(q.compound or q.ranged for q in find_quantities(text))


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("spike that 5x", Unit.TIMES),
        ("going back 15 years", Unit.CALENDAR),
        ("feed a 1990s admin system", Unit.CALENDAR),
    ],
)
def test_multipliers_and_ages_keep_their_own_unit(text: str, unit: Unit) -> None:
    """'5x', '15 years' and a decade ('1990s') are read, but with units no fact field accepts."""
    assert [q.unit for q in find_quantities(text)] == [unit]


def test_hyphenated_modifier_is_a_label() -> None:
    """'500-line eval' names an eval's size, so the number is not a free amount."""
    (quantity,) = find_quantities("on our 500-line eval")
    assert quantity.compound


def test_after_holds_following_words() -> None:
    """The words after a number are kept for the extractor to read its meaning."""
    (quantity,) = find_quantities("We see around 8k questions a month.")
    assert quantity.after.startswith(" questions a month")


def test_a_few_hundred_is_read_once() -> None:
    """'a few hundred' is one quantity (300), not 3 and then 100."""
    assert [q.value for q in find_quantities("a few hundred engineers")] == [300]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("~5 000 examples", [5000]),
        ("3\u202f000\u202f000 tokens", [3_000_000]),
        ("20 100-page manuals", [20]),
    ],
)
def test_thousands_grouped_with_spaces(text: str, values: list[float]) -> None:
    """'5 000' is five thousand, but a count before a hyphenated size stays on its own."""
    found = [q.value for q in find_quantities(text) if not q.compound]
    assert found == values


def test_a_hyphenated_token_size_is_tokens() -> None:
    """'a 2M-token catalogue' is a token count, not a label like '28-day'."""
    [quantity] = find_quantities("a 2M-token catalogue")
    assert (quantity.value, quantity.unit, quantity.compound) == (2_000_000, Unit.TOKENS, False)


@pytest.mark.parametrize("text", ["1.000 Anfragen", "2.500.000 Tokens", "€1.000 im Monat"])
def test_dot_grouped_thousands_are_not_guessed(text: str) -> None:
    """'1.000' may be one or a thousand, so it is a label, never an amount."""
    [quantity] = find_quantities(text)
    assert quantity.compound


def test_a_small_decimal_price_is_still_an_amount() -> None:
    """'$0.005' is not taken for dot-grouped thousands."""
    [quantity] = find_quantities("$0.005")
    assert (quantity.value, quantity.compound) == (0.005, False)
