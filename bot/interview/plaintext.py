"""Slack message text as plain prose: mentions, links and entities resolved, sentences split."""

from __future__ import annotations

import re
from typing import Final

# Slack's control sequences: <@U123>, <#C123|name>, <!channel>, <https://x|label>, <mailto:..>.
_SLACK_TOKEN: Final = re.compile(r"<(?P<kind>[@#!]|https?:|mailto:)(?P<body>[^<>\n]{0,500})>")
_EMPHASIS: Final = re.compile(r"[*`]+")
# Slack italics wrap words in underscores; field names like requests_per_month keep theirs.
_ITALIC: Final = re.compile(r"(?<!\w)_(?P<inner>[^_\n]{1,200})_(?!\w)")
_SENTENCE_END: Final = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9'\"(~$])|\s*\n\s*")
_GREETING: Final = re.compile(
    r"^\s*(?:(?:hi|hey|hello|hiya|morning|good (?:morning|afternoon))\b[^.!?,]{0,20}[,!.]?\s*)+",
    re.IGNORECASE,
)
MIN_SUMMARY_WORDS: Final = 6
_EMOJI: Final = re.compile(r":[a-z0-9_+-]{1,40}:")


def to_plain_text(text: str) -> str:
    """The words a person wrote, without Slack's markup (so `<!channel>` is just noise)."""

    def label(match: re.Match[str]) -> str:
        if match.group("kind") in {"@", "#", "!"}:
            return ""
        _, _, shown = match.group("body").partition("|")
        return shown

    plain = _SLACK_TOKEN.sub(label, text)
    plain = plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    # An emoji often ends a sentence (":wave: We'd like"), so it becomes a line break.
    plain = _ITALIC.sub(r"\g<inner>", _EMPHASIS.sub("", plain))
    plain = _EMOJI.sub("\n", plain)
    return re.sub(r"[ \t]+", " ", plain).strip()


def is_substantial(sentence: str) -> bool:
    """More than a sign-off or an introduction ("D2C pet-food brand.")."""
    return len(sentence.split()) >= MIN_SUMMARY_WORDS


def sentences(text: str) -> list[str]:
    """Sentences, split where a full stop is followed by a new sentence."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def without_greeting(text: str) -> str:
    return _GREETING.sub("", text, count=1)
