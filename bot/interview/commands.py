"""Words that steer the interview instead of stating facts ("decide now", "start over", "help")."""

from __future__ import annotations

import re
from enum import StrEnum


class Command(StrEnum):
    DECIDE_NOW = "decide_now"
    START_OVER = "start_over"
    HELP = "help"
    EXPLAIN = "explain"


_PHRASES: dict[Command, tuple[str, ...]] = {
    Command.DECIDE_NOW: (
        "decide now",
        "decide",
        "just decide",
        "decide already",
        "skip",
        "skip questions",
        "recommend now",
        "give me the recommendation",
        "that's all",
        "thats all",
        "that is all",
        "no more questions",
    ),
    Command.START_OVER: ("start over", "restart", "reset", "start again", "new interview"),
    Command.HELP: ("help", "usage", "what can you do", "how does this work"),
    Command.EXPLAIN: ("explain", "why", "explain the scoring", "show the scoring"),
}
_BY_PHRASE = {phrase: command for command, phrases in _PHRASES.items() for phrase in phrases}
# Slack mentions (<@U123>), leading/trailing punctuation and "please" don't change the command.
_NOISE = re.compile(r"<@[A-Z0-9]+>|[^\w\s']|\bplease\b|\bpls\b", re.IGNORECASE)


def parse_command(text: str) -> Command | None:
    """The command `text` consists of, or None when it is an ordinary message."""
    normalized = " ".join(_NOISE.sub(" ", text).lower().split())
    return _BY_PHRASE.get(normalized)
