"""A reply in a thread the bot was interviewing in, whose session is gone (Redis came back
empty, or the session expired): say so, never stay silent.

A thread reply with no session is usually chatter in a thread that never had an
interview, which the bot ignores. It was ours if the bot posted in it: the thread's
root is the bot's (a slash command's root message), or one of the bot's messages is
in it (conversations.replies, asked only in this case, and remembered for threads
that turn out not to be ours so busy chatter costs one call per thread).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.entrypoints.slack.client import slack_error_code
from bot.interview.session import SessionKey

log = logging.getLogger(__name__)

LOST_TEXT = (
    "I lost the earlier answers in this thread; describe the use case again or say `start over`."
)
# Threads known not to be interviews, so their chatter is not looked up again.
NOT_OURS_REMEMBERED = 2048
HISTORY_LOOKUP_LIMIT = 200


class LostThreads:
    """Tells a thread the bot interviewed in from one it never spoke in."""

    def __init__(self) -> None:
        self._not_ours: OrderedDict[SessionKey, None] = OrderedDict()

    async def was_ours(
        self,
        client: AsyncWebClient,
        key: SessionKey,
        *,
        parent_user_id: str | None,
        ours: frozenset[str],
    ) -> bool:
        """Did the bot post in this thread (`ours`: its own ids, when the payload said)?"""
        if key in self._not_ours:
            return False
        if parent_user_id and parent_user_id in ours:
            return True
        try:
            if not ours:
                auth: Any = await client.auth_test()
                ours = frozenset({str(auth.get("user_id")), str(auth.get("bot_id"))})
            history: Any = await client.conversations_replies(
                channel=key.channel_id, ts=key.thread_ts, limit=HISTORY_LOOKUP_LIMIT
            )
        except SlackApiError as exc:
            log.info("could not read a thread's history", extra={"error": slack_error_code(exc)})
            return False
        spoke = any(
            message.get("user") in ours or message.get("bot_id") in ours
            for message in history.get("messages") or []
        )
        if not spoke:
            self._not_ours[key] = None
            if len(self._not_ours) > NOT_OURS_REMEMBERED:
                self._not_ours.popitem(last=False)
        return spoke
