"""Building the Bolt AsyncApp: the Web API client (base URL, rate-limit retries) and listeners."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.logs import slack_framework_logger
from bot.adapters.slack.inflight import InFlight
from bot.adapters.slack.listeners import register_listeners
from bot.errors import ConfigurationError
from bot.ports import SessionStore
from bot.service import Interviewer
from bot.settings import HELP, Settings

# chat.postMessage allows about one message per second per channel; a burst in
# one channel is retried after Slack's Retry-After rather than dropped.
RATE_LIMIT_RETRIES = 3
SLACK_TIMEOUT_SECONDS = 10


def build_web_client(settings: Settings) -> AsyncWebClient:
    if settings.slack_bot_token is None:
        raise ConfigurationError(
            f"SLACK_BOT_TOKEN is not set: set it to the {HELP['SLACK_BOT_TOKEN']}."
        )
    return AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_base,
        timeout=SLACK_TIMEOUT_SECONDS,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(),
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        ],
    )


def build_slack_app(
    settings: Settings,
    *,
    interviewer: Interviewer,
    store: SessionStore,
    inflight: InFlight,
    socket_mode: bool = False,
) -> AsyncApp:
    """The Bolt app with every listener wired; HTTP mode needs the signing secret."""
    if not socket_mode and settings.slack_signing_secret is None:
        raise ConfigurationError(
            f"SLACK_SIGNING_SECRET is not set: set it to the {HELP['SLACK_SIGNING_SECRET']}."
        )
    # Bolt copies its base logger's level when built and logs rejected request
    # bodies (user text) at INFO: hold it at WARNING unless debugging.
    framework_logger = slack_framework_logger()
    if settings.log_level != "DEBUG" and framework_logger.getEffectiveLevel() < logging.WARNING:
        framework_logger.setLevel(logging.WARNING)
    secret = settings.slack_signing_secret
    app = AsyncApp(
        client=build_web_client(settings),
        signing_secret=secret.get_secret_value() if secret else "",
        logger=framework_logger,
        request_verification_enabled=not socket_mode,
        process_before_response=False,
    )
    register_listeners(app, interviewer=interviewer, store=store, inflight=inflight)
    return app
