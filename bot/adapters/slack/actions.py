"""Button clicks, menu choices and the Edit answers modal."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters import metrics
from bot.adapters.logs import bind_log_context
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
from bot.adapters.slack.responder import Responder
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

    async def on_answer(
        self,
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        context: AsyncBoltContext,
        client: AsyncWebClient,
    ) -> None:
        await ack()
        raw, label = _clicked(action)
        field = field_of_answer_action(str(action.get("action_id", "")))
        user_id = (body.get("user") or {}).get("id")

        async def work(key: SessionKey) -> Outcome | None:
            return await self._interviewer.answer(
                key, user_id=user_id, field=field, value=decode_value(raw), label=label
            )

        await self._run(body, work, context=context, client=client)

    async def on_decide_now(
        self, ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        await ack()
        user_id = (body.get("user") or {}).get("id")

        async def work(key: SessionKey) -> Outcome | None:
            return await self._interviewer.decide_now(key, user_id=user_id)

        await self._run(body, work, context=context, client=client)

    async def on_start_over(
        self, ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        await ack()
        user_id = (body.get("user") or {}).get("id")

        async def work(key: SessionKey) -> Outcome | None:
            return await self._interviewer.start_over(key, user_id=user_id)

        await self._run(body, work, context=context, client=client)

    async def on_explain(
        self, ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        await ack()
        user_id = (body.get("user") or {}).get("id")

        async def work(key: SessionKey) -> Outcome | None:
            return await self._interviewer.explain(key, user_id=user_id)

        await self._run(body, work, context=context, client=client)

    async def on_edit_answers(
        self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        key = action_session_key(body)
        if key is None:
            return
        with self._responder.inflight.track(), _log_ids(key):
            outcome = await self._interviewer.current(key)
            if outcome is None or not isinstance(outcome.reply, Decision):
                await ThreadPoster(client).post(
                    key, render_notice(Notice(text=NOTHING_TO_EDIT_TEXT))
                )
                return
            view = render_edit_modal(outcome.reply.requirements, key=key)
            try:
                await client.views_open(trigger_id=body["trigger_id"], view=view)
            except SlackApiError as exc:
                raise refused(exc) from exc

    async def on_edit_submitted(
        self,
        ack: AsyncAck,
        body: dict[str, Any],
        view: dict[str, Any],
        context: AsyncBoltContext,
        client: AsyncWebClient,
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
        user_id = (body.get("user") or {}).get("id")

        async def work() -> Outcome | None:
            return await self._interviewer.edit(key, user_id=user_id, facts=facts)

        with self._responder.inflight.track(), _log_ids(key):
            await self._responder.respond(key, work, client=client, context=context)

    async def _run(
        self,
        body: dict[str, Any],
        work: Callable[[SessionKey], Awaitable[Outcome | None]],
        *,
        context: AsyncBoltContext,
        client: AsyncWebClient,
    ) -> None:
        """Dedupe a click on its trigger id, then run `work(key)` in the message's thread."""
        key = action_session_key(body)
        if key is None:
            return
        metrics.EVENTS_RECEIVED.labels(kind="action").inc()
        with self._responder.inflight.track(), _log_ids(key):
            delivery = body.get("trigger_id") or (body.get("actions") or [{}])[0].get("action_ts")
            if not await self._responder.claim(
                team_id=key.team_id, delivery_id=f"action:{delivery}" if delivery else None
            ):
                return
            await self._responder.respond(key, lambda: work(key), client=client, context=context)


def _log_ids(key: SessionKey) -> AbstractContextManager[None]:
    return bind_log_context(team_id=key.team_id, channel_id=key.channel_id, thread_ts=key.thread_ts)
