"""Replayed slash commands are claimed on their trigger id, like events on their event id."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.adapters.store.redis import RedisSessionStore
from tests.support.slack_requests import command_body
from tests.support.slack_server import KeyValueExtractor, RunningBot, running_bot


@pytest.fixture
async def bot(redis_url: str, key_prefix: str) -> AsyncIterator[RunningBot]:
    store = RedisSessionStore.from_url(redis_url, ttl_seconds=3600, key_prefix=key_prefix)
    async with running_bot(store=store, extractor=KeyValueExtractor()) as running:
        yield running


def _roots(bot: RunningBot) -> list[str]:
    """The root messages the command posted (not thread replies)."""
    return [
        str(call.answer.get("ts"))
        for call in bot.slack.of("chat.postMessage")
        if call.ok and not call.args.get("thread_ts")
    ]


async def test_a_replayed_command_starts_one_interview(bot: RunningBot) -> None:
    """The same signed command sent three times (two replays) posts one root message."""
    body = command_body("task_type=qa_over_docs", response_url=f"{bot.slack.base_url}/response/1")
    for _ in range(3):
        status, _ = await bot.sender.send(body, form=True)
        assert status == 200
    await bot.settled()
    assert len(_roots(bot)) == 1


async def test_simultaneous_replays_start_one_interview(bot: RunningBot) -> None:
    body = command_body("task_type=qa_over_docs", response_url=f"{bot.slack.base_url}/response/1")
    await asyncio.gather(*(bot.sender.send(body, form=True) for _ in range(3)))
    await bot.settled()
    assert len(_roots(bot)) == 1


async def test_two_commands_with_their_own_triggers_start_two_interviews(bot: RunningBot) -> None:
    for _ in range(2):
        body = command_body("task_type=qa_over_docs", response_url=f"{bot.slack.base_url}/r/1")
        await bot.sender.send(body, form=True)
    await bot.settled()
    assert len(_roots(bot)) == 2
