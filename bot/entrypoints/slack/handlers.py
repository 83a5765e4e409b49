"""The interview's commands, handled on the worker after Slack has its ack: messages, the
slash command, answers, the interview's buttons and the Edit answers modal.

One method per command; each leaves exactly one reply in its thread. The dispatcher has
claimed the command once (`dispatch.py`) and turns any failure into a short message.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_sdk.errors import SlackApiError, SlackObjectFormationError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters import metrics
from bot.entrypoints.slack.blocks import Message, mark_answered, render_notice, render_question_card
from bot.entrypoints.slack.card_handlers import CardActions
from bot.entrypoints.slack.card_io import ephemeral, permalink
from bot.entrypoints.slack.client import retry_handlers, slack_error_code
from bot.entrypoints.slack.command_blocks import (
    CANNOT_POST_IN_DM_TEXT,
    cannot_post_in_channel_text,
    render_command_root,
    render_history,
)
from bot.entrypoints.slack.commands import (
    AnswerClicked,
    Button,
    ButtonPressed,
    EditSubmitted,
    HistoryRequested,
    StartFromCommand,
    StartInterview,
    ThreadReply,
)
from bot.entrypoints.slack.details import render_details_message
from bot.entrypoints.slack.lost_thread import LOST_TEXT, LostThreads
from bot.entrypoints.slack.poster import ThreadPoster
from bot.entrypoints.slack.responder import ReplyThread, dismiss_placeholder, send_reply
from bot.interview.replies import Decision, Notice
from bot.interview.session import SessionKey
from bot.ports import SessionStore
from bot.presentation.why_not import explain_why_not, parse_why_not
from bot.service import InterviewService, Outcome

log = logging.getLogger(__name__)

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


class InterviewHandlers:
    """One method per interview command (see `dispatch.handler_table`); the dispatcher has
    claimed the command and reports what they raise."""

    def __init__(
        self, *, service: InterviewService, store: SessionStore, card: CardActions
    ) -> None:
        self._service = service
        self._store = store
        self._card = card
        self._lost_threads = LostThreads()

    async def on_message(
        self, command: StartInterview | ThreadReply, client: AsyncWebClient, thread: ReplyThread
    ) -> None:
        """A message for the interview: a reply in its thread (the card updated in place for a
        new decision), the details asked for, or word that the thread's session was lost."""
        key, user_id = command.key, command.user_id
        edited = isinstance(command, StartInterview) and command.edited
        if edited and await self._store.load(key) is not None:
            return  # an edit of a message the interview already read
        previous = await self._service.current(key) if _in_thread(command) else None
        if (
            _wants_details(command)
            and previous is not None
            and isinstance(previous.reply, Decision)
        ):
            await ThreadPoster(client).post(key, render_details_message(previous.reply))
            return

        async def work() -> Outcome | None:
            # A new decision where the thread has a card updates that card in place.
            outcome = await self._answer(command, previous)
            return await self._card.in_place(
                client, key, previous=previous, outcome=outcome, user_id=user_id
            )

        outcome = await self._card.respond(work, client, thread)
        if outcome is None and isinstance(command, ThreadReply):
            await asyncio.sleep(ROOT_GRACE_SECONDS)  # see ROOT_GRACE_SECONDS
            outcome = await self._card.respond(work, client, thread)
        if outcome is None and await self._lost_threads.was_ours(
            client, key, parent_user_id=command.parent_user_id, ours=command.bot_user_ids
        ):
            # Its session vanished (see lost_thread.py): a fresh one, so the next message
            # here is read as a new description (or `start over`), and say so.
            await self._service.start(key, user_id=user_id, text="")
            await send_reply(client, thread, render_notice(Notice(text=LOST_TEXT)))
        await dismiss_placeholder(client, thread)

    async def _answer(
        self, command: StartInterview | ThreadReply, previous: Outcome | None
    ) -> Outcome | None:
        key, user_id, text = command.key, command.user_id, command.text
        asked = parse_why_not(text) if _in_thread(command) else None
        decided = _decision(previous)
        if asked is not None and previous is not None and decided is not None:
            why_not = explain_why_not(decided.requirements, decided.recommendation, asked)
            return Outcome(Notice(text=why_not), previous.session)
        if isinstance(command, ThreadReply):
            # A thread reply without a mention gets an answer only if it says something
            # the interview can use (the listener already dropped chatter and asides).
            return await self._service.reply(key, user_id=user_id, text=text, addressed=False)
        if command.in_thread:
            outcome = await self._service.reply(key, user_id=user_id, text=text)
            if outcome is not None:
                return outcome
        return await self._service.start(key, user_id=user_id, text=text)

    async def on_start_from_command(
        self, command: StartFromCommand, client: AsyncWebClient, thread: ReplyThread
    ) -> None:
        """Post the thread's root message where the command was run, then interview in it."""
        root = render_command_root(description=command.text)
        try:
            posted: Any = await client.chat_postMessage(
                channel=command.channel_id,
                text=root.text,
                blocks=root.blocks,
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as exc:
            await _ephemeral(
                command.response_url, render_notice(Notice(text=_fix_for(command, exc)))
            )
            return
        key = SessionKey(
            team_id=command.team_id, channel_id=command.channel_id, thread_ts=str(posted["ts"])
        )
        thread.key = key

        async def work() -> Outcome | None:
            return await self._service.start(key, user_id=command.user_id, text=command.text)

        await self._card.respond(work, client, thread)

    async def on_history(
        self, command: HistoryRequested, client: AsyncWebClient, thread: ReplyThread
    ) -> None:
        """The recent decisions of the person (in a DM) or of the channel, privately."""
        if command.in_dm:
            entries = await self._store.history(
                team_id=command.team_id, user_id=command.user_id, limit=HISTORY_LIMIT
            )
        else:
            entries = await self._store.history(
                team_id=command.team_id, channel_id=command.channel_id, limit=HISTORY_LIMIT
            )
        links = await asyncio.gather(
            *(permalink(client, entry.key, entry.key.thread_ts) for entry in entries)
        )
        await _ephemeral(command.response_url, render_history(entries, links))

    async def on_answer(
        self, command: AnswerClicked, client: AsyncWebClient, thread: ReplyThread
    ) -> None:
        """Record the answer; the question then shows who answered what (or the next card)."""
        key, field, user_id, label = command.key, command.field, command.user_id, command.label

        async def answer() -> Outcome | None:
            return await self._service.answer(
                key, user_id=user_id, field=field, value=command.value, label=label
            )

        outcome = await self._card.respond(answer, client, thread)
        question = command.question
        if outcome is None or outcome.session is None or question is None:
            return  # nothing was recorded (an expired thread): the question stays open
        try:
            answered = (
                render_question_card(outcome.card)
                if outcome.card is not None
                else mark_answered(question, field=field, user_id=user_id, label=label)
            )
        except SlackObjectFormationError:  # blocks we no longer render; leave them
            answered = None
        if answered is not None:
            await _rewrite(client, key, ts=question.ts, message=answered)

    async def on_button(
        self, command: ButtonPressed, client: AsyncWebClient, thread: ReplyThread
    ) -> None:
        """*Decide now*, *Start over* or *Explain*, answered in the thread."""
        key, user_id = command.key, command.user_id
        if command.button is Button.DECIDE_NOW:
            # Decide now on an old question, once the thread has its card, would repost it.
            current = await self._service.current(key)
            if current is not None and isinstance(current.reply, Decision):
                await ephemeral(client, key, user_id=user_id, text=ALREADY_DECIDED_TEXT)
                return
        run = {
            Button.DECIDE_NOW: self._service.decide_now,
            Button.START_OVER: self._service.start_over,
            Button.EXPLAIN: self._service.explain,
        }[command.button]

        async def work() -> Outcome | None:
            return await run(key, user_id=user_id)

        await self._card.respond(work, client, thread)

    async def on_edit_submitted(
        self, command: EditSubmitted, client: AsyncWebClient, thread: ReplyThread
    ) -> None:
        """The edited facts re-run: the card the form came from updates in place."""
        await self._card.apply(
            client, thread, command.ref, user_id=command.user_id, facts=command.facts
        )


def _decision(outcome: Outcome | None) -> Decision | None:
    """The thread's recommendation, when its latest reply is one."""
    return outcome.reply if outcome is not None and isinstance(outcome.reply, Decision) else None


def _in_thread(command: StartInterview | ThreadReply) -> bool:
    return isinstance(command, ThreadReply) or command.in_thread


def _wants_details(command: StartInterview | ThreadReply) -> bool:
    """Asking for the details in the thread posts them as one message there."""
    return _in_thread(command) and command.text.lower().strip(" .!?") in DETAILS_WORDS


def _fix_for(command: StartFromCommand, error: SlackApiError) -> str:
    """What to tell the person when the command's root message could not be posted."""
    code = slack_error_code(error)
    if code in CANNOT_POST_ERRORS:
        log.info("cannot post where the command was run", extra={"error": code})
        if command.in_dm:
            return CANNOT_POST_IN_DM_TEXT
        return cannot_post_in_channel_text(command.channel_name)
    # Slack failing past the retries: say so to the person, privately.
    metrics.SLACK_REPLIES_GIVEN_UP.inc()
    log.error("command's root message given up", extra={"error": code})
    return COMMAND_NOT_POSTED_TEXT


async def _rewrite(client: AsyncWebClient, key: SessionKey, *, ts: str, message: Message) -> None:
    """Best effort: an answered question that keeps its buttons is only a small nuisance."""
    try:
        await client.chat_update(
            channel=key.channel_id, ts=ts, text=message.text, blocks=message.blocks
        )
    except SlackApiError as exc:
        log.info("could not mark a question answered", extra={"error": slack_error_code(exc)})


async def _ephemeral(response_url: str, message: Message) -> None:
    """Answer only the person who ran the command, through its response_url."""
    if not response_url:
        return
    await AsyncWebhookClient(response_url, retry_handlers=retry_handlers()).send(
        text=message.text,
        blocks=message.blocks,
        response_type="ephemeral",
        replace_original=False,
    )
