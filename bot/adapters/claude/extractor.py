"""The Claude extractor: one forced tool call per user message, offline rules when Claude fails.

Each call sends a static, cached prefix (the tool schema, the system prompt and its worked
examples: `bot.adapters.claude.prompt`) and a small user turn holding only the facts known so
far, the fields just asked and the new message, so input tokens stay flat however long the
interview runs. The tool input is validated field by
field; when it is unusable Claude is asked once more with the errors, then the offline
extractor answers and the user is told why. Claude failures never raise.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import anthropic
from anthropic.types import Message, MessageParam, TextBlockParam, ToolParam, ToolUseBlock

from bot.adapters.claude.prompt import (
    TURN_TEMPLATE_FILE,
    load_prompt,
    system_blocks,
    tools,
)
from bot.adapters.claude.tool import (
    TOOL_NAME,
    ToolReading,
    read_tool_input,
)
from bot.adapters.metrics import (
    CLAUDE_CACHE_CALLS,
    CLAUDE_CACHE_TOKENS_PER_CALL,
    CLAUDE_CALLS,
    CLAUDE_LATENCY_SECONDS,
    CLAUDE_TOKENS,
)
from bot.domain.requirements import FIELD_NAMES, Requirements
from bot.errors import ExtractorUnavailableError
from bot.interview.extraction import Extraction
from bot.interview.redact import redact
from bot.ports import Extractor

logger = logging.getLogger(__name__)

MAX_OUTPUT_TOKENS: Final = 1024
# An unusable tool input is sent back with its errors this many times before giving up.
VALIDATION_RETRIES: Final = 1
# A Slack message can be 40k characters; facts fit in far fewer, and this bounds the cost.
MESSAGE_MAX_CHARS: Final = 6000
# A user cannot close the data block early by typing the delimiter themselves.
_DELIMITER = re.compile(r"<\s*/?\s*user_message\s*>", re.IGNORECASE)

# What the user is told when the offline rules answered instead, by outcome.
FALLBACK_REASONS: Final[dict[str, str]] = {
    "rate_limited": "Claude is busy right now (rate limited), so I used my offline rules "
    "for this message.",
    "overloaded": "Claude is overloaded right now, so I used my offline rules for this message.",
    "server_error": "Claude had a server error, so I used my offline rules for this message.",
    "timeout": "Claude took too long to answer, so I used my offline rules for this message.",
    "connection": "I couldn't reach Claude, so I used my offline rules for this message.",
    "refused": "Claude rejected my request (a configuration problem on my side), so I used "
    "my offline rules for this message.",
    "malformed": "Claude's answer didn't have the expected shape, so I used my offline rules "
    "for this message.",
}


class _ClaudeCallError(ExtractorUnavailableError):
    """One Claude call failed after the SDK's own retries; `outcome` is the metric label."""

    def __init__(self, outcome: str) -> None:
        super().__init__(f"Claude call failed: {outcome}", user_message=FALLBACK_REASONS[outcome])
        self.outcome = outcome


@dataclass(frozen=True)
class CallRecord:
    """One Messages API call that answered: its token usage and how long it took."""

    input_tokens: int
    output_tokens: int
    cache_read_input_tokens: int
    cache_creation_input_tokens: int
    seconds: float


CallObserver = Callable[[CallRecord], None]


def build_user_turn(*, template: str, text: str, known: Requirements, asked: Sequence[str]) -> str:
    """The per-message user turn: known facts, the fields just asked, the message as data."""
    return template.format(
        known_facts=json.dumps(known.known(), sort_keys=True, ensure_ascii=False),
        just_asked=json.dumps([name for name in asked if name in FIELD_NAMES]),
        user_message=_DELIMITER.sub("[tag removed]", text[:MESSAGE_MAX_CHARS]),
    )


def call_deadline_seconds(*, timeout_seconds: float, max_retries: int) -> float:
    """An upper bound on one call with the SDK's retries and backoff (at most 8 s each).

    It also caps a server's retry-after, which the SDK would otherwise obey however long."""
    backoff_seconds = sum(min(0.5 * 2.0**attempt, 8.0) for attempt in range(max_retries))
    return timeout_seconds * (max_retries + 1) + backoff_seconds + 1.0


