"""Slack payloads read into commands, once, on the acking side: a command, or None for
what the bot ignores or cannot read (never an exception).

The payload's shape was checked before Bolt saw it (`payload_shape.py`); what is still
missing or of the wrong type here makes the parser return None.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from slack_bolt.request.internals import (
    extract_enterprise_id,
    extract_is_enterprise_install,
    extract_team_id,
)

from bot.entrypoints.slack.addressing import is_addressed_to_others, is_chatter
from bot.entrypoints.slack.card_ids import (
    CardRef,
    clicked_fingerprint,
    decode_try,
    view_card_ref,
)
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
from bot.entrypoints.slack.home import submitted_use_case
from bot.entrypoints.slack.ids import (
    action_session_key,
    answer_action_id,
    decode_key,
    decode_value,
    event_session_key,
    field_of_answer_action,
    is_thread_reply,
    is_user_message,
    mentions_user,
    message_text,
)
from bot.entrypoints.slack.modal import parse_edit_submission
from bot.entrypoints.slack.reminder import weeks_of
from bot.interview.session import SessionKey

log = logging.getLogger(__name__)

HISTORY_WORDS = frozenset({"history", "recent", "list"})
_CARD_BUTTONS = frozenset(CardButton)
_VIEW_BUTTONS = frozenset(ViewButton)

P = ParamSpec("P")
R = TypeVar("R")


def _tolerant(parse: Callable[P, R]) -> Callable[P, R | None]:
    """`parse`, returning None (and one log line without the payload) for a payload whose
    values have types Slack never sends."""

    @functools.wraps(parse)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return parse(*args, **kwargs)
        except (KeyError, TypeError, AttributeError, IndexError, ValueError) as exc:
            log.warning(
                "unreadable payload dropped",
                extra={"parser": parse.__name__, "error_type": type(exc).__name__},
            )
            return None

    return wrapper


def workspace_of(body: dict[str, Any]) -> Workspace:
    """The installation that answers `body`, read the way Bolt reads it."""
    return Workspace(
        team_id=extract_team_id(body),
        enterprise_id=extract_enterprise_id(body),
        is_enterprise_install=bool(extract_is_enterprise_install(body)),
    )


def _text(value: Any) -> str | None:
    return str(value) if value else None


def _user_id(body: dict[str, Any]) -> str | None:
    return _text((body.get("user") or {}).get("id"))


def _action(body: dict[str, Any]) -> dict[str, Any]:
    return dict((body.get("actions") or [{}])[0])


def _bot_ids(body: dict[str, Any]) -> frozenset[str]:
    """The bot's own user id, from the event's authorizations (Events API and Socket Mode)."""
    ids = set()
    for authorization in body.get("authorizations") or []:
        if isinstance(authorization, dict) and authorization.get("is_bot"):
            ids.add(str(authorization.get("user_id") or ""))
    return frozenset(ids - {""})


# -- messages -----------------------------------------------------------------------------


@_tolerant
def parse_mention(body: dict[str, Any]) -> StartInterview | None:
    """An `app_mention` event by a person."""
    event = body["event"]
    if not is_user_message(event):
        return None
    return _start_interview(body, event)


@_tolerant
def parse_message(
    body: dict[str, Any], *, bot_user_id: str | None
) -> StartInterview | ThreadReply | None:
    """A `message` event: a thread reply meant for the interview, a new DM, or None
    (a bot's message, an edit, a mention that `app_mention` brings, chatter, an aside)."""
    event = body["event"]
    text = str(event.get("text") or "")
    if not is_user_message(event):
        return None
    # Outside DMs a message naming the bot also comes as `app_mention`, handled there;
    # in a DM Slack sends no `app_mention`, so the message is the only delivery.
    if mentions_user(text, bot_user_id) and event.get("channel_type") != "im":
        return None
    if is_thread_reply(event):
        if is_addressed_to_others(text, bot_user_id) or is_chatter(text):
            return None  # spoken to someone else, or chatter: the bot stays quiet
        key = _event_key(body, event)
        return ThreadReply(
            team_id=key.team_id,
            workspace=workspace_of(body),
            delivery_id=_text(body.get("event_id")),
            key=key,
            user_id=_text(event.get("user")),
            text=message_text(text),
            parent_user_id=_text(event.get("parent_user_id")),
            bot_user_ids=_bot_ids(body),
        )
    if event.get("channel_type") == "im":
        return _start_interview(body, event)
    return None


def _event_key(body: dict[str, Any], event: dict[str, Any]) -> SessionKey:
    return event_session_key(team_id=str(body.get("team_id", "")), event=event)


def _start_interview(body: dict[str, Any], event: dict[str, Any]) -> StartInterview:
    key = _event_key(body, event)
    return StartInterview(
        team_id=key.team_id,
        workspace=workspace_of(body),
        delivery_id=_text(body.get("event_id")),
        key=key,
        user_id=_text(event.get("user")),
        text=message_text(str(event.get("text") or "")),
        in_thread=is_thread_reply(event),
        parent_user_id=_text(event.get("parent_user_id")),
        bot_user_ids=_bot_ids(body),
        edited=bool(event.get("edited")),
    )


# -- the slash command --------------------------------------------------------------------


def is_direct_message(command: dict[str, Any]) -> bool:
    channel_id = str(command.get("channel_id", ""))
    return command.get("channel_name") == "directmessage" or channel_id.startswith("D")


@_tolerant
def parse_slash_command(command: dict[str, Any]) -> StartFromCommand | HistoryRequested | None:
    """`/should-we-finetune history`, or a description to start on (help is answered in the ack)."""
    text = message_text(str(command.get("text") or ""))
    channel_id = _text(command.get("channel_id"))
    team_id = _text(command.get("team_id"))
    if channel_id is None or team_id is None:
        return None
    trigger_id = _text(command.get("trigger_id"))
    # Claimed on its trigger id, unique per invocation: a replayed command (the same
    # signed body sent again) starts no second interview.
    common: dict[str, Any] = {
        "team_id": team_id,
        "workspace": workspace_of(command),
        "delivery_id": f"command:{trigger_id}" if trigger_id else None,
        "channel_id": channel_id,
        "user_id": str(command.get("user_id", "")),
        "response_url": str(command.get("response_url") or ""),
        "in_dm": is_direct_message(command),
    }
    if text.lower() in HISTORY_WORDS:
        return HistoryRequested(**common)
    return StartFromCommand(**common, text=text, channel_name=_text(command.get("channel_name")))


# -- buttons, menus and the modal ---------------------------------------------------------


def _clicked_message(body: dict[str, Any]) -> PostedMessage | None:
    message = body.get("message") or {}
    if not message.get("ts"):
        return None
    return PostedMessage(
        ts=str(message["ts"]),
        text=str(message.get("text") or ""),
        blocks=tuple(block for block in message.get("blocks") or [] if isinstance(block, dict)),
    )


def _message_click_id(body: dict[str, Any], action_id: str) -> str | None:
    """A click claimed on the button and the message it is on, so that a second click on
    it (a double click, two people, a click after the answer) is dropped."""
    container = body.get("container") or {}
    channel_id = (body.get("channel") or {}).get("id") or container.get("channel_id")
    message_ts = (body.get("message") or {}).get("ts") or container.get("message_ts")
    if not (channel_id and message_ts and action_id):
        return None
    return f"action:{channel_id}:{message_ts}:{action_id}"


def _trigger_click_id(body: dict[str, Any]) -> str | None:
    """A click that may act every time (it opens a view, or acts in one): claimed on its
    trigger id, unique per click."""
    click = body.get("trigger_id") or _action(body).get("action_ts")
    return f"action:{click}" if click else None


def _clicked(action: dict[str, Any]) -> tuple[str, str]:
    """The raw value and the label of a clicked button or chosen option."""
    if action.get("type") == "static_select":
        option = action.get("selected_option") or {}
        return str(option.get("value", "")), str((option.get("text") or {}).get("text", ""))
    return str(action.get("value", "")), str((action.get("text") or {}).get("text", ""))


@_tolerant
def parse_answer(body: dict[str, Any]) -> AnswerClicked | None:
    """A choice answering a question; any second choice for the same question on the same
    message is dropped (claimed on `swf_answer:<field>`)."""
    key = action_session_key(body)
    if key is None:
        return None
    action = _action(body)
    if action.get("type") == "static_select" and not action.get("selected_option"):
        return None  # a select cleared (Slack sends `selected_option: null`): nothing chosen
    raw, label = _clicked(action)
    field = field_of_answer_action(str(action.get("action_id", "")))
    return AnswerClicked(
        team_id=key.team_id,
        workspace=workspace_of(body),
        delivery_id=_message_click_id(body, answer_action_id(field)),
        key=key,
        user_id=_user_id(body),
        field=field,
        value=decode_value(raw),
        label=label,
        question=_clicked_message(body),
    )


@_tolerant
def parse_button(
    body: dict[str, Any],
) -> ButtonPressed | CardButtonPressed | ViewButtonPressed | None:
    """One of the fixed buttons: the interview's, the card's, or one in a view it opened."""
    action_id = str(_action(body).get("action_id") or "")
    if action_id in _VIEW_BUTTONS:
        return _view_button(body, ViewButton(action_id))
    key = action_session_key(body)
    if key is None:
        return None
    if action_id in _CARD_BUTTONS:
        return _card_button(body, key, CardButton(action_id))
    return ButtonPressed(
        team_id=key.team_id,
        workspace=workspace_of(body),
        delivery_id=_message_click_id(body, action_id),
        key=key,
        user_id=_user_id(body),
        button=Button(action_id),
    )


def _card_button(body: dict[str, Any], key: SessionKey, button: CardButton) -> CardButtonPressed:
    card = _clicked_message(body)
    card_ts = card.ts if card else _text((body.get("container") or {}).get("message_ts"))
    fingerprint = clicked_fingerprint(body)
    if button is CardButton.SHARE:
        # Each version of a card is shared once, however often Share is pressed.
        delivery_id = f"share:{card_ts}:{fingerprint}" if card_ts else None
    else:
        delivery_id = _trigger_click_id(body)
    return CardButtonPressed(
        team_id=key.team_id,
        workspace=workspace_of(body),
        delivery_id=delivery_id,
        key=key,
        ref=CardRef(key=key, card_ts=card_ts, fingerprint=fingerprint),
        user_id=_user_id(body),
        trigger_id=str(body.get("trigger_id") or ""),
        button=button,
        card=card,
    )


def _view_button(body: dict[str, Any], button: ViewButton) -> ViewButtonPressed | None:
    ref = view_card_ref(body)
    if ref is None:
        return None
    return ViewButtonPressed(
        team_id=ref.key.team_id,
        workspace=workspace_of(body),
        delivery_id=_trigger_click_id(body),
        key=ref.key,
        ref=ref,
        user_id=_user_id(body),
        trigger_id=str(body.get("trigger_id") or ""),
        button=button,
    )


@_tolerant
def parse_what_if(body: dict[str, Any]) -> WhatIfTried | None:
    """A what-if button in the view the card opened."""
    ref = view_card_ref(body)
    if ref is None:
        return None
    return WhatIfTried(
        team_id=ref.key.team_id,
        workspace=workspace_of(body),
        delivery_id=_trigger_click_id(body),
        key=ref.key,
        ref=ref,
        user_id=_user_id(body),
        view_id=str((body.get("view") or {}).get("id") or ""),
        tried=decode_try(str(_action(body).get("value") or "")),
    )


@_tolerant
def parse_edit_submitted(body: dict[str, Any]) -> EditSubmitted | None:
    """The Edit answers modal (already validated in the ack): the card it came from is
    re-run on its facts."""
    view = body["view"]
    key = decode_key(str(view.get("private_metadata", "")))
    if key is None:
        return None
    return EditSubmitted(
        team_id=key.team_id,
        workspace=workspace_of(body),
        key=key,
        ref=view_card_ref(body) or CardRef(key=key),
        user_id=_user_id(body),
        facts=parse_edit_submission(((view.get("state") or {}).get("values")) or {}),
    )


# -- the Home tab, the assistant panel and check-ins --------------------------------------


def _team_id(body: dict[str, Any]) -> str:
    return str(
        body.get("team_id")
        or (body.get("team") or {}).get("id")
        or (body.get("user") or {}).get("team_id")
        or ""
    )


@_tolerant
def parse_home_opened(body: dict[str, Any]) -> HomeOpened | None:
    """The Home tab (not the Messages or About tab) opened."""
    event = body["event"]
    if event.get("tab", "home") != "home":
        return None
    return HomeOpened(
        team_id=_team_id(body),
        workspace=workspace_of(body),
        delivery_id=_text(body.get("event_id")),
        user_id=str(event.get("user") or ""),
    )


@_tolerant
def parse_new_decision(body: dict[str, Any]) -> NewDecisionRequested | None:
    return NewDecisionRequested(
        team_id=_team_id(body),
        workspace=workspace_of(body),
        trigger_id=str(body.get("trigger_id") or ""),
    )


@_tolerant
def parse_new_decision_submitted(body: dict[str, Any]) -> NewDecisionSubmitted | None:
    """The use-case modal (its length already checked in the ack); claimed on the view's
    id and hash, so a resubmission starts no second interview."""
    view = body.get("view") or {}
    return NewDecisionSubmitted(
        team_id=_team_id(body),
        workspace=workspace_of(body),
        delivery_id=f"view:{view.get('id')}:{view.get('hash')}",
        user_id=_user_id(body),
        use_case=submitted_use_case(view),
    )


def _assistant_key(team_id: str, event: dict[str, Any]) -> SessionKey:
    """The interview of an assistant thread: its DM channel and thread."""
    thread = event.get("assistant_thread") or {}
    return SessionKey(
        team_id=team_id,
        channel_id=str(thread.get("channel_id") or event["channel"]),
        thread_ts=str(thread.get("thread_ts") or event.get("thread_ts") or event["ts"]),
    )


@_tolerant
def parse_assistant_started(body: dict[str, Any]) -> AssistantStarted | None:
    return AssistantStarted(
        team_id=_team_id(body),
        workspace=workspace_of(body),
        delivery_id=_text(body.get("event_id")),
        key=_assistant_key(_team_id(body), body["event"]),
    )


@_tolerant
def parse_assistant_message(body: dict[str, Any]) -> AssistantMessage | None:
    """A person's message in an assistant (or DM) thread."""
    event = body["event"]
    if not is_user_message(event):
        return None
    return AssistantMessage(
        team_id=_team_id(body),
        workspace=workspace_of(body),
        delivery_id=_text(body.get("event_id")),
        key=_assistant_key(_team_id(body), event),
        user_id=_text(event.get("user")),
        text=message_text(str(event.get("text") or "")),
    )


@_tolerant
def parse_reminder_set(body: dict[str, Any]) -> ReminderSet | None:
    """A *Remind me* button; once per offer (claimed on the message it is on)."""
    key = action_session_key(body)
    if key is None:
        return None
    message_ts = (body.get("message") or {}).get("ts") or ""
    return ReminderSet(
        team_id=_team_id(body),
        workspace=workspace_of(body),
        delivery_id=f"remind:{key.channel_id}:{message_ts}",
        key=key,
        user_id=_user_id(body),
        weeks=weeks_of(_action(body)),
    )


@_tolerant
def parse_reminder_cancelled(body: dict[str, Any]) -> ReminderCancelled | None:
    """*Cancel reminder*; once per scheduled message."""
    key = action_session_key(body)
    if key is None:
        return None
    scheduled_message_id = str(_action(body).get("value") or "")
    return ReminderCancelled(
        team_id=_team_id(body),
        workspace=workspace_of(body),
        delivery_id=f"cancel:{key.channel_id}:{scheduled_message_id}",
        key=key,
        user_id=_user_id(body),
        scheduled_message_id=scheduled_message_id,
        message_ts=str((body.get("message") or {}).get("ts") or ""),
    )
