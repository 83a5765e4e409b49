"""The Web API client: base URL from settings, slack_sdk's retry handlers, pooled connections.

Slack's refusals become the project's `SlackRefusedError` here (`refused`), keeping
Slack's error code (`slack_error_code`) for decisions and logs.

Every Web API client the app builds (the worker's, Bolt's) retries through slack_sdk's
own handlers: rate limits after Slack's Retry-After, HTTP 500/503 with backoff, and
dropped connections. What still fails is kept and retried later by the Outbox.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import ConfigurationError, SlackRefusedError
from bot.settings import HELP, Settings

# chat.postMessage allows about one message per second per channel; a burst in
# one channel is retried after Slack's Retry-After rather than dropped.
RATE_LIMIT_RETRIES = 3
SERVER_ERROR_RETRIES = 2
SLACK_TIMEOUT_SECONDS = 10


def retry_handlers() -> list[AsyncRetryHandler]:
    """slack_sdk's handlers for rate limits, server errors and dropped connections (fresh
    objects per client: they keep no state, but sharing them across loops is not promised)."""
    return [
        AsyncConnectionErrorRetryHandler(),
        AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        AsyncServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
    ]


def build_web_client(
    settings: Settings, *, timeout_seconds: int = SLACK_TIMEOUT_SECONDS
) -> AsyncWebClient:
    """The base client; with many workspaces it has no token (each call gets its team's)."""
    if settings.slack_bot_token is None and not settings.is_many_workspace:
        raise ConfigurationError(
            f"SLACK_BOT_TOKEN is not set: set it to the {HELP['SLACK_BOT_TOKEN']}."
        )
    token = settings.slack_bot_token
    return AsyncWebClient(
        token=token.get_secret_value() if token is not None else None,
        base_url=settings.slack_api_base,
        timeout=timeout_seconds,
        retry_handlers=retry_handlers(),
    )


def slack_error_code(exc: SlackApiError) -> str:
    """Slack's error code (`not_in_channel`), or `unknown_error` for a body that is not JSON."""
    data = exc.response.data if exc.response is not None else None
    return str(data.get("error", "unknown_error")) if isinstance(data, dict) else "unknown_error"


def refused(exc: SlackApiError) -> SlackRefusedError:
    """Slack's refusal as the project's error, keeping Slack's error code."""
    return SlackRefusedError(slack_error_code(exc))


@asynccontextmanager
async def pooled_slack_connections(client: AsyncWebClient) -> AsyncIterator[None]:
    """Share one aiohttp session (and its keep-alive connections) for every Slack call.

    slack_sdk otherwise opens a new session and connection per call; Bolt copies
    `client.session` into the client it makes for each request. Needs a running loop,
    and the session then belongs to that loop.
    """
    session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=client.timeout))
    client.session = session
    try:
        yield
    finally:
        client.session = None
        await session.close()
