"""Building the Bolt AsyncApp: verify, ack and hand each delivery to the worker."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

from bot.adapters.logs import slack_framework_logger
from bot.entrypoints.slack.client import build_web_client
from bot.entrypoints.slack.installs import build_oauth_settings
from bot.entrypoints.slack.listeners import register_listeners
from bot.entrypoints.slack.surface_listeners import register_surface_listeners
from bot.entrypoints.slack.worker import Worker
from bot.errors import ConfigurationError
from bot.settings import HELP, Settings


class _TokenSkippedFilter(logging.Filter):
    """Drops Bolt's "As you gave `client` as well, `token` will be unused" warning.

    Bolt reads SLACK_BOT_TOKEN from the environment whenever `token` is falsy (passing
    None does not stop it), then warns that the client we pass wins. The client carries
    that same token from Settings, so the warning is noise on every start; no
    constructor argument avoids it.
    """

    MESSAGE = warning_client_prioritized_and_token_skipped()

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != self.MESSAGE


_TOKEN_SKIPPED_FILTER = _TokenSkippedFilter()


def build_slack_app(
    settings: Settings,
    *,
    worker: Worker,
    socket_mode: bool = False,
) -> AsyncApp:
    """The Bolt app with every listener wired; HTTP mode needs the signing secret."""
    if socket_mode and settings.is_many_workspace:
        raise ConfigurationError(
            "SLACK_BOT_TOKEN is not set: Socket Mode serves one workspace. Set it, or serve "
            "over HTTP to install into many workspaces (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)."
        )
    if not socket_mode and settings.slack_signing_secret is None:
        raise ConfigurationError(
            f"SLACK_SIGNING_SECRET is not set: set it to the {HELP['SLACK_SIGNING_SECRET']}."
        )
    # Bolt copies its base logger's level when built and logs rejected request
    # bodies (user text) at INFO: hold it at WARNING unless debugging.
    framework_logger = slack_framework_logger()
    framework_logger.addFilter(_TOKEN_SKIPPED_FILTER)  # once: addFilter ignores repeats
    if settings.log_level != "DEBUG" and framework_logger.getEffectiveLevel() < logging.WARNING:
        framework_logger.setLevel(logging.WARNING)
    secret = settings.slack_signing_secret
    client = build_web_client(settings)
    app = AsyncApp(
        client=client,
        signing_secret=secret.get_secret_value() if secret else "",
        logger=framework_logger,
        request_verification_enabled=not socket_mode,
        process_before_response=False,
        # Many workspaces: Bolt authorizes each delivery from the installation store.
        **build_oauth_settings(settings, client=client),
        # Unhandled requests go to the error handler, which acks them without logging
        # their payload (slack/unhandled.py).
        raise_error_for_unhandled_request=True,
    )
    register_listeners(app, worker=worker)
    register_surface_listeners(app, worker=worker, many_workspace=settings.is_many_workspace)
    return app
