"""The development cases of tests/data/dev.jsonl (the public scenarios; tests/data/README.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from tests.support import paths

DEV_JSONL = paths.DEV_JSONL


@dataclass(frozen=True)
class Scenario:
    id: str
    description: str
    facts: dict[str, Any]
    answers: dict[str, str]
    answer_facts: dict[str, Any]
    expected: str
    acceptable: tuple[str, ...]

    @property
    def allowed(self) -> set[str]:
        return {self.expected, *self.acceptable}

    @property
    def full_facts(self) -> dict[str, Any]:
        """`facts` merged with `answer_facts`, unknowns dropped."""
        merged = {**self.facts, **self.answer_facts}
        return {k: v for k, v in merged.items() if v is not None}


@cache
def load_scenarios() -> tuple[Scenario, ...]:
    cases = []
    for line in DEV_JSONL.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            cases.append(
                Scenario(
                    id=raw["id"],
                    description=raw["description"],
                    facts=raw["facts"],
                    answers=raw["answers"],
                    answer_facts=raw["answer_facts"],
                    expected=raw["expected"],
                    acceptable=tuple(raw["acceptable"]),
                )
            )
    return tuple(cases)
