"""Deliveries shaped as Slack really sends them, through the signed HTTP path.

Every key Slack's docs show is present (see tests/support/slack_payloads.py), and the
variants a workspace produces are covered: rich-text blocks, threads started by someone
else, DMs, edits, deletions, joins, other bots, retries, odd slash-command text, selects
cleared, clicks from modals, and a whole interview clicked through.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest

from bot.adapters.store.memory import MemorySessionStore
from tests.support.fake_slack import Call
from tests.support.slack_flow_helpers import element, final_blocks, replies, text_of
from tests.support.slack_payloads import (
    bot_message,
    channel_join,
    edited,
    event_envelope,
    interaction,
    message_changed,
    message_deleted,
    own_message,
    slash_command,
    user_message,
)
from tests.support.slack_requests import TEAM_ID, next_ts
from tests.support.slack_server import KeyValueExtractor, RunningBot, running_bot

OPENING = "We want a rules assistant for our game task_type=qa_over_docs"
ANSWERS = (
    "kb_size_docs=2 kb_size_tokens=55000 requests_per_month=8000 citations_required=true "
    'latency_target_ms=3000 team_ml_capability="none" labelled_examples=0 '
    'needs_external_knowledge=true knowledge_volatility="yearly" deployment_target="cloud_api"'
)
# What must never reach a channel live: broadcasts, a group ping, a person's mention.
PINGS = ("<!channel>", "<!here>", "<!everyone>", "<!subteam^S0001>", "<@U0002>")


@pytest.fixture
async def bot() -> AsyncIterator[RunningBot]:
    async with running_bot(
        store=MemorySessionStore(ttl_seconds=3600), extractor=KeyValueExtractor()
    ) as running:
        yield running


async def deliver(bot: RunningBot, event: dict[str, Any], **kwargs: Any) -> None:
    status, _ = await bot.sender.send(event_envelope(event, **kwargs))
    assert status == 200
    await bot.settled()


async def started(bot: RunningBot, text: str = OPENING) -> str:
    """A thread whose interview began with a mention shaped as Slack sends it."""
    root = user_message(f"<@UBOT> {text}", kind="app_mention")
    await deliver(bot, root)
    return str(root["ts"])


def everything_posted(bot: RunningBot) -> str:
    posting = ("chat.postMessage", "chat.update", "chat.postEphemeral", "response_url")
    return json.dumps([call.args for call in bot.slack.calls if call.method in posting])


def real_click(bot: RunningBot, call: Call, prefix: str, *, option: int | None = 0) -> str:
    """A block_actions delivery for a click on a posted message, as Slack builds it: the
    message as stored (bot ids, parent), `state`, `container.thread_ts` only in threads;
    `option=None` clears a select (Slack sends `selected_option: null`)."""
    blocks = final_blocks(bot, call)
    target = element(blocks, prefix)
    block_id = next(b.get("block_id", "b") for b in blocks if target in b.get("elements", []))
    action: dict[str, Any] = {
        "type": target["type"],
        "action_id": target["action_id"],
        "block_id": block_id,
        "action_ts": next_ts(),
    }
    if target["type"] == "static_select":
        action["selected_option"] = None if option is None else target["options"][option]
        action["placeholder"] = target.get("placeholder")
    else:
        action["value"] = target.get("value", "")
        action["text"] = target["text"]
    ts, thread_ts = call.answer["ts"], call.args.get("thread_ts")
    container = {
        "type": "message",
        "message_ts": ts,
        "channel_id": call.args["channel"],
        "is_ephemeral": False,
    }
    message = {
        "user": "UBOT",
        "type": "message",
        "ts": ts,
        "bot_id": "BBOT",
        "app_id": "A0001",
        "text": call.args.get("text", ""),
        "team": TEAM_ID,
        "blocks": blocks,
    }
    if thread_ts:
        container["thread_ts"] = thread_ts
        message.update(thread_ts=thread_ts, parent_user_id="U0001")
    return interaction(
        {
            "type": "block_actions",
            "container": container,
            "channel": {"id": call.args["channel"], "name": "general"},
            "message": message,
            "state": {"values": {}},
            "response_url": "https://hooks.slack.com/actions/T0001/1/x",
            "actions": [action],
        }
    )


def view_as_slack_holds_it(opened: dict[str, Any]) -> dict[str, Any]:
    """A view the bot opened, with the keys Slack adds to it in payloads."""
    return {
        "id": "V0VIEW1",
        "team_id": TEAM_ID,
        "app_id": "A0001",
        "bot_id": "BBOT",
        "app_installed_team_id": TEAM_ID,
        "root_view_id": "V0VIEW1",
        "previous_view_id": None,
        "external_id": "",
        "hash": "1712345678.AbCdEf12",
        "clear_on_close": False,
        "notify_on_close": False,
        "state": {"values": {}},
        "private_metadata": "",
        "callback_id": "",
        **opened,
    }


# -- mentions and messages ---------------------------------------------------------------


async def test_a_mention_as_slack_sends_it_gets_one_reply_in_its_thread(bot: RunningBot) -> None:
    """A mention with blocks, team, event_context and enterprise keys gets its questions,
    once, as a reply in its own thread."""
    thread = await started(bot)
    [reply] = bot.slack.of("chat.postMessage")
    assert reply.args["thread_ts"] == thread
    assert "swf_decide_now" in text_of(final_blocks(bot, reply))


async def test_a_mention_in_someone_elses_thread_is_answered_in_that_thread(
    bot: RunningBot,
) -> None:
    """A mention replying in a colleague's thread is answered there, not in a new thread."""
    parent = next_ts()
    event = user_message(
        f"<@UBOT> {OPENING}", kind="app_mention", thread_ts=parent, parent_user_id="U0009"
    )
    await deliver(bot, event)
    [reply] = bot.slack.of("chat.postMessage")
    assert reply.args["thread_ts"] == parent


