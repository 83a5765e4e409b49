"""Building the Bolt app: quiet on start."""

from __future__ import annotations

import logging

import pytest

from bot.adapters.store.memory import MemorySessionStore
from bot.entrypoints.slack.app import build_slack_app
from bot.entrypoints.slack.worker import ThreadWorker
from bot.settings import Settings
from tests.support.slack_requests import BOT_TOKEN, SIGNING_SECRET
from tests.support.slack_server import KeyValueExtractor, key_value_service


def test_building_the_app_logs_no_warning(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With SLACK_BOT_TOKEN in the environment (as in production), a start logs no WARNING."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    settings = Settings.model_validate(
        {"slack_bot_token": BOT_TOKEN, "slack_signing_secret": SIGNING_SECRET}
    )
    store = MemorySessionStore(ttl_seconds=60)
    service = key_value_service(store, KeyValueExtractor())
    worker = ThreadWorker(settings, service=service, store=store)
    with caplog.at_level(logging.INFO):
        build_slack_app(settings, worker=worker)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
