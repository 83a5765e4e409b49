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
from bot.entrypoints.slack.card_ids import CardRef
from bot.entrypoints.slack.card_io import ephemeral, permalink, superseded, upload
from bot.entrypoints.slack.chart import alt_text, render_cost_chart, today_volume
from bot.entrypoints.slack.client import refused, slack_error_code
from bot.entrypoints.slack.commands import (
    CardButton,
    CardButtonPressed,
    ViewButton,
    ViewButtonPressed,
    WhatIfTried,
)
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
    """The card's buttons and the views they open; and the card kept current in its thread."""

    def __init__(self, *, service: InterviewService, store: SessionStore) -> None:
        self._service = service
        self._store = store

    async def on_card_button(
        self, command: CardButtonPressed, client: AsyncWebClient, thread: ReplyThread
    ) -> None:
        """Open the details, what-if or edit view on the card, or share it in the channel."""
        decision = await self._live_decision(client, command)
        if decision is None:
            return
        if command.button is CardButton.SHARE:
            await self._share(client, command, decision)
            return
        current = command.ref.model_copy(update={"fingerprint": fingerprint(decision)})
        if command.button is CardButton.DETAILS:
            view = render_details_view(decision, current)
        elif command.button is CardButton.WHAT_IF:
            view = render_what_if_view(decision, current)
        else:
            view = render_edit_modal(
                decision.requirements,
                key=command.key,
                recommendation=decision.recommendation,
                card_ts=command.ref.card_ts,
            )
        try:
            await client.views_open(trigger_id=command.trigger_id, view=view)
        except SlackApiError as exc:
            raise refused(exc) from exc

    async def on_view_button(
        self, command: ViewButtonPressed, client: AsyncWebClient, thread: ReplyThread
    ) -> None:
        """More details, the cost chart, the decision record, or the details in the thread."""
        outcome = await self._service.current(command.key)
        if outcome is None or not isinstance(outcome.reply, Decision):
            return
        decision, key = outcome.reply, command.key
        if command.button is ViewButton.MORE_DETAILS:
            try:
                view = render_more_view(decision, command.ref)
                await client.views_push(trigger_id=command.trigger_id, view=view)
            except SlackApiError as exc:
                raise refused(exc) from exc
        elif command.button is ViewButton.CHART:
            await _upload_chart(client, key, decision)
        elif command.button is ViewButton.EXPORT:
            await _upload_record(client, key, decision)
        else:
            await ThreadPoster(client).post(key, render_details_message(decision))

    async def on_what_if(
        self, command: WhatIfTried, client: AsyncWebClient, thread: ReplyThread
    ) -> None:
        """Apply one what-if: the card updates in place, the view says what was tried."""
        ref, user_id = command.ref, command.user_id
        outcome = await self._current(client, ref, user_id)
        if outcome is None or outcome.session is None or command.tried is None:
            return
        field, value = command.tried
        facts = {**outcome.session.facts, field: value}
        await self.apply(client, thread, ref, user_id=user_id, facts=facts)
        summary = f"{field_label(field)}: {fact_value(field, value)}"
        if command.view_id:
            try:
                view = render_tried_view(summary, ref)
                await client.views_update(view_id=command.view_id, view=view)
            except SlackApiError as exc:
                log.info("could not update the view", extra={"error": slack_error_code(exc)})

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
        self, client: AsyncWebClient, command: CardButtonPressed
    ) -> Decision | None:
        """The thread's decision when the clicked card still shows it; None (the clicker
        told why) when there is none or the card is outdated."""
        outcome = await self._current(client, command.ref, command.user_id)
        if outcome is None:
            return None
        decision = outcome.reply
        assert isinstance(decision, Decision)
        if await self._is_outdated(client, command, decision):
            return None
        return decision

    async def _is_outdated(
        self, client: AsyncWebClient, command: CardButtonPressed, decision: Decision
    ) -> bool:
        """True (and the clicker told, the old card stripped of buttons) for an outdated card."""
        ref, card = command.ref, command.card
        if ref.fingerprint is None or ref.fingerprint == fingerprint(decision):
            return False
        await ephemeral(client, ref.key, user_id=command.user_id, text=OUTDATED_TEXT)
        if ref.card_ts and card is not None and card.blocks:
            try:
                await ThreadPoster(client).replace(ref.key, ref.card_ts, superseded(card))
            except SlackRefusedError as exc:  # best effort: the notice already went out
                log.info("could not mark a card superseded", extra={"error": exc.code})
        return True

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

    async def _share(
        self, client: AsyncWebClient, command: CardButtonPressed, decision: Decision
    ) -> None:
        ref, user_id = command.ref, command.user_id
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


async def _upload_chart(client: AsyncWebClient, key: SessionKey, decision: Decision) -> None:
    rec = decision.recommendation
    volume = today_volume(rec, decision.requirements.requests_per_month)
    # matplotlib is CPU-bound: draw in a thread so the event loop keeps serving.
    png = await asyncio.to_thread(render_cost_chart, rec, volume=volume)
    await upload(
        client,
        key,
        content=png,
        filename=CHART_FILENAME,
        title="Monthly cost by volume",
        alt=alt_text(rec, volume),
    )


async def _upload_record(client: AsyncWebClient, key: SessionKey, decision: Decision) -> None:
    record = render_adr(
        decision.requirements, decision.recommendation, decided_on=datetime.now(UTC).date()
    )
    await upload(
        client,
        key,
        content=record.encode(),
        filename=RECORD_FILENAME,
        title="Decision record",
        alt=None,
    )


def _notice_text(outcome: Outcome) -> str:
    reply = outcome.reply
    return reply.text if isinstance(reply, Notice) else "Nothing changed."


def _as_kwargs(message: Message) -> dict[str, Any]:
    return {"text": message.text, "blocks": message.blocks}
