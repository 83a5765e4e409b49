"""Many-workspace installs: Bolt's async installation and OAuth state stores on Redis.

Each installation is stored under its enterprise and team (`-` for a missing id), so one
workspace can never read another's token. Values are JSON encrypted with Fernet
(SLACK_TOKEN_ENCRYPTION_KEY): a copy of the Redis data holds no usable token.

Keys, under the app's client id (as Bolt's own stores do, so two apps can share a Redis):
`{prefix}:install:{app}:{E}:{T}:bot`, `…:installation` (the latest installer) and
`…:installation:{user}`; OAuth states are `{prefix}:oauth_state:{app}:{state}` with a
short TTL, consumed with GETDEL so a state works once.
"""

from __future__ import annotations

import json
import logging
import secrets
from typing import Any

import redis.asyncio as redis
from cryptography.fernet import Fernet, InvalidToken
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from bot.errors import ConfigurationError, StoreUnavailableError
from bot.settings import HELP, Settings

log = logging.getLogger(__name__)

# Slack's OAuth redirect comes back within seconds; ten minutes covers a slow approver.
STATE_TTL_SECONDS = 600
SOCKET_TIMEOUT_SECONDS = 0.5
_NONE = "-"


def _part(value: str | None) -> str:
    """An id made safe inside a key; a missing id (no enterprise) is `-`."""
    if not value:
        return _NONE
    return value.replace("%", "%25").replace(":", "%3A").replace("{", "%7B").replace("}", "%7D")


def build_cipher(settings: Settings) -> Fernet:
    """The Fernet cipher for stored tokens; a missing or malformed key names the variable."""
    key = settings.slack_token_encryption_key
    if key is None:
        raise ConfigurationError(
            "SLACK_TOKEN_ENCRYPTION_KEY is not set: installing into many workspaces stores "
            f"each workspace's token, encrypted. Set it to a {HELP['SLACK_TOKEN_ENCRYPTION_KEY']}."
        )
    try:
        return Fernet(key.get_secret_value().encode())
    except ValueError as exc:
        raise ConfigurationError(
            "SLACK_TOKEN_ENCRYPTION_KEY is invalid (not 32 url-safe base64-encoded bytes): "
            f"set it to a {HELP['SLACK_TOKEN_ENCRYPTION_KEY']}."
        ) from exc


class RedisInstallationStore(AsyncInstallationStore):
    """Bolt's `AsyncInstallationStore` on redis.asyncio, tokens encrypted at rest."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        cipher: Fernet,
        key_prefix: str = "swf",
        client_id: str | None = None,
    ) -> None:
        self._redis = client
        self._cipher = cipher
        self._prefix = f"{key_prefix}:install:{_part(client_id)}"

    @property
    def logger(self) -> logging.Logger:
        return log

    # -- writing --------------------------------------------------------------------

    async def async_save(self, installation: Installation) -> None:
        base = self._base(installation.enterprise_id, installation.team_id)
        text = self._seal(vars(installation))
        pipe = self._redis.pipeline(transaction=True)
        pipe.set(f"{base}:installation", text)
        if installation.user_id:
            pipe.set(f"{base}:installation:{_part(installation.user_id)}", text)
        await self._call(pipe.execute())
        await self.async_save_bot(installation.to_bot())

    async def async_save_bot(self, bot: Bot) -> None:
        base = self._base(bot.enterprise_id, bot.team_id)
        await self._call(self._redis.set(f"{base}:bot", self._seal(vars(bot))))

    # -- reading --------------------------------------------------------------------

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        base = self._base(enterprise_id, None if is_enterprise_install else team_id)
        data = self._open(await self._call(self._redis.get(f"{base}:bot")))
        return Bot(**data) if data is not None else None

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        base = self._base(enterprise_id, None if is_enterprise_install else team_id)
        name = f"{base}:installation:{_part(user_id)}" if user_id else f"{base}:installation"
        data = self._open(await self._call(self._redis.get(name)))
        return Installation(**data) if data is not None else None

    # -- deleting (tokens_revoked, app_uninstalled) ------------------------------------

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._call(self._redis.delete(f"{self._base(enterprise_id, team_id)}:bot"))

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        base = self._base(enterprise_id, team_id)
        if user_id:
            await self._call(self._redis.delete(f"{base}:installation:{_part(user_id)}"))
            return
        names = [name async for name in self._redis.scan_iter(match=f"{base}:installation*")]
        if names:
            await self._call(self._redis.delete(*names))

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        await self.async_delete_installation(enterprise_id=enterprise_id, team_id=team_id)

    async def aclose(self) -> None:
        await self._redis.aclose()

    # -- helpers --------------------------------------------------------------------

    def _base(self, enterprise_id: str | None, team_id: str | None) -> str:
        return f"{self._prefix}:{_part(enterprise_id)}:{_part(team_id)}"

    def _seal(self, data: dict[str, Any]) -> str:
        return self._cipher.encrypt(json.dumps(data).encode()).decode()

    def _open(self, raw: str | bytes | None) -> dict[str, Any] | None:
        """The stored record, or None; one sealed with another key reads as not installed."""
        if raw is None:
            return None
        token = raw.encode() if isinstance(raw, str) else raw
        try:
            data: dict[str, Any] = json.loads(self._cipher.decrypt(token))
        except (InvalidToken, ValueError):
            log.error("an installation could not be decrypted: SLACK_TOKEN_ENCRYPTION_KEY changed?")
            return None
        return data

    async def _call(self, call: Any) -> Any:
        try:
            return await call
        except (RedisError, OSError) as exc:
            raise StoreUnavailableError(f"installation store: {type(exc).__name__}") from exc


class RedisOAuthStateStore(AsyncOAuthStateStore):
    """OAuth `state` values on Redis: issued with a TTL, each accepted once."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        key_prefix: str = "swf",
        client_id: str | None = None,
        expiration_seconds: int = STATE_TTL_SECONDS,
    ) -> None:
        self._redis = client
        self._prefix = f"{key_prefix}:oauth_state:{_part(client_id)}"
        self._expiration_seconds = expiration_seconds

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(24)
        await self._redis.set(self._key(state), "1", ex=self._expiration_seconds)
        return state

    async def async_consume(self, state: str) -> bool:
        try:
            return await self._redis.getdel(self._key(state)) is not None
        except (RedisError, OSError) as exc:
            log.warning("oauth state could not be checked", extra={"error": type(exc).__name__})
            return False

    def _key(self, state: str) -> str:
        return f"{self._prefix}:{_part(state)}"


def build_installation_stores(
    settings: Settings, *, key_prefix: str = "swf"
) -> tuple[RedisInstallationStore, RedisOAuthStateStore]:
    """Both stores on REDIS_URL (one connection pool); many-workspace mode needs Redis."""
    if settings.redis_url is None:
        raise ConfigurationError(
            "REDIS_URL is not set: installing into many workspaces keeps each workspace's "
            f"installation in Redis. Set it to {HELP['REDIS_URL'].split(';')[0]}."
        )
    cipher = build_cipher(settings)
    # redis-py's defaults (5 s socket timeout, ten retries) would hold an ack for seconds
    # when Redis is lost; fail fast instead, as the session store does.
    client = redis.Redis.from_url(
        settings.redis_url,
        decode_responses=True,
        socket_timeout=SOCKET_TIMEOUT_SECONDS,
        socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
        retry=Retry(NoBackoff(), retries=1),
    )
    app = settings.slack_client_id
    return (
        RedisInstallationStore(client, cipher=cipher, key_prefix=key_prefix, client_id=app),
        RedisOAuthStateStore(client, key_prefix=key_prefix, client_id=app),
    )
