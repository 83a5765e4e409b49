"""Claude extractor benchmark against the fake Messages API (the real SDK, no network).

`--live` runs the public corpora through the real API instead: see tests/support/claude_live.py.

Figures (issue 3): LLM calls per user message (1 on the normal path); input tokens per call
by turn, which stay flat because only the known facts and the new message are sent; the
cached static prefix against what the same calls would cost uncached; calls and wall time
per message when Claude keeps failing and the offline rules answer.

Token counts are the fake's estimate (about four characters a token), so they show shape,
not exact billing. Cost weights: cache reads 0.1x, cache writes 1.25x the input price.
"""

from __future__ import annotations

import asyncio
import json
import logging
import statistics
import sys
import time
from typing import Any

from bot.adapters.claude.extractor import ClaudeExtractor
from bot.domain.requirements import Requirements
from bot.interview.offline import OfflineExtractor
from bot.settings import Settings
from tests.support import paths
from tests.support.claude_live import HOW_TO_RUN, parse_options, run_live
from tests.support.fake_anthropic import FakeAnthropic, HttpError, ToolUse, running_fake_anthropic

API_KEY = "sk-ant-bench-key"
MODEL = "claude-haiku-5-5"
DEV_CASES = paths.DEV_JSONL
CASES = 10
CACHE_READ_WEIGHT = 0.1
CACHE_WRITE_WEIGHT = 1.25
CHARS_PER_TOKEN = 4


def _conversations() -> list[list[tuple[str, dict[str, Any], list[str]]]]:
    """Per dev case: (message, facts Claude would state, fields just asked) for each turn."""
    conversations = []
    for line in DEV_CASES.read_text(encoding="utf-8").splitlines()[:CASES]:
        case = json.loads(line)
        opening = {k: v for k, v in case["facts"].items() if v is not None}
        turns: list[tuple[str, dict[str, Any], list[str]]] = [(case["description"], opening, [])]
        for field, answer in case["answers"].items():
            turns.append((answer, {field: case["answer_facts"][field]}, [field]))
        conversations.append(turns)
    return conversations


async def _run_interviews(
    fake: FakeAnthropic, claude: ClaudeExtractor
) -> dict[int, list[dict[str, int]]]:
    """Every dev conversation turn by turn; the usage of each call, keyed by turn number."""
    by_turn: dict[int, list[dict[str, int]]] = {}
    for turns in _conversations():
        known = Requirements()
        for number, (message, facts, asked) in enumerate(turns, start=1):
            fake.script(ToolUse(facts))
            before = len(fake.messages_requests)
            extraction = await claude.extract(text=message, known=known, asked=asked)
            calls = fake.messages_requests[before:]
            assert len(calls) == 1, "the normal path makes one call per message"
            known = known.merged(extraction.facts)
            usage = calls[0].usage
            assert usage is not None
            by_turn.setdefault(number, []).append(usage)
    return by_turn


def _transcript_tokens() -> dict[int, float]:
    """Tokens of every message so far: what a transcript-sending design would add per turn."""
    growth: dict[int, list[int]] = {}
    for turns in _conversations():
        seen = 0
        for number, (message, _, _) in enumerate(turns, start=1):
            seen += len(message) // CHARS_PER_TOKEN
            growth.setdefault(number, []).append(seen)
    return {turn: statistics.mean(values) for turn, values in growth.items()}


