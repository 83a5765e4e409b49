"""`doctor`'s prompt-cache checks: the prefix counted against the cache minimum, and --live."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from bot.adapters.claude.cache import cache_minimum_tokens
from bot.entrypoints.cli import build_parser
from bot.entrypoints.doctor.checklist import run_doctor
from bot.settings import DEFAULT_ANTHROPIC_MODEL, Settings
from tests.support.fake_anthropic import FakeAnthropic, running_fake_anthropic
from tests.support.fake_doctor_servers import GOOD_ANTHROPIC_KEY, FakeServices, fake_services

CACHE_LINE = "Claude prompt cache"


@pytest.fixture
def services() -> Iterator[FakeServices]:
    with fake_services() as running:
        yield running


@pytest.fixture
def anthropic_fake() -> Iterator[FakeAnthropic]:
    with running_fake_anthropic(api_key=GOOD_ANTHROPIC_KEY) as server:
        yield server


def doctor(base_url: str, *, live: bool = False, key: str | None = GOOD_ANTHROPIC_KEY) -> str:
    """Only the Claude lines matter here; Slack and Redis are left unset (their own warnings)."""
    env = {"ANTHROPIC_BASE_URL": base_url}
    if key is not None:
        env["ANTHROPIC_API_KEY"] = key
    out = io.StringIO()
    run_doctor(Settings.from_env(env), out=out, live=live)
    return out.getvalue()


def cache_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if f" {CACHE_LINE}:" in line]


def test_the_prefix_over_the_minimum_passes(services: FakeServices) -> None:
    [line] = cache_lines(doctor(services.base_url))
    minimum = cache_minimum_tokens(DEFAULT_ANTHROPIC_MODEL)
    assert line.startswith("✓")
    assert f"over the {minimum:,}-token cache minimum of {DEFAULT_ANTHROPIC_MODEL}" in line
    assert "/v1/messages/count_tokens" in services.paths


def test_a_prefix_under_the_minimum_warns_with_the_fix(services: FakeServices) -> None:
    services.prefix_tokens = 3000
    output = doctor(services.base_url)
    [line] = cache_lines(output)
    assert line.startswith("!")
    assert "3,000 tokens, under the 4,096-token cache minimum" in line
    assert "prompts/extractor_examples.yaml" in output


def test_no_key_means_no_cache_check(services: FakeServices) -> None:
    assert cache_lines(doctor(services.base_url, key=None)) == []


def test_a_count_that_fails_is_a_warning_not_a_crash(services: FakeServices) -> None:
    output = doctor(services.base_url, key="sk-ant-wrong")
    [line] = cache_lines(output)
    assert line.startswith("!")
    assert "could not count the prefix (HTTP 401)" in line


def test_live_reports_that_the_second_call_read_the_cache(anthropic_fake: FakeAnthropic) -> None:
    [prefix, live] = cache_lines(doctor(anthropic_fake.base_url, live=True))
    assert prefix.startswith("✓")
    assert live.startswith("✓")
    assert "the second call read" in live
    [first, second] = anthropic_fake.messages_requests
    assert first.usage is not None and first.usage["cache_creation_input_tokens"] > 0
    assert second.usage is not None and second.usage["cache_read_input_tokens"] > 0


def test_live_warns_when_nothing_was_cached(anthropic_fake: FakeAnthropic) -> None:
    """A model whose minimum the prefix does not reach: both calls succeed, neither caches."""
    anthropic_fake.cache_minimum = 1_000_000
    [_, live] = cache_lines(doctor(anthropic_fake.base_url, live=True))
    assert live.startswith("!")
    assert "neither call touched the cache" in live


def test_live_without_a_key_makes_no_calls(anthropic_fake: FakeAnthropic) -> None:
    [live] = cache_lines(doctor(anthropic_fake.base_url, live=True, key=None))
    assert live.startswith("!")
    assert "--live needs ANTHROPIC_API_KEY" in live
    assert anthropic_fake.requests == []


def test_the_cli_takes_live() -> None:
    assert build_parser().parse_args(["doctor", "--live"]).live is True
    assert build_parser().parse_args(["doctor"]).live is False
