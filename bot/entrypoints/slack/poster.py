"""Sending messages to Slack threads, with Slack's refusals turned into the project's errors."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.entrypoints.slack.block_kit import Message
from bot.entrypoints.slack.blocks import render_notice
from bot.entrypoints.slack.client import refused, slack_error_code
from bot.interview.replies import Notice
from bot.interview.session import SessionKey

log = logging.getLogger(__name__)

# Slack refused the content itself; a short notice in its place will go through.
CONTENT_ERRORS = frozenset({"msg_too_long", "invalid_blocks", "invalid_blocks_format"})
TOO_LONG_TEXT = (
    "My reply didn't fit in one Slack message, so I left it out. "
    "Say `explain` for the scoring, or use *Edit answers* to review the facts."
)


class ThreadPoster:
    """Posts into, and rewrites messages in, one interview thread."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def post(self, key: SessionKey, message: Message) -> str:
        """Post in the thread; the new message's ts. Raises SlackRefusedError."""
        try:
            return await self._post(key, message)
        except SlackApiError as exc:
            if slack_error_code(exc) not in CONTENT_ERRORS:
                raise refused(exc) from exc
            log.warning("slack refused a reply's content", extra={"error": slack_error_code(exc)})
        try:
            return await self._post(key, render_notice(Notice(text=TOO_LONG_TEXT)))
        except SlackApiError as exc:
            raise refused(exc) from exc

    async def replace(self, key: SessionKey, ts: str, message: Message) -> str:
        """Rewrite the message `ts` (a placeholder) in place. Raises SlackRefusedError."""
        try:
            await self._client.chat_update(
                channel=key.channel_id, ts=ts, text=message.text, blocks=message.blocks
            )
        except SlackApiError as exc:
            if slack_error_code(exc) not in CONTENT_ERRORS:
                raise refused(exc) from exc
            log.warning("slack refused a reply's content", extra={"error": slack_error_code(exc)})
            notice = render_notice(Notice(text=TOO_LONG_TEXT))
            try:
                await self._client.chat_update(
                    channel=key.channel_id, ts=ts, text=notice.text, blocks=notice.blocks
                )
            except SlackApiError as again:
                raise refused(again) from again
        return ts

    async def reply(self, key: SessionKey, message: Message, *, replace_ts: str | None) -> str:
        """Replace the placeholder `replace_ts` if there is one, else post anew."""
        if replace_ts is not None:
            return await self.replace(key, replace_ts, message)
        return await self.post(key, message)

    async def _post(self, key: SessionKey, message: Message) -> str:
        response: Any = await self._client.chat_postMessage(
            channel=key.channel_id,
            thread_ts=key.thread_ts,
            text=message.text,
            blocks=message.blocks,
            unfurl_links=False,
            unfurl_media=False,
        )
        return str(response["ts"])
