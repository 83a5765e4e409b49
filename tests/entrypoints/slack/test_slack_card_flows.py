"""The recommendation card end to end: signed requests in, the fake Slack's record out.

One full card per thread: what-ifs and edits rewrite it in place and add a short delta;
clicks on an outdated card are answered to the clicker alone; details, the chart, the
decision record and share go through views, the files API and the channel.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.adapters.store.memory import MemorySessionStore
from bot.entrypoints.slack.card_handlers import OUTDATED_TEXT
from bot.entrypoints.slack.delta import DELTA_MAX_CHARS
from tests.support.fake_slack import Call
from tests.support.slack_flow_helpers import click, final_blocks, replies, submit_modal, text_of
from tests.support.slack_requests import command_body, mention, message, view_action_body
from tests.support.slack_server import KeyValueExtractor, RunningBot, running_bot

OPENING = "We want a rules assistant for our game task_type=qa_over_docs requests_per_month=8000"


@pytest.fixture
async def bot() -> AsyncIterator[RunningBot]:
    async with running_bot(
        store=MemorySessionStore(ttl_seconds=3600), extractor=KeyValueExtractor()
    ) as running:
        yield running


async def decided(bot: RunningBot) -> tuple[str, Call]:
    """A thread with a recommendation card in it (via Decide now)."""
    event = mention(OPENING)
    await bot.sender.event(event)
    await bot.settled()
    thread = str(event["ts"])
    await click(bot, replies(bot, thread)[-1], "swf_decide_now")
    await bot.settled()
    card = replies(bot, thread)[-1]
    assert card.args["text"].startswith("Recommendation:")
    return thread, card


def cards(bot: RunningBot, thread: str) -> list[Call]:
    """Messages in the thread that are (or became) a full card with buttons."""
    return [
        call for call in replies(bot, thread) if "swf_details" in text_of(final_blocks(bot, call))
    ]


def last_view(bot: RunningBot, method: str = "views.open") -> dict[str, Any]:
    return dict(bot.slack.of(method)[-1].args["view"])


async def click_in_view(bot: RunningBot, view: dict[str, Any], action_id_prefix: str) -> None:
    """Press the first button in `view` whose action id starts with the prefix."""
    for block in view["blocks"]:
        candidates = [*block.get("elements", []), block.get("accessory") or {}]
        for element in candidates:
            if str(element.get("action_id", "")).startswith(action_id_prefix):
                action = {
                    "action_id": element["action_id"],
                    "type": "button",
                    "value": element.get("value", ""),
                    "text": element["text"],
                }
                status, _ = await bot.sender.send(
                    view_action_body(view=view, action=action), form=True
                )
                assert status == 200
                await bot.settled()
                return
    raise AssertionError(f"no {action_id_prefix} in the view")


async def test_a_what_if_and_an_edit_leave_one_card_and_two_deltas(bot: RunningBot) -> None:
    """A one-click what-if and an edit rewrite the card in place; each adds one short delta."""
    thread, card = await decided(bot)
    before = len(replies(bot, thread))
    await click(bot, card, "swf_what_if")
    await bot.settled()
    await click_in_view(bot, last_view(bot), "swf_try:")
    await click(bot, card, "swf_edit_answers")
    await bot.settled()
    await submit_modal(
        bot,
        last_view(bot),
        {"fact:requests_per_month": {"type": "number_input", "value": "5000000"}},
    )
    await bot.settled()
    assert cards(bot, thread) == [card]
    deltas = replies(bot, thread)[before:]
    assert len(deltas) == 2
    for delta in deltas:
        assert len(delta.args["text"]) <= DELTA_MAX_CHARS
        assert "(by <@U0001>)" in delta.args["text"]
    assert "→ 5M" in deltas[1].args["text"]
    updates = [u for u in bot.slack.of("chat.update") if u.args["ts"] == card.answer["ts"]]
    assert len(updates) == 2
    assert bot.slack.of("views.update"), "the what-if view says the change was applied"


async def test_a_click_on_an_outdated_card_is_answered_privately(bot: RunningBot) -> None:
    """After a new card, the old one's buttons answer the clicker alone and are taken away."""
    thread, old = await decided(bot)
    await bot.sender.event(message("start over", thread_ts=thread))
    await bot.settled()
    await bot.sender.event(message("decide now", thread_ts=thread))
    await bot.settled()
    assert cards(bot, thread)[-1] is not old
    posted = len(replies(bot, thread))
    await click(bot, old, "swf_details")
    await bot.settled()
    [notice] = bot.slack.of("chat.postEphemeral")
    assert notice.args["text"] == OUTDATED_TEXT
    assert notice.args["user"] == "U0001"
    assert len(replies(bot, thread)) == posted
    assert bot.slack.of("views.open") == []
    assert "swf_details" not in text_of(final_blocks(bot, old))
    assert "Superseded" in text_of(final_blocks(bot, old))


