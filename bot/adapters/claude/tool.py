"""The `record_facts` tool Claude is forced to call: its schema, and how its input is read.

The schema is generated from `Requirements`, never written by hand, so a new field reaches
Claude without anyone touching this file. Reading is defensive: whatever the model (or a
prompt injection through it) sends, only valid `Requirements` facts and field names survive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from bot.domain.recommendation import ScalarFact
from bot.domain.requirements import FIELD_NAMES, Requirements

TOOL_NAME = "record_facts"
TOOL_DESCRIPTION = (
    "Record the facts that the team's new message states about their AI use case. "
    "Include only fields the message gives a value for; list fields the team corrected in "
    "`corrected`, fields they said they do not know in `unknown`, and fields whose value you "
    "inferred rather than read in `inferred`."
)
LIST_KEYS: tuple[str, ...] = ("corrected", "unknown", "inferred")
LIST_DESCRIPTIONS: dict[str, str] = {
    "corrected": "fields whose earlier value the team changed",
    "unknown": "fields the team said they do not know",
    "inferred": "fields recorded above whose value the message implies but does not state",
}
# Strict tool use (constrained decoding of the input) allows at most this many optional
# parameters and parameters with union types (anyOf, a list of types) over all strict tools.
# Source: https://docs.claude.com/en/docs/build-with-claude/structured-outputs, "JSON Schema
# limitations" (read 2026-11). Every fact is optional and nullable, so `record_facts` is over
# both; `strict_mode_fits` decides from the schema itself, so a smaller tool turns strict on.
STRICT_MAX_OPTIONAL_PARAMETERS = 24
STRICT_MAX_UNION_PARAMETERS = 16
SHOWN_VALUE_MAX_CHARS = 60

# Pydantic error types that mean "a value of the right kind, outside what the field allows":
# those are the user's facts being out of range, reported back to them by field.
_RANGE_ERRORS: dict[str, str] = {
    "greater_than_equal": "at least {ge}",
    "greater_than": "greater than {gt}",
    "less_than_equal": "at most {le}",
    "less_than": "less than {lt}",
    "string_too_long": "at most {max_length} characters long",
    "enum": "one of {expected}",
    "literal_error": "one of {expected}",
}


def tool_input_schema() -> dict[str, Any]:
    """The tool's JSON schema: every Requirements field (all optional and nullable) plus the
    `corrected`, `unknown` and `inferred` lists of field names."""
    schema = Requirements.model_json_schema()
    schema.pop("title", None)
    schema.pop("description", None)
    field_list = {"type": "array", "items": {"type": "string", "enum": list(FIELD_NAMES)}}
    schema["properties"] = {
        **schema["properties"],
        **{key: {**field_list, "description": LIST_DESCRIPTIONS[key]} for key in LIST_KEYS},
    }
    schema.pop("required", None)
    return schema


def strict_mode_fits(schema: dict[str, Any]) -> bool:
    """Whether the API's strict tool use accepts `schema` (its documented complexity limits)."""
    properties: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    optional = sum(name not in required for name in properties)
    unions = sum(
        "anyOf" in prop or isinstance(prop.get("type"), list) for prop in properties.values()
    )
    return optional <= STRICT_MAX_OPTIONAL_PARAMETERS and unions <= STRICT_MAX_UNION_PARAMETERS


@dataclass
class ToolReading:
    """What survived validation of one tool input."""

    facts: dict[str, ScalarFact] = field(default_factory=dict)
    corrected: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    # Recorded facts whose value Claude inferred rather than read: confirmed when decisive.
    inferred: list[str] = field(default_factory=list)
    # Out-of-range values: field -> message naming the field and what it allows.
    rejected: dict[str, str] = field(default_factory=dict)
    # Values of the wrong kind (text for a number): fed back to Claude, not shown to users.
    type_errors: list[str] = field(default_factory=list)
    # Keys that are not Requirements fields (an injected "approach", say): dropped.
    dropped_keys: int = 0
    is_object: bool = True

    @property
    def is_malformed(self) -> bool:
        """True when nothing usable came back and something was wrong: worth asking again."""
        if not self.is_object:
            return True
        has_content = bool(self.facts or self.corrected or self.unknown or self.rejected)
        return bool(self.type_errors) and not has_content

    def feedback(self) -> str:
        """The errors, as the text of an is_error tool_result asking Claude to try again."""
        if not self.is_object:
            problems = [f"call {TOOL_NAME} with a JSON object whose keys are the schema's fields"]
        else:
            problems = self.type_errors
        lines = "\n".join(f"- {problem}" for problem in problems)
        return f"The tool input was invalid:\n{lines}\nCall {TOOL_NAME} again with valid values."


def read_tool_input(raw: object) -> ToolReading:
    """Validate a tool input field by field against `Requirements`."""
    reading = ToolReading()
    if not isinstance(raw, dict):
        reading.is_object = False
        return reading
    for key, value in raw.items():
        if key in LIST_KEYS:
            _read_field_list(reading, key=key, value=value)
        elif key in FIELD_NAMES:
            # null means "not stated": it must never erase a known fact.
            if value is not None:
                _read_fact(reading, name=key, value=value)
        else:
            reading.dropped_keys += 1
    # Only a value that was recorded can have been inferred.
    reading.inferred = [name for name in reading.inferred if name in reading.facts]
    return reading


def _read_fact(reading: ToolReading, *, name: str, value: object) -> None:
    try:
        # Lax on purpose: the model sometimes quotes a number ("20000"); the schema's ranges
        # still apply. Files and forms are validated strictly elsewhere.
        validated = Requirements.model_validate({name: value}, strict=False)
    except ValidationError as exc:
        error = exc.errors()[0]
        template = _RANGE_ERRORS.get(error["type"])
        if template is None:
            reading.type_errors.append(f"{name}: {error['msg']} (got {_shown(value)})")
        else:
            allowed = template.format(**error.get("ctx", {}))
            reading.rejected[name] = f"{name} must be {allowed} (got {_shown(value)})."
        return
    reading.facts[name] = validated.model_dump(mode="json", include={name})[name]


def _read_field_list(reading: ToolReading, *, key: str, value: object) -> None:
    if value is None:
        return
    if not isinstance(value, list):
        reading.type_errors.append(f"{key}: must be a list of field names (got {_shown(value)})")
        return
    names = [item for item in value if isinstance(item, str) and item in FIELD_NAMES]
    target = {
        "corrected": reading.corrected,
        "unknown": reading.unknown,
        "inferred": reading.inferred,
    }[key]
    target.extend(name for name in dict.fromkeys(names) if name not in target)


def _shown(value: object) -> str:
    """A value as quoted in a message: long text would swamp a one-line rejection."""
    text = repr(value)
    return text if len(text) <= SHOWN_VALUE_MAX_CHARS else text[: SHOWN_VALUE_MAX_CHARS - 1] + "…"
