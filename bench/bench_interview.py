"""Interview benchmark: a simulated user drives `chat --jsonl` over the dev corpus (offline).

Targets (issue 3): agreement with expected or acceptable >= 90%; median question rounds <= 2.
Then one line per batch of held-out expert scenarios, driven the same way (end to end).
"""

from __future__ import annotations

import statistics
import time

from tests.support.simulated_user import HELDOUT_SCENARIO_BATCHES, load_cases, run_cases


def main() -> None:
    cases = load_cases()
    started = time.perf_counter()
    results = run_cases(cases)
    elapsed = time.perf_counter() - started
    agreeing = sum(result.agrees for result in results)
    rounds = [result.question_rounds for result in results]
    print("interview (offline extractor, simulated user over chat --jsonl)")
    print(f"  cases                      {len(results)}")
    print(
        f"  agreement with expected    {agreeing}/{len(results)} = {agreeing / len(results):.0%}"
        "  (target >= 90%)"
    )
    print(f"  median question rounds     {statistics.median(rounds):g}  (target <= 2)")
    print(f"  max question rounds        {max(rounds)}")
    print(f"  mean messages per case     {statistics.mean(r.messages for r in results):.2f}")
    print(f"  wall time                  {elapsed:.1f} s")
    right = sum(r.facts_right for r in results)
    known = sum(r.facts_known for r in results)
    stated = sum(r.facts_stated for r in results)
    print(f"  field accuracy             {right}/{known} = {right / known:.1%} of facts known")
    print(f"  stated facts recovered     {right}/{stated} = {right / stated:.1%}")
    for r in results:
        mark = "ok  " if r.agrees else "MISS"
        print(
            f"  {mark} {r.case_id}: {r.approach} (wanted {'/'.join(sorted(r.allowed))}), "
            f"rounds {r.question_rounds}, facts {r.facts_right}/{r.facts_known} right"
        )
    print_heldout_batches()


def print_heldout_batches() -> None:
    """One line per held-out batch: agreement end to end, and the cases that disagree."""
    for batch, path in HELDOUT_SCENARIO_BATCHES.items():
        results = run_cases(load_cases(path))
        agreeing = sum(result.agrees for result in results)
        misses = ", ".join(result.case_id for result in results if not result.agrees)
        print(
            f"held-out scenarios {batch} ({path.name}), end to end: "
            f"{agreeing}/{len(results)}{f'  MISS {misses}' if misses else ''}"
        )


if __name__ == "__main__":
    main()
