"""What the worker calls for each delivery: answer with the right workspace's token, and send
each kind of work to the handler that owns it (interviews, or Home/assistant/check-ins)."""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.entrypoints.slack.deliveries import Delivery, delivery_log_ids
from bot.entrypoints.slack.handlers import DeliveryHandler
from bot.entrypoints.slack.outbox import Outbox
from bot.entrypoints.slack.surfaces import SURFACE_KINDS, SurfaceHandler
from bot.entrypoints.slack.team_clients import InstalledWorkspaces, OneWorkspace, TeamClients
from bot.errors import BotError
from bot.ports import SessionStore
from bot.service import InterviewService
from bot.settings import Settings

log = logging.getLogger(__name__)


class Dispatcher:
    def __init__(
        self,
        *,
        interviews: DeliveryHandler,
        surfaces: SurfaceHandler,
        clients: TeamClients,
    ) -> None:
        self._interviews = interviews
        self._surfaces = surfaces
        self._clients = clients

    @property
    def outbox(self) -> Outbox:
        """Where the interviews' replies wait for Slack when it will not take them."""
        return self._interviews.outbox

    async def handle(self, delivery: Delivery, client: AsyncWebClient) -> None:
        """Do the work a delivery calls for; never raises (a worker has no caller to tell)."""
        try:
            team_client = await self._clients.client_for(delivery.body, client)
        except BotError as exc:
            log.error(
                "no token for a delivery: the installation store failed",
                extra={**delivery_log_ids(delivery), "error_type": type(exc).__name__},
            )
            return
        if team_client is None:
            return
        if delivery.kind in SURFACE_KINDS:
            await self._surfaces.handle(delivery, team_client)
        else:
            await self._interviews.handle(delivery, team_client)

    async def aclose(self) -> None:
        """Release the installation store's connections (many-workspace mode)."""
        await self._clients.aclose()


def build_dispatcher(
    settings: Settings, *, service: InterviewService, store: SessionStore
) -> Dispatcher:
    """The worker's handler for `settings`' mode: one workspace, or many installed ones."""
    clients: TeamClients = OneWorkspace()
    if settings.is_many_workspace:
        from bot.adapters.store.installations import build_installation_stores  # noqa: PLC0415

        installations, _ = build_installation_stores(settings)
        clients = InstalledWorkspaces(installations)
    return Dispatcher(
        interviews=DeliveryHandler(service=service, store=store),
        surfaces=SurfaceHandler(service=service, store=store),
        clients=clients,
    )
