"""Making user text safe to echo back inside Slack mrkdwn.

Slack only turns `<...>` sequences into links and mentions, so escaping `&`, `<`
and `>` neutralises `<!channel>`, `<@U123>` and `<https://...|links>`. Bare
`@here`-style words are broken with a zero-width space as a second guard, in
case a client or `link_names` ever parses them.
"""

from __future__ import annotations

import re

_BROADCAST_WORDS = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_ZERO_WIDTH_SPACE = "\u200b"
ELLIPSIS = "…"


def escape(text: str) -> str:
    """User text made inert: no markup, links, mentions or broadcasts."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST_WORDS.sub(lambda match: "@" + _ZERO_WIDTH_SPACE + match.group(1), escaped)


# "~$1,346 ... (~$1,373": two tildes meaning "about" are strikethrough markers to mrkdwn.
_APPROX_TILDE = re.compile(r"~(?=[\d$])")
APPROX_SIGN = "\u2248"  # ≈


def approx_signs(text: str) -> str:
    """Tildes that mean "about" before a number or an amount, as ≈, so mrkdwn never strikes
    through the words between two of them."""
    return _APPROX_TILDE.sub(APPROX_SIGN, text)


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, marked with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    # Never leave half an escape sequence (`&am…`) behind.
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + ELLIPSIS
