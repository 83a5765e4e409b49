"""Button clicks, menu choices and the Edit answers modal."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters import metrics
from bot.adapters.slack.blocks import render_notice
from bot.adapters.slack.errors import refused
from bot.adapters.slack.ids import (
    ANSWER_ACTION,
    DECIDE_NOW_ACTION,
    EDIT_ANSWERS_ACTION,
    EDIT_MODAL_CALLBACK,
    EXPLAIN_ACTION,
    START_OVER_ACTION,
    action_session_key,
    decode_key,
    decode_value,
    field_of_answer_action,
)
from bot.adapters.slack.modal import parse_edit_submission, render_edit_modal, submission_errors
from bot.adapters.slack.poster import ThreadPoster
from bot.adapters.slack.responder import Responder, Thread, Work
from bot.interview.replies import Decision, Notice
from bot.interview.session import SessionKey
from bot.service import Interviewer, Outcome

NOTHING_TO_EDIT_TEXT = (
    "There is no recommendation in this thread to edit yet: answer the questions, "
    "or press *Decide now*."
)


def _clicked(action: dict[str, Any]) -> tuple[str, str]:
    """The raw value and the label of a clicked button or chosen option."""
    if action.get("type") == "static_select":
        option = action.get("selected_option") or {}
        return str(option.get("value", "")), str((option.get("text") or {}).get("text", ""))
    return str(action.get("value", "")), str((action.get("text") or {}).get("text", ""))


def _user_id(body: dict[str, Any]) -> str | None:
    user = (body.get("user") or {}).get("id")
    return str(user) if user else None


def _delivery_id(body: dict[str, Any]) -> str | None:
    """A click's identity: its trigger id (unique per click), else the action's timestamp."""
    delivery = body.get("trigger_id") or (body.get("actions") or [{}])[0].get("action_ts")
    return f"action:{delivery}" if delivery else None


class ActionListeners:
    def __init__(self, *, interviewer: Interviewer, responder: Responder) -> None:
        self._interviewer = interviewer
        self._responder = responder

    def register(self, app: AsyncApp) -> None:
        app.action(ANSWER_ACTION)(self.on_answer)
        app.action(DECIDE_NOW_ACTION)(self.on_decide_now)
        app.action(START_OVER_ACTION)(self.on_start_over)
        app.action(EXPLAIN_ACTION)(self.on_explain)
        app.action(EDIT_ANSWERS_ACTION)(self.on_edit_answers)
        app.view(EDIT_MODAL_CALLBACK)(self.on_edit_submitted)

    async def on_answer(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        key = action_session_key(body)
        if key is None:
            return
        raw, label = _clicked(action)
        field = field_of_answer_action(str(action.get("action_id", "")))
        user_id, interviewer = _user_id(body), self._interviewer

        async def work() -> Outcome | None:
            return await interviewer.answer(
                key, user_id=user_id, field=field, value=decode_value(raw), label=label
            )

        self._submit(body, key, work)

    async def on_decide_now(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        key = action_session_key(body)
        if key is not None:
            user_id, interviewer = _user_id(body), self._interviewer
            self._submit(body, key, lambda: interviewer.decide_now(key, user_id=user_id))

    async def on_start_over(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        key = action_session_key(body)
        if key is not None:
            user_id, interviewer = _user_id(body), self._interviewer
            self._submit(body, key, lambda: interviewer.start_over(key, user_id=user_id))

    async def on_explain(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        key = action_session_key(body)
        if key is not None:
            user_id, interviewer = _user_id(body), self._interviewer
            self._submit(body, key, lambda: interviewer.explain(key, user_id=user_id))

    async def on_edit_answers(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        key = action_session_key(body)
        if key is None:
            return
        trigger_id = str(body.get("trigger_id", ""))
        interviewer = self._interviewer

        async def open_modal(client: AsyncWebClient, thread: Thread) -> None:
            outcome = await interviewer.current(key)
            if outcome is None or not isinstance(outcome.reply, Decision):
                notice = render_notice(Notice(text=NOTHING_TO_EDIT_TEXT))
                await ThreadPoster(client).post(key, notice)
                return
            view = render_edit_modal(outcome.reply.requirements, key=key)
            try:
                await client.views_open(trigger_id=trigger_id, view=view)
            except SlackApiError as exc:
                raise refused(exc) from exc

        metrics.EVENTS_RECEIVED.labels(kind="action").inc()
        self._responder.submit(
            open_modal, key=key, team_id=key.team_id, delivery_id=_delivery_id(body)
        )

    async def on_edit_submitted(
        self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        facts = parse_edit_submission(((view.get("state") or {}).get("values")) or {})
        errors = submission_errors(facts)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        key = decode_key(str(view.get("private_metadata", "")))
        if key is None:
            return
        metrics.EVENTS_RECEIVED.labels(kind="edit").inc()
        user_id, interviewer = _user_id(body), self._interviewer
        self._responder.submit_reply(
            key, lambda: interviewer.edit(key, user_id=user_id, facts=facts)
        )

    def _submit(self, body: dict[str, Any], key: SessionKey, work: Work) -> None:
        metrics.EVENTS_RECEIVED.labels(kind="action").inc()
        self._responder.submit_reply(key, work, delivery_id=_delivery_id(body))
