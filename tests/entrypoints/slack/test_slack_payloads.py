"""Pure helpers over Slack payloads: escaping, predicates, ids and value encoding."""

from __future__ import annotations

import pytest

from bot.domain.recommendation import ScalarFact
from bot.entrypoints.slack.ids import (
    ANSWER_ACTION,
    action_session_key,
    decode_value,
    encode_value,
    field_of_answer_action,
    is_thread_reply,
    is_user_message,
    mentions_user,
    message_text,
    strip_markup,
    strip_mentions,
)
from bot.entrypoints.slack.mrkdwn import clip, escape


def test_escape_neutralises_markup_and_broadcasts() -> None:
    """`&`, `<`, `>` are escaped and bare @channel/@here/@everyone are broken."""
    assert escape("a & <!channel> <@U1>") == "a &amp; &lt;!channel&gt; &lt;@U1&gt;"
    assert "@here" not in escape("ping @here and @Everyone")


def test_clip_never_leaves_half_an_entity() -> None:
    """Cutting escaped text never ends in a broken `&amp` sequence."""
    clipped = clip("x" * 8 + "&amp;" + "y" * 10, 12)
    assert clipped == "x" * 8 + "…"
    assert len(clip("z" * 5000, 3000)) == 3000


@pytest.mark.parametrize("value", ["qa_over_docs", 5000, 0.25, True, False, None])
def test_button_values_round_trip(value: ScalarFact) -> None:
    """A fact value survives encoding into a button value and back, type included."""
    encoded = encode_value(value)
    assert decode_value(encoded) == value
    assert type(decode_value(encoded)) is type(value)


def test_answer_action_ids_name_their_field() -> None:
    """Answer action ids match the listener pattern and give back their field."""
    assert ANSWER_ACTION.match("swf_answer:task_type:3")
    assert ANSWER_ACTION.match("swf_answer:knowledge_volatility:select")
    assert not ANSWER_ACTION.match("swf_answer:task_type")
    assert field_of_answer_action("swf_answer:kb_size_docs:select") == "kb_size_docs"


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"user": "U1", "text": "hi"}, True),
        ({"user": "U1", "subtype": "thread_broadcast"}, True),
        ({"user": "U1", "subtype": "message_changed"}, False),
        ({"user": "U1", "subtype": "message_deleted"}, False),
        ({"user": "U1", "bot_id": "B1"}, False),
        ({"subtype": "bot_message", "bot_id": "B1"}, False),
        ({"text": "no user"}, False),
    ],
)
def test_is_user_message(event: dict[str, str], expected: bool) -> None:
    """Only new messages typed by people count; bots, edits and deletions do not."""
    assert is_user_message(event) is expected


def test_thread_reply_and_mentions() -> None:
    """Thread replies are told from roots, and mentions of the bot are found and stripped."""
    assert is_thread_reply({"ts": "2", "thread_ts": "1"})
    assert not is_thread_reply({"ts": "1", "thread_ts": "1"})
    assert mentions_user("hey <@UBOT> there", "UBOT")
    assert not mentions_user("hey <@UOTHER>", "UBOT")
    assert strip_mentions("<@UBOT> we need help") == "we need help"


def test_action_session_key_uses_the_thread_of_the_clicked_message() -> None:
    """A click on a message in a thread belongs to that thread's interview."""
    body = {
        "team": {"id": "T1"},
        "channel": {"id": "C1"},
        "container": {"message_ts": "5.0", "thread_ts": "1.0"},
        "message": {"ts": "5.0", "thread_ts": "1.0"},
    }
    key = action_session_key(body)
    assert key is not None
    assert (key.team_id, key.channel_id, key.thread_ts) == ("T1", "C1", "1.0")
    assert action_session_key({"team": {"id": "T1"}}) is None


def test_message_text_reads_slacks_entities_once() -> None:
    """Slack's `&lt;`, `&gt;`, `&amp;` become the characters typed; a typed `&lt;` (sent as
    `&amp;lt;`) stays as typed; user mentions go."""
    assert message_text("<@UBOT> p95 &lt; 2s &amp; cheap -&gt; ok") == "p95 < 2s & cheap -> ok"
    assert message_text("write &amp;lt; for <") == "write &lt; for <"


def test_message_text_reads_markup_as_words() -> None:
    """Channels read by name, links by label and address, dates by their fallback; broadcasts
    and group pings go, so an echo of the description never pings anyone."""
    assert (
        message_text("tickets from <#C2|support> and <#C3|>")
        == "tickets from #support and a channel"
    )
    assert message_text("see <https://x.io/doc|our doc> or <https://y.io>") == (
        "see our doc (https://x.io/doc) or https://y.io"
    )
    assert message_text("<!here> <!subteam^S1|@devs> we ship <!date^1700000000^{date}|Nov 14>") == (
        "we ship Nov 14"
    )
    assert "<" not in message_text("<!channel> a bot for <#C2|design>, <mailto:a@b.io|mail>")


def test_strip_markup_leaves_only_what_was_written() -> None:
    """Mentions, channel links, broadcasts and group pings are not a description."""
    assert strip_markup("<@U2|bob> <#C2|design> <!channel> <!subteam^S1|@devs>") == ""
    assert strip_markup("a bot for <#C2|design>") == "a bot for"
