"""Slack payloads read into commands once, on the acking side: each command from the payload
Slack sends for it, None for what the bot ignores, and never an exception."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import pytest

from bot.entrypoints.slack.card_ids import CardRef, encode_card_ref, encode_try
from bot.entrypoints.slack.commands import (
    AnswerClicked,
    AssistantMessage,
    AssistantStarted,
    Button,
    ButtonPressed,
    CardButton,
    CardButtonPressed,
    EditSubmitted,
    HistoryRequested,
    HomeOpened,
    NewDecisionRequested,
    NewDecisionSubmitted,
    PostedMessage,
    ReminderCancelled,
    ReminderSet,
    StartFromCommand,
    StartInterview,
    ThreadReply,
    ViewButton,
    ViewButtonPressed,
    WhatIfTried,
    Workspace,
)
from bot.entrypoints.slack.parse import (
    parse_answer,
    parse_assistant_message,
    parse_assistant_started,
    parse_button,
    parse_edit_submitted,
    parse_home_opened,
    parse_mention,
    parse_message,
    parse_new_decision,
    parse_new_decision_submitted,
    parse_reminder_cancelled,
    parse_reminder_set,
    parse_slash_command,
    parse_what_if,
)
from bot.interview.session import SessionKey
from tests.support.slack_requests import (
    TEAM_ID,
    block_action_body,
    command_body,
    event_body,
    mention,
    message,
    view_action_body,
    view_submission_body,
)
from tests.support.surface_requests import (
    assistant_thread_started,
    home_opened,
    im_thread_message,
    team_event_body,
)

ROOT_TS = "1800000000.000001"
MESSAGE_TS = "1800000000.000002"
KEY = SessionKey(team_id=TEAM_ID, channel_id="C0001", thread_ts=ROOT_TS)
REF = CardRef(key=KEY, card_ts=MESSAGE_TS, fingerprint="fp1")


def _event(body: str) -> dict[str, Any]:
    return dict(json.loads(body))


def _form(body: str) -> dict[str, Any]:
    """The JSON inside an interactivity request's `payload` field."""
    return dict(json.loads(dict(parse_qsl(body))["payload"]))


def _command(body: str) -> dict[str, Any]:
    return dict(parse_qsl(body, keep_blank_values=True))


def _click(action: dict[str, Any], **options: Any) -> dict[str, Any]:
    return _form(
        block_action_body(
            action=action, channel="C0001", thread_ts=ROOT_TS, message_ts=MESSAGE_TS, **options
        )
    )


def test_a_mention_starts_an_interview_in_its_thread() -> None:
    """An @mention becomes StartInterview: the thread's key, the text without the mention,
    the event id to claim and the bot's own ids."""
    body = _event(event_body(mention("hello there", ts=ROOT_TS), event_id="Ev1"))
    command = parse_mention(body)
    assert command == StartInterview(
        team_id=TEAM_ID,
        workspace=Workspace(team_id=TEAM_ID),
        delivery_id="Ev1",
        key=KEY,
        user_id="U0001",
        text="hello there",
        in_thread=False,
        bot_user_ids=frozenset({"UBOT"}),
    )


def test_a_mention_inside_a_thread_is_read_as_in_the_thread() -> None:
    """A mention in a thread keeps the thread's key and says it is in a thread."""
    command = parse_mention(_event(event_body(mention("go on", thread_ts=ROOT_TS))))
    assert command is not None and command.in_thread and command.key == KEY


def test_a_thread_reply_is_a_thread_reply() -> None:
    """A reply in a thread that mentions nobody becomes ThreadReply, parent user kept."""
    event = message("task_type=classification", thread_ts=ROOT_TS, parent_user_id="UBOT")
    command = parse_message(_event(event_body(event)), bot_user_id="UBOT")
    assert isinstance(command, ThreadReply)
    assert (command.key, command.text, command.parent_user_id) == (
        KEY,
        "task_type=classification",
        "UBOT",
    )


def test_a_new_direct_message_starts_an_interview() -> None:
    """A new message in a DM (not in a thread) becomes StartInterview in its own thread."""
    event = {**message("we answer questions", thread_ts=None), "channel_type": "im"}
    command = parse_message(_event(event_body(event)), bot_user_id="UBOT")
    assert isinstance(command, StartInterview) and not command.in_thread


@pytest.mark.parametrize(
    "event",
    [
        message("thanks!", thread_ts=ROOT_TS),  # chatter
        message("<@U0002> can you share the numbers?", thread_ts=ROOT_TS),  # an aside
        message("<@UBOT> decide now", thread_ts=ROOT_TS),  # app_mention brings it
        message("from a bot", thread_ts=ROOT_TS, bot_id="B1"),
        message("edited", thread_ts=ROOT_TS, subtype="message_changed"),
        message("a channel message outside any thread", thread_ts=None),
    ],
)
def test_messages_the_bot_ignores_give_no_command(event: dict[str, Any]) -> None:
    """Chatter, asides, bots, edits and channel messages outside threads are dropped."""
    assert parse_message(_event(event_body(event)), bot_user_id="UBOT") is None


