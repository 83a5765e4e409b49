"""Many workspaces: install through OAuth, answer each team with its own token, uninstall;
two workspaces on one Redis never see each other's sessions or history."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiohttp
import pytest
from cryptography.fernet import Fernet

from bot.adapters.store.installations import build_installation_stores
from bot.adapters.store.memory import MemorySessionStore
from bot.adapters.store.redis import RedisSessionStore
from bot.entrypoints.http.app import build_server_app
from bot.entrypoints.slack.app import build_slack_app
from bot.entrypoints.slack.worker import ThreadWorker
from bot.errors import ConfigurationError
from bot.interview.session import SessionKey
from bot.settings import Settings
from tests.support.fake_slack import FakeSlack, start_fake_slack
from tests.support.slack_requests import SIGNING_SECRET, SlackSender, mention, message, next_ts
from tests.support.slack_server import (
    KeyValueExtractor,
    key_value_service,
    serving,
)
from tests.support.store_samples import delete_prefix, history_entry
from tests.support.surface_requests import team_event_body

# slack_sdk 3.48 calls oauth.v2.access with aiohttp's BasicAuth, which aiohttp 3.14 deprecates;
# a warning in production, an error under this suite's warnings-as-errors.
pytestmark = pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")
OPENING = "We want a rules assistant for our game task_type=qa_over_docs"


@dataclass
class Deployment:
    slack: FakeSlack
    sender: SlackSender
    base_url: str
    settings: Settings
    store: RedisSessionStore
    worker: ThreadWorker

    async def settled(self) -> None:
        for _ in range(500):
            await asyncio.sleep(0.02)
            if not len(self.worker.inflight):
                await asyncio.sleep(0.05)
                if not len(self.worker.inflight):
                    return
        raise AssertionError("work did not finish")


@asynccontextmanager
async def many_workspace_bot(redis_url: str, key_prefix: str) -> AsyncIterator[Deployment]:
    """`serve`'s HTTP app in many-workspace mode (client id and secret, no bot token)."""
    slack, slack_runner = await start_fake_slack()
    settings = Settings.model_validate(
        {
            "slack_signing_secret": SIGNING_SECRET,
            "slack_api_url": slack.base_url + "/api/",
            "slack_client_id": f"app-{uuid.uuid4().hex[:8]}",
            "slack_client_secret": "client-secret",
            "slack_token_encryption_key": Fernet.generate_key().decode(),
            "redis_url": redis_url,
        }
    )
    assert settings.is_many_workspace
    store = RedisSessionStore.from_url(redis_url, ttl_seconds=3600, key_prefix=key_prefix)
    service = key_value_service(store, KeyValueExtractor())
    worker = ThreadWorker(settings, service=service, store=store)
    try:
        async with (
            serving(build_server_app(settings, worker=worker, drain_seconds=5)) as base_url,
            aiohttp.ClientSession() as http,
        ):
            sender = SlackSender(url=base_url + "/slack/events", session=http)
            yield Deployment(slack, sender, base_url, settings, store, worker)
    finally:
        await slack_runner.cleanup()
        installations, _ = build_installation_stores(settings)
        for team in ("T1", "T2"):
            await installations.async_delete_all(enterprise_id=None, team_id=team)
        await installations.aclose()
        delete_prefix(redis_url, key_prefix)


async def install(bot: Deployment, team_id: str) -> tuple[int, str]:
    """Visit /slack/install, then come back to /slack/oauth_redirect as Slack would."""
    http = bot.sender.session
    async with http.get(bot.base_url + "/slack/install") as page:
        assert page.status == 200
        html = await page.text()
        # Bolt's state cookie is `Secure`, so a browser would only return it over https:
        # hand it back as the browser would.
        cookie = page.headers["Set-Cookie"].split(";", 1)[0]
    state = re.search(r"state=([\w\-]+)", html)
    assert state is not None, html[:500]
    assert f"client_id={bot.settings.slack_client_id}" in html
    redirect = f"{bot.base_url}/slack/oauth_redirect?code=code-{team_id}&state={state.group(1)}"
    async with http.get(redirect, headers={"Cookie": cookie}) as done:
        return done.status, await done.text()


async def find_token(bot: Deployment, team_id: str) -> str | None:
    installations, _ = build_installation_stores(bot.settings)
    try:
        found = await installations.async_find_bot(enterprise_id=None, team_id=team_id)
        return found.bot_token if found else None
    finally:
        await installations.aclose()


def uninstalled(team_id: str) -> dict[str, str]:
    return {"type": "app_uninstalled", "event_ts": next_ts()}


