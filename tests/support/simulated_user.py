"""A simulated user for the dev corpus: opens with the description, answers each question
from the case's `answers` (or "not sure"), and never says more than it is asked.

Shared by the interview benchmark and the tests that hold the interview to its targets.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support import paths

NOT_SURE = "not sure"
# Answers to several questions asked in one round go in one message, one per line in
# Slack; in the JSONL terminal each message is one line, so they are joined with "; ".
ANSWER_SEPARATOR = "; "
MAX_TURNS = 8
REPO_ROOT = paths.REPO_ROOT
DEV_JSONL = REPO_ROOT / "tests" / "data" / "dev.jsonl"
# The held-out expert scenarios, each batch with the same keys as dev.jsonl: never tuned on.
HELDOUT_SCENARIO_BATCHES = {
    "batch 1": paths.DATA / "heldout_scenarios.jsonl",
    "batch 2": paths.DATA / "heldout_scenarios_2.jsonl",
    "batch 3": paths.DATA / "heldout_scenarios_3.jsonl",
}
WORKERS = 2  # the machine's cores: each case is one `chat --jsonl` subprocess


@dataclass(frozen=True)
class CaseResult:
    case_id: str
    approach: str | None
    allowed: frozenset[str]
    question_rounds: int
    messages: int
    session_bytes: int = 0  # the stored session's JSON at the end (in-process runs only)
    # Facts the case states (description and answers) that the final requirements hold
    # with the right value, and how many of the final requirements' facts are such facts.
    facts_right: int = 0
    facts_stated: int = 0
    facts_known: int = 0

    @property
    def agrees(self) -> bool:
        return self.approach in self.allowed

    @property
    def field_accuracy(self) -> float:
        """Of the facts the case states and the interview ended up knowing, the share right."""
        return self.facts_right / self.facts_known if self.facts_known else 1.0


def score_facts(case: dict[str, Any], requirements: dict[str, Any]) -> tuple[int, int, int]:
    """(right, stated, known): the final requirements against the case's stated facts."""
    truth = {**case["facts"], **case.get("answer_facts", {})}
    truth = {k: v for k, v in truth.items() if v is not None and k != "use_case"}
    known = [k for k in truth if requirements.get(k) is not None]
    right = [k for k in known if _same(truth[k], requirements[k])]
    return len(right), len(truth), len(known)


def fact_scores(case: dict[str, Any], requirements: dict[str, Any]) -> dict[str, int]:
    right, stated, known = score_facts(case, requirements)
    return {"facts_right": right, "facts_stated": stated, "facts_known": known}


def _same(expected: Any, got: Any) -> bool:
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected is got
    if isinstance(expected, int | float) and isinstance(got, int | float):
        return abs(expected - got) <= 1e-3 * max(1.0, abs(expected))
    return bool(expected == got)


def load_cases(path: Path = DEV_JSONL) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def run_cases(cases: list[dict[str, Any]]) -> list[CaseResult]:
    """`run_case` over every case, `WORKERS` at a time, in the cases' order."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(run_case, cases))


def answer_for(case: dict[str, Any], fields: list[str]) -> str:
    answers: dict[str, str] = case["answers"]
    return ANSWER_SEPARATOR.join(answers.get(field, NOT_SURE) for field in fields)


async def run_case_in_process(case: dict[str, Any]) -> CaseResult:
    """The same conversation as `run_case`, through the same service and events, without a
    subprocess (for tests: fast, and the offline defaults of the terminal)."""
    from bot.bootstrap import build_service  # noqa: PLC0415
    from bot.entrypoints.terminal.chat import reply_event  # noqa: PLC0415
    from bot.interview.session import SessionKey  # noqa: PLC0415
    from bot.settings import Settings  # noqa: PLC0415

    service = build_service(Settings.from_env({}))
    # Ids as long as Slack's, so the session sizes below are what Redis would hold.
    key = SessionKey(team_id="T0123456789", channel_id="C0123456789", thread_ts="1700000000.000100")
    messages = 0
    rounds: set[int] = set()  # a round asked again in part (still open questions) counts once
    approach: str | None = None
    facts: dict[str, Any] = {}
    message = case["description"]
    while messages < MAX_TURNS:
        messages += 1
        outcome = (
            await service.start(key, user_id=None, text=message)
            if messages == 1
            else await service.reply(key, user_id=None, text=message)
        )
        assert outcome is not None
        event = reply_event(outcome.reply)
        if event["type"] == "recommendation":
            approach = event["recommendation"]["approach"]
            facts = event["requirements"]
            break
        if event["fields"]:
            rounds.add(event["round"])
            message = answer_for(case, event["fields"])
        else:
            message = "decide now"
    return CaseResult(
        case_id=case["id"],
        approach=approach,
        allowed=frozenset([case["expected"], *case["acceptable"]]),
        question_rounds=len(rounds),
        messages=messages,
        session_bytes=len(outcome.session.model_dump_json()) if outcome.session else 0,
        **fact_scores(case, facts),
    )


def run_case(case: dict[str, Any], *, env: dict[str, str] | None = None) -> CaseResult:
    """Drive `should-we-finetune chat --jsonl` in a subprocess through one case."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat", "--jsonl"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        cwd=REPO_ROOT,
        env=env if env is not None else offline_env(),
    )
    assert process.stdin is not None and process.stdout is not None
    rounds: set[int] = set()
    messages = 0
    approach: str | None = None
    facts: dict[str, Any] = {}
    message = case["description"]
    try:
        while messages < MAX_TURNS:
            process.stdin.write(message.replace("\n", " ") + "\n")
            process.stdin.flush()
            messages += 1
            event = json.loads(process.stdout.readline())
            if event["type"] == "recommendation":
                approach = event["recommendation"]["approach"]
                facts = event["requirements"]
                break
            if event["type"] == "question" and event["fields"]:
                rounds.add(event["round"])
                message = answer_for(case, event["fields"])
            else:
                message = "decide now"
    finally:
        process.stdin.close()
        process.wait(timeout=30)
        process.stdout.close()
    return CaseResult(
        case_id=case["id"],
        approach=approach,
        allowed=frozenset([case["expected"], *case["acceptable"]]),
        question_rounds=len(rounds),
        messages=messages,
        **fact_scores(case, facts),
    )


def offline_env() -> dict[str, str]:
    """The environment of the embedded defaults: no Claude key, no Redis, no Slack."""
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "SYSTEMROOT", "TMPDIR"}
    return {name: value for name, value in os.environ.items() if name in keep}
