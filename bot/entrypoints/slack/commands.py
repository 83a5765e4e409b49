"""What a person asked the bot to do, as typed commands: one frozen type per thing, parsed
once on the acking side (`parse.py`), carrying exactly what its handler needs.

Plain data, so a worker in another process can take it (commands are pickled).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from bot.domain.recommendation import ScalarFact
from bot.entrypoints.slack.card_ids import (
    CHART_ACTION,
    DETAILS_ACTION,
    DETAILS_IN_THREAD_ACTION,
    EXPORT_ACTION,
    MORE_DETAILS_ACTION,
    SHARE_ACTION,
    WHAT_IF_ACTION,
    CardRef,
)
from bot.entrypoints.slack.ids import (
    DECIDE_NOW_ACTION,
    EDIT_ANSWERS_ACTION,
    EXPLAIN_ACTION,
    START_OVER_ACTION,
)
from bot.interview.session import SessionKey


class Button(StrEnum):
    """The interview's own buttons, each acting once per message (values: their action ids)."""

    DECIDE_NOW = DECIDE_NOW_ACTION
    START_OVER = START_OVER_ACTION
    EXPLAIN = EXPLAIN_ACTION


class CardButton(StrEnum):
    """The recommendation card's buttons."""

    DETAILS = DETAILS_ACTION
    WHAT_IF = WHAT_IF_ACTION
    EDIT_ANSWERS = EDIT_ANSWERS_ACTION
    SHARE = SHARE_ACTION


class ViewButton(StrEnum):
    """Buttons in the views the card opens (the what-if ones are `WhatIfTried`)."""

    MORE_DETAILS = MORE_DETAILS_ACTION
    CHART = CHART_ACTION
    EXPORT = EXPORT_ACTION
    DETAILS_IN_THREAD = DETAILS_IN_THREAD_ACTION


@dataclass(frozen=True, slots=True, kw_only=True)
class Workspace:
    """Which installation answers a command (many-workspace mode), as Bolt reads it."""

    team_id: str | None = None
    enterprise_id: str | None = None
    is_enterprise_install: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class PostedMessage:
    """A message of the bot's that a click came from: rewritten as answered or superseded."""

    ts: str
    text: str = ""
    blocks: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Command:
    """What every command carries besides its own fields."""

    # The `kind` label of swf_slack_events_received: what Slack sent, not what it asks for.
    metric_kind: ClassVar[str]

    team_id: str  # the team its claim and history live under
    workspace: Workspace = field(default_factory=Workspace)
    # Claimed once in the store so a retried or duplicate delivery is dropped (None: never).
    delivery_id: str | None = None
    # The interview's thread, when there is one: errors are told there, logs name it.
    key: SessionKey | None = None
    # Handed over again after the worker process that had it died: its de-duplication claim
    # was made by that process, and a placeholder it posted may be in the thread.
    replay: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class StartInterview(Command):
    """A message addressed to the bot (an @mention, or a new DM): the thread's interview
    goes on, or one starts."""

    metric_kind = "mention"
    key: SessionKey
    user_id: str | None
    text: str  # mentions stripped
    in_thread: bool
    # Whose thread it is, and the bot's own ids: was a thread whose session is gone ours?
    parent_user_id: str | None = None
    bot_user_ids: frozenset[str] = frozenset()
    # Slack re-sends a mention (a new event id) when its author edits the message: it
    # starts an interview only where there is none (an edit that adds the mention).
    edited: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ThreadReply(Command):
    """A reply in a thread that mentions nobody: answered only if the interview can use it."""

    metric_kind = "thread_reply"
    key: SessionKey
    user_id: str | None
    text: str
    parent_user_id: str | None = None
    bot_user_ids: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True, kw_only=True)