async def test_install_answer_each_team_with_its_token_and_uninstall(
    redis_url: str, key_prefix: str
) -> None:
    """Installs through the OAuth redirect store each workspace; events from two teams are
    answered with each team's own token; tokens_revoked and app_uninstalled delete them."""
    async with many_workspace_bot(redis_url, key_prefix) as bot:
        for team in ("T1", "T2"):
            status, page = await install(bot, team)
            assert status == 200, page
            assert await find_token(bot, team) == f"xoxb-{team}"
        # Ready without SLACK_BOT_TOKEN: each workspace's token comes from its install.
        async with bot.sender.session.get(bot.base_url + "/readyz") as ready:
            assert ready.status == 200, await ready.text()
        [access, *_] = bot.slack.of("oauth.v2.access")
        assert access.args.get("code") == "code-T1"

        # The same channel and message ts in both workspaces: two separate interviews.
        event = mention(OPENING, channel="C0001")
        for team in ("T1", "T2"):
            status, _ = await bot.sender.send(team_event_body(event, team_id=team))
            assert status == 200
        await bot.settled()
        thread = str(event["ts"])
        replies = bot.slack.in_thread(thread)
        assert sorted(call.token for call in replies) == ["xoxb-T1", "xoxb-T2"]

        await bot.sender.send(
            team_event_body(message("decide now", thread_ts=thread), team_id="T1")
        )
        await bot.settled()
        decided = [c for c in bot.slack.in_thread(thread) if c.args["text"].startswith("Rec")]
        assert [c.token for c in decided] == ["xoxb-T1"]
        # The worker's store belongs to its own loop: read with another connection.
        reader = RedisSessionStore.from_url(redis_url, ttl_seconds=3600, key_prefix=key_prefix)
        t1 = await reader.load(SessionKey(team_id="T1", channel_id="C0001", thread_ts=thread))
        t2 = await reader.load(SessionKey(team_id="T2", channel_id="C0001", thread_ts=thread))
        await reader.aclose()
        assert t1 is not None and t2 is not None
        assert t1.status.value == "decided" and t2.status.value == "interviewing"

        revoked = {"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}, "event_ts": next_ts()}
        status, _ = await bot.sender.send(team_event_body(revoked, team_id="T2"))
        assert status == 200
        await asyncio.sleep(0.3)  # Bolt's own listener deletes the bot after the ack
        assert await find_token(bot, "T2") is None

        status, _ = await bot.sender.send(team_event_body(uninstalled("T1"), team_id="T1"))
        assert status == 200
        await asyncio.sleep(0.3)  # Bolt's own listener deletes it after the ack
        assert await find_token(bot, "T1") is None
        before = len(bot.slack.of("chat.postMessage"))
        await bot.sender.send(team_event_body(mention(OPENING), team_id="T1"))
        await bot.settled()
        assert len(bot.slack.of("chat.postMessage")) == before  # nobody left to answer


async def test_a_forged_state_installs_nothing(redis_url: str, key_prefix: str) -> None:
    """A redirect whose state was never issued is refused and stores no installation."""
    async with many_workspace_bot(redis_url, key_prefix) as bot:
        url = f"{bot.base_url}/slack/oauth_redirect?code=code-T1&state=forged"
        async with bot.sender.session.get(url) as response:
            assert response.status >= 400
        assert await find_token(bot, "T1") is None
        assert bot.slack.of("oauth.v2.access") == []


async def test_two_workspaces_on_one_redis_never_share_sessions_or_history(
    redis_url: str, key_prefix: str
) -> None:
    """The same channel and thread ids in two teams are two sessions and two histories."""
    store = RedisSessionStore.from_url(redis_url, ttl_seconds=3600, key_prefix=key_prefix)
    try:
        from tests.support.store_samples import new_session  # noqa: PLC0415

        one = SessionKey(team_id="T1", channel_id="C1", thread_ts="1.0")
        two = SessionKey(team_id="T2", channel_id="C1", thread_ts="1.0")
        session = new_session(one)
        session.facts["use_case"] = "team one's secret"
        await store.save(session)
        assert await store.load(two) is None
        await store.add_history(history_entry(one, user_id="U1"))
        assert await store.history(team_id="T2") == []
        assert await store.history(team_id="T2", channel_id="C1") == []
        assert await store.history(team_id="T2", user_id="U1") == []
        assert len(await store.history(team_id="T1", user_id="U1")) == 1
        assert await store.claim(team_id="T1", delivery_id="Ev1") is True
        assert await store.claim(team_id="T2", delivery_id="Ev1") is True
    finally:
        await store.aclose()
        delete_prefix(redis_url, key_prefix)


def test_socket_mode_refuses_many_workspaces() -> None:
    """Socket Mode serves one workspace: without a bot token it stops, naming the setting."""
    settings = Settings.from_env(
        {
            "SLACK_CLIENT_ID": "1.2",
            "SLACK_CLIENT_SECRET": "secret",
            "SLACK_APP_TOKEN": "xapp-1",
            "SLACK_TOKEN_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "REDIS_URL": "redis://127.0.0.1:1/0",
        }
    )
    store = MemorySessionStore(ttl_seconds=60)
    worker = ThreadWorker(
        settings, service=key_value_service(store, KeyValueExtractor()), store=store
    )
    with pytest.raises(ConfigurationError, match="SLACK_BOT_TOKEN is not set: Socket Mode"):
        build_slack_app(settings, worker=worker, socket_mode=True)
