"""Every development case reaches its expected (or an acceptable) approach."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.domain.engine import decide
from bot.domain.requirements import Requirements
from tests.support import paths

DEV = paths.DEV_JSONL
CASES: list[dict[str, Any]] = [json.loads(line) for line in DEV.read_text().splitlines() if line]


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_dev_case(case: dict[str, Any]) -> None:
    """The merged facts and answers decide the labelled approach."""
    requirements = Requirements.model_validate({**case["facts"], **case["answer_facts"]})
    assert decide(requirements).approach in {case["expected"], *case["acceptable"]}


def test_dev_corpus_reproduces_the_article_break_even() -> None:
    """dev-08 is the source article's example: 500 / (0.02 - 0.005) = 33,333 requests."""
    case = next(case for case in CASES if case["id"] == "dev-08")
    requirements = Requirements.model_validate({**case["facts"], **case["answer_facts"]})
    assert decide(requirements).break_even_requests == 33_333
