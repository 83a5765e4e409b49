"""The worked examples in the cached prefix: valid against the tool, and big enough to cache."""

from __future__ import annotations

import re
from collections.abc import Iterator

import anthropic
import jsonschema
import pytest

from bot.adapters.claude.cache import cache_minimum_tokens
from bot.adapters.claude.prompt import (
    EXAMPLES_FILE,
    WorkedExample,
    load_examples,
    parse_examples,
    system_blocks,
    system_text,
    tools,
)
from bot.adapters.claude.tool import read_tool_input, strict_mode_fits, tool_input_schema
from bot.domain.requirements import FIELD_NAMES, Requirements
from bot.interview.amounts import TOKENS_PER_PAGE
from bot.settings import DEFAULT_ANTHROPIC_MODEL
from tests.support.fake_anthropic import FakeAnthropic, running_fake_anthropic

KEY = "sk-ant-examples-test"
EXAMPLES = load_examples()
# Room above the minimum, so a small edit to the prompt doesn't silently drop the cache.
CACHE_MARGIN = 1.1


@pytest.fixture
def fake() -> Iterator[FakeAnthropic]:
    with running_fake_anthropic(api_key=KEY) as server:
        yield server


def example_id(example: WorkedExample) -> str:
    return example.message[:40]


def test_there_are_15_to_30_examples() -> None:
    assert 15 <= len(EXAMPLES) <= 30


@pytest.mark.parametrize("example", EXAMPLES, ids=example_id)
def test_each_call_is_valid_for_the_tool_schema(example: WorkedExample) -> None:
    """The call validates against the JSON schema Claude is given, and survives reading
    untouched: no value rejected, none dropped, every listed field a real one."""
    jsonschema.validate(example.call, tool_input_schema())
    reading = read_tool_input(example.call)
    assert not (reading.rejected or reading.type_errors or reading.dropped_keys)
    facts = {k: v for k, v in example.call.items() if k not in ("corrected", "unknown", "inferred")}
    assert reading.facts == facts
    assert reading.inferred == example.call.get("inferred", [])
    assert reading.corrected == example.call.get("corrected", [])
    assert reading.unknown == example.call.get("unknown", [])


@pytest.mark.parametrize("example", EXAMPLES, ids=example_id)
def test_each_context_is_a_real_question_context(example: WorkedExample) -> None:
    """Known facts are valid Requirements, asked fields exist, and a correction changes a
    known fact."""
    Requirements.model_validate(example.known)
    assert set(example.asked) <= set(FIELD_NAMES)
    for field in example.call.get("corrected", []):
        assert field in example.known
        assert example.known[field] != example.call[field]


def test_the_examples_cover_the_hard_phrasings() -> None:
    """Numbered replies, partial answers, corrections, inferences and unknowns all appear."""
    calls = [example.call for example in EXAMPLES]
    assert any(re.match(r"\s*1[.)]", example.message) for example in EXAMPLES)
    assert any("corrected" in call for call in calls)
    assert any("inferred" in call for call in calls)
    assert any("unknown" in call for call in calls)
    assert any(call == {} for call in calls)
    assert any("prompt_baseline_gap_pp" in call for call in calls)


def test_the_page_conversion_uses_the_shared_constant() -> None:
    """One page-to-token constant: the prompt states it and the pages example applies it."""
    text = system_text()
    assert f"1 page ≈ {TOKENS_PER_PAGE} tokens" in text
    assert "{tokens_per_page}" not in text
    pages = next(example for example in EXAMPLES if "pages" in example.message)
    count = int(re.search(r"(\d+) pages", pages.message).group(1))  # type: ignore[union-attr]
    assert pages.call["kb_size_tokens"] == count * TOKENS_PER_PAGE


def test_every_example_is_in_the_cached_system_block() -> None:
    [block] = system_blocks()
    assert block["cache_control"] == {"type": "ephemeral"}
    for example in EXAMPLES:
        assert f"<user_message>{example.message}</user_message>" in block["text"]


def test_a_malformed_example_names_its_number() -> None:
    with pytest.raises(ValueError, match=rf"{EXAMPLES_FILE}: example 2 is malformed"):
        parse_examples([EXAMPLES[0].__dict__, {"why": "no call"}])


def test_strict_mode_is_off_for_a_schema_over_its_limits() -> None:
    """Every fact is optional and nullable, over strict mode's documented limits; a small
    schema within them fits, and the tool is sent without `strict`."""
    assert not strict_mode_fits(tool_input_schema())
    small = {"type": "object", "properties": {"labelled_examples": {"type": "integer"}}}
    assert strict_mode_fits(small)
    assert "strict" not in tools()[0]


async def test_the_prefix_is_over_the_default_model_cache_minimum(fake: FakeAnthropic) -> None:
    """Counted the way the API counts (count_tokens, through the real SDK), the static prefix
    clears the default model's cache minimum with a margin."""
    async with anthropic.AsyncAnthropic(api_key=KEY, base_url=fake.base_url) as client:
        message: list[anthropic.types.MessageParam] = [{"role": "user", "content": "x"}]
        with_prefix = await client.messages.count_tokens(
            model=DEFAULT_ANTHROPIC_MODEL,
            system=system_blocks(),
            tools=tools(),
            messages=message,
        )
        alone = await client.messages.count_tokens(model=DEFAULT_ANTHROPIC_MODEL, messages=message)
    prefix = with_prefix.input_tokens - alone.input_tokens
    assert prefix >= CACHE_MARGIN * cache_minimum_tokens(DEFAULT_ANTHROPIC_MODEL)
