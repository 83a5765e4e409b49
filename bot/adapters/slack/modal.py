"""The Edit answers modal: one input per fact, pre-filled, and the parser for its submission."""

from __future__ import annotations

import types
from enum import Enum
from typing import Any, Union, get_args, get_origin

from pydantic import ValidationError
from slack_sdk.models.blocks import (
    Block,
    InputBlock,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.adapters.slack.block_kit import context, echo_safe_strings, section
from bot.adapters.slack.ids import (
    EDIT_MODAL_CALLBACK,
    FACT_BLOCK_PREFIX,
    FACT_ELEMENT_ACTION,
    UNKNOWN_OPTION_VALUE,
    decode_value,
    encode_key,
    encode_value,
)
from bot.adapters.slack.wording import field_label
from bot.domain.recommendation import ScalarFact
from bot.domain.requirements import FIELD_NAMES, Requirements
from bot.interview.session import SessionKey

MODAL_MAX_BLOCKS = 100
USE_CASE_MAX_CHARS = 500


def _value_type(field: str) -> type:
    """The non-None type a Requirements field holds (`TaskType | None` -> TaskType)."""
    annotation = Requirements.model_fields[field].annotation
    if get_origin(annotation) in (Union, types.UnionType):
        return next(arg for arg in get_args(annotation) if arg is not type(None))  # type: ignore[no-any-return]
    return annotation  # type: ignore[return-value]


def _option(label: str, value: str) -> Option:
    return Option(text=PlainTextObject(text=label), value=value)


def _select(options: list[Option], current: str) -> StaticSelectElement:
    initial = next((option for option in options if option.value == current), options[-1])
    return StaticSelectElement(
        action_id=FACT_ELEMENT_ACTION, options=options, initial_option=initial
    )


def _element(field: str, value: ScalarFact) -> Any:
    kind = _value_type(field)
    unknown = _option("Not sure", UNKNOWN_OPTION_VALUE)
    current = UNKNOWN_OPTION_VALUE if value is None else encode_value(value)
    if isinstance(kind, type) and issubclass(kind, Enum):
        options = [
            _option(str(member.value).replace("_", " "), encode_value(member.value))
            for member in kind
        ]
        return _select([*options, unknown], current)
    if kind is bool:
        return _select([_option("Yes", "true"), _option("No", "false"), unknown], current)
    if kind in (int, float):
        return NumberInputElement(
            action_id=FACT_ELEMENT_ACTION,
            is_decimal_allowed=kind is float,
            initial_value=None if value is None else str(value),
        )
    return PlainTextInputElement(
        action_id=FACT_ELEMENT_ACTION,
        initial_value=None if value is None else str(value),
        max_length=USE_CASE_MAX_CHARS,
    )


def render_edit_modal(requirements: Requirements, *, key: SessionKey) -> dict[str, Any]:
    """A modal with every fact pre-filled; submitting it re-runs the engine in the thread."""
    blocks: list[Block] = [
        context("Change any answer; leave a field empty or *Not sure* to let me assume it.")
    ]
    for field in FIELD_NAMES:
        blocks.append(
            InputBlock(
                block_id=FACT_BLOCK_PREFIX + field,
                label=PlainTextObject(text=field_label(field)),
                element=_element(field, getattr(requirements, field)),
                hint=PlainTextObject(text=field),
                optional=True,
            )
        )
    assert len(blocks) <= MODAL_MAX_BLOCKS
    view = View(
        type="modal",
        callback_id=EDIT_MODAL_CALLBACK,
        title=PlainTextObject(text="Edit answers"),
        submit=PlainTextObject(text="Re-run"),
        close=PlainTextObject(text="Cancel"),
        private_metadata=encode_key(key),
        blocks=blocks,
    )
    return echo_safe_strings(view.to_dict())  # type: ignore[no-any-return]


def parse_edit_submission(values: dict[str, dict[str, Any]]) -> dict[str, ScalarFact]:
    """Facts from a submitted modal's `view.state.values`; empty or Not sure means None."""
    facts: dict[str, ScalarFact] = {}
    for block_id, elements in values.items():
        field = block_id.removeprefix(FACT_BLOCK_PREFIX)
        if not block_id.startswith(FACT_BLOCK_PREFIX) or field not in FIELD_NAMES:
            continue
        state = elements.get(FACT_ELEMENT_ACTION) or {}
        facts[field] = _parse_state(field, state)
    return facts


def _parse_state(field: str, state: dict[str, Any]) -> ScalarFact:
    if state.get("type") == "static_select":
        selected = (state.get("selected_option") or {}).get("value")
        if selected in (None, UNKNOWN_OPTION_VALUE):
            return None
        return decode_value(selected)
    raw = state.get("value")
    if raw is None or not str(raw).strip():
        return None
    text = str(raw).strip()
    if state.get("type") == "number_input":
        try:
            number = float(text)
        except ValueError:
            return text  # validation later names the field
        return int(number) if _value_type(field) is int and number.is_integer() else number
    return text


def submission_errors(facts: dict[str, ScalarFact]) -> dict[str, str]:
    """Slack's `response_action: errors` map (block id -> message) for invalid edited facts."""
    try:
        Requirements.model_validate({k: v for k, v in facts.items() if v is not None})
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else ""
            errors.setdefault(FACT_BLOCK_PREFIX + field, str(error["msg"]))
        return errors
    return {}


LOST_THREAD_TEXT = (
    "I can't tell which interview this form belongs to, so nothing was changed. "
    "Close it and press *Edit answers* on the recommendation in the thread again."
)


def render_lost_thread_modal() -> dict[str, Any]:
    """What a submitted form is replaced with when its thread cannot be read back from it."""
    view = View(
        type="modal",
        title=PlainTextObject(text="Edit answers"),
        close=PlainTextObject(text="Close"),
        blocks=[section(LOST_THREAD_TEXT)],
    )
    return view.to_dict()
