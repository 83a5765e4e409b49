"""The Slack calls the card and the history need: private notices, permalinks, file uploads.

Each turns Slack's refusals into the project's `SlackRefusedError`, except where noted
as best effort.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block
from slack_sdk.web.async_client import AsyncWebClient

from bot.entrypoints.slack.block_kit import Message, context, finish
from bot.entrypoints.slack.blocks import render_notice
from bot.entrypoints.slack.card import SUPERSEDED_TEXT
from bot.entrypoints.slack.client import refused, slack_error_code
from bot.entrypoints.slack.commands import PostedMessage
from bot.interview.replies import Notice
from bot.interview.session import SessionKey

log = logging.getLogger(__name__)


async def ephemeral(
    client: AsyncWebClient, key: SessionKey, *, user_id: str | None, text: str
) -> None:
    """A notice for the clicker alone, in the thread."""
    if not user_id:
        return
    notice = render_notice(Notice(text=text))
    try:
        await client.chat_postEphemeral(
            channel=key.channel_id,
            user=user_id,
            thread_ts=key.thread_ts,
            text=notice.text,
            blocks=notice.blocks,
        )
    except SlackApiError as exc:
        raise refused(exc) from exc


def superseded(message: PostedMessage) -> Message:
    """The clicked card as it was, without its buttons, marked superseded."""
    blocks: list[Block] = []
    for raw in message.blocks:
        if raw.get("type") == "actions":
            continue
        parsed = Block.parse(raw)
        if parsed is not None:
            blocks.append(parsed)
    blocks.append(context(f":arrow_down: {SUPERSEDED_TEXT}"))
    return finish(blocks, text=message.text or "Superseded recommendation")


async def permalink(client: AsyncWebClient, key: SessionKey, ts: str) -> str | None:
    try:
        response: Any = await client.chat_getPermalink(channel=key.channel_id, message_ts=ts)
    except SlackApiError as exc:
        log.info("no permalink", extra={"error": slack_error_code(exc)})
        return None
    return str(response["permalink"])


async def upload(
    client: AsyncWebClient,
    key: SessionKey,
    *,
    content: bytes,
    filename: str,
    title: str,
    alt: str | None,
) -> None:
    """Into the thread through the files API (getUploadURLExternal, upload, complete)."""
    extra: dict[str, Any] = {"alt_txt": alt} if alt else {}
    try:
        await client.files_upload_v2(
            channel=key.channel_id,
            thread_ts=key.thread_ts,
            content=content,
            filename=filename,
            title=title,
            **extra,
        )
    except SlackApiError as exc:
        raise refused(exc) from exc
