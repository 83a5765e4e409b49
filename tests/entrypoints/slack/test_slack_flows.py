"""End to end through the real HTTP stack: mentions, thread replies, buttons and the modal."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from bot.adapters.store.memory import MemorySessionStore
from bot.entrypoints.slack.ids import UNKNOWN_OPTION_VALUE
from bot.entrypoints.slack.modal import LOST_THREAD_TEXT
from bot.interview.session import SessionKey
from bot.service import EXPIRED_TEXT
from tests.support.fake_slack import MESSAGE_MAX_BLOCKS, VIEW_MAX_BLOCKS, check_blocks
from tests.support.slack_flow_helpers import (
    click,
    click_body,
    element,
    final_blocks,
    replies,
    submit_modal,
    text_of,
)
from tests.support.slack_requests import TEAM_ID, mention, message
from tests.support.slack_server import KeyValueExtractor, RunningBot, running_bot

OPENING = "We want a rules assistant for our game task_type=qa_over_docs"
ANSWERS = (
    "kb_size_docs=2 kb_size_tokens=55000 requests_per_month=8000 citations_required=true "
    'latency_target_ms=3000 team_ml_capability="none" labelled_examples=0 '
    # Where it runs is decisive since an edge device leaves only a tuned model (issue #9).
    'needs_external_knowledge=true knowledge_volatility="yearly" deployment_target="cloud_api"'
)


@pytest.fixture
async def bot() -> AsyncIterator[RunningBot]:
    async with running_bot(
        store=MemorySessionStore(ttl_seconds=3600), extractor=KeyValueExtractor()
    ) as running:
        yield running


def assert_all_valid(bot: RunningBot) -> None:
    """Every call the bot made was accepted and every message's blocks are valid Block Kit."""
    for call in bot.slack.calls:
        assert call.ok, (call.method, call.answer)
        if call.method in ("chat.postMessage", "chat.update"):
            assert call.args.get("text"), "every message needs a plain-text fallback"
            assert check_blocks(call.args.get("blocks") or [], MESSAGE_MAX_BLOCKS) is None
        if call.method == "chat.postMessage":
            assert call.args.get("unfurl_links") is False
            assert call.args.get("unfurl_media") is False


async def start(bot: RunningBot, text: str = OPENING) -> str:
    event = mention(text)
    status, _ = await bot.sender.event(event)
    assert status == 200
    await bot.settled()
    return str(event["ts"])


async def test_mention_posts_questions_in_its_thread(bot: RunningBot) -> None:
    """An @mention in a channel gets its questions as a reply in that message's thread."""
    thread = await start(bot)
    [reply] = replies(bot, thread)
    blocks = final_blocks(bot, reply)
    assert "swf_decide_now" in text_of(blocks)
    assert "Got it" in text_of(blocks)
    assert_all_valid(bot)


async def test_full_interview_by_buttons_and_text_reaches_a_recommendation(
    bot: RunningBot,
) -> None:
    """A select choice, then a free-text answer, lead to the recommendation in the thread."""
    thread = await start(bot)
    question = replies(bot, thread)[-1]
    clicked = element(final_blocks(bot, question), "swf_answer:")["action_id"]
    status, _ = await click(bot, question, "swf_answer:", option_index=2)
    assert status == 200
    await bot.settled()
    # One click on a card of several questions posts nothing new: the card shows the answer.
    assert len(replies(bot, thread)) == 1
    answered = text_of(final_blocks(bot, question))
    assert ":white_check_mark:" in answered
    assert clicked not in answered
    assert "swf_decide_now" in answered
    await bot.sender.event(message(ANSWERS, thread_ts=thread))
    await bot.settled()
    final = replies(bot, thread)[-1]
    assert final.args["text"].startswith("Recommendation:")
    assert final_blocks(bot, final)[0]["type"] == "header"
    assert_all_valid(bot)


