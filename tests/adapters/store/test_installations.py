"""The Redis installation and OAuth state stores: per-workspace keys, encrypted tokens."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import redis.asyncio as redis
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation

from bot.adapters.store.installations import (
    RedisInstallationStore,
    RedisOAuthStateStore,
    build_cipher,
    build_installation_stores,
)
from bot.errors import ConfigurationError
from bot.settings import Settings

KEY = Fernet.generate_key().decode()


def installation(team_id: str, token: str, *, user_id: str = "U1") -> Installation:
    return Installation(
        app_id="A0001",
        enterprise_id=None,
        team_id=team_id,
        user_id=user_id,
        bot_token=token,
        bot_id="B" + team_id,
        bot_user_id="UBOT" + team_id,
        bot_scopes=["chat:write"],
    )


@pytest.fixture
async def client(redis_url: str) -> AsyncIterator[redis.Redis]:
    connection = redis.Redis.from_url(redis_url, decode_responses=True)
    yield connection
    await connection.aclose()


@pytest.fixture
def store(client: redis.Redis, key_prefix: str) -> RedisInstallationStore:
    return RedisInstallationStore(client, cipher=Fernet(KEY.encode()), key_prefix=key_prefix)


async def test_saved_installation_is_found_per_team(store: RedisInstallationStore) -> None:
    """Each team's bot and installation come back with that team's own token."""
    await store.async_save(installation("T1", "xoxb-one"))
    await store.async_save(installation("T2", "xoxb-two"))
    one = await store.async_find_bot(enterprise_id=None, team_id="T1")
    two = await store.async_find_installation(enterprise_id=None, team_id="T2")
    assert one is not None and one.bot_token == "xoxb-one"
    assert two is not None and two.bot_token == "xoxb-two"
    assert await store.async_find_bot(enterprise_id=None, team_id="T3") is None


async def test_tokens_are_encrypted_at_rest(
    store: RedisInstallationStore, client: redis.Redis, key_prefix: str
) -> None:
    """No stored value contains a token or reads as JSON."""
    await store.async_save(installation("T1", "xoxb-secret-token"))
    names = [name async for name in client.scan_iter(match=f"{key_prefix}:*")]
    assert names
    for name in names:
        assert "xoxb" not in str(await client.get(name))


async def test_another_key_reads_as_not_installed(
    client: redis.Redis, key_prefix: str, store: RedisInstallationStore
) -> None:
    """A store with a different key cannot read (or crash on) the saved tokens."""
    await store.async_save(installation("T1", "xoxb-one"))
    other = RedisInstallationStore(
        client, cipher=Fernet(Fernet.generate_key()), key_prefix=key_prefix
    )
    assert await other.async_find_bot(enterprise_id=None, team_id="T1") is None


async def test_delete_all_removes_only_that_team(store: RedisInstallationStore) -> None:
    """Uninstalling one workspace leaves the others installed."""
    await store.async_save(installation("T1", "xoxb-one"))
    await store.async_save(installation("T1", "xoxb-one", user_id="U2"))
    await store.async_save(installation("T2", "xoxb-two"))
    await store.async_delete_all(enterprise_id=None, team_id="T1")
    assert await store.async_find_bot(enterprise_id=None, team_id="T1") is None
    assert await store.async_find_installation(enterprise_id=None, team_id="T1") is None
    assert (
        await store.async_find_installation(enterprise_id=None, team_id="T1", user_id="U2") is None
    )
    assert await store.async_find_bot(enterprise_id=None, team_id="T2") is not None


async def test_enterprise_install_is_found_for_any_team(store: RedisInstallationStore) -> None:
    """An org-wide install is found by its enterprise, whatever team the event came from."""
    org = Installation(
        enterprise_id="E1",
        team_id=None,
        user_id="U1",
        bot_token="xoxb-org",
        bot_id="BORG",
        bot_user_id="UORG",
        is_enterprise_install=True,
    )
    await store.async_save(org)
    bot = await store.async_find_bot(enterprise_id="E1", team_id="T9", is_enterprise_install=True)
    assert bot is not None and bot.bot_token == "xoxb-org"


async def test_state_is_accepted_once(client: redis.Redis, key_prefix: str) -> None:
    """An issued OAuth state is consumed once; unknown states are refused."""
    states = RedisOAuthStateStore(client, key_prefix=key_prefix)
    state = await states.async_issue()
    assert await states.async_consume(state) is True
    assert await states.async_consume(state) is False
    assert await states.async_consume("forged") is False


def test_missing_or_bad_key_names_the_variable() -> None:
    """Many-workspace mode without a valid key, or without Redis, fails naming the setting."""
    with pytest.raises(ConfigurationError, match="SLACK_TOKEN_ENCRYPTION_KEY is not set"):
        build_cipher(Settings())
    with pytest.raises(ConfigurationError, match="SLACK_TOKEN_ENCRYPTION_KEY is invalid"):
        build_cipher(Settings(slack_token_encryption_key="short"))  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="REDIS_URL is not set"):
        build_installation_stores(Settings(slack_token_encryption_key=KEY))  # type: ignore[arg-type]


def test_install_secrets_are_scrubbed_from_logs() -> None:
    """The client secret and the encryption key are among the secrets removed from log lines."""
    from bot.adapters.logs import secrets_of  # noqa: PLC0415

    settings = Settings.from_env(
        {
            "SLACK_CLIENT_ID": "1.2",
            "SLACK_CLIENT_SECRET": "client-secret-value",
            "SLACK_TOKEN_ENCRYPTION_KEY": KEY,
        }
    )
    assert {"client-secret-value", KEY} <= set(secrets_of(settings))
