"""The fake Messages API itself behaves like the real one where the extractor relies on it."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from bot.adapters.claude.cache import cache_minimum_tokens
from tests.support.fake_anthropic import (
    CHARS_PER_TOKEN,
    FakeAnthropic,
    FromRequest,
    HttpError,
    ToolUse,
    running_fake_anthropic,
)

KEY = "sk-ant-fake-key"
MODEL = "claude-haiku-5-5"
# A system prompt just long enough for the model's cache minimum.
LONG_RULES = "rules " * (cache_minimum_tokens(MODEL) * CHARS_PER_TOKEN // 6 + 10)
BODY: dict[str, Any] = {
    "model": MODEL,
    "max_tokens": 64,
    "system": [{"type": "text", "text": LONG_RULES, "cache_control": {"type": "ephemeral"}}],
    "tools": [{"name": "record_facts", "input_schema": {"type": "object"}}],
    "tool_choice": {"type": "tool", "name": "record_facts"},
    "messages": [{"role": "user", "content": "hi"}],
}


@pytest.fixture
def fake() -> Iterator[FakeAnthropic]:
    with running_fake_anthropic(api_key=KEY) as server:
        yield server


def post(
    fake: FakeAnthropic,
    body: dict[str, Any],
    headers: dict[str, str],
    *,
    path: str = "/v1/messages",
) -> tuple[int, Any]:
    request = urllib.request.Request(
        f"{fake.base_url}{path}",
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def test_a_wrong_key_gets_an_authentication_error(fake: FakeAnthropic) -> None:
    """Neither header carrying the key means 401 with Anthropic's error shape."""
    status, body = post(fake, BODY, {"x-api-key": "nope"})
    assert status == 401
    assert body["error"]["type"] == "authentication_error"


def test_x_api_key_is_accepted_like_bearer(fake: FakeAnthropic) -> None:
    """Raw clients send x-api-key; the fake takes it as well as Authorization: Bearer."""
    assert post(fake, BODY, {"x-api-key": KEY})[0] == 200
    assert post(fake, BODY, {"authorization": f"Bearer {KEY}"})[0] == 200


def test_the_cached_prefix_is_created_once_then_read(fake: FakeAnthropic) -> None:
    """The same cache_control-marked prefix is a cache write first and a cache read after."""
    _, first = post(fake, BODY, {"x-api-key": KEY})
    _, second = post(fake, BODY, {"x-api-key": KEY})
    assert first["usage"]["cache_creation_input_tokens"] > 0
    assert first["usage"]["cache_read_input_tokens"] == 0
    assert (
        second["usage"]["cache_read_input_tokens"] == first["usage"]["cache_creation_input_tokens"]
    )


def test_a_prefix_under_the_model_minimum_is_silently_not_cached(fake: FakeAnthropic) -> None:
    """Like the real API: the call succeeds, and both cache fields stay 0 every time."""
    short = {**BODY, "system": [{**BODY["system"][0], "text": "rules"}]}
    for _ in range(2):
        status, answer = post(fake, short, {"x-api-key": KEY})
        assert status == 200
        assert answer["usage"]["cache_creation_input_tokens"] == 0
        assert answer["usage"]["cache_read_input_tokens"] == 0


def test_count_tokens_counts_what_the_messages_call_bills(fake: FakeAnthropic) -> None:
    """count_tokens answers the input tokens a call would use, cached or not."""
    status, counted = post(fake, BODY, {"x-api-key": KEY}, path="/v1/messages/count_tokens")
    _, answer = post(fake, BODY, {"x-api-key": KEY})
    usage = answer["usage"]
    billed = usage["input_tokens"] + usage["cache_creation_input_tokens"]
    assert (status, counted["input_tokens"]) == (200, billed)
    assert counted["input_tokens"] >= cache_minimum_tokens(MODEL)


def test_count_tokens_needs_the_key(fake: FakeAnthropic) -> None:
    status, answer = post(fake, BODY, {"x-api-key": "nope"}, path="/v1/messages/count_tokens")
    assert (status, answer["error"]["type"]) == (401, "authentication_error")


def test_a_reply_can_be_computed_from_the_request(fake: FakeAnthropic) -> None:
    """FromRequest lets a test play a model that reads the request (answers part of it, say)."""
    fake.script(FromRequest(lambda body: {"echo": body["messages"][0]["content"]}))
    _, answer = post(fake, BODY, {"x-api-key": KEY})
    assert answer["content"][0]["input"] == {"echo": "hi"}
    assert answer["stop_reason"] == "tool_use"


def test_without_cache_control_nothing_is_cached(fake: FakeAnthropic) -> None:
    """Unmarked prefixes are billed as plain input every time."""
    body = {**BODY, "system": LONG_RULES}
    post(fake, body, {"x-api-key": KEY})
    _, again = post(fake, body, {"x-api-key": KEY})
    assert again["usage"]["cache_read_input_tokens"] == 0


def test_scripted_behaviours_come_in_order(fake: FakeAnthropic) -> None:
    """The queue answers first, then the default."""
    fake.script(HttpError(529), ToolUse({"labelled_examples": 3}))
    assert post(fake, BODY, {"x-api-key": KEY})[0] == 529
    status, body = post(fake, BODY, {"x-api-key": KEY})
    assert (status, body["content"][0]["input"]) == (200, {"labelled_examples": 3})
    assert post(fake, BODY, {"x-api-key": KEY})[1]["content"][0]["input"] == {}


def test_a_tool_result_without_its_tool_use_is_a_bad_request(fake: FakeAnthropic) -> None:
    """Like the real API, an orphan tool_result is rejected with 400."""
    orphan = {"type": "tool_result", "tool_use_id": "toolu_x", "content": "err"}
    body = {**BODY, "messages": [{"role": "user", "content": [orphan]}]}
    status, answer = post(fake, body, {"x-api-key": KEY})
    assert status == 400
    assert "tool_result" in answer["error"]["message"]
