"""The Slack path against the real anthropic SDK (ClaudeExtractor) and a fake Anthropic API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.adapters.claude.extractor import ClaudeExtractor
from bot.adapters.store.memory import MemorySessionStore
from bot.interview.offline import OfflineExtractor
from bot.settings import DEFAULT_ANTHROPIC_MODEL
from tests.support.fake_anthropic import FakeAnthropic, HttpError, ToolUse, running_fake_anthropic
from tests.support.slack_flow_helpers import final_blocks, replies, text_of
from tests.support.slack_requests import mention, message
from tests.support.slack_server import running_bot

API_KEY = "sk-ant-slack-flow-key"


@pytest.fixture
def anthropic() -> Iterator[FakeAnthropic]:
    with running_fake_anthropic(api_key=API_KEY) as fake:
        yield fake


def claude(fake: FakeAnthropic) -> ClaudeExtractor:
    return ClaudeExtractor(
        api_key=API_KEY,
        model=DEFAULT_ANTHROPIC_MODEL,
        base_url=fake.base_url,
        fallback=OfflineExtractor(),
        timeout_seconds=5,
        max_retries=1,
    )


async def test_claude_failing_mid_interview_falls_back_and_the_thread_says_so(
    anthropic: FakeAnthropic,
) -> None:
    """The opening is read by Claude; when Claude then answers 529 (overloaded), the reply in
    the thread still comes, read by the offline rules, and says so."""
    anthropic.script(ToolUse({"task_type": "qa_over_docs", "citations_required": True}))
    anthropic.default = HttpError(529)
    async with running_bot(
        store=MemorySessionStore(ttl_seconds=3600), extractor=claude(anthropic)
    ) as bot:
        root = mention("We want a rules assistant for our board game that cites the rulebook")
        await bot.sender.event(root)
        await bot.settled()
        [questions] = replies(bot, root["ts"])
        assert "offline rules" not in text_of(final_blocks(bot, questions))
        assert "Citations" in text_of(final_blocks(bot, questions))
        await bot.sender.event(
            message("about 8000 requests a month, two documents", thread_ts=root["ts"])
        )
        await bot.settled()
        second = replies(bot, root["ts"])[-1]
        assert second is not questions
        assert "Claude is overloaded right now, so I used my offline rules" in text_of(
            final_blocks(bot, second)
        )
    assert len(anthropic.messages_requests) >= 2
