"""Run the benchmarks: `python -m bench` for all, `python -m bench engine store` for some.

Options after the names go to the benchmarks named: `python -m bench claude --live`."""

from __future__ import annotations

import importlib
import sys
import time

BENCHMARKS = ("engine", "extraction", "interview", "claude", "store", "slack", "home", "faults")


def main(args: list[str]) -> int:
    first_option = next((i for i, arg in enumerate(args) if arg.startswith("-")), len(args))
    names, options = args[:first_option], args[first_option:]
    chosen = names or list(BENCHMARKS)
    unknown = sorted(set(chosen) - set(BENCHMARKS))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
        return 2
    for name in chosen:
        print(f"\n=== bench {name} ===", flush=True)
        started = time.perf_counter()
        # A benchmark that takes options reads them from sys.argv, as a script would.
        sys.argv = [f"bench {name}", *options]
        importlib.import_module(f"bench.bench_{name}").main()
        print(f"(bench {name} took {time.perf_counter() - started:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