async def test_decide_now_recommends_with_assumptions(bot: RunningBot) -> None:
    """Decide now answers with a recommendation marked provisional: it rests on assumptions."""
    thread = await start(bot)
    await click(bot, replies(bot, thread)[-1], "swf_decide_now")
    await bot.settled()
    final = replies(bot, thread)[-1]
    assert final.args["text"].startswith("Recommendation:")
    assert "(provisional)" in final_blocks(bot, final)[0]["text"]["text"]
    assert_all_valid(bot)


async def test_start_over_forgets_the_answers(bot: RunningBot) -> None:
    """Start over replies that it is starting again, and the next decision knows nothing."""
    thread = await start(bot)
    await click(bot, replies(bot, thread)[-1], "swf_start_over")
    await bot.settled()
    assert "Starting over" in replies(bot, thread)[-1].args["text"]
    await bot.sender.event(message("decide now", thread_ts=thread))
    await bot.settled()
    await click(bot, replies(bot, thread)[-1], "swf_edit_answers")
    await bot.settled()
    view = bot.slack.of("views.open")[0].args["view"]
    task_type = next(b for b in view["blocks"] if b.get("block_id") == "fact:task_type")
    assert task_type["element"]["initial_option"]["value"] == UNKNOWN_OPTION_VALUE
    assert_all_valid(bot)


async def test_explain_shows_the_scoring(bot: RunningBot) -> None:
    """Saying `explain` after a recommendation posts the scoring in detail."""
    thread = await start(bot)
    await click(bot, replies(bot, thread)[-1], "swf_decide_now")
    await bot.settled()
    await bot.sender.event(message("explain", thread_ts=thread))
    await bot.settled()
    assert replies(bot, thread)[-1].args["text"].startswith("How I scored")
    assert_all_valid(bot)


async def test_edit_answers_opens_a_prefilled_modal_and_reruns(bot: RunningBot) -> None:
    """Edit answers opens the modal with every fact; submitting it updates the card in place
    and posts one short delta."""
    thread = await start(bot)
    await click(bot, replies(bot, thread)[-1], "swf_decide_now")
    await bot.settled()
    await click(bot, replies(bot, thread)[-1], "swf_edit_answers")
    await bot.settled()
    [opened] = bot.slack.of("views.open")
    view = opened.args["view"]
    assert check_blocks(view["blocks"], VIEW_MAX_BLOCKS) is None
    task_type = next(b for b in view["blocks"] if b.get("block_id") == "fact:task_type")
    assert task_type["element"]["initial_option"]["value"] == json.dumps("qa_over_docs")
    before = len(replies(bot, thread))
    status, body = await submit_modal(
        bot,
        view,
        {
            "fact:requests_per_month": {"type": "number_input", "value": "5000000"},
            "fact:needs_external_knowledge": {
                "type": "static_select",
                "selected_option": {"text": {"type": "plain_text", "text": "No"}, "value": "false"},
            },
        },
    )
    assert status == 200
    assert body == ""
    await bot.settled()
    new = replies(bot, thread)[before:]
    assert len(new) == 1
    assert "Requests a month" in new[0].args["text"]
    assert "5M" in new[0].args["text"]
    card = replies(bot, thread)[before - 1]
    [update] = [u for u in bot.slack.of("chat.update") if u.args["ts"] == card.answer["ts"]]
    assert update.args["text"].startswith("Recommendation:")
    assert_all_valid(bot)


async def test_invalid_edit_is_shown_on_the_field(bot: RunningBot) -> None:
    """A value out of range keeps the modal open with an error on that field, and posts nothing."""
    thread = await start(bot)
    await click(bot, replies(bot, thread)[-1], "swf_decide_now")
    await bot.settled()
    await click(bot, replies(bot, thread)[-1], "swf_edit_answers")
    await bot.settled()
    view = bot.slack.of("views.open")[0].args["view"]
    before = len(bot.slack.calls)
    status, body = await submit_modal(
        bot, view, {"fact:latency_target_ms": {"type": "number_input", "value": "0"}}
    )
    await bot.settled()
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "errors"
    assert "fact:latency_target_ms" in answer["errors"]
    assert len(bot.slack.calls) == before


