"""`python -m bench claude --live` end to end against the local fake (ANTHROPIC_BASE_URL)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support import paths
from tests.support.claude_live import ANSWERS, SCENARIOS, Score, percentile, same_value
from tests.support.fake_anthropic import FakeAnthropic, FromRequest, running_fake_anthropic

KEY = "sk-ant-bench-live-test"
ROOT = paths.REPO_ROOT
EXPECTED = {
    row["reply"]: row["expect"]
    for row in (json.loads(line) for line in ANSWERS.read_text(encoding="utf-8").splitlines())
}
CASES = [json.loads(line) for line in SCENARIOS.read_text(encoding="utf-8").splitlines()]
DESCRIBED = {
    case["description"]: {k: v for k, v in case["facts"].items() if v is not None} for case in CASES
}
ANSWERED = {
    (name, text): case["answer_facts"][name]
    for case in CASES
    for name, text in case["answers"].items()
}


def _tag(text: str, tag: str) -> str:
    return text.split(f"<{tag}>\n", 1)[1].split(f"\n</{tag}>", 1)[0]


def answer_key_reader(body: dict[str, Any]) -> object:
    """A model that knows the answer keys of both corpora (a numbered reply answers the asked
    fields in order) and states nothing otherwise."""
    text = body["messages"][-1]["content"][0]["text"]
    message, asked = _tag(text, "user_message"), json.loads(_tag(text, "just_asked"))
    if message in EXPECTED:
        return EXPECTED[message]
    if message in DESCRIBED:
        return DESCRIBED[message]
    parts = [p.strip() for p in re.split(r"\d\) ", message) if p.strip()] or [message]
    return {
        name: ANSWERED[name, part]
        for name, part in zip(asked, parts, strict=False)
        if (name, part) in ANSWERED
    }


@pytest.fixture
def fake() -> Iterator[FakeAnthropic]:
    with running_fake_anthropic(api_key=KEY) as server:
        server.default = FromRequest(answer_key_reader)
        yield server


def run_bench(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bench", "claude", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), **env},
        timeout=120,
        check=False,
    )


def test_without_a_key_it_says_how_to_run_and_exits_0() -> None:
    result = run_bench("--live", env={})
    assert result.returncode == 0, result.stderr
    assert "ANTHROPIC_API_KEY=sk-ant-... ./run.sh bench claude --live" in result.stdout
    assert "Nothing was run" in result.stdout


def test_live_runs_end_to_end_against_the_fake(fake: FakeAnthropic) -> None:
    env = {"ANTHROPIC_API_KEY": KEY, "ANTHROPIC_BASE_URL": fake.base_url}
    result = run_bench("--live", "--answers", "6", "--scenarios", "2", env=env)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "estimate: about" in out
    assert "answers.jsonl (6 replies): field recall 1.00" in out
    assert "dev.jsonl (2 scenarios through the chat --jsonl loop): approach agreement" in out
    assert "approach agreement 1.00 (2/2); field recall 1.00" in out
    assert "calls per message: 1.00" in out
    assert "cache hit rate:" in out
    assert "cost per interview at pricing.json rates: $" in out
    assert "p50" in out and "p95" in out
    assert any(r.path.endswith("/count_tokens") for r in fake.requests)


def test_the_cap_stops_the_run_before_it_is_passed(fake: FakeAnthropic) -> None:
    env = {"ANTHROPIC_API_KEY": KEY, "ANTHROPIC_BASE_URL": fake.base_url}
    result = run_bench("--live", "--max-usd", "0.1", env=env)
    assert result.returncode == 0, result.stderr
    assert "stopped at the --max-usd cap" in result.stdout
    assert 0 < len(fake.messages_requests) < 20


def test_scores_count_recall_and_precision_separately() -> None:
    score = Score()
    score.add({"labelled_examples": 410, "eval_set_exists": True}, {"labelled_examples": 400})
    assert (score.expected, score.found, score.extracted, score.correct) == (1, 1, 2, 1)
    assert not same_value(True, 1)
    assert same_value(129_000, 130_000)
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.0
