"""Corpus scorers for the offline extractor: descriptions, answers, public replies, held-out rows.

Shared by the tests (which hold the figures) and `bench extraction` (which prints them);
the held-out set's history is in bench/bench_extraction.py's docstring.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.domain.requirements import Requirements
from bot.interview.offline import extract_offline
from tests.support import paths

DATA = paths.DATA
DEV_CASES = DATA / "dev.jsonl"
HELDOUT_CASES = DATA / "heldout_phrasings.jsonl"
PUBLIC_REPLIES = DATA / "answers.jsonl"


def load_cases(path: Path = DEV_CASES) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def same(expected: Any, got: Any) -> bool:
    """Equal facts; numbers within a thousandth (0.8¢ is 0.008 however it was computed)."""
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected is got
    if isinstance(expected, int | float) and isinstance(got, int | float):
        return abs(expected - got) <= 1e-3 * max(1.0, abs(expected))
    return bool(expected == got)


@dataclass
class FieldScore:
    extracted: Counter[str] = field(default_factory=Counter)
    stated: Counter[str] = field(default_factory=Counter)
    correct: Counter[str] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)

    def precision(self, name: str | None = None) -> float:
        got = sum(self.extracted.values()) if name is None else self.extracted[name]
        hit = sum(self.correct.values()) if name is None else self.correct[name]
        return hit / got if got else 1.0

    def recall(self, name: str | None = None) -> float:
        want = sum(self.stated.values()) if name is None else self.stated[name]
        hit = sum(self.correct.values()) if name is None else self.correct[name]
        return hit / want if want else 1.0


def score_descriptions(cases: list[dict[str, Any]]) -> FieldScore:
    score = FieldScore()
    for case in cases:
        got = extract_offline(case["description"], known=Requirements(), asked=[]).facts
        for name, expected in case["facts"].items():
            if name == "use_case":
                continue  # a free-text summary, checked for shape in the tests, not for words
            value = got.get(name)
            if expected is not None:
                score.stated[name] += 1
            if value is None:
                continue
            score.extracted[name] += 1
            if expected is not None and same(expected, value):
                score.correct[name] += 1
            else:
                score.wrong.append(f"{case['id']} {name}: got {value!r}, want {expected!r}")
    return score


@dataclass
class AnswerScore:
    total: int = 0
    correct: int = 0
    by_field: Counter[str] = field(default_factory=Counter)
    correct_by_field: Counter[str] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)
    extra_wrong: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0


def score_answers(cases: list[dict[str, Any]]) -> AnswerScore:
    score = AnswerScore()
    for case in cases:
        known = Requirements.model_validate(
            {k: v for k, v in case["facts"].items() if v is not None}
        )
        truth = {**case["facts"], **case["answer_facts"]}
        for name, text in case["answers"].items():
            got = extract_offline(text, known=known, asked=[name]).facts
            score.total += 1
            score.by_field[name] += 1
            if same(case["answer_facts"][name], got.get(name)):
                score.correct += 1
                score.correct_by_field[name] += 1
            else:
                score.wrong.append(
                    f"{case['id']} {name}: {text!r} -> {got.get(name)!r}, "
                    f"want {case['answer_facts'][name]!r}"
                )
            for other, value in got.items():
                if other != name and other in truth and not same(truth[other], value):
                    score.extra_wrong.append(f"{case['id']} {other}: {text!r} -> {value!r}")
    return score


def score_public_replies(cases: list[dict[str, Any]]) -> FieldScore:
    """answers.jsonl (replies to the bot's questions, what-ifs included), scored like the
    held-out phrasings: every fact a reply states, and nothing it does not."""
    return score_heldout(
        [
            {"id": c["id"], "asked": c["asked"], "text": c["reply"], "facts": c["expect"]}
            for c in cases
        ]
    )


def score_heldout(cases: list[dict[str, Any]]) -> FieldScore:
    """Every fact read from each held-out message against all the facts it states."""
    score = FieldScore()
    for case in cases:
        got = extract_offline(case["text"], known=Requirements(), asked=case["asked"]).facts
        for name, expected in case["facts"].items():
            score.stated[name] += 1
            if same(expected, got.get(name)):
                score.correct[name] += 1
            else:
                score.wrong.append(f"{case['id']} {name}: got {got.get(name)!r}, want {expected!r}")
        for name, value in got.items():
            if name == "use_case":
                continue
            score.extracted[name] += 1
            if name not in case["facts"]:
                score.wrong.append(f"{case['id']} {name}: got {value!r}, not stated")
    return score


COMBINED_QUESTIONS = 3


def score_combined_answers(cases: list[dict[str, Any]]) -> AnswerScore:
    """Answers to up to three questions asked together, joined with '; ' as one message."""
    score = AnswerScore()
    for case in cases:
        names = list(case["answers"])
        for start in range(0, len(names), COMBINED_QUESTIONS):
            asked = names[start : start + COMBINED_QUESTIONS]
            text = "; ".join(case["answers"][name] for name in asked)
            got = extract_offline(text, known=Requirements(), asked=asked).facts
            for name in asked:
                score.total += 1
                score.by_field[name] += 1
                if same(case["answer_facts"][name], got.get(name)):
                    score.correct += 1
                    score.correct_by_field[name] += 1
                else:
                    score.wrong.append(f"{case['id']} {name}: {text!r} -> {got.get(name)!r}")
    return score