async def test_a_mention_with_a_thread_ts_equal_to_its_ts_is_a_root(bot: RunningBot) -> None:
    """Slack may echo `thread_ts == ts` on a root message; the reply goes in its thread."""
    ts = next_ts()
    event = user_message(f"<@UBOT> {OPENING}", kind="app_mention", ts=ts, thread_ts=ts)
    await deliver(bot, event)
    [reply] = bot.slack.of("chat.postMessage")
    assert reply.args["thread_ts"] == ts


async def test_an_edited_mention_starts_nothing_new(bot: RunningBot) -> None:
    """Editing the message that mentioned the bot re-fires app_mention (new event id, an
    `edited` key): the thread gets no second set of questions and nothing is reset."""
    root = user_message(f"<@UBOT> {OPENING}", kind="app_mention")
    await deliver(bot, root)
    await deliver(bot, user_message(ANSWERS, thread_ts=root["ts"]))
    posted = len(replies(bot, root["ts"]))
    await deliver(bot, edited({**root, "text": f"<@UBOT> {OPENING}!"}))
    assert len(replies(bot, root["ts"])) == posted
    assert replies(bot, root["ts"])[-1].args["text"].startswith("Recommendation:")


async def test_an_edit_that_adds_the_mention_starts_the_interview(bot: RunningBot) -> None:
    """A message edited to mention the bot (so Slack's first app_mention for it carries
    `edited`) starts the interview: the person need not post again."""
    event = edited(user_message(f"<@UBOT> {OPENING}", kind="app_mention"))
    await deliver(bot, event)
    [reply] = replies(bot, event["ts"])
    assert "swf_decide_now" in text_of(final_blocks(bot, reply))


@pytest.mark.parametrize(
    "make",
    [
        lambda thread, reply: message_changed(reply, ANSWERS),
        lambda thread, reply: message_deleted(reply),
        lambda thread, reply: bot_message(ANSWERS, thread_ts=thread),
        lambda thread, reply: own_message(ANSWERS, thread_ts=thread),
        lambda thread, reply: {**user_message(ANSWERS, thread_ts=thread), "bot_id": "B0OTHER"},
        lambda thread, reply: channel_join(),
    ],
    ids=["edit", "deletion", "bot-message", "own-message", "user-with-bot-id", "join"],
)
async def test_edits_deletions_bots_and_joins_get_no_reply(bot: RunningBot, make: Any) -> None:
    """Edits, deletions, other bots' and the bot's own messages, and joins post nothing."""
    thread = await started(bot)
    reply = user_message("we have some docs", thread_ts=thread)
    before = len(bot.slack.calls)
    await deliver(bot, make(thread, reply))
    assert [c.method for c in bot.slack.calls[before:]] == []