def test_a_slash_command_with_text_starts_from_the_command() -> None:
    """`/should-we-finetune <description>` is claimed on its trigger id."""
    raw = _command(command_body("support bot", response_url="https://hooks.example/1"))
    command = parse_slash_command(raw)
    assert isinstance(command, StartFromCommand)
    assert command.delivery_id == f"command:{raw['trigger_id']}"
    assert (command.text, command.channel_name, command.in_dm) == ("support bot", "general", False)
    assert command.response_url == "https://hooks.example/1"


def test_history_in_a_direct_message_is_the_persons_history() -> None:
    """`/should-we-finetune history` in a DM asks for the person's own decisions."""
    raw = _command(command_body("history", channel="D0001", channel_name="directmessage"))
    command = parse_slash_command(raw)
    assert isinstance(command, HistoryRequested) and command.in_dm


def test_an_answer_carries_the_value_its_label_and_the_question() -> None:
    """A choice is claimed on its question and message; its value is decoded from JSON."""
    blocks = [{"type": "section", "block_id": "question:task_type", "text": {}}]
    action = {
        "action_id": "swf_answer:task_type:0",
        "type": "button",
        "value": '"qa_over_docs"',
        "text": {"type": "plain_text", "text": "Q&A"},
    }
    command = parse_answer(_click(action, message_blocks=blocks))
    assert isinstance(command, AnswerClicked)
    assert (command.field, command.value, command.label) == ("task_type", "qa_over_docs", "Q&A")
    assert command.delivery_id == f"action:C0001:{MESSAGE_TS}:swf_answer:task_type"
    assert command.question == PostedMessage(ts=MESSAGE_TS, text="", blocks=tuple(blocks))


def test_decide_now_is_a_button_claimed_on_its_message() -> None:
    """*Decide now* acts once per message."""
    command = parse_button(_click({"action_id": "swf_decide_now", "type": "button"}))
    assert isinstance(command, ButtonPressed) and command.button is Button.DECIDE_NOW
    assert command.delivery_id == f"action:C0001:{MESSAGE_TS}:swf_decide_now"


def test_a_card_button_knows_its_card() -> None:
    """A card button carries the card's ts and fingerprint, and is claimed per click."""
    action = {"action_id": "swf_details", "type": "button", "block_id": "card:fp1"}
    raw = _click(action)
    command = parse_button(raw)
    assert isinstance(command, CardButtonPressed) and command.button is CardButton.DETAILS
    assert command.ref == REF
    assert command.delivery_id == f"action:{raw['trigger_id']}"


def test_share_is_claimed_once_per_card_version() -> None:
    """Share is claimed on the card and its fingerprint, however often it is pressed."""
    action = {"action_id": "swf_share", "type": "button", "block_id": "card:fp1"}
    command = parse_button(_click(action))
    assert command is not None and command.delivery_id == f"share:{MESSAGE_TS}:fp1"


def test_a_view_button_reads_the_card_from_the_view() -> None:
    """A button inside a view finds its thread and card in the view's metadata."""
    view = {"callback_id": "swf_details_view", "private_metadata": encode_card_ref(REF)}
    command = parse_button(_form(view_action_body(view=view, action={"action_id": "swf_chart"})))
    assert isinstance(command, ViewButtonPressed) and command.button is ViewButton.CHART
    assert command.ref == REF and command.key == KEY


def test_a_what_if_carries_the_fact_and_value_to_try() -> None:
    """A what-if button's value is decoded into (fact, value), with the view to update."""
    view = {"callback_id": "swf_what_if_view", "private_metadata": encode_card_ref(REF)}
    action = {"action_id": "swf_try:0", "value": encode_try("requests_per_month", 5000)}
    command = parse_what_if(_form(view_action_body(view=view, action=action)))
    assert isinstance(command, WhatIfTried)
    assert (command.tried, command.view_id) == (("requests_per_month", 5000), "V1")


def test_an_edit_submission_carries_its_facts_and_card() -> None:
    """The Edit answers modal names its thread and card; it is not de-duplicated."""
    view = {"callback_id": "swf_edit_modal", "private_metadata": encode_card_ref(REF)}
    values = {"fact:use_case": {"value": {"type": "plain_text_input", "value": "Rules bot"}}}
    command = parse_edit_submitted(_form(view_submission_body(view=view, values=values)))
    assert isinstance(command, EditSubmitted)
    assert (command.key, command.ref, command.delivery_id) == (KEY, REF, None)
    assert command.facts["use_case"] == "Rules bot"


