"""Commands cross a process boundary and are replayed after a worker process dies."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from bot.entrypoints.slack.card_ids import CardRef
from bot.entrypoints.slack.commands import (
    AnswerClicked,
    AssistantMessage,
    AssistantStarted,
    Button,
    ButtonPressed,
    CardButton,
    CardButtonPressed,
    Command,
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
    command_types,
    log_ids,
)
from bot.interview.session import SessionKey

KEY = SessionKey(team_id="T1", channel_id="C1", thread_ts="1800000000.000001")
REF = CardRef(key=KEY, card_ts="1800000000.000002", fingerprint="fp")
WORKSPACE = Workspace(team_id="T1", enterprise_id="E1", is_enterprise_install=True)
MESSAGE = PostedMessage(ts="1800000000.000002", text="Q", blocks=({"type": "divider"},))
SAMPLES: list[Command] = [
    StartInterview(
        team_id="T1",
        workspace=WORKSPACE,
        delivery_id="Ev1",
        key=KEY,
        user_id="U1",
        text="a support bot",
        in_thread=True,
        parent_user_id="UBOT",
        bot_user_ids=frozenset({"UBOT"}),
    ),
    ThreadReply(team_id="T1", key=KEY, user_id="U1", text="yes", bot_user_ids=frozenset({"B"})),
    StartFromCommand(
        team_id="T1",
        delivery_id="command:t1",
        channel_id="C1",
        channel_name="general",
        user_id="U1",
        text="a bot",
        response_url="https://hooks.example/1",
        in_dm=False,
    ),
    HistoryRequested(team_id="T1", channel_id="D1", user_id="U1", response_url="", in_dm=True),
    AnswerClicked(
        team_id="T1",
        key=KEY,
        user_id="U1",
        field="requests_per_month",
        value=5000,
        label="5k",
        question=MESSAGE,
    ),
    ButtonPressed(team_id="T1", key=KEY, user_id="U1", button=Button.EXPLAIN),
    CardButtonPressed(
        team_id="T1",
        key=KEY,
        ref=REF,
        user_id="U1",
        trigger_id="t2",
        button=CardButton.SHARE,
        card=MESSAGE,
    ),
    ViewButtonPressed(
        team_id="T1", key=KEY, ref=REF, user_id=None, trigger_id="t3", button=ViewButton.CHART
    ),
    WhatIfTried(team_id="T1", key=KEY, ref=REF, user_id="U1", view_id="V1", tried=("x", 1.5)),
    EditSubmitted(team_id="T1", key=KEY, ref=REF, user_id="U1", facts={"use_case": "Rules"}),
    HomeOpened(team_id="T1", delivery_id="Ev2", user_id="U1"),
    NewDecisionRequested(team_id="T1", trigger_id="t4"),
    NewDecisionSubmitted(team_id="T1", delivery_id="view:V1:h", user_id="U1", use_case="bot"),
    AssistantStarted(team_id="T1", key=KEY),
    AssistantMessage(team_id="T1", key=KEY, user_id="U1", text="hi"),
    ReminderSet(team_id="T1", key=KEY, user_id="U1", weeks=2),
    ReminderCancelled(
        team_id="T1", key=KEY, user_id="U1", scheduled_message_id="Q1", message_ts="1.1"
    ),
]


def test_the_samples_cover_every_command_type() -> None:
    """One sample per command type, so the tests below see them all."""
    assert {type(sample) for sample in SAMPLES} == command_types()


@pytest.mark.parametrize("command", SAMPLES, ids=lambda command: type(command).__name__)
def test_a_command_pickles_round_trip(command: Command) -> None:
    """What the worker process unpickles equals what the listener handed over."""
    assert pickle.loads(pickle.dumps(command)) == command


@pytest.mark.parametrize("command", SAMPLES, ids=lambda command: type(command).__name__)
def test_a_replay_is_the_same_command_marked_replayed(command: Command) -> None:
    """`replace(command, replay=True)` keeps every other field, and still pickles."""
    replayed = pickle.loads(pickle.dumps(dataclasses.replace(command, replay=True)))
    assert replayed.replay and dataclasses.replace(replayed, replay=False) == command


@pytest.mark.parametrize("command", SAMPLES, ids=lambda command: type(command).__name__)
def test_log_ids_name_the_command_and_never_its_text(command: Command) -> None:
    """Log ids are the command's type, team, thread and claim: no text a person typed."""
    ids = log_ids(command)
    assert ids["command"] == type(command).__name__ and ids["team_id"] == "T1"
    typed = {"a support bot", "yes", "a bot", "hi", "bot", "Rules"}
    assert not typed & set(ids.values())


def test_commands_are_frozen() -> None:
    """A command cannot change on its way to the handler."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        SAMPLES[0].replay = True  # type: ignore[misc]