async def test_a_what_if_typed_in_the_thread_updates_the_card(bot: RunningBot) -> None:
    """A changed fact typed in the thread rewrites the card and replies with the delta."""
    thread, card = await decided(bot)
    before = len(replies(bot, thread))
    await bot.sender.event(message("requests_per_month=5000000", thread_ts=thread))
    await bot.settled()
    assert cards(bot, thread) == [card]
    [delta] = replies(bot, thread)[before:]
    assert delta.args["text"].startswith("Requests a month 8,000 → 5M (by <@U0001>)")
    assert len(delta.args["text"]) <= DELTA_MAX_CHARS


async def test_details_open_a_view_and_push_more(bot: RunningBot) -> None:
    """Details opens the matrix and costs; its button pushes assumptions, risks and steps."""
    _, card = await decided(bot)
    await click(bot, card, "swf_details")
    await bot.settled()
    details = last_view(bot)
    assert "Decision matrix" in text_of(details["blocks"])
    await click_in_view(bot, details, "swf_more_details")
    pushed = last_view(bot, "views.push")
    assert "Next steps" in text_of(pushed["blocks"])


async def test_the_cost_chart_is_uploaded_through_the_files_api(bot: RunningBot) -> None:
    """The chart goes up with getUploadURLExternal, the upload URL and completeUploadExternal,
    into the thread, with alt text."""
    thread, card = await decided(bot)
    await click(bot, card, "swf_details")
    await bot.settled()
    await click_in_view(bot, last_view(bot), "swf_chart")
    [url] = bot.slack.of("files.getUploadURLExternal")
    assert url.args["filename"] == "cost-chart.png"
    assert "Monthly cost against monthly volume" in url.args["alt_txt"]
    [upload] = bot.slack.of("upload")
    assert bot.slack.uploads[upload.args["file_id"]][:8] == b"\x89PNG\r\n\x1a\n"
    [complete] = bot.slack.of("files.completeUploadExternal")
    assert complete.ok
    assert complete.args["thread_ts"] == thread


async def test_the_decision_record_is_exported_as_markdown(bot: RunningBot) -> None:
    """Export uploads the ADR into the thread."""
    thread, card = await decided(bot)
    await click(bot, card, "swf_details")
    await bot.settled()
    await click_in_view(bot, last_view(bot), "swf_export")
    [upload] = bot.slack.of("upload")
    record = bot.slack.uploads[upload.args["file_id"]].decode()
    assert record.startswith("# ADR: ")
    assert "## Alternatives considered" in record
    [complete] = bot.slack.of("files.completeUploadExternal")
    assert complete.args["thread_ts"] == thread


