"""Which token a command is answered with: the one bot token, or its workspace's installed one.

In many-workspace mode the worker looks up the installation of the delivery's team (or
enterprise, for an org-wide install) and answers with that workspace's token, sharing the
base client's connections and retry handlers. A workspace without an installation (it
uninstalled the app while the delivery was queued) gets no answer.
"""

from __future__ import annotations

import logging
from typing import Protocol

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.store.installations import RedisInstallationStore
from bot.entrypoints.slack.commands import Workspace

log = logging.getLogger(__name__)


class TeamClients(Protocol):
    async def client_for(self, workspace: Workspace, base: AsyncWebClient) -> AsyncWebClient | None:
        """The client that answers `workspace`, or None when it is not installed."""
        ...

    async def aclose(self) -> None: ...


class OneWorkspace:
    """Single-workspace mode: every delivery is answered with SLACK_BOT_TOKEN."""

    async def client_for(self, workspace: Workspace, base: AsyncWebClient) -> AsyncWebClient | None:
        return base

    async def aclose(self) -> None:
        """Nothing to release."""


class InstalledWorkspaces:
    """Many-workspace mode: each delivery is answered with its workspace's installed token."""

    def __init__(self, installations: RedisInstallationStore) -> None:
        self._installations = installations

    async def aclose(self) -> None:
        await self._installations.aclose()

    async def client_for(self, workspace: Workspace, base: AsyncWebClient) -> AsyncWebClient | None:
        enterprise_id, team_id = workspace.enterprise_id, workspace.team_id
        bot = await self._installations.async_find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=workspace.is_enterprise_install,
        )
        if bot is None or not bot.bot_token:
            log.warning(
                "no installation for this workspace; delivery dropped",
                extra={"team_id": team_id, "enterprise_id": enterprise_id},
            )
            return None
        return with_token(base, bot.bot_token)


def with_token(base: AsyncWebClient, token: str) -> AsyncWebClient:
    """A client like `base` (URL, timeout, retries, pooled session) with another token."""
    return AsyncWebClient(
        token=token,
        base_url=base.base_url,
        timeout=base.timeout,
        session=base.session,
        retry_handlers=base.retry_handlers,
        logger=base.logger,
    )
