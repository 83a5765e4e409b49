"""The one sanitiser for user text the bot echoes back, anywhere it is shown.

It lives in the core because the facts themselves (a use case's summary) are cleaned
with it on the way in; the interview and every adapter use the same function.
"""

from __future__ import annotations

import unicodedata
from typing import Final

# Bidi embeddings, overrides and isolates, and the marks that reorder text around them.
_BIDI_CONTROLS: Final = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_DROPPED_CATEGORIES: Final = frozenset({"Cc", "Cs", "Co", "Cn"})


def echo_safe(text: str) -> str:
    """`text` safe to echo back anywhere (Slack messages, cards, modals, the terminal): the
    one sanitiser for user text the bot shows. Control characters (NUL, ESC, DEL...),
    bidi overrides (U+202E...), surrogates and unassigned code points are removed;
    newlines and tabs stay (CR and Unicode line separators become newlines); everything
    else, emoji joiners included, is kept."""
    if text.isprintable():
        return text  # nothing to remove (the common case: one C-level scan)
    kept = []
    for ch in text.replace("\r\n", "\n"):
        if ch in "\n\t":
            kept.append(ch)
        elif ch in "\r\u2028\u2029":
            kept.append("\n")
        elif ch not in _BIDI_CONTROLS and unicodedata.category(ch) not in _DROPPED_CATEGORIES:
            kept.append(ch)
    return "".join(kept)
