"""The AI assistant panel: suggested prompts on a new thread, then the same interview in it.

While a turn is worked on, the thread shows Slack's "is thinking…" status
(`assistant.threads.setStatus`) instead of a placeholder message; Slack clears it when the
reply is posted. Direct-message threads that are not assistant threads refuse the status
call: those get the usual placeholder. The thread's title becomes the use case once known.

Bolt's assistant middleware takes every user message in a DM thread, so this is also
where replies in DM interviews (started from the Messages tab or *New decision*) arrive.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.entrypoints.manifest import SUGGESTED_PROMPTS
from bot.entrypoints.slack.blocks import render_reply
from bot.entrypoints.slack.client import refused, slack_error_code
from bot.entrypoints.slack.poster import ThreadPoster
from bot.entrypoints.slack.responder import ReplyThread, respond
from bot.errors import BotError
from bot.interview.replies import Notice
from bot.interview.session import SessionKey
from bot.service import InterviewService, Outcome

log = logging.getLogger(__name__)

THINKING_STATUS = "is thinking…"
PROMPTS_TITLE = "Try one of these"
GREETING_TEXT = (
    "Hi! Tell me about an AI use case: what it does, the knowledge it needs, how much "
    "traffic, how fast it must answer. I'll ask only what could change the answer, then "
    "recommend prompting, RAG, fine-tuning or a hybrid."
)
# Slack truncates long titles in the history list; keep them short.
TITLE_MAX_CHARS = 80


def thread_title(use_case: str) -> str:
    title = " ".join(use_case.split())
    return title if len(title) <= TITLE_MAX_CHARS else title[: TITLE_MAX_CHARS - 1] + "…"


async def greet(client: AsyncWebClient, key: SessionKey) -> None:
    """A new assistant thread: suggested prompts and a short greeting."""
    try:
        await client.assistant_threads_setSuggestedPrompts(
            channel_id=key.channel_id,
            thread_ts=key.thread_ts,
            title=PROMPTS_TITLE,
            prompts=[{"title": title, "message": message} for title, message in SUGGESTED_PROMPTS],
        )
    except SlackApiError as exc:
        raise refused(exc) from exc
    await ThreadPoster(client).post(key, render_reply(Notice(text=GREETING_TEXT)))


async def converse(
    client: AsyncWebClient,
    thread: ReplyThread,
    service: InterviewService,
    *,
    user_id: str | None,
    text: str,
) -> None:
    """A message in the thread: continue its interview, or start one."""
    assert thread.key is not None
    key = thread.key

    async def work() -> Outcome | None:
        outcome = await service.reply(key, user_id=user_id, text=text)
        if outcome is not None:
            return outcome
        return await service.start(key, user_id=user_id, text=text)

    if not await _set_status(client, key, THINKING_STATUS):
        await respond(work, client=client, thread=thread)  # the placeholder way
        return
    try:
        outcome = await work()
    except BotError as exc:
        outcome = Outcome(Notice(text=exc.user_message), None)
    if outcome is None:
        await _set_status(client, key, "")
        return
    await ThreadPoster(client).post(key, render_reply(outcome.reply))
    await _set_title(client, key, outcome)


async def _set_status(client: AsyncWebClient, key: SessionKey, status: str) -> bool:
    """Show (or clear, with "") the thread's status; False where Slack does not offer it."""
    try:
        await client.assistant_threads_setStatus(
            channel_id=key.channel_id, thread_ts=key.thread_ts, status=status
        )
    except SlackApiError as exc:
        log.info("no assistant status in this thread", extra={"error": slack_error_code(exc)})
        return False
    return True


async def _set_title(client: AsyncWebClient, key: SessionKey, outcome: Outcome) -> None:
    """Name the thread after its use case, once the interview knows it (best effort)."""
    session = outcome.session
    use_case = session.facts.get("use_case") if session is not None else None
    if not isinstance(use_case, str) or not use_case.strip():
        return
    try:
        await client.assistant_threads_setTitle(
            channel_id=key.channel_id, thread_ts=key.thread_ts, title=thread_title(use_case)
        )
    except SlackApiError as exc:
        log.info("could not title the assistant thread", extra={"error": slack_error_code(exc)})
