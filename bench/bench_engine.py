"""Engine benchmark: decisions per second on the dev corpus, `decide` start-up cost, and
how well confidence is calibrated on the public corpus.

Run: `python -m bench engine`. Targets: decide() with what_would_change at 2,000/s or more
on one core; a whole `decide` process at most 0.5 s over `python -c pass`; correct verdicts
more confident on average than wrong ones (calibration, reported for two views: the facts
after the interview's answers, and the opening message's facts alone); agreement on the
held-out scenarios (tests/data/heldout_scenarios.jsonl, heldout_scenarios_2.jsonl and
heldout_scenarios_3.jsonl), both views per batch, on one line.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bot.domain.engine import decide, decide_approach
from bot.domain.pricing import load_pricing
from bot.domain.requirements import Requirements

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "data" / "dev.jsonl"
# Each held-out batch with its blind agreement (with answers, from the opening facts), measured
# once before it guided any fix; the line prints today's figures beside them.
HELDOUT_BATCHES = (
    (ROOT / "tests" / "data" / "heldout_scenarios.jsonl", "34/36 and 34/36"),
    (ROOT / "tests" / "data" / "heldout_scenarios_2.jsonl", "39/40 and 39/40"),
    (ROOT / "tests" / "data" / "heldout_scenarios_3.jsonl", "29/30 and 29/30"),
)
EXAMPLE = ROOT / "examples" / "support-assistant.yaml"
TARGET_DECISIONS_PER_S = 2_000
TARGET_STARTUP_OVERHEAD_S = 0.5
MEASURE_S = 3.0
PROCESS_RUNS = 9


def load_cases(path: Path = DEV) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def heldout_agreement(path: Path, *, with_answers: bool) -> tuple[int, int]:
    """(agreeing, cases) on one held-out batch: expected or an acceptable label."""
    cases = load_cases(path)
    agreeing = 0
    for case in cases:
        facts = {**case["facts"], **case["answer_facts"]} if with_answers else case["facts"]
        approach = decide(Requirements.model_validate(facts)).approach
        agreeing += approach in {case["expected"], *case["acceptable"]}
    return agreeing, len(cases)


def load_corpus() -> list[Requirements]:
    return [Requirements.model_validate({**c["facts"], **c["answer_facts"]}) for c in load_cases()]


def calibration(*, with_answers: bool) -> tuple[int, float | None, int, float | None]:
    """(correct, their mean confidence, wrong, their mean confidence) over the dev corpus."""
    right: list[float] = []
    wrong: list[float] = []
    for case in load_cases():
        facts = {**case["facts"], **case["answer_facts"]} if with_answers else case["facts"]
        recommendation = decide(Requirements.model_validate(facts))
        allowed = {case["expected"], *case["acceptable"]}
        (right if recommendation.approach in allowed else wrong).append(recommendation.confidence)
    return (
        len(right),
        statistics.fmean(right) if right else None,
        len(wrong),
        statistics.fmean(wrong) if wrong else None,
    )


def _mean(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def rate(corpus: list[Requirements], *, full: bool) -> float:
    """Decisions per second over the corpus, repeated for MEASURE_S seconds."""
    pricing = load_pricing()
    run = decide if full else decide_approach
    done = 0
    started = time.perf_counter()
    while (elapsed := time.perf_counter() - started) < MEASURE_S:
        for requirements in corpus:
            run(requirements, pricing)
        done += len(corpus)
    return done / elapsed


def process_seconds(args: list[str]) -> float:
    """Median wall time of a fresh Python process running `args`."""
    times = []
    for _ in range(PROCESS_RUNS):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, *args], cwd=ROOT, check=True, capture_output=True, timeout=60
        )
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    corpus = load_corpus()
    decide(corpus[0])  # warm the price list and pydantic's validators
    full = rate(corpus, full=True)
    approach_only = rate(corpus, full=False)
    print(f"decide() incl. what_would_change: {full:,.0f}/s on one core", end="")
    print(f" (target >= {TARGET_DECISIONS_PER_S:,}/s: {'ok' if full >= 2000 else 'MISSED'})")
    print(f"decide_approach() only: {approach_only:,.0f}/s")

    for label, with_answers in (("facts + answers", True), ("opening facts alone", False)):
        right, right_mean, wrong, wrong_mean = calibration(with_answers=with_answers)
        print(
            f"confidence calibration ({label}): {right} correct, mean {_mean(right_mean)}; "
            f"{wrong} wrong, mean {_mean(wrong_mean)}"
        )

    batches = []
    for number, (path, blind) in enumerate(HELDOUT_BATCHES, start=1):
        answered, total = heldout_agreement(path, with_answers=True)
        opening, _ = heldout_agreement(path, with_answers=False)
        batches.append(
            f"batch {number} {answered}/{total} with answers, {opening}/{total} from the "
            f"opening facts (blind: {blind})"
        )
    print("held-out agreement: " + "; ".join(batches))

    bare = process_seconds(["-c", "pass"])
    command = process_seconds(["-m", "bot", "decide", str(EXAMPLE), "--format", "json"])
    overhead = command - bare
    verdict = "ok" if overhead <= TARGET_STARTUP_OVERHEAD_S else "MISSED"
    print(f"python -c pass: {bare * 1000:.0f} ms; decide process: {command * 1000:.0f} ms")
    print(
        f"decide start-up over bare python: {overhead * 1000:.0f} ms, ratio {command / bare:.1f}x "
        f"(target <= {TARGET_STARTUP_OVERHEAD_S * 1000:.0f} ms: {verdict})"
    )


if __name__ == "__main__":
    main()