async def test_thread_reply_without_an_interview_is_ignored(bot: RunningBot) -> None:
    """A reply in a thread the bot never interviewed in gets no answer."""
    await bot.sender.event(message("hello there", thread_ts="1700000000.999999"))
    await bot.settled()
    assert bot.slack.of("chat.postMessage") == []


@pytest.mark.parametrize(
    "extra",
    [
        {"bot_id": "BOTHER"},
        {"subtype": "bot_message", "bot_id": "BOTHER"},
        {"subtype": "message_changed"},
        {"subtype": "message_deleted"},
        {"user": "UBOT", "bot_id": "BBOT"},
    ],
    ids=["other-bot", "bot-message", "edit", "deletion", "own-message"],
)
async def test_bots_edits_and_deletions_are_ignored(bot: RunningBot, extra: dict[str, str]) -> None:
    """Messages from bots (this one too), edits and deletions in an interview get no reply."""
    thread = await start(bot)
    await bot.sender.event(message(ANSWERS, thread_ts=thread, **extra))
    await bot.settled()
    assert len(replies(bot, thread)) == 1


async def test_mention_inside_an_interview_thread_is_handled_once(bot: RunningBot) -> None:
    """A mention in a thread arrives as app_mention and message; the bot answers once."""
    thread = await start(bot)
    as_mention = mention(ANSWERS, thread_ts=thread)
    as_message = message(as_mention["text"], thread_ts=thread, ts=as_mention["ts"])
    await bot.sender.event(as_message)
    await bot.sender.event(as_mention)
    await bot.settled()
    assert len(replies(bot, thread)) == 2


async def test_user_text_cannot_ping_the_channel(bot: RunningBot) -> None:
    """User text echoed back is safe: the broadcast is dropped, the link reads as words, the
    rest is escaped; no <!channel>, link markup or bare @here survives."""
    thread = await start(bot, "task_type=qa_over_docs use_case=<!channel>&<http://x.io|hi>@here")
    posted = text_of(final_blocks(bot, replies(bot, thread)[0]))
    assert "Use case: *&amp;hi*" in posted  # the test extractor reads up to the space
    assert "channel" not in posted.replace("#channel", "")
    assert "<!channel>" not in posted
    assert "<http" not in posted
    assert "@here" not in posted


async def test_a_direct_message_starts_an_interview_in_its_thread(bot: RunningBot) -> None:
    """A new message in a DM with the bot (no mention needed) starts an interview there."""
    dm = message(OPENING, thread_ts=None, channel="D0DM", channel_type="im")
    await bot.sender.event(dm)
    await bot.settled()
    [reply] = replies(bot, dm["ts"])
    assert "swf_decide_now" in text_of(final_blocks(bot, reply))


async def test_a_root_channel_message_without_a_mention_is_ignored(bot: RunningBot) -> None:
    """The bot only speaks in a channel when mentioned (or in its interview threads)."""
    await bot.sender.event(message(OPENING, thread_ts=None))
    await bot.settled()
    assert bot.slack.of("chat.postMessage") == []


async def test_a_second_click_on_an_answered_question_is_dropped(bot: RunningBot) -> None:
    """Two clicks on the same answer (different trigger ids) count once: the card is updated
    in place, and no new round is posted while other questions are open."""
    thread = await start(bot)
    question = replies(bot, thread)[-1]
    first = click_body(bot, question, "swf_answer:", option_index=2)
    second = click_body(bot, question, "swf_answer:", option_index=1)
    assert first != second
    for body in (first, second):
        status, _ = await bot.sender.send(body, form=True)
        assert status == 200
        await bot.settled()
    assert len(replies(bot, thread)) == 1
    assert len(bot.slack.of("chat.update")) == 1


async def test_a_second_decide_now_click_on_one_message_posts_once(bot: RunningBot) -> None:
    """Decide now clicked twice on the same question message posts one recommendation."""
    thread = await start(bot)
    question = replies(bot, thread)[-1]
    bodies = [click_body(bot, question, "swf_decide_now") for _ in range(2)]
    for body in bodies:
        await bot.sender.send(body, form=True)
        await bot.settled()
    recommendations = [
        call for call in replies(bot, thread) if call.args["text"].startswith("Recommendation:")
    ]
    assert len(recommendations) == 1


