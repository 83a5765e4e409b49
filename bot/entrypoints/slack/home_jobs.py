"""The Home tab and *New decision*, run on the worker: publish a person's Home view; open
the use-case modal; start the interview it describes in a DM thread with the bot."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.store.limits import HISTORY_MAX_ENTRIES
from bot.entrypoints.slack.card_io import permalink
from bot.entrypoints.slack.client import refused, slack_error_code
from bot.entrypoints.slack.home import (
    render_dm_root,
    render_home,
    render_new_decision_modal,
    split_home_entries,
)
from bot.entrypoints.slack.responder import ReplyThread, respond
from bot.interview.session import SessionKey
from bot.ports import SessionStore
from bot.service import InterviewService, Outcome

log = logging.getLogger(__name__)

# The channels a person is in, for the Home tab: one page is plenty for "recent".
USER_CHANNELS_PAGE = 200


async def publish_home(
    client: AsyncWebClient, store: SessionStore, *, team_id: str, user_id: str
) -> None:
    """Publish the person's Home tab."""
    # One store read (the team's recent decisions) beside one Slack read (the
    # person's channels); the split between the two lists is done here.
    entries, channel_ids = await asyncio.gather(
        store.history(team_id=team_id, limit=HISTORY_MAX_ENTRIES),
        _user_channels(client, user_id),
    )
    mine, others = split_home_entries(entries, user_id=user_id, channel_ids=channel_ids)
    shown = [*mine, *others]
    permalinks = await asyncio.gather(
        *(permalink(client, entry.key, entry.key.thread_ts) for entry in shown)
    )
    links = {e.key: link for e, link in zip(shown, permalinks, strict=True) if link}
    view = render_home(mine=mine, in_channels=others, links=links)
    try:
        await client.views_publish(user_id=user_id, view=view)
    except SlackApiError as exc:
        raise refused(exc) from exc


async def open_new_decision(client: AsyncWebClient, trigger_id: str) -> None:
    """Open the *New decision* modal."""
    try:
        await client.views_open(trigger_id=trigger_id, view=render_new_decision_modal())
    except SlackApiError as exc:
        raise refused(exc) from exc


async def start_new_decision(
    client: AsyncWebClient,
    thread: ReplyThread,
    service: InterviewService,
    *,
    team_id: str,
    user_id: str | None,
    use_case: str,
) -> None:
    """Post the use case in a DM with the person and run the interview in its thread."""
    try:
        opened: Any = await client.conversations_open(users=user_id)
        channel_id = str(opened["channel"]["id"])
        text, blocks = render_dm_root(use_case)
        posted: Any = await client.chat_postMessage(
            channel=channel_id,
            text=text,
            blocks=blocks,
            unfurl_links=False,
            unfurl_media=False,
        )
    except SlackApiError as exc:
        raise refused(exc) from exc
    key = SessionKey(team_id=team_id, channel_id=channel_id, thread_ts=str(posted["ts"]))
    thread.key = key

    async def work() -> Outcome | None:
        return await service.start(key, user_id=user_id, text=use_case)

    await respond(work, client=client, thread=thread)


async def _user_channels(client: AsyncWebClient, user_id: str) -> set[str]:
    """The channels the person is in (public and private), or none when Slack will not say."""
    try:
        response: Any = await client.users_conversations(
            user=user_id,
            types="public_channel,private_channel",
            exclude_archived=True,
            limit=USER_CHANNELS_PAGE,
        )
    except SlackApiError as exc:
        log.info("no channel list for the Home tab", extra={"error": slack_error_code(exc)})
        return set()
    return {str(channel["id"]) for channel in response.get("channels") or []}
