"""`doctor`'s prompt-cache checks for the Claude extractor.

A prefix under the model's cache minimum is silently not cached: the calls work and cost up to
ten times more input than they should. The first check counts the extractor's exact prefix
(tools, system prompt, worked examples) with the free `count_tokens` endpoint and compares it
with `bot.adapters.claude.cache`; `--live` makes two real calls and reports whether the second
was read from the cache, which is the only proof that caching happens for this key and model.
"""

from __future__ import annotations

from typing import Final

import anthropic
from anthropic.types import MessageParam

from bot.adapters.claude.cache import SOURCE, cache_minimum_tokens
from bot.adapters.claude.prompt import system_blocks, tools
from bot.adapters.claude.tool import TOOL_NAME
from bot.entrypoints.doctor.checklist import Check, Status
from bot.settings import Settings

NAME: Final = "Claude prompt cache"
TIMEOUT_SECONDS: Final = 10.0
# The live check's two calls need no real answer: a forced tool call cut short is enough.
LIVE_MAX_TOKENS: Final = 16
_PROBE: Final[list[MessageParam]] = [
    {"role": "user", "content": "<user_message>doctor check</user_message>"}
]


def _client(settings: Settings, key: str) -> anthropic.AsyncAnthropic:
    return anthropic.AsyncAnthropic(
        api_key=key,
        base_url=settings.anthropic_base_url,
        timeout=TIMEOUT_SECONDS,
        max_retries=0,
    )


async def count_prefix_tokens(client: anthropic.AsyncAnthropic, model: str) -> int:
    """The extractor prefix's tokens as the API counts them: the request with the prefix,
    minus the same request without it."""
    with_prefix = await client.messages.count_tokens(
        model=model, system=system_blocks(), tools=tools(), messages=_PROBE
    )
    alone = await client.messages.count_tokens(model=model, messages=_PROBE)
    return with_prefix.input_tokens - alone.input_tokens


async def prefix_check(settings: Settings) -> Check | None:
    """The prefix against the model's cache minimum; None when Claude is not configured."""
    if settings.anthropic_api_key is None:
        return None
    model = settings.anthropic_model
    minimum = cache_minimum_tokens(model)
    async with _client(settings, settings.anthropic_api_key.get_secret_value()) as client:
        try:
            tokens = await count_prefix_tokens(client, model)
        except anthropic.APIStatusError as exc:
            return Check(NAME, Status.WARN, f"could not count the prefix (HTTP {exc.status_code})")
        except anthropic.APIConnectionError as exc:
            return Check(NAME, Status.WARN, f"could not count the prefix ({type(exc).__name__})")
    if tokens < minimum:
        return Check(
            NAME,
            Status.WARN,
            f"the extractor's prefix is {tokens:,} tokens, under the {minimum:,}-token cache "
            f"minimum of {model}: nothing is cached and every call pays full input price",
            "add worked examples to prompts/extractor_examples.yaml, or choose a model with a "
            f"lower minimum (see {SOURCE})",
        )
    return Check(
        NAME,
        Status.OK,
        f"prefix {tokens:,} tokens, over the {minimum:,}-token cache minimum of {model}",
    )


async def live_check(settings: Settings) -> Check:
    """Two real extractor-shaped calls: was the second one's prefix read from the cache?"""
    if settings.anthropic_api_key is None:
        return Check(
            NAME,
            Status.WARN,
            "--live needs ANTHROPIC_API_KEY: no calls made",
            "set ANTHROPIC_API_KEY and run `should-we-finetune doctor --live` again",
        )
    reads: list[int] = []
    writes: list[int] = []
    async with _client(settings, settings.anthropic_api_key.get_secret_value()) as client:
        for _ in range(2):
            try:
                response = await client.messages.create(
                    model=settings.anthropic_model,
                    max_tokens=LIVE_MAX_TOKENS,
                    system=system_blocks(),
                    tools=tools(),
                    tool_choice={"type": "tool", "name": TOOL_NAME},
                    messages=_PROBE,
                )
            except anthropic.APIStatusError as exc:
                return Check(NAME, Status.FAIL, f"live call failed (HTTP {exc.status_code})")
            except anthropic.APIConnectionError as exc:
                return Check(NAME, Status.FAIL, f"live call failed ({type(exc).__name__})")
            reads.append(response.usage.cache_read_input_tokens or 0)
            writes.append(response.usage.cache_creation_input_tokens or 0)
    if reads[1] > 0:
        return Check(
            NAME, Status.OK, f"live: the second call read {reads[1]:,} tokens from the cache"
        )
    if writes[0] == 0 and reads[0] == 0:
        return Check(
            NAME,
            Status.WARN,
            "live: neither call touched the cache (the prefix is probably under the model's "
            "minimum)",
            f"make the prefix longer than the model's cache minimum (see {SOURCE})",
        )
    return Check(
        NAME,
        Status.WARN,
        f"live: the first call wrote {writes[0]:,} tokens to the cache but the second did not "
        "read them",
        "run it again: a cache entry can take a moment to become readable; if it persists, "
        "check that nothing in the prefix changes between calls",
    )