async def test_edit_answers_may_open_the_form_again(bot: RunningBot) -> None:
    """Edit answers is not de-duplicated per message: closing the form and clicking again works."""
    thread = await start(bot)
    await click(bot, replies(bot, thread)[-1], "swf_decide_now")
    await bot.settled()
    recommendation = replies(bot, thread)[-1]
    for _ in range(2):
        await click(bot, recommendation, "swf_edit_answers")
        await bot.settled()
    assert len(bot.slack.of("views.open")) == 2


async def test_a_click_on_an_expired_thread_leaves_the_question_open() -> None:
    """When the session is gone, a click says the interview expired and the question is not
    rewritten as answered (nothing was recorded)."""
    store = MemorySessionStore(ttl_seconds=3600)
    async with running_bot(store=store, extractor=KeyValueExtractor()) as bot:
        thread = await start(bot)
        question = replies(bot, thread)[-1]
        await store.delete(SessionKey(team_id=TEAM_ID, channel_id="C0001", thread_ts=thread))
        await click(bot, question, "swf_answer:", option_index=2)
        await bot.settled()
        assert replies(bot, thread)[-1].args["text"] == EXPIRED_TEXT
        assert bot.slack.of("chat.update") == []


async def test_edit_answers_on_an_expired_thread_says_it_expired() -> None:
    """Edit answers after the session expired tells the clicker alone (and how to start again),
    and opens no form."""
    store = MemorySessionStore(ttl_seconds=3600)
    async with running_bot(store=store, extractor=KeyValueExtractor()) as bot:
        thread = await start(bot)
        await click(bot, replies(bot, thread)[-1], "swf_decide_now")
        await bot.settled()
        recommendation = replies(bot, thread)[-1]
        await store.delete(SessionKey(team_id=TEAM_ID, channel_id="C0001", thread_ts=thread))
        posted = len(replies(bot, thread))
        await click(bot, recommendation, "swf_edit_answers")
        await bot.settled()
        [notice] = bot.slack.of("chat.postEphemeral")
        assert notice.args["text"] == EXPIRED_TEXT
        assert notice.args["user"] == "U0001"
        assert len(replies(bot, thread)) == posted
        assert bot.slack.of("views.open") == []


async def test_a_form_with_unreadable_metadata_is_answered_in_the_modal(bot: RunningBot) -> None:
    """A submitted form whose private_metadata is unreadable is replaced by a clear message,
    not dropped silently; nothing is posted."""
    thread = await start(bot)
    await click(bot, replies(bot, thread)[-1], "swf_decide_now")
    await bot.settled()
    await click(bot, replies(bot, thread)[-1], "swf_edit_answers")
    await bot.settled()
    view = {**bot.slack.of("views.open")[0].args["view"], "private_metadata": "{not a key"}
    before = len(bot.slack.calls)
    status, body = await submit_modal(bot, view, {})
    await bot.settled()
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "update"
    assert LOST_THREAD_TEXT in json.dumps(answer["view"])
    assert check_blocks(answer["view"]["blocks"], VIEW_MAX_BLOCKS) is None
    assert len(bot.slack.calls) == before


async def test_a_reply_delivered_before_its_root_mention_is_applied_after_it(
    bot: RunningBot,
) -> None:
    """Slack delivers a thread reply before the mention that starts the thread: the reply is
    not lost, it is answered after the mention's questions."""
    root = mention(OPENING)
    status, _ = await bot.sender.event(message(ANSWERS, thread_ts=root["ts"]))
    assert status == 200
    await bot.sender.event(root)
    await bot.settled()
    first, last = replies(bot, root["ts"])
    assert "swf_decide_now" in text_of(final_blocks(bot, first))
    assert last.args["text"].startswith("Recommendation:")