def test_an_edit_submission_without_a_thread_gives_no_command() -> None:
    """Metadata that names no thread: nothing to re-run."""
    view = {"callback_id": "swf_edit_modal", "private_metadata": "not json"}
    assert parse_edit_submitted(_form(view_submission_body(view=view, values={}))) is None


def test_the_home_tab_opened_is_claimed_on_its_event() -> None:
    """Opening the Home tab publishes it once per event; other tabs give no command."""
    body = _event(team_event_body(home_opened(user="U0042")))
    command = parse_home_opened(body)
    assert isinstance(command, HomeOpened)
    assert (command.user_id, command.delivery_id) == ("U0042", body["event_id"])
    assert parse_home_opened(_event(team_event_body(home_opened(tab="messages")))) is None


def test_new_decision_opens_and_submits_the_use_case() -> None:
    """The Home tab's button opens the modal; its submission is claimed on the view."""
    click = _click({"action_id": "swf_new_decision", "type": "button"})
    opened = parse_new_decision(click)
    assert isinstance(opened, NewDecisionRequested) and opened.trigger_id == click["trigger_id"]
    view = {"callback_id": "swf_new_decision_modal", "private_metadata": ""}
    values = {"use_case": {"text": {"type": "plain_text_input", "value": " A support bot "}}}
    submitted = parse_new_decision_submitted(_form(view_submission_body(view=view, values=values)))
    assert isinstance(submitted, NewDecisionSubmitted)
    assert (submitted.use_case, submitted.delivery_id) == ("A support bot", "view:V1:h1")


def test_assistant_threads_are_keyed_on_their_dm_thread() -> None:
    """A new assistant thread and a message in it both name the DM thread."""
    key = SessionKey(team_id=TEAM_ID, channel_id="D0001", thread_ts=ROOT_TS)
    started = parse_assistant_started(
        _event(team_event_body(assistant_thread_started(thread_ts=ROOT_TS)))
    )
    assert isinstance(started, AssistantStarted) and started.key == key
    said = parse_assistant_message(
        _event(team_event_body(im_thread_message("<@UBOT> hi", thread_ts=ROOT_TS)))
    )
    assert isinstance(said, AssistantMessage) and (said.key, said.text) == (key, "hi")


def test_reminder_buttons_carry_weeks_and_the_scheduled_message() -> None:
    """*Remind me* is claimed per offer; *Cancel* per scheduled message."""
    remind = parse_reminder_set(_click({"action_id": "swf_remind:2", "type": "button"}))
    assert isinstance(remind, ReminderSet) and remind.weeks == 2
    assert remind.delivery_id == f"remind:C0001:{MESSAGE_TS}"
    action = {"action_id": "swf_cancel_reminder", "type": "button", "value": "Q123"}
    cancel = parse_reminder_cancelled(_click(action))
    assert isinstance(cancel, ReminderCancelled)
    assert (cancel.scheduled_message_id, cancel.message_ts) == ("Q123", MESSAGE_TS)
    assert cancel.delivery_id == "cancel:C0001:Q123"


def test_the_workspace_is_read_as_bolt_reads_it() -> None:
    """An org-wide install's enterprise id and flag come with the command."""
    body = _event(event_body(mention("hi")))
    body["authorizations"] = [
        {"team_id": None, "enterprise_id": "E1", "is_enterprise_install": True, "is_bot": True}
    ]
    command = parse_mention(body)
    assert command is not None
    assert command.workspace == Workspace(enterprise_id="E1", is_enterprise_install=True)


PARSERS: list[Callable[[dict[str, Any]], object]] = [
    parse_mention,
    lambda body: parse_message(body, bot_user_id="UBOT"),
    parse_slash_command,
    parse_answer,
    parse_button,
    parse_what_if,
    parse_edit_submitted,
    parse_home_opened,
    parse_new_decision,
    parse_new_decision_submitted,
    parse_assistant_started,
    parse_assistant_message,
    parse_reminder_set,
    parse_reminder_cancelled,
]
MALFORMED: list[dict[str, Any]] = [
    {},
    {"event": []},
    {"event": {"type": "message", "user": 7, "text": ["x"], "ts": None, "thread_ts": 3}},
    {"actions": "x", "team": "T", "user": [], "view": 5},
    {"actions": [{"action_id": None}], "channel": {"id": None}, "message": "m"},
    {"view": {"private_metadata": 12, "state": "x"}, "team_id": 9},
]


@pytest.mark.parametrize("parse", PARSERS)
@pytest.mark.parametrize("body", MALFORMED)
def test_malformed_payloads_give_no_command_and_never_raise(
    parse: Callable[[dict[str, Any]], object], body: dict[str, Any]
) -> None:
    """Whatever a payload holds, a parser returns a command or None."""
    parse(body)  # must not raise
