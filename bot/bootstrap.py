"""The composition root: builds the real adapters from settings and hands them in, and wires
the Slack worker's runtime (its store, service and dispatcher)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.adapters.metrics import PrometheusInterviewEvents
from bot.adapters.prompts import load_question_bank
from bot.domain.pricing import load_pricing
from bot.interview.conversation import Interview
from bot.interview.offline import OfflineExtractor
from bot.ports import Extractor, SessionStore
from bot.service import InterviewService
from bot.settings import Settings

if TYPE_CHECKING:  # the Slack modules load only where the worker runs
    from bot.entrypoints.slack.dispatch import Dispatcher

log = logging.getLogger(__name__)

# The worker process's runtime, as the dotted path the spawned child imports.
WORKER_RUNTIME = "bot.bootstrap:build_runtime"

# A turn holds its thread's lock while Claude reads the message: the store's turn-lock
# budget (bot/adapters/store/limits.py, TURN_LOCK_BUDGET) outlasts the slowest extraction
# these allow.
CLAUDE_TIMEOUT_SECONDS = 8.0
CLAUDE_MAX_RETRIES = 1

OFFLINE_NOTICE = (
    "No Claude API key is configured, so I'm reading your answers with my offline rules. "
    "They handle plain statements well; say `decide now` whenever you like."
)


def build_store(settings: Settings) -> SessionStore:
    if settings.redis_url is None:
        from bot.adapters.store.memory import MemorySessionStore  # noqa: PLC0415

        log.info(
            "REDIS_URL is unset: using the in-process session store "
            "(sessions are lost on restart and not shared between replicas)"
        )
        return MemorySessionStore(ttl_seconds=settings.session_ttl_seconds)
    from bot.adapters.store.redis import RedisSessionStore  # noqa: PLC0415

    return RedisSessionStore.from_url(
        settings.redis_url,
        ttl_seconds=settings.session_ttl_seconds,
    )


def build_extractor(settings: Settings) -> Extractor:
    offline = OfflineExtractor()
    if settings.anthropic_api_key is None:
        log.info("ANTHROPIC_API_KEY is unset: using the offline rule-based extractor")
        return offline
    from bot.adapters.claude.extractor import ClaudeExtractor  # noqa: PLC0415

    return ClaudeExtractor(
        api_key=settings.anthropic_api_key.get_secret_value(),
        model=settings.anthropic_model,
        base_url=settings.anthropic_base_url,
        fallback=offline,
        redact_pii=settings.redact_pii,
        timeout_seconds=CLAUDE_TIMEOUT_SECONDS,
        max_retries=CLAUDE_MAX_RETRIES,
    )


def build_interview() -> Interview:
    return Interview(bank=load_question_bank(), pricing=load_pricing())


def build_service(
    settings: Settings,
    *,
    store: SessionStore | None = None,
    extractor: Extractor | None = None,
    clock: Callable[[], float] = time.time,
) -> InterviewService:
    return InterviewService(
        store=store if store is not None else build_store(settings),
        extractor=extractor if extractor is not None else build_extractor(settings),
        interview=build_interview(),
        clock=clock,
        extractor_notice=None if settings.has_anthropic else OFFLINE_NOTICE,
        events=PrometheusInterviewEvents(),
    )


def build_runtime(settings: Settings) -> tuple[InterviewService, SessionStore]:
    """The worker process's runtime: the store and service the settings call for (named
    by `WORKER_RUNTIME` so the spawned child can import it)."""
    store = build_store(settings)
    return build_service(settings, store=store), store


def build_dispatcher(
    settings: Settings, *, service: InterviewService, store: SessionStore
) -> Dispatcher:
    """The worker's dispatcher for `settings`' mode (one workspace, or many installed ones),
    with every command's handler."""
    from bot.entrypoints.slack.card_handlers import CardActions  # noqa: PLC0415 - Slack only
    from bot.entrypoints.slack.dispatch import Dispatcher, handler_table  # noqa: PLC0415
    from bot.entrypoints.slack.handlers import InterviewHandlers  # noqa: PLC0415
    from bot.entrypoints.slack.outbox import Outbox  # noqa: PLC0415
    from bot.entrypoints.slack.surfaces import SurfaceHandlers  # noqa: PLC0415
    from bot.entrypoints.slack.team_clients import (  # noqa: PLC0415
        InstalledWorkspaces,
        OneWorkspace,
        TeamClients,
    )

    clients: TeamClients = OneWorkspace()
    if settings.is_many_workspace:
        from bot.adapters.store.installations import build_installation_stores  # noqa: PLC0415

        installations, _ = build_installation_stores(settings)
        clients = InstalledWorkspaces(installations)
    card = CardActions(service=service, store=store)
    handlers = handler_table(
        interviews=InterviewHandlers(service=service, store=store, card=card),
        card=card,
        surfaces=SurfaceHandlers(service=service, store=store),
    )
    return Dispatcher(handlers=handlers, store=store, outbox=Outbox(store), clients=clients)