async def test_share_posts_a_linked_summary_once(bot: RunningBot) -> None:
    """Share posts a compact summary in the channel linking to the thread, once per card."""
    _, card = await decided(bot)
    await click(bot, card, "swf_share")
    await click(bot, card, "swf_share")
    await bot.settled()
    shared = [c for c in bot.slack.of("chat.postMessage") if "thread_ts" not in c.args]
    shared = [c for c in shared if "Open the thread" in text_of(c.args["blocks"])]
    assert len(shared) == 1
    assert card.answer["ts"].replace(".", "") in text_of(shared[0].args["blocks"])
    assert [n.args["text"] for n in bot.slack.of("chat.postEphemeral")] == [
        "Shared in the channel."
    ]


async def test_why_not_is_answered_from_the_scores(bot: RunningBot) -> None:
    """ "why not RAG?" in the thread gets a short answer, not a new interview turn."""
    thread, _ = await decided(bot)
    await bot.sender.event(message("why not RAG?", thread_ts=thread))
    await bot.settled()
    answer = replies(bot, thread)[-1].args["text"]
    assert answer.startswith("Why not RAG?")
    assert "decision matrix" in answer


async def test_an_empty_command_answers_privately_and_posts_nothing(bot: RunningBot) -> None:
    """`/should-we-finetune` alone gets usage in an ephemeral ack; nothing lands in the channel."""
    status, body = await bot.sender.send(
        command_body("", response_url=f"{bot.slack.base_url}/response/1"), form=True
    )
    await bot.settled()
    assert status == 200
    assert json.loads(body)["response_type"] == "ephemeral"
    assert bot.slack.of("chat.postMessage") == []


async def test_details_asked_for_in_the_thread_come_as_one_message(bot: RunningBot) -> None:
    """Saying `details` in the thread posts them as one message with Slack's native table."""
    thread, _ = await decided(bot)
    before = len(replies(bot, thread))
    await bot.sender.event(message("details", thread_ts=thread))
    await bot.settled()
    [details] = replies(bot, thread)[before:]
    types = [block["type"] for block in details.args["blocks"]]
    assert types.count("table") == 1
    assert "Prompting + fine-tuning" in text_of(details.args["blocks"])
    assert "swf_details" not in text_of(details.args["blocks"])


async def test_post_in_thread_from_the_details_view(bot: RunningBot) -> None:
    """The details view's *Post in thread* posts the same one message in the thread."""
    thread, card = await decided(bot)
    await click(bot, card, "swf_details")
    await bot.settled()
    before = len(replies(bot, thread))
    await click_in_view(bot, last_view(bot), "swf_details_in_thread")
    [details] = replies(bot, thread)[before:]
    assert details.args["text"].startswith("Details of the recommendation")


async def test_decide_now_on_an_old_question_does_not_repost_the_card(bot: RunningBot) -> None:
    """Once decided, *Decide now* on the earlier questions answers the clicker alone."""
    event = mention(OPENING)
    await bot.sender.event(event)
    await bot.settled()
    thread = str(event["ts"])
    questions = replies(bot, thread)[0]
    await bot.sender.event(message("decide now", thread_ts=thread))
    await bot.settled()
    assert len(cards(bot, thread)) == 1
    posted = len(replies(bot, thread))
    status, _ = await click(bot, questions, "swf_decide_now")
    assert status == 200
    await bot.settled()
    assert len(replies(bot, thread)) == posted
    [notice] = bot.slack.of("chat.postEphemeral")
    assert "already has its recommendation" in notice.args["text"]


async def test_a_card_that_cannot_be_updated_is_replaced_and_points_to_the_new_one(
    bot: RunningBot,
) -> None:
    """When the card cannot be rewritten, a new one is posted and the old one links to it."""
    thread, old = await decided(bot)
    bot.slack.fail("chat.update", "message_not_found")
    await bot.sender.event(message("requests_per_month=5000000", thread_ts=thread))
    await bot.settled()
    new = replies(bot, thread)[-1]
    assert new is not old
    assert new.args["text"].startswith("Recommendation:")
    superseded = text_of(final_blocks(bot, old))
    assert "superseded" in superseded
    assert new.answer["ts"].replace(".", "") in superseded
    assert "swf_details" not in superseded
