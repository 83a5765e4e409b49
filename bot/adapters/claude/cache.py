"""What the Messages API will cache: the minimum prefix length per model family.

A prompt prefix shorter than the model's minimum is processed normally and silently not
cached: the request succeeds and both cache fields of `usage` stay 0. `doctor` compares the
extractor's prefix with this table, and the fake Messages API in tests obeys it.

Source: Anthropic, "Prompt caching" > "Cache limitations" (minimum cacheable prompt length),
https://docs.claude.com/en/docs/build-with-claude/prompt-caching, read 2026-11. Models the
table does not name get the largest documented minimum, so a warning errs on the safe side.
"""

from __future__ import annotations

from typing import Final

# First match wins: more specific prefixes come before their family's general entry.
CACHE_MINIMUM_TOKENS: Final[tuple[tuple[str, int], ...]] = (
    ("claude-3-haiku", 2048),
    ("claude-3-5-haiku", 2048),
    ("claude-haiku-3", 2048),
    ("claude-haiku", 4096),  # Haiku 4.5 and later
    ("claude-opus-4-5", 4096),
    ("claude-opus-4-6", 4096),
    ("claude-opus-4-0", 1024),
    ("claude-opus-4-1", 1024),
    ("claude-opus-4-2025", 1024),  # dated Opus 4 snapshots
    ("claude-sonnet-4-6", 2048),
    ("claude-sonnet-4-5", 1024),
    ("claude-sonnet-4-0", 1024),
    ("claude-sonnet-4-2025", 1024),  # dated Sonnet 4 snapshots
    ("claude-3-7-sonnet", 1024),
    ("claude-3-5-sonnet", 1024),
    ("claude-3-opus", 1024),
)
UNLISTED_MODEL_MINIMUM_TOKENS: Final = 4096
SOURCE: Final = "https://docs.claude.com/en/docs/build-with-claude/prompt-caching"


def cache_minimum_tokens(model: str) -> int:
    """The shortest prefix `model` caches, in tokens (the largest known one when unlisted)."""
    name = model.strip().lower()
    for prefix, minimum in CACHE_MINIMUM_TOKENS:
        if name.startswith(prefix):
            return minimum
    return UNLISTED_MODEL_MINIMUM_TOKENS
