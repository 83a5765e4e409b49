"""The public replies (tests/data/answers.jsonl): each read offline exactly as labelled."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.domain.requirements import Requirements
from bot.interview.offline import extract_offline
from tests.support import paths
from tests.support.extraction_scores import same

REPLIES = paths.ANSWERS_JSONL
CASES: list[dict[str, Any]] = [
    json.loads(line) for line in REPLIES.read_text(encoding="utf-8").splitlines() if line
]


def test_the_public_replies_are_all_there() -> None:
    """The file holds its 80 replies, so the test below measures something."""
    assert len(CASES) == 80


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_each_public_reply_gives_exactly_its_facts(case: dict[str, Any]) -> None:
    """Every fact the reply states is read, with its value, and no fact it does not state."""
    got = extract_offline(case["reply"], known=Requirements(), asked=case["asked"]).facts
    got = {field: value for field, value in got.items() if field != "use_case"}
    assert set(got) == set(case["expect"]), (case["reply"], got)
    for field, value in case["expect"].items():
        assert same(value, got[field]), (case["reply"], field, got[field])
