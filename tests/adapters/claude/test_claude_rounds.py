"""With Claude, a round open in part sends only its open questions, one call per message."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from bot.adapters.claude.extractor import ClaudeExtractor
from bot.adapters.store.memory import MemorySessionStore
from bot.interview.offline import OfflineExtractor
from bot.interview.replies import Questions
from bot.interview.session import SessionKey
from bot.service import InterviewService
from bot.settings import DEFAULT_ANTHROPIC_MODEL
from tests.support.fake_anthropic import FakeAnthropic, ToolUse, running_fake_anthropic
from tests.support.interview_helpers import make_interview

API_KEY = "sk-ant-rounds-key"
KEY = SessionKey(team_id="T1", channel_id="C1", thread_ts="1700000000.000100")
OPENING = {
    "task_type": "generation",
    "needs_external_knowledge": False,
    "output_format_strictness": "strict_custom",
    "style_consistency_need": "high",
    "prompt_baseline_gap_pp": 20,
    "labelled_examples": 5000,
    "requests_per_month": 2_000_000,
}


@pytest.fixture
def anthropic() -> Iterator[FakeAnthropic]:
    with running_fake_anthropic(api_key=API_KEY) as fake:
        yield fake


def _just_asked(fake: FakeAnthropic, index: int) -> list[str]:
    turn = json.dumps(fake.messages_requests[index].user_turns[-1])
    found = re.search(r"<just_asked>\\n(.*?)\\n</just_asked>", turn)
    assert found, turn[:400]
    return list(json.loads(found.group(1).replace('\\"', '"')))


async def test_a_partial_reply_is_one_call_and_the_next_sends_only_the_open_questions(
    anthropic: FakeAnthropic,
) -> None:
    """Each message is one Claude call; after a partial answer, only the open fields go."""
    extractor = ClaudeExtractor(
        api_key=API_KEY,
        model=DEFAULT_ANTHROPIC_MODEL,
        base_url=anthropic.base_url,
        fallback=OfflineExtractor(),
        timeout_seconds=5,
        max_retries=0,
    )
    service = InterviewService(
        store=MemorySessionStore(ttl_seconds=3600), extractor=extractor, interview=make_interview()
    )
    anthropic.script(ToolUse(OPENING), ToolUse({"team_ml_capability": "basic"}), ToolUse({}))
    try:
        opened = await service.start(KEY, user_id="U1", text="our product copy...")
        assert isinstance(opened.reply, Questions)
        asked = [q.field for q in opened.reply.questions]
        partial = await service.reply(KEY, user_id="U1", text="managed APIs")
        assert partial is not None and isinstance(partial.reply, Questions)
        assert partial.reply.continued
        await service.reply(KEY, user_id="U1", text="hmm")
    finally:
        await service.aclose()
    assert len(anthropic.messages_requests) == 3
    assert _just_asked(anthropic, 1) == asked
    assert _just_asked(anthropic, 2) == [f for f in asked if f != "team_ml_capability"]