@pytest.mark.parametrize(
    "extra",
    [
        {"subtype": "thread_broadcast", "root": {"ts": "x", "text": "root"}},
        {"subtype": "file_share", "files": [{"id": "F1", "name": "notes.txt"}], "upload": False},
    ],
    ids=["also-sent-to-channel", "with-a-file"],
)
async def test_a_reply_also_sent_to_the_channel_or_with_a_file_is_read(
    bot: RunningBot, extra: dict[str, Any]
) -> None:
    """A thread reply sent to the channel too, or with a file attached, is an answer."""
    thread = await started(bot)
    await deliver(bot, user_message(ANSWERS, thread_ts=thread, **extra))
    assert replies(bot, thread)[-1].args["text"].startswith("Recommendation:")


async def test_a_dm_that_mentions_the_bot_starts_an_interview(bot: RunningBot) -> None:
    """In a DM Slack sends no app_mention: a message naming the bot starts the interview."""
    dm = user_message(f"<@UBOT> {OPENING}", channel="D0DM", channel_type="im")
    await deliver(bot, dm)
    [reply] = replies(bot, dm["ts"])
    assert "swf_decide_now" in text_of(final_blocks(bot, reply))


async def test_a_dm_interview_continues_in_its_thread(bot: RunningBot) -> None:
    """A DM starts the interview; the answers typed in its thread reach a recommendation."""
    dm = user_message(OPENING, channel="D0DM", channel_type="im")
    await deliver(bot, dm)
    await deliver(bot, user_message(ANSWERS, channel="D0DM", channel_type="im", thread_ts=dm["ts"]))
    assert replies(bot, dm["ts"])[-1].args["text"].startswith("Recommendation:")


async def test_a_retried_delivery_is_answered_once(bot: RunningBot) -> None:
    """Slack's retries (same event id, X-Slack-Retry-Num 1 and 2) post one reply."""
    root = user_message(f"<@UBOT> {OPENING}", kind="app_mention")
    body = event_envelope(root, event_id="Ev0RETRY01")
    for retry in (None, 1, 2):
        status, _ = await bot.sender.send(body, retry_num=retry)
        assert status == 200
    await bot.settled()
    assert len(replies(bot, root["ts"])) == 1


async def test_slack_escaped_text_is_neither_double_escaped_nor_a_ping(bot: RunningBot) -> None:
    """Slack sends a typed `<`, `>`, `&` as entities and @channel as `<!channel>`: what the
    bot echoes shows the characters as typed, and no ping is live."""
    thread = await started(
        bot,
        "task_type=qa_over_docs use_case=latency&lt;2s&amp;cheap "
        + " ".join(f"use_case_extra={ping}" for ping in PINGS),
    )
    posted = everything_posted(bot)
    for ping in PINGS:
        assert ping not in posted
    assert "&amp;amp;" not in posted
    assert "&amp;lt;" not in posted
    assert replies(bot, thread)


# -- the slash command -------------------------------------------------------------------


async def command(bot: RunningBot, text: str, **overrides: str) -> tuple[int, str]:
    url = f"{bot.slack.base_url}/response/1"
    status, body = await bot.sender.send(
        slash_command(text, response_url=url, **overrides), form=True
    )
    await bot.settled()
    return status, body


@pytest.mark.parametrize("text", ["", "   ", "help", " HELP ", "?"])
async def test_an_empty_or_help_command_answers_privately(bot: RunningBot, text: str) -> None:
    """No description (or asking for help) gets usage privately, and nothing is posted."""
    status, body = await command(bot, text)
    assert status == 200
    answer = json.loads(body)
    assert answer["response_type"] == "ephemeral"
    assert "history" in answer["text"] + json.dumps(answer.get("blocks"))
    assert bot.slack.of("chat.postMessage") == []


@pytest.mark.parametrize("text", ["<@U0002|bob>", "<!channel>", "<#C0002|design>", "<!here> ?"])
async def test_a_command_that_only_pings_answers_privately(bot: RunningBot, text: str) -> None:
    """A command holding nothing but mentions has no use case: usage privately, no post."""
    status, body = await command(bot, text)
    assert status == 200
    assert json.loads(body)["response_type"] == "ephemeral"
    assert bot.slack.of("chat.postMessage") == []