async def _normal_path() -> None:
    with running_fake_anthropic(api_key=API_KEY) as fake:
        claude = ClaudeExtractor(
            api_key=API_KEY, model=MODEL, base_url=fake.base_url, fallback=OfflineExtractor()
        )
        started = time.perf_counter()
        by_turn = await _run_interviews(fake, claude)
        elapsed = time.perf_counter() - started
        await claude.aclose()
        messages = sum(len(usages) for usages in by_turn.values())
        calls = len(fake.messages_requests)
    print(f"normal path: {messages} user messages, {calls} Claude calls")
    print(f"  LLM calls per user message: {calls / messages:.2f}")
    print(f"  mean time per message against the local fake: {1000 * elapsed / messages:.1f} ms")
    transcript = _transcript_tokens()
    print("  turn  uncached-input  cache-read  cache-write  transcript-so-far")
    for turn in sorted(by_turn):
        usages = by_turn[turn]
        print(
            f"  {turn:>4}  {statistics.mean(u['input_tokens'] for u in usages):>14.0f}"
            f"  {statistics.mean(u['cache_read_input_tokens'] for u in usages):>10.0f}"
            f"  {statistics.mean(u['cache_creation_input_tokens'] for u in usages):>11.0f}"
            f"  {transcript[turn]:>17.0f}"
        )
    all_usages = [u for usages in by_turn.values() for u in usages]
    plain = sum(u["input_tokens"] for u in all_usages)
    read = sum(u["cache_read_input_tokens"] for u in all_usages)
    write = sum(u["cache_creation_input_tokens"] for u in all_usages)
    uncached = plain + read + write
    cached = plain + CACHE_READ_WEIGHT * read + CACHE_WRITE_WEIGHT * write
    print(
        f"  input tokens per call, all counted as plain input (no caching): {uncached / calls:.0f}"
    )
    print(f"  cost-weighted input tokens per call with the prefix cached:   {cached / calls:.0f}")
    print(f"  input cost saved by caching: {100 * (1 - cached / uncached):.0f}%")


async def _long_interview(turns: int) -> None:
    """One interview of many turns that add no new facts: the input must not grow with them."""
    case = _conversations()[0]
    with running_fake_anthropic(api_key=API_KEY) as fake:
        claude = ClaudeExtractor(
            api_key=API_KEY, model=MODEL, base_url=fake.base_url, fallback=OfflineExtractor()
        )
        known = Requirements()
        transcript_chars = 0
        rows = []
        for number in range(1, turns + 1):
            message, facts, asked = case[min(number, len(case)) - 1]
            if number > len(case):
                message, facts, asked = "ok, what else do you need to know?", {}, []
            fake.script(ToolUse(facts))
            extraction = await claude.extract(text=message, known=known, asked=asked)
            known = known.merged(extraction.facts)
            transcript_chars += len(message)
            usage = fake.messages_requests[-1].usage
            assert usage is not None
            rows.append(
                (
                    number,
                    usage["input_tokens"],
                    usage["cache_read_input_tokens"],
                    transcript_chars // CHARS_PER_TOKEN,
                )
            )
        await claude.aclose()
        calls = len(fake.messages_requests)
    print(f"one interview of {turns} turns (facts stop changing after turn {len(case)}):")
    print(f"  LLM calls per user message: {calls / turns:.2f}")
    print("  turn  uncached-input  cache-read  transcript-so-far")
    for number, input_tokens, read, transcript in rows:
        if number in {1, len(case), 10, 20, turns}:
            print(f"  {number:>4}  {input_tokens:>14}  {read:>10}  {transcript:>17}")


async def _failing_path(status: int, *, max_retries: int) -> None:
    with running_fake_anthropic(api_key=API_KEY) as fake:
        fake.default = HttpError(status, retry_after_ms=None)
        claude = ClaudeExtractor(
            api_key=API_KEY,
            model=MODEL,
            base_url=fake.base_url,
            fallback=OfflineExtractor(),
            max_retries=max_retries,
        )
        started = time.perf_counter()
        extraction = await claude.extract(text="hello", known=Requirements(), asked=[])
        elapsed = time.perf_counter() - started
        await claude.aclose()
        calls = len(fake.messages_requests)
    print(
        f"HTTP {status} every time, max_retries={max_retries}: {calls} calls, "
        f"{elapsed:.2f} s to the offline answer ({extraction.fallback_reason})"
    )


async def _run() -> None:
    await _normal_path()
    await _long_interview(40)
    await _failing_path(429, max_retries=2)
    await _failing_path(529, max_retries=2)


def main(argv: list[str] | None = None) -> None:
    options = parse_options(sys.argv[1:] if argv is None else argv)
    if options.live:
        settings = Settings.from_env()
        if settings.anthropic_api_key is None:
            print(HOW_TO_RUN)
            return
    # The extractor warns on every fallback; the figures are the output here.
    logging.disable(logging.WARNING)
    try:
        asyncio.run(run_live(settings, options) if options.live else _run())
    finally:
        logging.disable(logging.NOTSET)


if __name__ == "__main__":
    main()
