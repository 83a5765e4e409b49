"""Whether a thread message is for the bot at all: pure predicates over the message text.

In a thread with an interview the bot speaks only when spoken to. Messages addressed
to a colleague (`<@U…>` that is not the bot) and chatter ("thanks!", "lgtm", an emoji)
are left alone before any work is queued; anything else is read, and answered only
when it says something the interview can use (see `InterviewService.reply(addressed=...)`).
"""

from __future__ import annotations

import re
from typing import Final

_MENTION: Final = re.compile(r"<@(?P<user>[UW][A-Z0-9]+)(?:\|[^>]*)?>")
_EMOJI: Final = re.compile(r":[a-z0-9_+'-]+:")
# Acknowledgements and reactions in words; kept to phrases that answer no question the bot
# asks ("ok" and "sure" can answer a yes/no question, so they are not here).
_CHATTER: Final = re.compile(
    r"^(?:thanks?(?: (?:you|a lot|so much|all|everyone|team))?|thank you(?: so much)?|thx|ty"
    r"|tysm|cheers|lgtm|looks good(?: to me)?|sounds good|nice(?: one)?|great|cool|awesome"
    r"|perfect|neat|makes sense|got it|will do|\+1|lol|haha+|wow|interesting|brb"
    r"|good (?:call|point|idea)|love (?:it|this))(?: [!.]*)?$",
    re.IGNORECASE,
)


def is_addressed_to_others(text: str, bot_user_id: str | None) -> bool:
    """True when the message @-mentions someone and not the bot ("<@U2> can you share...")."""
    users = {match.group("user") for match in _MENTION.finditer(text)}
    return bool(users) and bot_user_id not in users


def is_chatter(text: str) -> bool:
    """True for an acknowledgement or reaction with nothing to read: "thanks!", "lgtm :+1:",
    emoji only."""
    words = _EMOJI.sub(" ", text)
    # Unicode emoji and punctuation carry nothing the interview reads.
    words = "".join(ch for ch in words if ch.isalnum() or ch.isspace() or ch in "+'")
    words = " ".join(words.split())
    return not words or _CHATTER.match(words) is not None