async def test_a_command_with_pings_in_it_never_echoes_them_live(bot: RunningBot) -> None:
    """Mentions, channel links and broadcasts in the description are posted inert."""
    text = "A rules bot for <#C0002|design>, ask <@U0002|bob> <!channel> task_type=qa_over_docs"
    status, _ = await command(bot, text)
    assert status == 200
    root, question = bot.slack.of("chat.postMessage")[:2]
    assert question.args["thread_ts"] == root.answer["ts"]
    posted = everything_posted(bot)
    for ping in ("<!channel>", "<@U0002|bob>", "<#C0002|design>"):
        assert ping not in posted


async def test_history_from_a_dm_is_the_persons_own(bot: RunningBot) -> None:
    """`HISTORY` typed in a DM (channel_name directmessage) lists the person's decisions."""
    await command(bot, "task_type=qa_over_docs use_case=Rules", channel_id="C0001")
    root = bot.slack.of("chat.postMessage")[0]
    await bot.sender.send(
        real_click(bot, replies(bot, root.answer["ts"])[-1], "swf_decide_now"), form=True
    )
    await bot.settled()
    await command(bot, " HISTORY ", channel_id="D0DM", channel_name="directmessage")
    [listing] = bot.slack.of("response_url")
    assert listing.args["response_type"] == "ephemeral"
    assert "Rules" in json.dumps(listing.args["blocks"])


# -- buttons, selects and views ----------------------------------------------------------


async def test_a_cleared_select_records_nothing_and_fails_nothing(bot: RunningBot) -> None:
    """Slack sends `selected_option: null` when a select is cleared: no answer is
    recorded, the question stays open, nothing goes wrong."""
    thread = await started(bot)
    question = replies(bot, thread)[-1]
    [select] = [
        e["action_id"]
        for b in final_blocks(bot, question)
        for e in b.get("elements", [])
        if e.get("type") == "static_select" and e["action_id"].startswith("swf_answer:")
    ][:1]
    status, _ = await bot.sender.send(real_click(bot, question, select, option=None), form=True)
    await bot.settled()
    assert status == 200
    assert len(replies(bot, thread)) == 1
    assert bot.slack.of("chat.update") == []  # the question is not marked answered
    assert all(call.ok for call in bot.slack.calls)


async def test_a_click_from_an_org_wide_install_reaches_its_thread(bot: RunningBot) -> None:
    """In an Enterprise Grid org-wide install Slack sends `team: null` and the enterprise:
    the click still finds its thread (through the person's team) and decides."""
    thread = await started(bot)
    body = real_click(bot, replies(bot, thread)[-1], "swf_decide_now")
    payload = json.loads(dict(parse_qsl(body))["payload"])
    payload.update(team=None, enterprise={"id": "E0001", "name": "Org"}, is_enterprise_install=True)
    status, _ = await bot.sender.send(urlencode({"payload": json.dumps(payload)}), form=True)
    await bot.settled()
    assert status == 200
    assert replies(bot, thread)[-1].args["text"].startswith("Recommendation:")


async def test_view_closed_and_url_verification_and_ssl_check(bot: RunningBot) -> None:
    """A closed modal, Slack's URL check and its certificate check are answered with 200."""
    closed = interaction(
        {
            "type": "view_closed",
            "view": view_as_slack_holds_it({"type": "modal"}),
            "is_cleared": False,
        }
    )
    status, _ = await bot.sender.send(closed, form=True)
    assert status == 200
    challenge = json.dumps({"token": "x", "challenge": "3eZbrw1aB", "type": "url_verification"})
    status, body = await bot.sender.send(challenge)
    assert (status, json.loads(body)["challenge"]) == (200, "3eZbrw1aB")
    status, _ = await bot.sender.send(urlencode({"ssl_check": "1", "token": "x"}), form=True)
    assert status == 200
    await bot.settled()
    assert bot.slack.of("chat.postMessage") == []


