"""Replies that must reach their thread: in order, once, or given up loudly.

slack_sdk's retry handlers (client.py) already retry rate limits, 5xx answers and
dropped connections a few times. A reply that still cannot be posted is not lost:
it is kept with the thread's session in the store (`keep_pending`), and delivered
before the thread's next reply, or by a retry task with backoff, whichever comes
first (one per process per thread, under a per-thread lock, so replies keep their
order). When the retries run out it is given up: one log line with ids (never
text), `swf_slack_replies_given_up_total`, and its placeholder deleted if Slack
lets us.

A reply meant to replace a placeholder keeps that placeholder's ts, so a retry
still replaces it (chat.update is idempotent). A post that timed out may have
landed: before posting it again the thread is read (conversations.replies) for a
message of ours with the same text, so a slow Slack never gets the reply twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters import metrics
from bot.adapters.logs import bind_log_context
from bot.entrypoints.slack.block_kit import Message
from bot.entrypoints.slack.client import slack_error_code
from bot.entrypoints.slack.poster import ThreadPoster
from bot.errors import BotError, SlackRefusedError
from bot.interview.session import SessionKey
from bot.ports import SessionStore

log = logging.getLogger(__name__)

# Seconds between delivery attempts after the first failure (about two minutes in all).
RETRY_BACKOFF_SECONDS: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0)
# Slack's own transient failures, answered as `ok: false` with HTTP 200 or after the
# retry handlers gave up on a 429/5xx. Anything else (not_in_channel, invalid_auth...)
# will not change by waiting, so the reply is given up at once.
TRANSIENT_ERRORS = frozenset(
    {
        "ratelimited",
        "rate_limited",
        "internal_error",
        "fatal_error",
        "service_unavailable",
        "request_timeout",
        "unknown_error",  # a body that was not JSON: a proxy's or load balancer's error page
    }
)
# How many of the thread's latest messages are read to find a reply that may have landed.
LANDED_LOOKUP_LIMIT = 100
# A thread holds one placeholder per reply under way; a few is already unusual.
MAX_STALE_PLACEHOLDERS = 5


class _NotDeliveredError(Exception):
    """The attempt failed in a way a later attempt may not (Slack down, slow, rate limited)."""


@dataclass
class PendingReply:
    """A reply on its way to a thread, as kept in the store between attempts."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    replace_ts: str | None = None  # the placeholder it replaces
    maybe_landed: bool = False  # a post of it timed out: look before posting again
    placeholder_text: str | None = None  # a placeholder that may have landed unseen
    posted_ts: str | None = None  # the message it ended up in, once delivered

    def encode(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def decode(cls, raw: str) -> PendingReply | None:
        try:
            data = json.loads(raw)
            return cls(
                text=str(data["text"]),
                blocks=list(data.get("blocks") or []),
                replace_ts=data.get("replace_ts"),
                maybe_landed=bool(data.get("maybe_landed")),
                placeholder_text=data.get("placeholder_text"),
            )
        except (ValueError, KeyError, TypeError):
            return None

    @property
    def message(self) -> Message:
        return Message(text=self.text, blocks=self.blocks)


class Outbox:
    """Delivers replies for one worker; `send` never raises for a Slack failure."""

    def __init__(
        self, store: SessionStore, *, backoff_seconds: Sequence[float] = RETRY_BACKOFF_SECONDS
    ) -> None:
        self._store = store
        self._backoff = tuple(backoff_seconds)
        self._locks: dict[SessionKey, _ThreadLock] = {}
        self._retrying: dict[SessionKey, asyncio.Task[None]] = {}
        # Replies the store could not keep either (it is down too): held here until it is back.
        self._held: dict[SessionKey, list[PendingReply]] = {}

    async def aclose(self) -> None:
        """Stop the retry tasks (at shutdown); what they held stays pending in the store."""
        tasks = [task for task in self._retrying.values() if not task.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._retrying.clear()

    async def settled(self, timeout_seconds: float) -> bool:
        """Wait until no retry task is running; False if some still are after the timeout."""
        tasks = [task for task in self._retrying.values() if not task.done()]
        if not tasks:
            return True
        _, running = await asyncio.wait(tasks, timeout=timeout_seconds)
        return not running

    def pending_retries(self) -> int:
        """Threads with a retry task still running (for tests and the benchmark)."""
        return sum(not task.done() for task in self._retrying.values())

    async def send(
        self,
        client: AsyncWebClient,
        key: SessionKey,
        message: Message,
        *,
        replace_ts: str | None,
        placeholder_text: str | None = None,
    ) -> str | None:
        """Deliver `message` after whatever the thread still has pending; the ts of the message
        it went into when it went now, None when it was kept for a retry (or given up for
        good). `placeholder_text`: a placeholder whose post timed out, to be found and
        replaced if it landed."""
        reply = PendingReply(message.text, message.blocks, replace_ts, False, placeholder_text)
        async with self._lock(key):
            if await self._flush(client, key) and await self._attempt(client, key, reply):
                return reply.posted_ts
            await self._keep(client, key, reply)
            return None

    async def _flush(self, client: AsyncWebClient, key: SessionKey) -> bool:
        """Deliver the thread's pending replies in order; False at the first that fails again."""
        held = self._held.get(key, [])
        while held:
            if not await self._attempt(client, key, held[0]):
                return False
            held.pop(0)
        self._held.pop(key, None)
        while True:
            try:
                raw = await self._store.take_pending(key)
            except BotError as exc:
                # The store is down: what it keeps waits for it, and this reply (likely the
                # notice that storage is down) goes now rather than wait with it.
                log.info("pending replies unreadable", extra={"error_type": type(exc).__name__})
                return True
            if raw is None:
                return True
            reply = PendingReply.decode(raw)
            if reply is None:
                continue  # written by another version, unreadable: nothing to deliver
            if not await self._attempt(client, key, reply):
                await self._put_back(key, reply)
                return False

    async def _attempt(self, client: AsyncWebClient, key: SessionKey, reply: PendingReply) -> bool:
        """True when the reply is settled (delivered, or refused for good and given up)."""
        try:
            await self._deliver(client, key, reply)
        except _NotDeliveredError:
            return False
        except SlackRefusedError as exc:
            await self._give_up(client, key, reply, reason=exc.code)
        return True

    async def _deliver(self, client: AsyncWebClient, key: SessionKey, reply: PendingReply) -> None:
        poster = ThreadPoster(client)
        try:
            if reply.replace_ts is not None:
                try:
                    reply.posted_ts = await poster.replace(key, reply.replace_ts, reply.message)
                    return
                except SlackRefusedError as exc:
                    if exc.code not in ("message_not_found", "cant_update_message"):
                        raise
                reply.replace_ts = None  # the placeholder is gone: post the reply instead
            if reply.replace_ts is None and reply.placeholder_text is not None:
                # A placeholder post timed out: if it is in the thread after all, replace it.
                reply.replace_ts = await self._own_message_ts(client, key, reply.placeholder_text)
                reply.placeholder_text = None
                if reply.replace_ts is not None:
                    await self._deliver(client, key, reply)
                    return
            if reply.maybe_landed:
                reply.posted_ts = await self._own_message_ts(client, key, reply.text)
                if reply.posted_ts is not None:
                    return
            try:
                reply.posted_ts = await poster.post(key, reply.message)
            except (TimeoutError, aiohttp.ServerTimeoutError):
                reply.maybe_landed = True
                raise
        except SlackRefusedError as exc:
            if exc.code in TRANSIENT_ERRORS:
                raise _NotDeliveredError(exc.code) from exc
            raise
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise _NotDeliveredError(type(exc).__name__) from exc

    async def _own_message_ts(
        self, client: AsyncWebClient, key: SessionKey, text: str
    ) -> str | None:
        """The ts of our latest message in the thread with exactly `text`, if there is one (a
        post that timed out may have landed all the same)."""
        try:
            auth: Any = await client.auth_test()
            history: Any = await client.conversations_replies(
                channel=key.channel_id, ts=key.thread_ts, limit=LANDED_LOOKUP_LIMIT
            )
        except SlackApiError as exc:
            code = slack_error_code(exc)
            if code in TRANSIENT_ERRORS:
                raise SlackRefusedError(code) from exc
            return None  # cannot tell (no history scope): posting again is the lesser harm
        ours = {auth.get("user_id"), auth.get("bot_id")} - {None}
        found = [
            str(message["ts"])
            for message in history.get("messages") or []
            if (message.get("user") in ours or message.get("bot_id") in ours)
            and message.get("text") == text
            and message.get("ts")
        ]
        return found[-1] if found else None

    async def remove_own_messages(
        self, client: AsyncWebClient, key: SessionKey, *, text: str
    ) -> None:
        """Delete our messages in the thread that say exactly `text` (a placeholder a dead
        worker process left behind); best effort."""
        try:
            for _ in range(MAX_STALE_PLACEHOLDERS):
                ts = await self._own_message_ts(client, key, text)
                if ts is None:
                    return
                await client.chat_delete(channel=key.channel_id, ts=ts)
        except (
            SlackApiError,
            SlackRefusedError,
            TimeoutError,
            aiohttp.ClientError,
            OSError,
        ) as exc:
            log.info(
                "could not remove a stale placeholder", extra={"error_type": type(exc).__name__}
            )

    async def _keep(self, client: AsyncWebClient, key: SessionKey, reply: PendingReply) -> None:
        metrics.SLACK_REPLIES_KEPT_PENDING.inc()
        try:
            await self._store.keep_pending(key, reply.encode())
        except BotError:
            self._held.setdefault(key, []).append(reply)
        log.warning("reply kept pending: Slack did not take it", extra=key.model_dump())
        self._start_retrying(client, key)

    async def _put_back(self, key: SessionKey, reply: PendingReply) -> None:
        try:
            await self._store.return_pending(key, reply.encode())
        except BotError:
            self._held.setdefault(key, []).insert(0, reply)

    def _start_retrying(self, client: AsyncWebClient, key: SessionKey) -> None:
        running = self._retrying.get(key)
        if running is not None and not running.done():
            return
        self._retrying[key] = asyncio.create_task(self._retry(client, key))

    async def _retry(self, client: AsyncWebClient, key: SessionKey) -> None:
        with bind_log_context(**key.model_dump()):
            for delay in self._backoff:
                await asyncio.sleep(delay)
                async with self._lock(key):
                    if await self._flush(client, key):
                        log.info("pending replies delivered")
                        self._retrying.pop(key, None)
                        return
            async with self._lock(key):
                await self._give_up_all(client, key)
            self._retrying.pop(key, None)

    async def _give_up_all(self, client: AsyncWebClient, key: SessionKey) -> None:
        replies = self._held.pop(key, [])
        while True:
            try:
                raw = await self._store.take_pending(key)
            except BotError:
                break  # the store is down too: its copies expire with the session
            if raw is None:
                break
            reply = PendingReply.decode(raw)
            if reply is not None:
                replies.append(reply)
        for reply in replies:
            await self._give_up(client, key, reply, reason="retries exhausted")

    async def _give_up(
        self, client: AsyncWebClient, key: SessionKey, reply: PendingReply, *, reason: str
    ) -> None:
        metrics.SLACK_REPLIES_GIVEN_UP.inc()
        log.error(
            "reply given up: Slack would not take it",
            extra={**key.model_dump(), "reason": reason, "placeholder_ts": reply.replace_ts},
        )
        if reply.replace_ts is None:
            return
        try:  # a placeholder must not promise a reply that will never come
            await client.chat_delete(channel=key.channel_id, ts=reply.replace_ts)
        except (SlackApiError, TimeoutError, aiohttp.ClientError, OSError) as exc:
            log.info("could not delete a placeholder", extra={"error": repr(exc)[:200]})

    @asynccontextmanager
    async def _lock(self, key: SessionKey) -> AsyncIterator[None]:
        """The thread's delivery lock in this process; dropped when nobody holds or waits."""
        entry = self._locks.setdefault(key, _ThreadLock())
        entry.users += 1
        try:
            async with entry.lock:
                yield
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._locks[key]


@dataclass
class _ThreadLock:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0
