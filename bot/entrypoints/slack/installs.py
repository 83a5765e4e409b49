"""Installing into many workspaces: Bolt's OAuth settings and the `/slack/install` and
`/slack/oauth_redirect` routes, over the Redis installation store (docs/design.md §6).

Single-workspace mode (SLACK_BOT_TOKEN) builds none of this.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.web.async_client import AsyncWebClient
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.adapters.store.installations import RedisInstallationStore, build_installation_stores
from bot.entrypoints.manifest import BOT_SCOPES, INSTALL_PATH, OAUTH_REDIRECT_PATH
from bot.settings import Settings


def requested_scopes(settings: Settings) -> list[str]:
    """SLACK_SCOPES when set (comma-separated), else the manifest's bot scopes."""
    if settings.slack_scopes:
        return [scope.strip() for scope in settings.slack_scopes.split(",") if scope.strip()]
    return list(BOT_SCOPES)


def build_oauth_settings(settings: Settings, *, client: AsyncWebClient) -> dict[str, Any]:
    """AsyncApp's keyword arguments for the install flow; none in single-workspace mode."""
    if not settings.is_many_workspace:
        return {}
    assert settings.slack_client_id is not None and settings.slack_client_secret is not None
    installations, states = build_installation_stores(settings)
    client_secret = settings.slack_client_secret.get_secret_value()
    return {
        "oauth_settings": AsyncOAuthSettings(
            client_id=settings.slack_client_id,
            client_secret=client_secret,
            scopes=requested_scopes(settings),
            install_path=INSTALL_PATH,
            redirect_uri_path=OAUTH_REDIRECT_PATH,
            installation_store=installations,
            state_store=states,
            installation_store_bot_only=True,
        ),
        # The store is read for every delivery; caching the auth.test answer per token
        # keeps that read the only extra work before the ack.
        "authorize": AsyncInstallationStoreAuthorize(
            installation_store=installations,
            client_id=settings.slack_client_id,
            client_secret=client_secret,
            cache_enabled=True,
            bot_only=True,
            client=client,
            logger=logging.getLogger("slack_bolt.authorize"),
        ),
    }


async def close_installations(slack_app: AsyncApp) -> None:
    """Release the acking side's installation store connections, at shutdown."""
    store = slack_app.installation_store
    if isinstance(store, RedisInstallationStore):
        await store.aclose()


def oauth_routes(slack_app: AsyncApp) -> list[Route]:
    """`GET /slack/install` and `GET /slack/oauth_redirect` when the app installs into many
    workspaces; none otherwise."""
    if slack_app.oauth_flow is None:
        return []
    handler = AsyncSlackRequestHandler(slack_app)

    async def oauth(request: Request) -> Response:
        return await handler.handle(request)

    return [
        Route(INSTALL_PATH, oauth, methods=["GET"]),
        Route(OAUTH_REDIRECT_PATH, oauth, methods=["GET"]),
    ]