class StartFromCommand(Command):
    """`/should-we-finetune <description>`: a root message, and the interview in its thread."""

    metric_kind = "command"
    channel_id: str
    channel_name: str | None
    user_id: str
    text: str
    response_url: str
    in_dm: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class HistoryRequested(Command):
    """`/should-we-finetune history`: recent decisions here, privately."""

    metric_kind = "command"
    channel_id: str
    user_id: str
    response_url: str
    in_dm: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class AnswerClicked(Command):
    """A choice button or menu option answering one question."""

    metric_kind = "action"
    key: SessionKey
    user_id: str | None
    field: str
    value: ScalarFact
    label: str
    question: PostedMessage | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ButtonPressed(Command):
    """*Decide now*, *Start over* or *Explain*."""

    metric_kind = "action"
    key: SessionKey
    user_id: str | None
    button: Button


@dataclass(frozen=True, slots=True, kw_only=True)
class CardButtonPressed(Command):
    """A button on the recommendation card."""

    metric_kind = "action"
    key: SessionKey
    ref: CardRef
    user_id: str | None
    trigger_id: str
    button: CardButton
    card: PostedMessage | None = None  # stripped of its buttons when it turns out outdated


@dataclass(frozen=True, slots=True, kw_only=True)
class ViewButtonPressed(Command):
    """A button in a view the card opened."""

    metric_kind = "action"
    key: SessionKey
    ref: CardRef
    user_id: str | None
    trigger_id: str
    button: ViewButton


@dataclass(frozen=True, slots=True, kw_only=True)
class WhatIfTried(Command):
    """One what-if applied: the fact and value to try (None: a button we cannot read)."""

    metric_kind = "action"
    key: SessionKey
    ref: CardRef
    user_id: str | None
    view_id: str
    tried: tuple[str, ScalarFact] | None


@dataclass(frozen=True, slots=True, kw_only=True)
class EditSubmitted(Command):
    """The Edit answers modal's validated facts, to re-run on."""

    metric_kind = "view_submission"
    key: SessionKey
    ref: CardRef
    user_id: str | None
    facts: dict[str, ScalarFact]


@dataclass(frozen=True, slots=True, kw_only=True)
class HomeOpened(Command):
    """A person opened the Home tab: publish their view."""

    metric_kind = "home_opened"
    user_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class NewDecisionRequested(Command):
    """The Home tab's *New decision* button: open the use-case modal."""

    metric_kind = "action"
    trigger_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class NewDecisionSubmitted(Command):
    """The use-case modal, submitted: the interview starts in a DM thread."""

    metric_kind = "view_submission"
    user_id: str | None
    use_case: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AssistantStarted(Command):
    """A new assistant thread: suggested prompts and a greeting."""

    metric_kind = "assistant_thread"
    key: SessionKey


@dataclass(frozen=True, slots=True, kw_only=True)
class AssistantMessage(Command):
    """A message in an assistant (DM) thread."""

    metric_kind = "thread_reply"
    key: SessionKey
    user_id: str | None
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ReminderSet(Command):
    """Schedule the follow-up check-in `weeks` from now (None: a button we cannot read)."""

    metric_kind = "action"
    key: SessionKey
    user_id: str | None
    weeks: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReminderCancelled(Command):
    """Cancel the scheduled check-in; `message_ts` is the confirmation to rewrite."""

    metric_kind = "action"
    key: SessionKey
    user_id: str | None
    scheduled_message_id: str
    message_ts: str


def command_types() -> frozenset[type[Command]]:
    """Every kind of command defined here (`__subclasses__` would also list the classes
    `slots=True` replaced)."""
    return frozenset(
        value
        for value in globals().values()
        if isinstance(value, type) and issubclass(value, Command) and value is not Command
    )


def log_ids(command: Command) -> dict[str, str]:
    """The ids that identify a command in a log line (never its text)."""
    ids = {
        "command": type(command).__name__,
        "delivery_id": command.delivery_id,
        "team_id": command.team_id,
        "channel_id": command.key.channel_id if command.key else None,
        "thread_ts": command.key.thread_ts if command.key else None,
    }
    return {name: value for name, value in ids.items() if value}
