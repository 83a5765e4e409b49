"""The Edit answers modal: one input per fact, pre-filled, and the parser for its submission.

The facts that decide the verdict come first and the rest follow under *More*; labels and
hints are plain words, the options are the interview's own buttons, and a value the engine
assumed shows as "assumed: …" so it can be confirmed with one choice.
"""

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

from bot.adapters.prompts import load_question_bank
from bot.domain.fields import value_words
from bot.domain.recommendation import Recommendation, ScalarFact
from bot.domain.requirements import FIELD_NAMES, Requirements
from bot.entrypoints.slack.block_kit import (
    context,
    divider,
    finish_view,
    header,
    section,
)
from bot.entrypoints.slack.card_ids import CardRef, encode_card_ref
from bot.entrypoints.slack.ids import (
    EDIT_MODAL_CALLBACK,
    FACT_BLOCK_PREFIX,
    FACT_ELEMENT_ACTION,
    UNKNOWN_OPTION_VALUE,
    decode_value,
    encode_key,
    encode_value,
)
from bot.interview.session import SessionKey
from bot.presentation.labels import fact_value, field_label

MODAL_MAX_BLOCKS = 100
OPTION_MAX_CHARS = 75
HINT_MAX_CHARS = 150
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


def _number_text(value: ScalarFact) -> str:
    """500.0 -> "500": a whole number reads as one in the form."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _choices(field: str, kind: Any) -> list[Option]:
    """The interview's buttons for `field` when it has them, else the catalogue's words."""
    spec = load_question_bank().specs.get(field)
    if spec is not None and spec.choices:
        return [_option(choice.label, encode_value(choice.value)) for choice in spec.choices]
    if kind is bool:
        return [_option("Yes", "true"), _option("No", "false")]
    return [
        _option(value_words(field, str(member.value)).capitalize(), encode_value(member.value))
        for member in kind
    ]


def _element(field: str, value: ScalarFact, *, assumed: ScalarFact = None) -> Any:
    kind = _value_type(field)
    not_sure = "Not sure"
    if assumed is not None:
        not_sure = f"Not sure (assumed: {fact_value(field, assumed)})"
    unknown = _option(not_sure[:OPTION_MAX_CHARS], UNKNOWN_OPTION_VALUE)
    current = UNKNOWN_OPTION_VALUE if value is None else encode_value(value)
    if kind is bool or (isinstance(kind, type) and issubclass(kind, Enum)):
        return _select([*_choices(field, kind), unknown], current)
    if kind in (int, float):
        return NumberInputElement(
            action_id=FACT_ELEMENT_ACTION,
            is_decimal_allowed=kind is float,
            initial_value=None if value is None else _number_text(value),
            placeholder=None
            if assumed is None
            else PlainTextObject(text=f"assumed: {fact_value(field, assumed)}"[:150]),
        )
    return PlainTextInputElement(
        action_id=FACT_ELEMENT_ACTION,
        initial_value=None if value is None else str(value),
        max_length=USE_CASE_MAX_CHARS,
    )


def decisive_first(recommendation: Recommendation | None) -> list[str]:
    """Fields in the order the modal shows them: what decides the verdict first."""
    if recommendation is None:
        return list(FIELD_NAMES)
    decisive: list[str] = ["use_case"]
    for name in [
        *(change.field for change in recommendation.what_would_change),
        *recommendation.blocked_by,
        *(p.field for p in recommendation.preconditions),
        *(fact for reason in recommendation.reasons[:1] for fact in reason.facts),
    ]:
        if name in FIELD_NAMES and name not in decisive:
            decisive.append(name)
    return decisive


def _hint(field: str, assumed: ScalarFact, *, is_assumed: bool) -> str:
    spec = load_question_bank().specs.get(field)
    hint = spec.why if spec is not None else ""
    if is_assumed and assumed is not None:
        hint = f"Assumed: {fact_value(field, assumed)}. Choose or type it to confirm. {hint}"
    return hint.strip()[:HINT_MAX_CHARS]


def _input(field: str, value: ScalarFact, assumptions: dict[str, ScalarFact]) -> InputBlock:
    is_assumed = value is None and field in assumptions
    assumed = assumptions.get(field) if is_assumed else None
    hint = _hint(field, assumed, is_assumed=is_assumed)
    label = field_label(field) + (" (assumed)" if is_assumed and assumed is not None else "")
    return InputBlock(
        block_id=FACT_BLOCK_PREFIX + field,
        label=PlainTextObject(text=label),
        element=_element(field, value, assumed=assumed),
        hint=PlainTextObject(text=hint) if hint else None,
        optional=True,
    )


def render_edit_modal(
    requirements: Requirements,
    *,
    key: SessionKey,
    recommendation: Recommendation | None = None,
    card_ts: str | None = None,
) -> dict[str, Any]:
    """A modal with every fact pre-filled, decisive facts first; submitting it re-runs the
    engine and updates the card `card_ts` in place."""
    assumptions = {a.field: a.value for a in (recommendation.assumptions if recommendation else [])}
    first = decisive_first(recommendation)
    rest = [field for field in FIELD_NAMES if field not in first]
    blocks: list[Block] = [
        context("Change any answer; leave a field empty or *Not sure* to let me assume it.")
    ]
    blocks += [_input(field, getattr(requirements, field), assumptions) for field in first]
    if rest and recommendation is not None:
        blocks += [divider(), header("More"), context("These do not change the verdict today.")]
    blocks += [_input(field, getattr(requirements, field), assumptions) for field in rest]
    assert len(blocks) <= MODAL_MAX_BLOCKS
    view = View(
        type="modal",
        callback_id=EDIT_MODAL_CALLBACK,
        title=PlainTextObject(text="Edit answers"),
        submit=PlainTextObject(text="Re-run"),
        close=PlainTextObject(text="Cancel"),
        private_metadata=encode_key(key)
        if card_ts is None
        else encode_card_ref(CardRef(key=key, card_ts=card_ts)),
        blocks=blocks,
    )
    return finish_view(view)


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
    return finish_view(view)
