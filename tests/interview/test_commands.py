from __future__ import annotations

import pytest

from bot.interview.commands import Command, parse_command


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("decide now", Command.DECIDE_NOW),
        ("Decide now!", Command.DECIDE_NOW),
        ("<@U0BOT> decide now please", Command.DECIDE_NOW),
        ("start over", Command.START_OVER),
        ("RESET", Command.START_OVER),
        ("help", Command.HELP),
        ("explain", Command.EXPLAIN),
    ],
)
def test_command_phrases_are_recognised(text: str, expected: Command) -> None:
    """Steering phrases are recognised whatever their case, punctuation or mention."""
    assert parse_command(text) is expected


@pytest.mark.parametrize(
    "text",
    ["we need to decide now whether to tune", "help desk bot with 2M requests a month", "", "   "],
)
def test_ordinary_messages_are_not_commands(text: str) -> None:
    """A message that merely contains a command word is an ordinary message."""
    assert parse_command(text) is None