class ClaudeExtractor:
    """Implements `bot.ports.Extractor` with Claude's forced tool use."""

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        base_url: str | None = None,
        fallback: Extractor,
        redact_pii: bool = False,
        timeout_seconds: float = 20.0,
        max_retries: int = 2,
        on_call: CallObserver | None = None,
    ) -> None:
        self._client = anthropic.AsyncAnthropic(
            api_key=api_key, base_url=base_url, timeout=timeout_seconds, max_retries=max_retries
        )
        self._model = model
        self._fallback = fallback
        self._redact_pii = redact_pii
        self._deadline_seconds = call_deadline_seconds(
            timeout_seconds=timeout_seconds, max_retries=max_retries
        )
        self._on_call = on_call
        self._turn_template = load_prompt(TURN_TEMPLATE_FILE)
        # The static prefix: tools come first in the cached prefix, then the system prompt
        # and its worked examples, so the whole static part is read from cache.
        self._system: list[TextBlockParam] = system_blocks()
        self._tools: list[ToolParam] = tools()

    async def extract(self, *, text: str, known: Requirements, asked: Sequence[str]) -> Extraction:
        outgoing, known_outgoing = text, known
        if self._redact_pii:
            # The known facts travel too: a use case summarised from an earlier message
            # (by the offline rules, say) must not carry what the user's text carried.
            outgoing = redact(text)
            if known.use_case is not None:
                known_outgoing = known.model_copy(update={"use_case": redact(known.use_case)})
        try:
            reading = await self._read_facts(text=outgoing, known=known_outgoing, asked=asked)
        except _ClaudeCallError as exc:
            logger.warning(
                "claude extraction fell back to offline rules", extra={"outcome": exc.outcome}
            )
            offline = await self._fallback.extract(text=text, known=known, asked=asked)
            return offline.model_copy(update={"fallback_reason": exc.user_message})
        logger.info(
            "claude extraction",
            extra={
                "facts": len(reading.facts),
                "rejected": len(reading.rejected),
                "dropped_keys": reading.dropped_keys,
            },
        )
        return Extraction(
            facts=reading.facts,
            corrected=reading.corrected,
            unknown=reading.unknown,
            inferred=reading.inferred,
            rejected=reading.rejected,
            source="claude",
        )

    async def aclose(self) -> None:
        await self._client.close()

    async def _read_facts(
        self, *, text: str, known: Requirements, asked: Sequence[str]
    ) -> ToolReading:
        turn = build_user_turn(template=self._turn_template, text=text, known=known, asked=asked)
        messages: list[MessageParam] = [
            {"role": "user", "content": [{"type": "text", "text": turn}]}
        ]
        for _ in range(1 + VALIDATION_RETRIES):
            response = await self._call(messages)
            tool_use = _tool_use_of(response)
            reading = read_tool_input(tool_use.input if tool_use else None)
            if not reading.is_malformed:
                CLAUDE_CALLS.labels("ok").inc()
                return reading
            CLAUDE_CALLS.labels("malformed").inc()
            messages = _ask_again(turn=turn, tool_use=tool_use, reading=reading)
        raise _ClaudeCallError("malformed")

    async def _call(self, messages: list[MessageParam]) -> Message:
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self._deadline_seconds):
                response = await self._client.messages.create(
                    model=self._model,
                    max_tokens=MAX_OUTPUT_TOKENS,
                    system=self._system,
                    tools=self._tools,
                    tool_choice={
                        "type": "tool",
                        "name": TOOL_NAME,
                        "disable_parallel_tool_use": True,
                    },
                    messages=messages,
                )
        except anthropic.RateLimitError as exc:
            raise _failed("rate_limited") from exc
        except anthropic.OverloadedError as exc:
            raise _failed("overloaded") from exc
        except anthropic.InternalServerError as exc:
            raise _failed("server_error") from exc
        except (anthropic.APITimeoutError, TimeoutError) as exc:
            raise _failed("timeout") from exc
        except anthropic.APIConnectionError as exc:
            raise _failed("connection") from exc
        except anthropic.APIStatusError as exc:
            # 400/401/403/404: configuration, not load; worth an operator's attention.
            logger.error("claude refused the request", extra={"status_code": exc.status_code})
            raise _failed("refused") from exc
        except (anthropic.APIError, ValueError) as exc:
            # The response itself could not be read (a body that is not JSON, a wrong shape).
            raise _failed("malformed") from exc
        finally:
            seconds = time.perf_counter() - started
            CLAUDE_LATENCY_SECONDS.observe(seconds)
        record = _record_usage(response, seconds=seconds)
        if self._on_call is not None:
            self._on_call(record)
        return response


def _failed(outcome: str) -> _ClaudeCallError:
    CLAUDE_CALLS.labels(outcome).inc()
    return _ClaudeCallError(outcome)


def _tool_use_of(response: Message) -> ToolUseBlock | None:
    for block in response.content:
        if isinstance(block, ToolUseBlock) and block.name == TOOL_NAME:
            return block
    return None


def _ask_again(
    *, turn: str, tool_use: ToolUseBlock | None, reading: ToolReading
) -> list[MessageParam]:
    """The conversation that feeds the validation errors back for one more try."""
    if tool_use is not None and reading.is_object:
        return [
            {"role": "user", "content": [{"type": "text", "text": turn}]},
            {
                "role": "assistant",
                "content": [
                    {
                        "type": "tool_use",
                        "id": tool_use.id,
                        "name": tool_use.name,
                        "input": tool_use.input,
                    }
                ],
            },
            {
                "role": "user",
                "content": [
                    {
                        "type": "tool_result",
                        "tool_use_id": tool_use.id,
                        "is_error": True,
                        "content": reading.feedback(),
                    }
                ],
            },
        ]
    # No tool call that could be answered: the same turn again, with the complaint appended.
    return [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": turn},
                {"type": "text", "text": reading.feedback()},
            ],
        }
    ]


def _record_usage(response: Message, *, seconds: float) -> CallRecord:
    usage = response.usage
    record = CallRecord(
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        cache_read_input_tokens=usage.cache_read_input_tokens or 0,
        cache_creation_input_tokens=usage.cache_creation_input_tokens or 0,
        seconds=seconds,
    )
    CLAUDE_TOKENS.labels("input").inc(record.input_tokens)
    CLAUDE_TOKENS.labels("output").inc(record.output_tokens)
    CLAUDE_TOKENS.labels("cache_read").inc(record.cache_read_input_tokens)
    CLAUDE_TOKENS.labels("cache_creation").inc(record.cache_creation_input_tokens)
    CLAUDE_CACHE_TOKENS_PER_CALL.labels("cache_read").observe(record.cache_read_input_tokens)
    CLAUDE_CACHE_TOKENS_PER_CALL.labels("cache_creation").observe(
        record.cache_creation_input_tokens
    )
    CLAUDE_CACHE_CALLS.labels(cache_outcome(record)).inc()
    return record


def cache_outcome(record: CallRecord) -> str:
    """`read` when the prefix came from the cache, `write` when it was cached now, else `none`
    (a prefix under the model's cache minimum is never cached, and the API does not say so)."""
    if record.cache_read_input_tokens:
        return "read"
    if record.cache_creation_input_tokens:
        return "write"
    return "none"
