"""`python -m bench claude --live`: the public corpora through the real Claude API.

Runs only with ANTHROPIC_API_KEY set (ANTHROPIC_BASE_URL and ANTHROPIC_MODEL are honoured,
so it also runs against the local fake). Two parts:

- every reply of `answers.jsonl` through the extractor, with the fields it answers as the
  question context: field recall and precision against the expected facts;
- every scenario of `dev.jsonl` through the `chat --jsonl` loop (the same InterviewService and
  JSON events, in this process so each call's usage and latency can be recorded): the case's
  description, then its typed answers to whatever is asked, then `decide now`; approach
  agreement with the expert verdict, and recall and precision of the facts understood.

It prints an estimate first and stops before a message could take the spend past --max-usd.
Prices come from bot/data/pricing.json (its Claude list rates), so figures are comparable
across runs rather than an invoice; a Haiku-class model costs less than those rates.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import anthropic

from bot.adapters.claude.extractor import (
    MAX_OUTPUT_TOKENS,
    VALIDATION_RETRIES,
    CallRecord,
    ClaudeExtractor,
)
from bot.adapters.claude.prompt import system_text
from bot.adapters.store.memory import MemorySessionStore
from bot.bootstrap import CLAUDE_MAX_RETRIES, CLAUDE_TIMEOUT_SECONDS, build_service
from bot.domain.pricing import ModelPrice, load_pricing
from bot.domain.recommendation import ScalarFact
from bot.domain.requirements import Requirements
from bot.entrypoints.doctor.claude import count_prefix_tokens
from bot.entrypoints.terminal.chat import reply_event
from bot.interview.extraction import Extraction
from bot.interview.offline import OfflineExtractor
from bot.interview.session import SessionKey
from bot.service import InterviewService
from bot.settings import Settings
from tests.support import paths

DATA: Final = paths.DATA
ANSWERS: Final = DATA / "answers.jsonl"
SCENARIOS: Final = DATA / "dev.jsonl"
DEFAULT_MAX_USD: Final = 2.0
# Anthropic's price for writing the 5-minute cache, relative to plain input.
CACHE_WRITE_MULTIPLIER: Final = 1.25
# A numeric fact within this share of the expected value counts as read correctly
# (30k a week is 129,000 or 130,000 a month depending on the weeks per month used).
NUMBER_TOLERANCE: Final = 0.05
MAX_ROUNDS_PER_SCENARIO: Final = 6
# For the estimate: a typical user turn and tool call, in tokens.
TYPICAL_TURN_TOKENS: Final = 350
TYPICAL_OUTPUT_TOKENS: Final = 120
TYPICAL_MESSAGES_PER_SCENARIO: Final = 4
# When count_tokens is unavailable: fewer characters a token than Claude's, so an overestimate.
FALLBACK_CHARS_PER_TOKEN: Final = 3
HOW_TO_RUN: Final = (
    "bench claude --live runs the public corpora through the real Claude API and needs a key:\n"
    "  ANTHROPIC_API_KEY=sk-ant-... ./run.sh bench claude --live [--max-usd 2]\n"
    "Nothing was run. (Without --live, `./run.sh bench claude` measures against a local fake.)"
)


def parse_options(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench claude")
    parser.add_argument("--live", action="store_true", help="use the real Claude API")
    parser.add_argument("--max-usd", type=float, default=DEFAULT_MAX_USD, help="spending cap")
    parser.add_argument("--answers", type=int, default=None, help="only the first N replies")
    parser.add_argument("--scenarios", type=int, default=None, help="only the first N cases")
    return parser.parse_args(list(argv))


def load_jsonl(path: Path, limit: int | None) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return rows if limit is None else rows[:limit]


def call_cost(record: CallRecord, price: ModelPrice) -> float:
    input_rate = price.input_usd_per_mtok / 1e6
    return (
        record.input_tokens * input_rate
        + record.cache_read_input_tokens * input_rate * price.cache_read_multiplier
        + record.cache_creation_input_tokens * input_rate * CACHE_WRITE_MULTIPLIER
        + record.output_tokens * price.output_usd_per_mtok / 1e6
    )


def same_value(got: ScalarFact, want: ScalarFact) -> bool:
    if isinstance(want, bool) or isinstance(got, bool):
        return got is want
    if isinstance(want, int | float) and isinstance(got, int | float):
        return math.isclose(got, want, rel_tol=NUMBER_TOLERANCE, abs_tol=1e-9)
    return got == want


@dataclass
class Score:
    """Facts against the expected ones (use_case is free text and is not scored)."""

    items: int = 0
    expected: int = 0
    found: int = 0
    extracted: int = 0
    correct: int = 0

    def add(self, got: dict[str, ScalarFact], want: dict[str, ScalarFact]) -> None:
        got = {k: v for k, v in got.items() if k != "use_case" and v is not None}
        want = {k: v for k, v in want.items() if k != "use_case" and v is not None}
        self.items += 1
        self.expected += len(want)
        self.extracted += len(got)
        hits = sum(k in got and same_value(got[k], v) for k, v in want.items())
        self.found += hits
        self.correct += hits

    def line(self) -> str:
        recall = self.found / self.expected if self.expected else 1.0
        precision = self.correct / self.extracted if self.extracted else 1.0
        return (
            f"field recall {recall:.2f} ({self.found}/{self.expected}), "
            f"precision {precision:.2f} ({self.correct}/{self.extracted})"
        )


@dataclass
class Run:
    """Everything measured: calls as they answered, messages, spend against the cap."""

    price: ModelPrice
    max_usd: float
    worst_message_usd: float
    calls: list[CallRecord] = field(default_factory=list)
    messages: int = 0
    fallbacks: int = 0
    stopped: bool = False

    @property
    def spent(self) -> float:
        return sum(call_cost(call, self.price) for call in self.calls)

    def may_send(self) -> bool:
        """False once one more message could take the spend past the cap."""
        if self.spent + self.worst_message_usd > self.max_usd:
            self.stopped = True
        return not self.stopped


class CountingExtractor:
    """The extractor port, counting user messages and offline fallbacks on the way through."""

    def __init__(self, inner: ClaudeExtractor, run: Run) -> None:
        self._inner = inner
        self._run = run

    async def extract(self, *, text: str, known: Requirements, asked: Sequence[str]) -> Extraction:
        self._run.messages += 1
        extraction = await self._inner.extract(text=text, known=known, asked=asked)
        if extraction.source != "claude":
            self._run.fallbacks += 1
        return extraction

    async def aclose(self) -> None:
        await self._inner.aclose()


async def run_answers(extractor: CountingExtractor, run: Run, rows: list[dict[str, Any]]) -> Score:
    score = Score()
    for row in rows:
        if not run.may_send():
            break
        extraction = await extractor.extract(
            text=row["reply"], known=Requirements(), asked=row["asked"]
        )
        score.add(extraction.facts, row["expect"])
    return score


def _answer_text(case: dict[str, Any], fields: list[str]) -> str:
    answers = [case["answers"].get(name, "not sure") for name in fields]
    if len(answers) == 1:
        return str(answers[0])
    return " ".join(f"{number}) {answer}" for number, answer in enumerate(answers, start=1))


async def run_scenario(
    service: InterviewService, run: Run, case: dict[str, Any]
) -> tuple[dict[str, Any], set[str]] | None:
    """One interview as `chat --jsonl` would run it: its final recommendation event and the
    fields asked, or None when the cap stopped it."""
    key = SessionKey(team_id="bench", channel_id="live", thread_ts=str(case["id"]))
    if not run.may_send():
        return None
    event = reply_event((await service.start(key, user_id=None, text=case["description"])).reply)
    asked: set[str] = set()
    for _ in range(MAX_ROUNDS_PER_SCENARIO):
        if event["type"] == "recommendation" or not run.may_send():
            break
        fields = list(event.get("fields", []))
        asked.update(fields)
        text = _answer_text(case, fields) if fields else "decide now"
        outcome = await service.reply(key, user_id=None, text=text)
        if outcome is None:
            return None
        event = reply_event(outcome.reply)
    if event["type"] != "recommendation":
        outcome = await service.reply(key, user_id=None, text="decide now")
        if outcome is None:
            return None
        event = reply_event(outcome.reply)
    return event, asked


async def run_scenarios(
    service: InterviewService, run: Run, cases: list[dict[str, Any]]
) -> tuple[Score, int, int, float]:
    """Fact score, cases agreeing with the expert verdict, cases run, and their Claude spend."""
    score, agreed, done = Score(), 0, 0
    spent_before = run.spent
    for case in cases:
        result = await run_scenario(service, run, case)
        if result is None:
            break
        event, asked = result
        done += 1
        approach = event["recommendation"]["approach"]
        agreed += approach == case["expected"] or approach in case.get("acceptable", [])
        want = dict(case["facts"])
        want.update({k: v for k, v in case["answer_facts"].items() if k in asked})
        score.add(event["requirements"], want)
    return score, agreed, done, run.spent - spent_before


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def print_calls(run: Run) -> None:
    calls = run.calls
    if not calls:
        print("no Claude call answered")
        return
    per_message = len(calls) / run.messages if run.messages else 0.0
    print(
        f"calls per message: {per_message:.2f} ({len(calls)} calls for {run.messages} messages; "
        f"{run.fallbacks} answered by the offline rules)"
    )
    uncached = statistics.mean(c.input_tokens for c in calls)
    read = statistics.mean(c.cache_read_input_tokens for c in calls)
    written = statistics.mean(c.cache_creation_input_tokens for c in calls)
    output = statistics.mean(c.output_tokens for c in calls)
    print(
        f"tokens per call: uncached input {uncached:.0f}, cache read {read:.0f}, "
        f"cache write {written:.0f}, output {output:.0f}"
    )
    hits = sum(c.cache_read_input_tokens > 0 for c in calls)
    print(f"cache hit rate: {hits / len(calls):.0%} of calls read the prefix from the cache")
    seconds = [c.seconds for c in calls]
    p50, p95 = percentile(seconds, 0.5), percentile(seconds, 0.95)
    print(f"latency per call: p50 {p50:.2f} s, p95 {p95:.2f} s")


async def _prefix_tokens(settings: Settings, key: str) -> int:
    """The cached prefix as the API counts it (free), or a generous local estimate."""
    async with anthropic.AsyncAnthropic(
        api_key=key, base_url=settings.anthropic_base_url, max_retries=1
    ) as client:
        try:
            return await count_prefix_tokens(client, settings.anthropic_model)
        except anthropic.APIError:
            return len(system_text()) // FALLBACK_CHARS_PER_TOKEN


async def run_live(settings: Settings, options: argparse.Namespace) -> None:
    assert settings.anthropic_api_key is not None
    key = settings.anthropic_api_key.get_secret_value()
    price = load_pricing().baseline_model
    answers = load_jsonl(ANSWERS, options.answers)
    cases = load_jsonl(SCENARIOS, options.scenarios)
    run = Run(price=price, max_usd=options.max_usd, worst_message_usd=0.0)
    claude = ClaudeExtractor(
        api_key=key,
        model=settings.anthropic_model,
        base_url=settings.anthropic_base_url,
        fallback=OfflineExtractor(),
        timeout_seconds=CLAUDE_TIMEOUT_SECONDS,
        max_retries=CLAUDE_MAX_RETRIES,
        on_call=run.calls.append,
    )
    prefix = await _prefix_tokens(settings, key)
    run.worst_message_usd = (1 + VALIDATION_RETRIES) * call_cost(
        CallRecord(prefix + 2 * TYPICAL_TURN_TOKENS, MAX_OUTPUT_TOKENS, 0, 0, 0.0), price
    )
    messages = len(answers) + TYPICAL_MESSAGES_PER_SCENARIO * len(cases)
    typical = CallRecord(TYPICAL_TURN_TOKENS, TYPICAL_OUTPUT_TOKENS, prefix, 0, 0.0)
    estimate = messages * call_cost(typical, price) + prefix * price.input_usd_per_mtok / 1e6
    print(
        f"model {settings.anthropic_model}, prefix {prefix:,} tokens, rates of "
        f"{price.name} in pricing.json (${price.input_usd_per_mtok}/${price.output_usd_per_mtok} "
        "per Mtok in/out)"
    )
    print(
        f"estimate: about {messages} messages, ${estimate:.2f} with the prefix cached; "
        f"cap --max-usd {options.max_usd:.2f}"
    )
    extractor = CountingExtractor(claude, run)
    started = time.perf_counter()
    answer_score = await run_answers(extractor, run, answers)
    print(f"answers.jsonl ({answer_score.items} replies): {answer_score.line()}")
    service = build_service(
        settings, store=MemorySessionStore(ttl_seconds=3600), extractor=extractor
    )
    scenario_score, agreed, done, scenario_usd = await run_scenarios(service, run, cases)
    await extractor.aclose()
    if done:
        print(
            f"dev.jsonl ({done} scenarios through the chat --jsonl loop): approach agreement "
            f"{agreed / done:.2f} ({agreed}/{done}); {scenario_score.line()}"
        )
        print(f"cost per interview at pricing.json rates: ${scenario_usd / done:.4f}")
    print_calls(run)
    stop = " (stopped at the --max-usd cap)" if run.stopped else ""
    print(f"spent about ${run.spent:.2f} in {time.perf_counter() - started:.0f} s{stop}")
