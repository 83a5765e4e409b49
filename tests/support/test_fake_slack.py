"""The fake Slack Web API refuses what Slack refuses, so tests that rely on it can fail."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.support.fake_slack import FakeSlack, start_fake_slack
from tests.support.slack_requests import BOT_TOKEN


@pytest.fixture
async def fake() -> AsyncIterator[tuple[FakeSlack, AsyncWebClient]]:
    slack, runner = await start_fake_slack()
    yield slack, AsyncWebClient(token=BOT_TOKEN, base_url=slack.base_url + "/api/")
    await runner.cleanup()


def _section(text: str) -> dict[str, object]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


async def test_more_than_fifty_blocks_are_invalid(fake: tuple[FakeSlack, AsyncWebClient]) -> None:
    """A message of 51 blocks is refused with invalid_blocks, as Slack does."""
    _, client = fake
    with pytest.raises(SlackApiError) as refused:
        await client.chat_postMessage(channel="C1", text="t", blocks=[_section("x")] * 51)
    assert refused.value.response["error"] == "invalid_blocks"


async def test_long_section_text_is_invalid(fake: tuple[FakeSlack, AsyncWebClient]) -> None:
    """Section text over 3,000 characters is refused with invalid_blocks."""
    _, client = fake
    with pytest.raises(SlackApiError) as refused:
        await client.chat_postMessage(channel="C1", text="t", blocks=[_section("x" * 3001)])
    assert refused.value.response["error"] == "invalid_blocks"


async def test_a_message_needs_text_or_blocks(fake: tuple[FakeSlack, AsyncWebClient]) -> None:
    """An empty message is refused with no_text."""
    _, client = fake
    with pytest.raises(SlackApiError) as refused:
        # The raw call: chat_postMessage itself warns about a missing text first.
        await client.api_call("chat.postMessage", json={"channel": "C1"})
    assert refused.value.response["error"] == "no_text"


async def test_scripted_errors_apply_once_then_calls_succeed(
    fake: tuple[FakeSlack, AsyncWebClient],
) -> None:
    """`fail(...)` answers the next call with the error, and later calls normally."""
    slack, client = fake
    slack.fail("chat.postMessage", "not_in_channel")
    with pytest.raises(SlackApiError):
        await client.chat_postMessage(channel="C1", text="hi")
    posted = await client.chat_postMessage(channel="C1", text="hi")
    assert posted["ok"] is True
    assert [call.ok for call in slack.of("chat.postMessage")] == [False, True]


async def test_calls_without_a_token_are_not_authed(fake: tuple[FakeSlack, AsyncWebClient]) -> None:
    """A call without a bot token is refused and not recorded."""
    slack, _ = fake
    anonymous = AsyncWebClient(base_url=slack.base_url + "/api/")
    with pytest.raises(SlackApiError) as refused:
        await anonymous.auth_test()
    assert refused.value.response["error"] == "not_authed"
    assert slack.calls == []
