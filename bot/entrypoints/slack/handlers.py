"""The work behind each delivery, run on the worker after Slack has its ack.

One method per kind of delivery; each leaves exactly one reply in its thread.
Deliveries are de-duplicated through `store.claim` (shared by every replica):
events on Slack's event id, slash commands on their trigger id, clicks on the
button and the message it is on (see `_click_id`), and every failure ends as a
short message in the thread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from slack_sdk.errors import SlackApiError, SlackObjectFormationError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters import metrics
from bot.adapters.logs import bind_log_context
from bot.entrypoints.slack.blocks import Message, mark_answered, render_notice, render_question_card
from bot.entrypoints.slack.card_handlers import CardActions
from bot.entrypoints.slack.card_ids import CardRef, clicked_fingerprint, view_card_ref
from bot.entrypoints.slack.card_io import card_ts_of, ephemeral
from bot.entrypoints.slack.client import retry_handlers, slack_error_code
from bot.entrypoints.slack.command_blocks import (
    CANNOT_POST_IN_DM_TEXT,
    cannot_post_in_channel_text,
    render_command_root,
    render_history,
)
from bot.entrypoints.slack.deliveries import Delivery, Kind
from bot.entrypoints.slack.details import render_details_message
from bot.entrypoints.slack.ids import (
    action_session_key,
    answer_action_id,
    decode_key,
    decode_value,
    event_session_key,
    field_of_answer_action,
    is_thread_reply,
    strip_mentions,
)
from bot.entrypoints.slack.lost_thread import LOST_TEXT, LostThreads, bot_ids
from bot.entrypoints.slack.modal import parse_edit_submission
from bot.entrypoints.slack.outbox import Outbox
from bot.entrypoints.slack.poster import ThreadPoster
from bot.entrypoints.slack.responder import (
    THINKING_TEXT,
    ReplyThread,
    dismiss_placeholder,
    report_error,
    send_reply,
)
from bot.errors import SlackRefusedError
from bot.interview.replies import Decision, Notice
from bot.interview.session import SessionKey
from bot.ports import HistoryEntry, SessionStore
from bot.presentation.why_not import explain_why_not, parse_why_not
from bot.service import InterviewService, Outcome

log = logging.getLogger(__name__)

# Whether the delivery being handled is a replay (see Delivery.replay); per task.
_REPLAY: ContextVar[bool] = ContextVar("swf_replay", default=False)

# Slack's answers when the bot may not post where the command was run.
CANNOT_POST_ERRORS = frozenset({"not_in_channel", "channel_not_found", "is_archived"})
HISTORY_LIMIT = 10
# Out-of-order delivery: Slack does not order its deliveries, so a thread reply can arrive
# before the @mention that starts the thread's interview has been handled (here or on
# another replica). Turns on a thread are serialised by the store's lock, which the root's
# turn holds through its Claude call; so a reply that finds no session looks once more
# after this long, and by then a root delivered at about the same time has either stored
# its session or holds the lock (which the second look waits for). A reply in a thread
# that never had an interview is ignored after that one extra look (one more store read).
ROOT_GRACE_SECONDS = 1.0
# Buttons on the recommendation card, and buttons in the views the card opens.
CARD_KINDS = frozenset({Kind.DETAILS, Kind.WHAT_IF, Kind.SHARE, Kind.EDIT_ANSWERS})
VIEW_KINDS = frozenset(
    {Kind.MORE_DETAILS, Kind.TRY, Kind.CHART, Kind.EXPORT, Kind.DETAILS_IN_THREAD}
)
COMMAND_NOT_POSTED_TEXT = (
    "Slack would not take my message just now, so no interview was started. "
    "Please run the command again in a minute."
)
ALREADY_DECIDED_TEXT = (
    "This thread already has its recommendation: use *What if…* or *Edit answers* on it "
    "to change the answers."
)
# Asking for the details in the thread posts them as one message there.
DETAILS_WORDS = frozenset({"details", "show details", "more details", "show me the details"})

Job = Callable[[AsyncWebClient, ReplyThread], Awaitable[None]]


def is_direct_message(command: dict[str, Any]) -> bool:
    channel_id = str(command.get("channel_id", ""))
    return command.get("channel_name") == "directmessage" or channel_id.startswith("D")


def _user_id(body: dict[str, Any]) -> str | None:
    user = (body.get("user") or {}).get("id")
    return str(user) if user else None


def _click_id(kind: Kind, body: dict[str, Any]) -> str | None:
    """What a click is claimed on, so that a second click on the same button of the same
    message (a double click, two people, a click after the answer) is dropped.

    Answers claim the question (`swf_answer:<field>`) on their message: any second choice
    for it is dropped. *Decide now*, *Start over* and *Explain* claim the button on its
    message: each acts once per message. *Edit answers* only opens a form, so every click
    may (its trigger id, unique per click)."""
    action = (body.get("actions") or [{}])[0]
    if kind is Kind.SHARE:
        # Each version of a card is shared once, however often Share is pressed.
        card = card_ts_of(body)
        return f"share:{card}:{clicked_fingerprint(body)}" if card else None
    if kind is Kind.EDIT_ANSWERS or kind in CARD_KINDS or kind in VIEW_KINDS:
        click = body.get("trigger_id") or action.get("action_ts")
        return f"action:{click}" if click else None
    container = body.get("container") or {}
    channel_id = (body.get("channel") or {}).get("id") or container.get("channel_id")
    message_ts = (body.get("message") or {}).get("ts") or container.get("message_ts")
    action_id = str(action.get("action_id") or "")
    if kind is Kind.ANSWER:
        action_id = answer_action_id(field_of_answer_action(action_id))
    if not (channel_id and message_ts and action_id):
        return None
    return f"action:{channel_id}:{message_ts}:{action_id}"


def _command_id(command: dict[str, Any]) -> str | None:
    """What a slash command is claimed on: its trigger id, unique per invocation, so a
    replayed command (the same signed body sent again) starts no second interview."""
    trigger_id = command.get("trigger_id")
    return f"command:{trigger_id}" if trigger_id else None


def _clicked(action: dict[str, Any]) -> tuple[str, str]:
    """The raw value and the label of a clicked button or chosen option."""
    if action.get("type") == "static_select":
        option = action.get("selected_option") or {}
        return str(option.get("value", "")), str((option.get("text") or {}).get("text", ""))
    return str(action.get("value", "")), str((action.get("text") or {}).get("text", ""))


class DeliveryHandler:
    def __init__(self, *, service: InterviewService, store: SessionStore) -> None:
        self._service = service
        self._store = store
        self._card = CardActions(service=service, store=store)
        self.outbox = Outbox(store)
        self._lost_threads = LostThreads()

    async def handle(self, delivery: Delivery, client: AsyncWebClient) -> None:
        """Do the work a delivery calls for; never raises (a worker has no caller to tell)."""
        _REPLAY.set(delivery.replay)  # this task's own context: read by _run
        try:
            await self._route(delivery, client)
        except Exception as exc:  # a payload Slack should never send; _run reports the rest
            log.error(
                "unreadable delivery",
                exc_info=exc,
                extra={"kind": delivery.kind.value, "error_type": type(exc).__name__},
            )

    async def _route(self, delivery: Delivery, client: AsyncWebClient) -> None:
        body = delivery.body
        kind = delivery.kind
        if kind in (Kind.MENTION, Kind.THREAD_REPLY, Kind.DM_ROOT):
            event = body["event"]
            key = event_session_key(team_id=str(body.get("team_id", "")), event=event)
            job = self._message_job(kind, key, event, ours=bot_ids(body))
            await self._run(
                job, client, key=key, team_id=key.team_id, delivery_id=body.get("event_id")
            )
        elif kind in (Kind.COMMAND, Kind.HISTORY):
            job = self._history_job(body) if kind is Kind.HISTORY else self._command_job(body)
            await self._run(
                job,
                client,
                key=None,
                team_id=str(body.get("team_id", "")),
                delivery_id=_command_id(body),
            )
        elif kind is Kind.EDIT_SUBMITTED:
            modal_key = decode_key(str(body["view"].get("private_metadata", "")))
            if modal_key is not None:
                ref = view_card_ref(body) or CardRef(key=modal_key)
                job = self._edit_submitted_job(body, ref)
                await self._run(job, client, key=modal_key, team_id=modal_key.team_id)
        elif kind in VIEW_KINDS:
            view_ref = view_card_ref(body)
            if view_ref is not None:
                await self._run(
                    self._card.job(kind, body, view_ref),
                    client,
                    key=view_ref.key,
                    team_id=view_ref.key.team_id,
                    delivery_id=_click_id(kind, body),
                )
        elif kind in CARD_KINDS:
            clicked_key = action_session_key(body)
            if clicked_key is not None:
                card_ref = CardRef(
                    key=clicked_key, card_ts=card_ts_of(body), fingerprint=clicked_fingerprint(body)
                )
                await self._run(
                    self._card.job(kind, body, card_ref),
                    client,
                    key=clicked_key,
                    team_id=clicked_key.team_id,
                    delivery_id=_click_id(kind, body),
                )
        else:
            clicked_key = action_session_key(body)
            if clicked_key is not None:
                job = self._action_job(kind, body, clicked_key)
                await self._run(
                    job,
                    client,
                    key=clicked_key,
                    team_id=clicked_key.team_id,
                    delivery_id=_click_id(kind, body),
                )

    async def _run(
        self,
        job: Job,
        client: AsyncWebClient,
        *,
        key: SessionKey | None,
        team_id: str,
        delivery_id: str | None = None,
    ) -> None:
        """Run `job` unless this delivery was seen before; the one place errors are reported."""
        thread = ReplyThread(key=key, outbox=self.outbox)
        ids = key.model_dump() if key else {"team_id": team_id}
        with bind_log_context(**ids, request_id=delivery_id):
            try:
                if _REPLAY.get():
                    # Claimed by the worker process that died with it; clear what it showed.
                    log.info("replaying a delivery a dead worker process left unfinished")
                    if key is not None:
                        await self.outbox.remove_own_messages(client, key, text=THINKING_TEXT)
                elif delivery_id and not await self._store.claim(
                    team_id=team_id, delivery_id=delivery_id
                ):
                    metrics.DELIVERIES_DEDUPLICATED.inc()
                    log.info("duplicate delivery dropped")
                    return
                await job(client, thread)
            except SlackRefusedError as exc:
                log.warning("slack refused a call", extra={"error": exc.code})
            except Exception as exc:  # the one broad handler: log ids, tell the thread
                await report_error(exc, thread=thread, client=client)

    # -- messages ----------------------------------------------------------------------

    def _message_job(
        self, kind: Kind, key: SessionKey, event: dict[str, Any], *, ours: set[str]
    ) -> Job:
        service = self._service
        lost_threads = self._lost_threads
        user_id = event.get("user")
        text = strip_mentions(event.get("text") or "")
        in_thread = is_thread_reply(event)

        asked = parse_why_not(text) if in_thread else None

        wants_details = in_thread and text.lower().strip(" .!?") in DETAILS_WORDS

        card = self._card

        async def answer(previous: Outcome | None) -> Outcome | None:
            if asked is not None and previous is not None and isinstance(previous.reply, Decision):
                decision = previous.reply
                text_ = explain_why_not(decision.requirements, decision.recommendation, asked)
                return Outcome(Notice(text=text_), previous.session)
            if kind is Kind.THREAD_REPLY:
                # A thread reply without a mention gets an answer only if it says something
                # the interview can use (listeners already dropped chatter and asides).
                return await service.reply(key, user_id=user_id, text=text, addressed=False)
            if in_thread:
                outcome = await service.reply(key, user_id=user_id, text=text)
                if outcome is not None:
                    return outcome
            return await service.start(key, user_id=user_id, text=text)

        async def job(client: AsyncWebClient, thread: ReplyThread) -> None:
            previous = await service.current(key) if in_thread else None
            if wants_details and previous is not None and isinstance(previous.reply, Decision):
                await ThreadPoster(client).post(key, render_details_message(previous.reply))
                return

            async def work() -> Outcome | None:
                # A new decision where the thread has a card updates that card in place.
                outcome = await answer(previous)
                return await card.in_place(
                    client, key, previous=previous, outcome=outcome, user_id=user_id
                )

            outcome = await card.respond(work, client, thread)
            if outcome is None and kind is Kind.THREAD_REPLY:
                await asyncio.sleep(ROOT_GRACE_SECONDS)  # see ROOT_GRACE_SECONDS
                outcome = await card.respond(work, client, thread)
            if outcome is None and await lost_threads.was_ours(client, key, event=event, ours=ours):
                # Its session vanished (see lost_thread.py): a fresh one, so the next message
                # here is read as a new description (or `start over`), and say so.
                await service.start(key, user_id=user_id, text="")
                await send_reply(client, thread, render_notice(Notice(text=LOST_TEXT)))
            await dismiss_placeholder(client, thread)

        return job

    # -- the slash command -------------------------------------------------------------

    def _command_job(self, command: dict[str, Any]) -> Job:
        service = self._service
        text = str(command.get("text") or "").strip()
        user_id = str(command.get("user_id", ""))

        async def job(client: AsyncWebClient, thread: ReplyThread) -> None:
            root = render_command_root(description=text)
            try:
                posted: Any = await client.chat_postMessage(
                    channel=command["channel_id"],
                    text=root.text,
                    blocks=root.blocks,
                    unfurl_links=False,
                    unfurl_media=False,
                )
            except SlackApiError as exc:
                code = slack_error_code(exc)
                if code in CANNOT_POST_ERRORS:
                    log.info("cannot post where the command was run", extra={"error": code})
                    fix = (
                        CANNOT_POST_IN_DM_TEXT
                        if is_direct_message(command)
                        else cannot_post_in_channel_text(command.get("channel_name"))
                    )
                else:  # Slack failing past the retries: say so to the person, privately
                    metrics.SLACK_REPLIES_GIVEN_UP.inc()
                    log.error("command's root message given up", extra={"error": code})
                    fix = COMMAND_NOT_POSTED_TEXT
                await _ephemeral(command, render_notice(Notice(text=fix)))
                return
            key = SessionKey(
                team_id=str(command["team_id"]),
                channel_id=str(command["channel_id"]),
                thread_ts=str(posted["ts"]),
            )
            thread.key = key

            async def work() -> Outcome | None:
                return await service.start(key, user_id=user_id, text=text)

            await self._card.respond(work, client, thread)

        return job

    def _history_job(self, command: dict[str, Any]) -> Job:
        store = self._store
        team_id = str(command.get("team_id", ""))

        async def job(client: AsyncWebClient, thread: ReplyThread) -> None:
            if is_direct_message(command):
                entries = await store.history(
                    team_id=team_id, user_id=str(command.get("user_id", "")), limit=HISTORY_LIMIT
                )
            else:
                entries = await store.history(
                    team_id=team_id,
                    channel_id=str(command.get("channel_id", "")),
                    limit=HISTORY_LIMIT,
                )
            links = await asyncio.gather(*(_permalink(client, entry) for entry in entries))
            await _ephemeral(command, render_history(entries, links))

        return job

    # -- buttons, menus and the modal --------------------------------------------------

    def _action_job(self, kind: Kind, body: dict[str, Any], key: SessionKey) -> Job:
        service = self._service
        user_id = _user_id(body)
        if kind is Kind.ANSWER:
            action = (body.get("actions") or [{}])[0]
            raw, label = _clicked(action)
            field = field_of_answer_action(str(action.get("action_id", "")))

            async def answer() -> Outcome | None:
                return await service.answer(
                    key, user_id=user_id, field=field, value=decode_value(raw), label=label
                )

            async def answer_job(client: AsyncWebClient, thread: ReplyThread) -> None:
                outcome = await self._card.respond(answer, client, thread)
                if outcome is None or outcome.session is None:
                    return  # nothing was recorded (an expired thread): the question stays open
                question = body.get("message") or {}
                try:
                    answered = (
                        render_question_card(outcome.card)
                        if outcome.card is not None
                        else mark_answered(question, field=field, user_id=user_id, label=label)
                    )
                except SlackObjectFormationError:  # blocks we no longer render; leave them
                    answered = None
                if answered is not None and question.get("ts"):
                    await _rewrite(client, key, ts=str(question["ts"]), message=answered)

            return answer_job
        commands = {
            Kind.DECIDE_NOW: service.decide_now,
            Kind.START_OVER: service.start_over,
            Kind.EXPLAIN: service.explain,
        }
        command = commands[kind]

        async def run_command() -> Outcome | None:
            return await command(key, user_id=user_id)

        if kind is not Kind.DECIDE_NOW:
            return self._replying(run_command)

        async def decide_job(client: AsyncWebClient, thread: ReplyThread) -> None:
            # Decide now on an old question, once the thread has its card, would repost it.
            current = await service.current(key)
            if current is not None and isinstance(current.reply, Decision):
                await ephemeral(client, key, user_id=user_id, text=ALREADY_DECIDED_TEXT)
                return
            await self._card.respond(run_command, client, thread)

        return decide_job

    def _replying(self, work: Callable[[], Awaitable[Outcome | None]]) -> Job:
        card = self._card

        async def job(client: AsyncWebClient, thread: ReplyThread) -> None:
            await card.respond(work, client, thread)

        return job

    def _edit_submitted_job(self, body: dict[str, Any], ref: CardRef) -> Job:
        """The edited facts re-run: the card the form came from updates in place."""
        user_id = _user_id(body)
        facts = parse_edit_submission(((body["view"].get("state") or {}).get("values")) or {})
        card = self._card

        async def job(client: AsyncWebClient, thread: ReplyThread) -> None:
            await card.apply(client, thread, ref, user_id=user_id, facts=facts)

        return job


async def _rewrite(client: AsyncWebClient, key: SessionKey, *, ts: str, message: Message) -> None:
    """Best effort: an answered question that keeps its buttons is only a small nuisance."""
    try:
        await client.chat_update(
            channel=key.channel_id, ts=ts, text=message.text, blocks=message.blocks
        )
    except SlackApiError as exc:
        log.info("could not mark a question answered", extra={"error": slack_error_code(exc)})


async def _ephemeral(command: dict[str, Any], message: Message) -> None:
    """Answer only the person who ran the command, through its response_url."""
    response_url = str(command.get("response_url") or "")
    if not response_url:
        return
    await AsyncWebhookClient(response_url, retry_handlers=retry_handlers()).send(
        text=message.text,
        blocks=message.blocks,
        response_type="ephemeral",
        replace_original=False,
    )


async def _permalink(client: AsyncWebClient, entry: HistoryEntry) -> str | None:
    """A link to the entry's thread, or None when Slack will not give one."""
    try:
        response: Any = await client.chat_getPermalink(
            channel=entry.key.channel_id, message_ts=entry.key.thread_ts
        )
    except SlackApiError as exc:
        log.info("no permalink for a history entry", extra={"error": slack_error_code(exc)})
        return None
    return str(response["permalink"])
