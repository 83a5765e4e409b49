"""The work behind the recommendation card's buttons and views (run on the worker).

One card per thread stays current: a what-if or an edit rewrites it in place
(`chat.update`) and leaves one short delta message; a click on an outdated card is
answered to the clicker alone and the old card loses its buttons. Details, what-if and
edit open views that remember the card (`CardRef`); the chart and the decision record
are uploaded into the thread with `files_upload_v2`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.recommendation import ScalarFact
from bot.entrypoints.slack.block_kit import Message
from bot.entrypoints.slack.card import (
    fingerprint,
    render_card,
    render_share,
    render_superseded_notice,
)
from bot.entrypoints.slack.card_ids import CardRef, clicked_fingerprint, decode_try
from bot.entrypoints.slack.card_io import ephemeral, permalink, superseded, upload, user_of
from bot.entrypoints.slack.chart import alt_text, render_cost_chart, today_volume
from bot.entrypoints.slack.client import refused, slack_error_code
from bot.entrypoints.slack.deliveries import Kind
from bot.entrypoints.slack.delta import delta_text, render_delta
from bot.entrypoints.slack.details import (
    render_details_message,
    render_details_view,
    render_more_view,
)
from bot.entrypoints.slack.modal import render_edit_modal
from bot.entrypoints.slack.poster import ThreadPoster
from bot.entrypoints.slack.responder import ReplyThread, respond
from bot.entrypoints.slack.what_if import render_tried_view, render_what_if_view
from bot.errors import SlackRefusedError
from bot.interview.replies import Decision, Notice
from bot.interview.session import SessionKey
from bot.ports import SessionStore
from bot.presentation.adr import render_adr
from bot.presentation.labels import fact_value, field_label
from bot.service import EXPIRED_TEXT, InterviewService, Outcome

log = logging.getLogger(__name__)

Job = Callable[[AsyncWebClient, ReplyThread], Awaitable[None]]
Work = Callable[[], Awaitable[Outcome | None]]

NOTHING_TO_EDIT_TEXT = (
    "There is no recommendation in this thread yet: answer the questions, or press *Decide now*."
)
OUTDATED_TEXT = (
    "That recommendation is out of date: the answers changed after it was posted. "
    "Use the newest recommendation in this thread."
)
SHARED_TEXT = "Shared in the channel."
CHART_FILENAME = "cost-chart.png"
RECORD_FILENAME = "decision-record.md"


def is_card(reply: object) -> bool:
    """A reply shown as the recommendation card (not the scoring in detail)."""
    return isinstance(reply, Decision) and not reply.detail


class CardActions:
    """Job factories for the card's buttons and the views they open."""

    def __init__(self, *, service: InterviewService, store: SessionStore) -> None:
        self._service = service
        self._store = store

    def job(self, kind: Kind, body: dict[str, Any], ref: CardRef) -> Job:
        user_id = user_of(body)
        trigger_id = str(body.get("trigger_id") or "")
        factories: dict[Kind, Callable[[], Job]] = {
            Kind.DETAILS: lambda: self._open_view(ref, user_id, trigger_id, body, "details"),
            Kind.WHAT_IF: lambda: self._open_view(ref, user_id, trigger_id, body, "what_if"),
            Kind.EDIT_ANSWERS: lambda: self._open_view(ref, user_id, trigger_id, body, "edit"),
            Kind.SHARE: lambda: self._share(ref, user_id, body),
            Kind.MORE_DETAILS: lambda: self._push_more(ref, trigger_id),
            Kind.TRY: lambda: self._try(ref, user_id, body),
            Kind.CHART: lambda: self._chart(ref),
            Kind.EXPORT: lambda: self._export(ref),
            Kind.DETAILS_IN_THREAD: lambda: self._details_in_thread(ref),
        }
        return factories[kind]()

    async def _current(
        self, client: AsyncWebClient, ref: CardRef, user_id: str | None
    ) -> Outcome | None:
        """The thread's decision now; None (after telling the clicker why) when there is none."""
        outcome = await self._service.current(ref.key)
        if outcome is not None and isinstance(outcome.reply, Decision):
            return outcome
        expired = await self._store.load(ref.key) is None
        await ephemeral(
            client, ref.key, user_id=user_id, text=EXPIRED_TEXT if expired else NOTHING_TO_EDIT_TEXT
        )
        return None

    async def _live_decision(
        self,
        client: AsyncWebClient,
        ref: CardRef,
        *,
        user_id: str | None,
        body: dict[str, Any],
    ) -> Decision | None:
        """The thread's decision when the clicked card still shows it; None (the clicker
        told why) when there is none or the card is outdated."""
        outcome = await self._current(client, ref, user_id)
        if outcome is None:
            return None
        decision = outcome.reply
        assert isinstance(decision, Decision)
        if await self._is_outdated(client, ref, decision, user_id=user_id, body=body):
            return None
        return decision

    async def _is_outdated(
        self,
        client: AsyncWebClient,
        ref: CardRef,
        decision: Decision,
        *,
        user_id: str | None,
        body: dict[str, Any],
    ) -> bool:
        """True (and the clicker told, the old card stripped of buttons) for an outdated card."""
        clicked = clicked_fingerprint(body)
        if clicked is None or clicked == fingerprint(decision):
            return False
        await ephemeral(client, ref.key, user_id=user_id, text=OUTDATED_TEXT)
        message = body.get("message") or {}
        if ref.card_ts and message.get("blocks"):
            try:
                await ThreadPoster(client).replace(ref.key, ref.card_ts, superseded(message))
            except SlackRefusedError as exc:  # best effort: the notice already went out
                log.info("could not mark a card superseded", extra={"error": exc.code})
        return True

    def _open_view(
        self, ref: CardRef, user_id: str | None, trigger_id: str, body: dict[str, Any], which: str
    ) -> Job:
        async def job(client: AsyncWebClient, thread: ReplyThread) -> None:
            decision = await self._live_decision(client, ref, user_id=user_id, body=body)
            if decision is None:
                return
            current = ref.model_copy(update={"fingerprint": fingerprint(decision)})
            if which == "details":
                view = render_details_view(decision, current)
            elif which == "what_if":
                view = render_what_if_view(decision, current)
            else:
                view = render_edit_modal(
                    decision.requirements,
                    key=ref.key,
                    recommendation=decision.recommendation,
                    card_ts=ref.card_ts,
                )
            try:
                await client.views_open(trigger_id=trigger_id, view=view)
            except SlackApiError as exc:
                raise refused(exc) from exc

        return job

    def _push_more(self, ref: CardRef, trigger_id: str) -> Job:
        async def job(client: AsyncWebClient, thread: ReplyThread) -> None:
            outcome = await self._service.current(ref.key)
            if outcome is None or not isinstance(outcome.reply, Decision):
                return
            try:
                await client.views_push(
                    trigger_id=trigger_id, view=render_more_view(outcome.reply, ref)
                )
            except SlackApiError as exc:
                raise refused(exc) from exc

        return job

    def _try(self, ref: CardRef, user_id: str | None, body: dict[str, Any]) -> Job:
        action = (body.get("actions") or [{}])[0]
        tried = decode_try(str(action.get("value") or ""))
        view_id = str((body.get("view") or {}).get("id") or "")

        async def job(client: AsyncWebClient, thread: ReplyThread) -> None:
            outcome = await self._current(client, ref, user_id)
            if outcome is None or outcome.session is None or tried is None:
                return
            field, value = tried
            facts = {**outcome.session.facts, field: value}
            await self.apply(client, thread, ref, user_id=user_id, facts=facts)
            summary = f"{field_label(field)}: {fact_value(field, value)}"
            if view_id:
                try:
                    await client.views_update(view_id=view_id, view=render_tried_view(summary, ref))
                except SlackApiError as exc:
                    log.info("could not update the view", extra={"error": slack_error_code(exc)})

        return job

    async def respond(
        self,
        work: Callable[[], Awaitable[Outcome | None]],
        client: AsyncWebClient,
        thread: ReplyThread,
    ) -> Outcome | None:
        """`respond`, and a card it posts becomes the thread's card."""
        outcome = await respond(work, client=client, thread=thread)
        if outcome is not None and is_card(outcome.reply) and thread.key and thread.posted_ts:
            await self.remember(client, thread.key, thread.posted_ts)
        return outcome

    async def remember(self, client: AsyncWebClient, key: SessionKey, ts: str) -> None:
        """Record `ts` as the thread's card; an earlier card says it was superseded, linked."""
        async with self._store.turn(key) as turn:
            session = turn.session
            if session is None or session.card_ts == ts:
                return
            old = session.card_ts
            turn.stage(session.model_copy(update={"card_ts": ts}))
        if old is None:
            return
        link = await permalink(client, key, ts)
        try:
            await ThreadPoster(client).replace(key, old, render_superseded_notice(link))
        except SlackRefusedError as exc:  # best effort: the old card may be gone
            log.info("could not mark a card superseded", extra={"error": exc.code})

    async def in_place(
        self,
        client: AsyncWebClient,
        key: SessionKey,
        *,
        previous: Outcome | None,
        outcome: Outcome | None,
        user_id: str | None,
    ) -> Outcome | None:
        """A new decision in a thread that has a card: the card is rewritten and the reply
        becomes the short delta. Anything else is returned as it is."""
        if outcome is None or previous is None or previous.session is None:
            return outcome
        card_ts = previous.session.card_ts
        if card_ts is None or not is_card(outcome.reply) or not is_card(previous.reply):
            return outcome
        assert isinstance(outcome.reply, Decision) and isinstance(previous.reply, Decision)
        try:
            await ThreadPoster(client).replace(key, card_ts, render_card(outcome.reply))
        except SlackRefusedError as exc:  # the card was deleted: post a new one instead
            log.info("could not update the card in place", extra={"error": exc.code})
            return outcome
        text = delta_text(previous.reply, outcome.reply, user_id=user_id)
        return Outcome(Notice(text=text, notices=outcome.reply.notices), outcome.session)

    async def apply(
        self,
        client: AsyncWebClient,
        thread: ReplyThread,
        ref: CardRef,
        *,
        user_id: str | None,
        facts: dict[str, ScalarFact],
    ) -> None:
        """Re-run on `facts`: the card `ref.card_ts` rewritten in place plus a short delta;
        without a card to rewrite, a new card is posted."""
        before = await self._service.current(ref.key)
        service = self._service

        async def work() -> Outcome | None:
            return await service.edit(ref.key, user_id=user_id, facts=facts)

        if ref.card_ts is None or before is None or not isinstance(before.reply, Decision):
            await self.respond(work, client, thread)
            return
        outcome = await service.edit(ref.key, user_id=user_id, facts=facts)
        poster = ThreadPoster(client)
        if not isinstance(outcome.reply, Decision):
            await ephemeral(client, ref.key, user_id=user_id, text=_notice_text(outcome))
            return
        await poster.replace(ref.key, ref.card_ts, render_card(outcome.reply))
        await poster.post(ref.key, render_delta(before.reply, outcome.reply, user_id=user_id))

    def _share(self, ref: CardRef, user_id: str | None, body: dict[str, Any]) -> Job:
        async def job(client: AsyncWebClient, thread: ReplyThread) -> None:
            decision = await self._live_decision(client, ref, user_id=user_id, body=body)
            if decision is None:
                return
            link = await permalink(client, ref.key, ref.card_ts or ref.key.thread_ts)
            try:
                await client.chat_postMessage(
                    channel=ref.key.channel_id,
                    **_as_kwargs(render_share(decision, link=link, user_id=user_id)),
                    unfurl_links=False,
                    unfurl_media=False,
                )
            except SlackApiError as exc:
                raise refused(exc) from exc
            await ephemeral(client, ref.key, user_id=user_id, text=SHARED_TEXT)

        return job

    def _details_in_thread(self, ref: CardRef) -> Job:
        async def job(client: AsyncWebClient, thread: ReplyThread) -> None:
            outcome = await self._service.current(ref.key)
            if outcome is None or not isinstance(outcome.reply, Decision):
                return
            await ThreadPoster(client).post(ref.key, render_details_message(outcome.reply))

        return job

    def _chart(self, ref: CardRef) -> Job:
        async def job(client: AsyncWebClient, thread: ReplyThread) -> None:
            outcome = await self._service.current(ref.key)
            if outcome is None or not isinstance(outcome.reply, Decision):
                return
            rec = outcome.reply.recommendation
            volume = today_volume(rec, outcome.reply.requirements.requests_per_month)
            # matplotlib is CPU-bound: draw in a thread so the event loop keeps serving.
            png = await asyncio.to_thread(render_cost_chart, rec, volume=volume)
            await upload(
                client,
                ref.key,
                content=png,
                filename=CHART_FILENAME,
                title="Monthly cost by volume",
                alt=alt_text(rec, volume),
            )

        return job

    def _export(self, ref: CardRef) -> Job:
        async def job(client: AsyncWebClient, thread: ReplyThread) -> None:
            outcome = await self._service.current(ref.key)
            if outcome is None or not isinstance(outcome.reply, Decision):
                return
            decision = outcome.reply
            record = render_adr(
                decision.requirements,
                decision.recommendation,
                decided_on=datetime.now(UTC).date(),
            )
            await upload(
                client,
                ref.key,
                content=record.encode(),
                filename=RECORD_FILENAME,
                title="Decision record",
                alt=None,
            )

        return job


def _notice_text(outcome: Outcome) -> str:
    reply = outcome.reply
    return reply.text if isinstance(reply, Notice) else "Nothing changed."


def _as_kwargs(message: Message) -> dict[str, Any]:
    return {"text": message.text, "blocks": message.blocks}
