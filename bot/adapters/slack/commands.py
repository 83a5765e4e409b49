"""The `/should-we-finetune` slash command: help, history, or a new interview in a new thread."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters import metrics
from bot.adapters.manifest import SLASH_COMMAND
from bot.adapters.slack.command_blocks import (
    CANNOT_POST_IN_DM_TEXT,
    cannot_post_in_channel_text,
    render_command_root,
    render_history,
    render_usage,
)
from bot.adapters.slack.errors import refused, slack_error_code
from bot.adapters.slack.responder import Responder, Thread
from bot.adapters.slack.responder import respond as respond_in_thread
from bot.interview.session import SessionKey
from bot.ports import HistoryEntry
from bot.service import Interviewer, Outcome

log = logging.getLogger(__name__)

HELP_WORDS = frozenset({"help", "usage", "?", "-h", "--help"})
HISTORY_WORDS = frozenset({"history", "recent", "list"})
# Slack's answers when the bot may not post where the command was run.
CANNOT_POST_ERRORS = frozenset({"not_in_channel", "channel_not_found", "is_archived"})
HISTORY_LIMIT = 10


def is_direct_message(command: dict[str, Any]) -> bool:
    channel_id = str(command.get("channel_id", ""))
    return command.get("channel_name") == "directmessage" or channel_id.startswith("D")


class CommandListener:
    def __init__(self, *, interviewer: Interviewer, responder: Responder) -> None:
        self._interviewer = interviewer
        self._responder = responder

    def register(self, app: AsyncApp) -> None:
        app.command(SLASH_COMMAND)(self.on_command)

    async def on_command(
        self, ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond
    ) -> None:
        text = str(command.get("text") or "").strip()
        word = text.lower()
        metrics.EVENTS_RECEIVED.labels(kind="command").inc()
        if word in HELP_WORDS:
            usage = render_usage()
            await ack(text=usage.text, blocks=usage.blocks, response_type="ephemeral")
            return
        await ack()
        team_id = str(command.get("team_id", ""))

        async def history(client: AsyncWebClient, thread: Thread) -> None:
            await self._history(command, client=client, respond=respond)

        async def start(client: AsyncWebClient, thread: Thread) -> None:
            await self._start(command, text=text, client=client, thread=thread, respond=respond)

        self._responder.submit(
            history if word in HISTORY_WORDS else start, key=None, team_id=team_id
        )

    async def _start(
        self,
        command: dict[str, Any],
        *,
        text: str,
        client: AsyncWebClient,
        thread: Thread,
        respond: AsyncRespond,
    ) -> None:
        user_id = str(command.get("user_id", ""))
        root = render_command_root(user_id=user_id, description=text)
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
            if code not in CANNOT_POST_ERRORS:
                raise refused(exc) from exc
            log.info("cannot post where the command was run", extra={"error": code})
            fix = (
                CANNOT_POST_IN_DM_TEXT
                if is_direct_message(command)
                else cannot_post_in_channel_text(command.get("channel_name"))
            )
            await respond(text=fix, response_type="ephemeral", replace_original=False)
            return
        key = SessionKey(
            team_id=str(command["team_id"]),
            channel_id=str(command["channel_id"]),
            thread_ts=str(posted["ts"]),
        )
        thread.key = key
        interviewer = self._interviewer

        async def work() -> Outcome | None:
            return await interviewer.start(key, user_id=user_id, text=text)

        await respond_in_thread(work, client=client, thread=thread)

    async def _history(
        self, command: dict[str, Any], *, client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        team_id = str(command.get("team_id", ""))
        if is_direct_message(command):
            entries = await self._responder.store.history(
                team_id=team_id, user_id=str(command.get("user_id", "")), limit=HISTORY_LIMIT
            )
        else:
            entries = await self._responder.store.history(
                team_id=team_id, channel_id=str(command.get("channel_id", "")), limit=HISTORY_LIMIT
            )
        links = await asyncio.gather(*(_permalink(client, entry) for entry in entries))
        message = render_history(entries, links)
        await respond(
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
