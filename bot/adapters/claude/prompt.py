"""The Claude extractor's static, cached prefix: the tool, the system prompt and worked examples.

Everything here is the same on every call, so the Messages API can cache it: the tool schema
first, then the system prompt with the worked examples of `prompts/extractor_examples.yaml`.
The examples teach the phrasings that are easy to misread (numbered and multi-answer replies,
negation, relative gaps, head counts beside example counts) and lift the prefix over the
cache minimum of Haiku-class models (see `bot.adapters.claude.cache`). Only the small user
turn (known facts, fields just asked, the new message) changes from call to call.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

import yaml
from anthropic.types import CacheControlEphemeralParam, TextBlockParam, ToolParam

from bot.adapters.claude.tool import (
    TOOL_DESCRIPTION,
    TOOL_NAME,
    strict_mode_fits,
    tool_input_schema,
)
from bot.adapters.prompts import prompt_path
from bot.interview.amounts import TOKENS_PER_PAGE

SYSTEM_PROMPT_FILE: Final = "extractor_system.md"
EXAMPLES_FILE: Final = "extractor_examples.yaml"
TURN_TEMPLATE_FILE: Final = "extractor_turn.md"
# Placeholders the prompt files may use; filled from the code's own constants.
PLACEHOLDERS: Final = {"{tokens_per_page}": str(TOKENS_PER_PAGE)}
EPHEMERAL: Final[CacheControlEphemeralParam] = {"type": "ephemeral"}


@dataclass(frozen=True)
class WorkedExample:
    """One question context, the team's reply, and the `record_facts` input it should give."""

    why: str
    known: dict[str, Any]
    asked: list[str]
    message: str
    call: dict[str, Any]


def load_prompt(name: str) -> str:
    text = prompt_path(name).read_text(encoding="utf-8").strip()
    for placeholder, value in PLACEHOLDERS.items():
        text = text.replace(placeholder, value)
    return text


def parse_examples(data: object) -> list[WorkedExample]:
    """The examples file's entries; a malformed entry raises ValueError naming its number."""
    if not isinstance(data, list):
        raise ValueError(f"{EXAMPLES_FILE}: expected a list of examples")
    examples = []
    for number, entry in enumerate(data, start=1):
        try:
            examples.append(
                WorkedExample(
                    why=str(entry["why"]),
                    known=dict(entry["known"]),
                    asked=[str(name) for name in entry["asked"]],
                    message=str(entry["message"]),
                    call=dict(entry["call"]),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{EXAMPLES_FILE}: example {number} is malformed ({exc})") from exc
    return examples


@cache
def load_examples() -> tuple[WorkedExample, ...]:
    text = load_prompt(EXAMPLES_FILE)
    return tuple(parse_examples(yaml.safe_load(text)))


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def render_examples(examples: tuple[WorkedExample, ...]) -> str:
    """The examples as the model will see them: the same tags as a real user turn."""
    parts = [
        "# Worked examples",
        "",
        "Each example shows a user turn and the exact `record_facts` input it should produce.",
    ]
    for number, example in enumerate(examples, start=1):
        parts += [
            "",
            f"## Example {number}: {example.why}",
            f"<known_facts>{_compact(example.known)}</known_facts>",
            f"<just_asked>{_compact(example.asked)}</just_asked>",
            f"<user_message>{example.message}</user_message>",
            f"{TOOL_NAME} input: {_compact(example.call)}",
        ]
    return "\n".join(parts)


@cache
def system_text() -> str:
    """The system prompt with the worked examples appended (all of it cached)."""
    return f"{load_prompt(SYSTEM_PROMPT_FILE)}\n\n{render_examples(load_examples())}"


def system_blocks() -> list[TextBlockParam]:
    # cache_control on the last (only) system block caches tools and system together.
    return [{"type": "text", "text": system_text(), "cache_control": EPHEMERAL}]


def tools() -> list[ToolParam]:
    """The one tool, `strict` only when the API's strict mode accepts its schema: with every
    fact optional and nullable it does not today, and field-wise pydantic validation with one
    retry does that job (schema bounds would reach Claude only as text anyway)."""
    schema = tool_input_schema()
    tool: ToolParam = {
        "name": TOOL_NAME,
        "description": TOOL_DESCRIPTION,
        "input_schema": schema,
        "cache_control": EPHEMERAL,
    }
    if strict_mode_fits(schema):
        tool["strict"] = True
    return [tool]