async def test_a_whole_interview_from_payloads_shaped_like_slacks(bot: RunningBot) -> None:
    """Mention, an answer chosen, the rest typed, the card, a What if tried in its view,
    Edit answers submitted, Share: each step does what the person expects."""
    thread = await started(bot)
    question = replies(bot, thread)[-1]
    await bot.sender.send(real_click(bot, question, "swf_answer:", option=2), form=True)
    await bot.settled()
    assert ":white_check_mark:" in text_of(final_blocks(bot, question))
    await deliver(bot, user_message(ANSWERS, thread_ts=thread, parent_user_id="U0001"))
    card = replies(bot, thread)[-1]
    assert card.args["text"].startswith("Recommendation:")
    with_card = len(replies(bot, thread))

    await bot.sender.send(real_click(bot, card, "swf_what_if"), form=True)
    await bot.settled()
    view = view_as_slack_holds_it(bot.slack.of("views.open")[-1].args["view"])
    try_button = next(
        e
        for b in view["blocks"]
        for e in [*b.get("elements", []), b.get("accessory") or {}]
        if str(e.get("action_id", "")).startswith("swf_try:")
    )
    action = {**try_button, "block_id": "w", "action_ts": next_ts()}
    status, _ = await bot.sender.send(
        interaction(
            {
                "type": "block_actions",
                "container": {"type": "view", "view_id": view["id"]},
                "view": view,
                "actions": [action],
                "state": {"values": {}},
            }
        ),
        form=True,
    )
    assert status == 200
    await bot.settled()
    after_what_if = len(replies(bot, thread))
    assert after_what_if == with_card + 1  # the card rewritten in place, one delta
    assert bot.slack.of("views.update")

    await bot.sender.send(real_click(bot, card, "swf_edit_answers"), form=True)
    await bot.settled()
    modal = view_as_slack_holds_it(bot.slack.of("views.open")[-1].args["view"])
    values: dict[str, Any] = {}
    for block in modal["blocks"]:
        if block["type"] != "input":
            continue
        shown = block["element"]
        if shown["type"] == "static_select":
            state = {"type": "static_select", "selected_option": shown.get("initial_option")}
        else:
            state = {"type": shown["type"], "value": shown.get("initial_value")}
        values[block["block_id"]] = {shown.get("action_id", "value"): state}
    values["fact:requests_per_month"] = {"value": {"type": "number_input", "value": "5000000"}}
    submitted = {**modal, "state": {"values": values}}
    status, body = await bot.sender.send(
        interaction({"type": "view_submission", "view": submitted, "response_urls": []}), form=True
    )
    assert (status, body) == (200, "")
    await bot.settled()
    assert len(replies(bot, thread)) == after_what_if + 1
    assert "5M" in replies(bot, thread)[-1].args["text"]

    await bot.sender.send(real_click(bot, card, "swf_share"), form=True)
    await bot.settled()
    shared = [c for c in bot.slack.of("chat.postMessage") if "thread_ts" not in c.args]
    assert len(shared) == 1
    assert all(call.ok for call in bot.slack.calls)


# -- the Home tab and the assistant ------------------------------------------------------


async def test_home_tab_as_slack_sends_it_publishes_and_messages_tab_does_not(
    bot: RunningBot,
) -> None:
    """app_home_opened with a `view` (opened before) publishes; the Messages tab does not."""
    home = {
        "type": "app_home_opened",
        "user": "U0001",
        "channel": "D0DM",
        "tab": "home",
        "event_ts": next_ts(),
        "view": view_as_slack_holds_it({"type": "home", "blocks": []}),
    }
    await deliver(bot, {**home, "tab": "messages"})
    assert bot.slack.of("views.publish") == []
    await deliver(bot, home)
    assert len(bot.slack.of("views.publish")) == 1


async def test_an_assistant_thread_as_slack_starts_it_is_greeted(bot: RunningBot) -> None:
    """assistant_thread_started with its context greets the person in that thread."""
    thread_ts = next_ts()
    event = {
        "type": "assistant_thread_started",
        "assistant_thread": {
            "user_id": "U0001",
            "context": {"channel_id": "C0001", "team_id": TEAM_ID, "enterprise_id": None},
            "channel_id": "D0DM",
            "thread_ts": thread_ts,
        },
        "event_ts": next_ts(),
    }
    await deliver(bot, event)
    assert replies(bot, thread_ts)
