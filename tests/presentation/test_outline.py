"""The outline: its sections in one order, each with the words it says when it has none."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from bot.domain.engine import decide
from bot.domain.requirements import Requirements
from bot.presentation.adr import ADR_PARTS, render_adr
from bot.presentation.figures import cost_table, usd
from bot.presentation.outline import SECTION_HEADINGS, build_outline
from bot.presentation.report import render_markdown, render_text
from tests.support import paths

CASES: list[dict[str, Any]] = [
    json.loads(line) for line in paths.DEV_JSONL.read_text().splitlines() if line
]
ORDER = list(SECTION_HEADINGS)


def _requirements(case: dict[str, Any]) -> Requirements:
    return Requirements.model_validate({**case["facts"], **case["answer_facts"]})


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_sections_come_once_each_in_the_one_order(case: dict[str, Any]) -> None:
    """Every outline lists its sections once each, in SECTION_HEADINGS order, never empty."""
    requirements = _requirements(case)
    outline = build_outline(requirements, decide(requirements))
    keys = [part.key for part in outline.sections]
    assert keys == sorted(set(keys), key=ORDER.index)
    assert {"why", "matrix", "costs", "changes"} <= set(keys)
    assert all(part.lines or part.table for part in outline.sections)


def test_the_record_frame_holds_every_section_once() -> None:
    """The ADR's parts (a record's usual frame: context first) hold every section once."""
    framed = [key for _, keys in ADR_PARTS for key in keys]
    assert sorted(framed) == sorted(ORDER)
    assert ADR_PARTS[0] == ("Context", frozenset({"assumed"}))


def test_a_section_with_nothing_says_so_in_every_format() -> None:
    """With no decisive fact and no cost figures, each format says so under the heading."""
    requirements = Requirements()
    rec = decide(requirements).model_copy(update={"what_would_change": [], "costs": {}})
    outline = build_outline(requirements, rec)
    changes = outline.section("changes")
    costs = outline.section("costs")
    assert changes is not None and changes.lines == ["nothing within the probed ranges"]
    assert costs is not None and costs.table is None
    for text in (
        render_text(requirements, rec),
        render_markdown(requirements, rec),
        render_adr(requirements, rec, decided_on=date(2026, 12, 2)),
    ):
        assert "nothing within the probed ranges" in text
        assert "No cost figures: volume and prices are unknown." in text


def test_sections_without_content_are_left_out() -> None:
    """No preconditions and nothing ruled out: neither section appears."""
    requirements = _requirements(CASES[0])
    rec = decide(requirements).model_copy(update={"preconditions": [], "infeasible": {}})
    keys = [part.key for part in build_outline(requirements, rec).sections]
    assert "before" not in keys and "ruled_out" not in keys


@pytest.mark.parametrize(
    ("amount", "words"),
    [(0, "$0"), (0.0042, "$0.0042"), (0.02, "$0.02"), (300, "$300"), (1250.4, "$1,250")],
)
def test_dollars_read_one_way(amount: float, words: str) -> None:
    """One dollar format: cents' fractions for a request, whole dollars for a month."""
    assert usd(amount) == words


def test_the_cost_table_marks_stated_costs() -> None:
    """An approach whose per-request cost the team stated says so in its row."""
    requirements = Requirements(
        requests_per_month=150_000, cost_per_request_usd=0.02, finetuned_cost_per_request_usd=0.005
    )
    rows = cost_table(decide(requirements)).rows
    assert [row[0] for row in rows if row[0].endswith("(stated)")] == [
        "Prompting (stated)",
        "Fine-tuning (stated)",
    ]
