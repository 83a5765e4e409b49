"""Action and callback ids, and pure predicates and parsers over Slack payload dicts."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from bot.domain.recommendation import ScalarFact
from bot.interview.session import SessionKey

ANSWER_ACTION_PREFIX = "swf_answer:"
# Buttons end in their index (ids must be unique in a block), selects in `:select`.
ANSWER_ACTION = re.compile(r"^swf_answer:[a-z_]+:(\d+|select)$")
DECIDE_NOW_ACTION = "swf_decide_now"
START_OVER_ACTION = "swf_start_over"
EDIT_ANSWERS_ACTION = "swf_edit_answers"
EXPLAIN_ACTION = "swf_explain"
EDIT_MODAL_CALLBACK = "swf_edit_modal"
# Each fact in the edit modal is an input block `fact:<field>` holding one element.
FACT_BLOCK_PREFIX = "fact:"
FACT_ELEMENT_ACTION = "value"
# A select option meaning "clear this fact", since Slack options cannot carry null.
UNKNOWN_OPTION_VALUE = "__unknown__"

# Message subtypes that are a person saying something new; everything else
# (edits, deletions, joins, bot messages) is ignored.
_USER_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})


def answer_action_id(field: str) -> str:
    return ANSWER_ACTION_PREFIX + field


def field_of_answer_action(action_id: str) -> str:
    """`swf_answer:task_type:2` -> `task_type`."""
    return action_id.removeprefix(ANSWER_ACTION_PREFIX).rsplit(":", 1)[0]


def encode_value(value: ScalarFact) -> str:
    """A fact value as a button/option value string (JSON keeps its type)."""
    return json.dumps(value, separators=(",", ":"))


def decode_value(raw: str) -> ScalarFact:
    """The fact value a button/option carried; unknown shapes come back as the raw string."""
    try:
        value = json.loads(raw)
    except ValueError:
        return raw
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return raw


def is_user_message(event: dict[str, Any]) -> bool:
    """A new message typed by a person (not a bot, not an edit or deletion)."""
    return (
        event.get("subtype") in _USER_SUBTYPES
        and not event.get("bot_id")
        and not event.get("bot_profile")
        and bool(event.get("user"))
    )


def is_thread_reply(event: dict[str, Any]) -> bool:
    thread_ts = event.get("thread_ts")
    return bool(thread_ts) and thread_ts != event.get("ts")


def mentions_user(text: str, user_id: str | None) -> bool:
    """True when `text` @-mentions `user_id` (`<@U123>` or `<@U123|name>`)."""
    return bool(user_id) and (f"<@{user_id}>" in text or f"<@{user_id}|" in text)


def strip_mentions(text: str) -> str:
    """The message without user mentions, so the extractor sees only what was said."""
    return re.sub(r"<@[A-Z0-9]+(\|[^>]*)?>", "", text).strip()


def strip_markup(text: str) -> str:
    """`text` without Slack's mentions, channel links and broadcasts (`<@U…>`, `<#C…|x>`,
    `<!here>`, `<!subteam^S…>`): what is left is what the person wrote."""
    return re.sub(r"<[@#!][^>]*>", "", text).strip()


def unescape(text: str) -> str:
    """Message text as typed: Slack sends a typed `&`, `<` and `>` as entities (`&amp;`
    last, so a typed `&lt;` stays as typed). Echoing escapes them again (mrkdwn.escape)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# Slack's markup for what is not a user mention, and how it reads as plain words: a channel
# by its name, a link by its label and address, a date by its fallback; broadcasts and group
# pings say nothing about the use case and go (echoed, they must never ping anyone).
_READABLE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"<#[A-Z0-9]+\|([^>]+)>"), r"#\1"),
    (re.compile(r"<#[A-Z0-9]+\|?>"), "a channel"),
    (re.compile(r"<![a-z^][^>|]*\|([^>]+)>"), r"\1"),
    (re.compile(r"<![^>]*>"), ""),
    (re.compile(r"<((?:https?|mailto):[^>|]+)\|([^>]+)>"), r"\2 (\1)"),
    (re.compile(r"<((?:https?|mailto):[^>|]+)>"), r"\1"),
)
_BROADCASTS = re.compile(r"<!(?:here|channel|everyone|subteam\^[^>]*)(?:\|[^>]*)?>")


def readable(text: str) -> str:
    """Slack's markup (channels, links, dates; broadcasts and group pings dropped) as the
    words a person reads; entities stay escaped (`unescape` reads them)."""
    text = _BROADCASTS.sub("", text)
    for pattern, words in _READABLE:
        text = pattern.sub(words, text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def message_text(text: str) -> str:
    """What a person wrote to the bot: user mentions removed, the rest of Slack's markup as
    plain words, Slack's entities read."""
    return unescape(readable(strip_mentions(text)))


def event_session_key(*, team_id: str, event: dict[str, Any]) -> SessionKey:
    """The interview a message belongs to: its thread, or the thread it starts."""
    return SessionKey(
        team_id=team_id,
        channel_id=event["channel"],
        thread_ts=event.get("thread_ts") or event["ts"],
    )


def action_session_key(body: dict[str, Any]) -> SessionKey | None:
    """The interview a button click belongs to, from the message that holds the button."""
    team_id = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id")
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel_id = (body.get("channel") or {}).get("id") or container.get("channel_id")
    thread_ts = (
        message.get("thread_ts")
        or container.get("thread_ts")
        or message.get("ts")
        or container.get("message_ts")
    )
    if not (team_id and channel_id and thread_ts):
        return None
    return SessionKey(team_id=team_id, channel_id=channel_id, thread_ts=thread_ts)


def encode_key(key: SessionKey) -> str:
    """A session key for a modal's private_metadata."""
    return key.model_dump_json()


def decode_key(raw: str) -> SessionKey | None:
    """The session key in a modal's metadata: the key itself, or a card reference holding it."""
    try:
        return SessionKey.model_validate_json(raw)
    except ValidationError:
        pass
    try:
        return SessionKey.model_validate(json.loads(raw)["key"])
    except (ValueError, KeyError, TypeError, ValidationError):
        return None
