"""The slash command through the real HTTP stack: start, help, history, and where it can't post."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator

import pytest

from bot.adapters.store.memory import MemorySessionStore
from tests.support.slack_flow_helpers import click, replies
from tests.support.slack_requests import command_body
from tests.support.slack_server import KeyValueExtractor, RunningBot, running_bot

ACK_BUDGET_SECONDS = 3.0


@pytest.fixture
async def bot() -> AsyncIterator[RunningBot]:
    async with running_bot(
        store=MemorySessionStore(ttl_seconds=3600), extractor=KeyValueExtractor()
    ) as running:
        yield running


async def command(bot: RunningBot, text: str, **kwargs: str) -> tuple[int, str, float]:
    response_url = f"{bot.slack.base_url}/response/1"
    started = time.monotonic()
    status, body = await bot.sender.send(
        command_body(text, response_url=response_url, **kwargs), form=True
    )
    return status, body, time.monotonic() - started


async def test_command_posts_a_root_message_and_interviews_in_its_thread(bot: RunningBot) -> None:
    """The command is acked within 3 s, posts a root message, and asks in its thread."""
    status, _, seconds = await command(bot, "A rules bot <!here> task_type=qa_over_docs")
    await bot.settled()
    assert status == 200
    assert seconds < ACK_BUDGET_SECONDS
    root, question = bot.slack.of("chat.postMessage")
    assert "thread_ts" not in root.args
    assert "<!here>" not in json.dumps(root.args["blocks"])
    assert "<@U0001>" not in json.dumps(root.args["blocks"])  # the root never pings its invoker
    assert question.args["thread_ts"] == root.answer["ts"]
    assert "swf_decide_now" in json.dumps(question.args["blocks"])


async def test_command_where_the_bot_is_not_a_member_says_how_to_fix_it(bot: RunningBot) -> None:
    """In a channel the bot is not in, an ephemeral reply says to /invite it."""
    bot.slack.not_in_channels.add("C0404")
    status, _, _ = await command(bot, "a use case", channel="C0404", channel_name="design")
    await bot.settled()
    assert status == 200
    [reply] = bot.slack.of("response_url")
    assert reply.args["response_type"] == "ephemeral"
    assert "/invite @should-we-finetune" in reply.args["text"]
    assert "#design" in reply.args["text"]


async def test_command_in_a_dm_the_bot_cannot_write_to_explains_where_to_go(
    bot: RunningBot,
) -> None:
    """In a DM between people, the ephemeral reply points to a channel or the App Home."""
    bot.slack.not_in_channels.add("D0042")
    await command(bot, "a use case", channel="D0042", channel_name="directmessage")
    await bot.settled()
    [reply] = bot.slack.of("response_url")
    assert "App Home" in reply.args["text"]


async def test_help_is_answered_in_the_ack(bot: RunningBot) -> None:
    """`/should-we-finetune help` answers with usage, visible only to the caller."""
    status, body, _ = await command(bot, "help")
    await bot.settled()
    assert status == 200
    answer = json.loads(body)
    assert answer["response_type"] == "ephemeral"
    assert "history" in answer["text"] or "history" in json.dumps(answer["blocks"])
    assert bot.slack.of("chat.postMessage") == []


async def test_history_lists_recent_recommendations_with_thread_links(bot: RunningBot) -> None:
    """After a decision, `history` lists it with a link to its thread."""
    await command(bot, "task_type=qa_over_docs use_case=Rules")
    await bot.settled()
    root = bot.slack.of("chat.postMessage")[0]
    await click(bot, replies(bot, root.answer["ts"])[-1], "swf_decide_now")
    await bot.settled()
    await command(bot, "history")
    await bot.settled()
    [listing] = bot.slack.of("response_url")
    text = json.dumps(listing.args["blocks"])
    assert root.answer["ts"].replace(".", "") in text
    assert "Rules" in text
