"""In Slack the bot speaks only when spoken to, and a question card fills in as answers come.

End to end through signed HTTP requests, the real Bolt app and the fake Slack Web API.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator

import pytest

from bot.adapters.store.memory import MemorySessionStore
from bot.interview.offline import OfflineExtractor
from bot.service import NOT_THE_STARTER_TEXT
from tests.support.slack_flow_helpers import click, click_body, final_blocks, replies, text_of
from tests.support.slack_requests import mention, message
from tests.support.slack_server import RunningBot, running_bot

# Everything but readiness is known, so the first card asks skills, upkeep and stage.
READINESS_OPENING = (
    "We want product descriptions generated in our house template with a strict brand voice. "
    "Everything needed is in the request. Prompting scores 70% and the target is 90%. "
    "We have 5,000 labelled examples and 2M requests a month."
)
KNOWLEDGE_OPENING = "We want a Q&A assistant for our staff, about 50k questions a month."
READINESS = ("team_ml_capability", "maintenance_capacity", "project_stage")


@pytest.fixture
async def bot() -> AsyncIterator[RunningBot]:
    store = MemorySessionStore(ttl_seconds=3600)
    async with running_bot(store=store, extractor=OfflineExtractor()) as running:
        yield running


async def _start(bot: RunningBot, text: str) -> str:
    event = mention(text)
    await bot.sender.event(event)
    await bot.settled()
    return str(event["ts"])


def _asked(bot: RunningBot, thread: str) -> list[str]:
    card = text_of(final_blocks(bot, replies(bot, thread)[-1]))
    return [field for field in (*READINESS, "knowledge_volatility") if f"question:{field}" in card]


async def test_clicks_fill_the_card_in_place_and_the_last_one_moves_on(bot: RunningBot) -> None:
    """Each click updates the card; the next message comes only once every question is in."""
    thread = await _start(bot, READINESS_OPENING)
    card = replies(bot, thread)[-1]
    assert _asked(bot, thread) == list(READINESS)
    for field in READINESS[:-1]:
        await click(bot, card, f"swf_answer:{field}")
        await bot.settled()
        assert len(replies(bot, thread)) == 1
    shown = text_of(final_blocks(bot, card))
    assert shown.count(":white_check_mark:") == 2
    assert "question:project_stage" in shown
    await click(bot, card, "swf_answer:project_stage")
    await bot.settled()
    assert len(replies(bot, thread)) == 2
    assert "swf_answer" not in text_of(final_blocks(bot, card))


async def test_a_partial_typed_reply_is_acknowledged_and_only_the_rest_asked(
    bot: RunningBot,
) -> None:
    """ "managed APIs" answers one question: the reply says so and asks the other two."""
    thread = await _start(bot, READINESS_OPENING)
    await bot.sender.event(message("managed APIs", thread_ts=thread))
    await bot.settled()
    follow_up = replies(bot, thread)[-1]
    shown = text_of(final_blocks(bot, follow_up))
    assert "Got: managed fine-tuning APIs. Still open:" in shown
    assert "question:team_ml_capability" not in shown
    assert "question:maintenance_capacity" in shown and "question:project_stage" in shown
    assert "Round 1 of 3" in shown
    await bot.sender.event(message("some time, production", thread_ts=thread))
    await bot.settled()
    assert "Still open" not in replies(bot, thread)[-1].args["text"]


@pytest.mark.parametrize(
    "text",
    ["thanks!", "lgtm", ":+1:", "\U0001f44d", "<@U0BOB> can you share the eval numbers?"],
)
async def test_chatter_and_asides_get_no_reply(bot: RunningBot, text: str) -> None:
    """Thanks, lgtm, an emoji or a message to a colleague in the thread get no reply."""
    thread = await _start(bot, READINESS_OPENING)
    posted = len(bot.slack.messages)
    await bot.sender.event(message(text, thread_ts=thread))
    await bot.settled()
    assert len(bot.slack.messages) == posted


async def test_a_message_that_says_nothing_usable_gets_no_reply(bot: RunningBot) -> None:
    """A thread message without a mention that answers nothing is left alone, even after a
    recommendation (the recommendation is not posted again)."""
    thread = await _start(bot, READINESS_OPENING)
    await click(bot, replies(bot, thread)[-1], "swf_decide_now")
    await bot.settled()
    posted = len(bot.slack.messages)
    await bot.sender.event(message("let me check with the team first", thread_ts=thread))
    await bot.settled()
    assert len(bot.slack.messages) == posted


async def test_a_mention_that_says_nothing_usable_is_answered(bot: RunningBot) -> None:
    """Spoken to by name, the bot answers even when it found nothing to use."""
    thread = await _start(bot, READINESS_OPENING)
    posted = len(replies(bot, thread))
    await bot.sender.event(mention("hmm, what do you mean?", thread_ts=thread))
    await bot.settled()
    assert len(replies(bot, thread)) == posted + 1


async def test_a_follow_up_question_goes_when_its_parent_is_answered_no(bot: RunningBot) -> None:
    """ "If so: how often does it change?" leaves the card once knowledge is answered No."""
    thread = await _start(bot, KNOWLEDGE_OPENING)
    card = replies(bot, thread)[-1]
    shown = text_of(final_blocks(bot, card))
    assert "question:needs_external_knowledge" in shown and "If so" in shown
    no = next(
        index
        for index, element in enumerate(
            next(
                b
                for b in final_blocks(bot, card)
                if b.get("block_id") == "question:needs_external_knowledge"
            )["elements"]
        )
        if element["text"]["text"].lower().startswith("no")
    )
    body = click_body(bot, card, f"swf_answer:needs_external_knowledge:{no}")
    await bot.sender.send(body, form=True)
    await bot.settled()
    after = text_of(final_blocks(bot, card))
    assert "If so" not in after
    assert "question:knowledge_volatility" not in after


async def test_two_simultaneous_clicks_both_land_with_one_next_message(bot: RunningBot) -> None:
    """Two clicks at once on a two-question card: both recorded, one next message."""
    thread = await _start(bot, READINESS_OPENING)
    card = replies(bot, thread)[-1]
    await click(bot, card, "swf_answer:team_ml_capability")
    await bot.settled()
    bodies = [click_body(bot, card, f"swf_answer:{field}") for field in READINESS[1:]]
    results = await asyncio.gather(*(bot.sender.send(body, form=True) for body in bodies))
    assert [status for status, _ in results] == [200, 200]
    await bot.settled()
    assert len(replies(bot, thread)) == 2
    shown = text_of(final_blocks(bot, card))
    assert shown.count(":white_check_mark:") == 3


async def test_only_the_starter_may_start_over(bot: RunningBot) -> None:
    """Someone else saying `start over` is told privately; the interview goes on."""
    thread = await _start(bot, READINESS_OPENING)
    posted = len(replies(bot, thread))
    await bot.sender.event(mention("start over", thread_ts=thread, user="U0BOB"))
    await bot.settled()
    assert len(replies(bot, thread)) == posted
    [private] = bot.slack.of("chat.postEphemeral")
    assert private.args["user"] == "U0BOB"
    assert private.args["text"] == NOT_THE_STARTER_TEXT
    await click(bot, replies(bot, thread)[-1], "swf_answer:team_ml_capability")
    await bot.settled()
    assert ":white_check_mark:" in text_of(final_blocks(bot, replies(bot, thread)[-1]))


async def test_a_click_on_an_earlier_card_leaves_the_current_card_alone(bot: RunningBot) -> None:
    """A button left on a card whose round was answered in text answers its question, and
    that card is not redrawn as the current round."""
    thread = await _start(bot, READINESS_OPENING)
    first_card = replies(bot, thread)[-1]
    await bot.sender.event(message("managed APIs, some time, production", thread_ts=thread))
    await bot.settled()
    posted = len(replies(bot, thread))
    await click(bot, first_card, "swf_answer:team_ml_capability")
    await bot.settled()
    shown = text_of(final_blocks(bot, first_card))
    asked_there = set(re.findall(r"question:([a-z_]+)", shown))
    assert asked_there <= set(READINESS), asked_there
    assert len(replies(bot, thread)) >= posted
