"""`should-we-finetune doctor`: a checklist of configuration and reachability, each with its fix.

Every check runs against the real services the settings point at (Slack's Web
API, Anthropic's API, Redis, the public URL), each under a short time budget,
and they run concurrently so the whole checklist takes a few seconds at most.
Secret values are never printed: only a masked prefix such as `xoxb-…`.
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import IO, Final

import aiohttp
import anthropic
import redis.asyncio as aioredis
from redis.exceptions import RedisError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.entrypoints.manifest import BOT_SCOPES
from bot.errors import ConfigurationError
from bot.settings import DEFAULT_ANTHROPIC_MODEL, DEFAULT_SLACK_API_URL, Settings

SLACK_TIMEOUT_SECONDS: Final = 5
ANTHROPIC_TIMEOUT_SECONDS: Final = 5.0
REDIS_BUDGET_SECONDS: Final = 2.0
URL_TIMEOUT_SECONDS: Final = 5.0
SLACK_APPS_PAGE: Final = "https://api.slack.com/apps"
SIGNING_SECRET_PATTERN: Final = re.compile(r"[0-9a-f]{32}")


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"  # works, with a limitation the operator should know about
    FAIL = "fail"


SYMBOLS: Final = {Status.OK: "✓", Status.WARN: "!", Status.FAIL: "✗"}


@dataclass(frozen=True)
class Check:
    """One line of the checklist; `fix` says exactly what to do when it is not OK."""

    name: str
    status: Status
    detail: str
    fix: str | None = None


def mask(secret: str) -> str:
    """Only the kind of secret (`xoxb-…`), never enough of it to be useful."""
    prefix = secret.split("-", 1)[0] + "-" if "-" in secret[:8] else ""
    return f"{prefix}…"


def check_settings(settings: Settings) -> list[Check]:
    """The settings parsed; warnings for values that are legitimate but unusual in production."""
    mode = "Claude extraction" if settings.has_anthropic else "offline extraction"
    store = "Redis" if settings.redis_url else "in-process store"
    checks = [
        Check(
            "settings",
            Status.OK,
            f"parsed: port {settings.port}, log level {settings.log_level}, {mode}, {store}, "
            f"session TTL {settings.session_ttl_seconds}s",
        )
    ]
    if settings.slack_api_url != DEFAULT_SLACK_API_URL:
        checks.append(
            Check(
                "SLACK_API_URL",
                Status.WARN,
                f"points at {settings.slack_api_url}, not Slack",
                "unset SLACK_API_URL in production (it exists for tests and proxies)",
            )
        )
    if settings.anthropic_base_url is not None:
        checks.append(
            Check(
                "ANTHROPIC_BASE_URL",
                Status.WARN,
                f"points at {settings.anthropic_base_url}, not Anthropic",
                "unset ANTHROPIC_BASE_URL unless you route Claude through a gateway on purpose",
            )
        )
    if settings.log_message_text or settings.log_level == "DEBUG":
        checks.append(
            Check(
                "LOG_MESSAGE_TEXT",
                Status.WARN,
                "what users type will appear in the logs",
                "set LOG_MESSAGE_TEXT=false and LOG_LEVEL=INFO outside development",
            )
        )
    return checks


def _slack_client(settings: Settings, *, token: str | None) -> AsyncWebClient:
    # No retry handlers: a diagnosis should report the first failure, not wait out backoffs.
    return AsyncWebClient(
        token=token,
        base_url=settings.slack_api_base,
        timeout=SLACK_TIMEOUT_SECONDS,
        retry_handlers=[],
    )


async def check_slack_bot_token(settings: Settings) -> Check:
    name = "SLACK_BOT_TOKEN"
    fix = (
        f"copy the Bot User OAuth Token (xoxb-…) from {SLACK_APPS_PAGE} > your app > "
        "OAuth & Permissions (install the app to the workspace first) and set SLACK_BOT_TOKEN"
    )
    if settings.is_many_workspace:
        return Check(name, Status.OK, "not set: each installed workspace's token is used")
    if settings.slack_bot_token is None:
        return Check(name, Status.FAIL, "not set", fix)
    token = settings.slack_bot_token.get_secret_value()
    if not token.startswith("xoxb-"):
        return Check(name, Status.FAIL, f"{mask(token)} is not a bot token (xoxb-…)", fix)
    client = _slack_client(settings, token=token)
    try:
        response = await client.auth_test()
    except SlackApiError as exc:
        error = exc.response.get("error", "unknown_error")
        return Check(name, Status.FAIL, f"{mask(token)} rejected by auth.test ({error})", fix)
    except (aiohttp.ClientError, TimeoutError) as exc:
        return Check(
            name,
            Status.FAIL,
            f"cannot reach Slack at {settings.slack_api_base} ({type(exc).__name__})",
            "check outbound HTTPS to slack.com (proxy, firewall); leave SLACK_API_URL unset "
            "in production",
        )
    granted = _granted_scopes(response.headers)
    missing = [scope for scope in BOT_SCOPES if granted is not None and scope not in granted]
    if missing:
        return Check(
            name,
            Status.FAIL,
            f"{mask(token)} valid, but the app lacks scopes: {', '.join(missing)}",
            f"add them under {SLACK_APPS_PAGE} > your app > OAuth & Permissions (or update the "
            "app from `should-we-finetune manifest`) and reinstall the app to the workspace",
        )
    return Check(
        name,
        Status.OK,
        f"{mask(token)} valid: bot {response.get('user')} in workspace {response.get('team')}",
    )


def _granted_scopes(headers: Mapping[str, object]) -> set[str] | None:
    """The scopes Slack reports in `x-oauth-scopes`, or None when it does not say."""
    for name, value in headers.items():
        if name.lower() == "x-oauth-scopes":
            raw = value[0] if isinstance(value, list) and value else value
            return {scope.strip() for scope in str(raw).split(",") if scope.strip()}
    return None


def check_signing_secret(settings: Settings) -> Check:
    name = "SLACK_SIGNING_SECRET"
    fix = (
        f"copy the Signing Secret from {SLACK_APPS_PAGE} > your app > Basic Information > "
        "App Credentials and set SLACK_SIGNING_SECRET"
    )
    if settings.slack_signing_secret is None:
        if settings.slack_app_token is not None:
            return Check(
                name, Status.WARN, "not set: only Socket Mode (`serve --socket`) works", fix
            )
        return Check(name, Status.FAIL, "not set: HTTP mode cannot verify Slack's requests", fix)
    if not SIGNING_SECRET_PATTERN.fullmatch(settings.slack_signing_secret.get_secret_value()):
        return Check(name, Status.WARN, "set, but not 32 hex digits as Slack issues them", fix)
    return Check(name, Status.OK, "set")


async def check_app_token(settings: Settings) -> Check:
    name = "SLACK_APP_TOKEN"
    fix = (
        f"create an app-level token with connections:write at {SLACK_APPS_PAGE} > your app > "
        "Basic Information > App-Level Tokens, enable Socket Mode, and set SLACK_APP_TOKEN"
    )
    if settings.slack_app_token is None:
        return Check(name, Status.WARN, "not set: Socket Mode unavailable (HTTP mode is fine)", fix)
    token = settings.slack_app_token.get_secret_value()
    if not token.startswith("xapp-"):
        return Check(name, Status.FAIL, f"{mask(token)} is not an app-level token (xapp-…)", fix)
    client = _slack_client(settings, token=None)
    try:
        # Only asks for a WebSocket URL; no connection is opened, so nothing is delivered.
        await client.apps_connections_open(app_token=token)
    except SlackApiError as exc:
        error = exc.response.get("error", "unknown_error")
        return Check(name, Status.FAIL, f"{mask(token)} rejected ({error})", fix)
    except (aiohttp.ClientError, TimeoutError) as exc:
        return Check(
            name,
            Status.FAIL,
            f"cannot reach Slack ({type(exc).__name__})",
            "check outbound HTTPS and WSS to slack.com (proxy, firewall)",
        )
    return Check(name, Status.OK, f"{mask(token)} valid: Socket Mode can connect")


async def check_anthropic(settings: Settings) -> Check:
    name = "ANTHROPIC_API_KEY"
    if settings.anthropic_api_key is None:
        return Check(
            name,
            Status.WARN,
            "not set: the offline rule-based extractor will be used, and users are told so",
            "create a key at https://console.anthropic.com/settings/keys and set "
            "ANTHROPIC_API_KEY for better extraction",
        )
    key = settings.anthropic_api_key.get_secret_value()
    model = settings.anthropic_model
    async with anthropic.AsyncAnthropic(
        api_key=key,
        base_url=settings.anthropic_base_url,
        timeout=ANTHROPIC_TIMEOUT_SECONDS,
        max_retries=0,
    ) as client:
        try:
            # Free and token-less: proves the key works and the model exists for it.
            info = await client.models.retrieve(model)
        except anthropic.AuthenticationError:
            return Check(
                name,
                Status.FAIL,
                f"{mask(key)} rejected (401)",
                "create a new key at https://console.anthropic.com/settings/keys and set "
                "ANTHROPIC_API_KEY",
            )
        except anthropic.NotFoundError:
            return Check(
                "ANTHROPIC_MODEL",
                Status.FAIL,
                f"model {model!r} not found for this key",
                f"set ANTHROPIC_MODEL to a current model, e.g. {DEFAULT_ANTHROPIC_MODEL}",
            )
        except anthropic.APIStatusError as exc:
            return Check(
                name,
                Status.FAIL,
                f"Anthropic answered HTTP {exc.status_code}",
                "check the key's workspace permissions and billing in the Anthropic console",
            )
        except anthropic.APIConnectionError as exc:
            return Check(
                name,
                Status.FAIL,
                f"cannot reach Anthropic ({type(exc).__name__})",
                "check outbound HTTPS to api.anthropic.com; leave ANTHROPIC_BASE_URL unset "
                "in production",
            )
    if info.lifecycle != "active" or info.retires_at is not None:
        retires = f", retires {info.retires_at:%Y-%m-%d}" if info.retires_at else ""
        return Check(
            "ANTHROPIC_MODEL",
            Status.WARN,
            f"{info.id} is {info.lifecycle}{retires}",
            f"set ANTHROPIC_MODEL to a current model, e.g. {DEFAULT_ANTHROPIC_MODEL}",
        )
    return Check(name, Status.OK, f"{mask(key)} valid; model {info.id} available")


async def _redis_facts(url: str) -> Mapping[str, object]:
    client = aioredis.from_url(
        url, socket_connect_timeout=REDIS_BUDGET_SECONDS, socket_timeout=REDIS_BUDGET_SECONDS
    )
    try:
        async with asyncio.timeout(REDIS_BUDGET_SECONDS):
            await client.ping()
            return dict(await client.info("persistence"))
    finally:
        await client.aclose()


async def check_redis(settings: Settings) -> Check:
    name = "REDIS_URL"
    if settings.redis_url is None:
        return Check(
            name,
            Status.WARN,
            "not set, so the in-process store is used: sessions are lost on restart and not "
            "shared across replicas",
            "run Redis with AOF persistence and set REDIS_URL=redis://host:6379/0 "
            "(required for more than one replica)",
        )
    try:
        persistence = await _redis_facts(settings.redis_url)
    except ValueError as exc:
        return Check(name, Status.FAIL, f"not a Redis URL ({exc})", "use redis://host:6379/0")
    except (RedisError, OSError, TimeoutError) as exc:
        return Check(
            name,
            Status.FAIL,
            f"no PING answer within {REDIS_BUDGET_SECONDS:g}s ({type(exc).__name__})",
            "start Redis or fix host, port, password and TLS (rediss://) in REDIS_URL",
        )
    if str(persistence.get("aof_enabled", "1")) == "0":
        return Check(
            name,
            Status.WARN,
            "PING ok, but AOF is off: a Redis restart can lose interviews",
            "run Redis with --appendonly yes (or your provider's persistence option)",
        )
    return Check(name, Status.OK, "PING ok, AOF persistence on")


async def check_public_url(base_url: str | None) -> list[Check]:
    if base_url is None:
        return [
            Check(
                "request URL",
                Status.OK,
                "not checked: pass --url https://your-host to check what Slack will call",
            )
        ]
    base = base_url.rstrip("/")
    timeout = aiohttp.ClientTimeout(total=URL_TIMEOUT_SECONDS)
    fix_unreachable = (
        f"make {base} reach `should-we-finetune serve` (DNS, TLS, load balancer, ingress)"
    )
    checks = []
    try:
        async with aiohttp.ClientSession(timeout=timeout) as http:
            async with http.get(f"{base}/healthz") as health:
                health_status = health.status
            # An unsigned request must be refused: proves the route exists and verifies signatures.
            async with http.post(f"{base}/slack/events", data=b"{}") as events:
                events_status = events.status
    except (aiohttp.ClientError, TimeoutError) as exc:
        return [
            Check(
                "request URL",
                Status.FAIL,
                f"{base} unreachable ({type(exc).__name__})",
                fix_unreachable,
            )
        ]
    if health_status == 200:
        checks.append(Check("request URL", Status.OK, f"{base}/healthz answered 200"))
    else:
        checks.append(
            Check(
                "request URL",
                Status.FAIL,
                f"{base}/healthz answered {health_status}",
                fix_unreachable,
            )
        )
    if events_status in (401, 403):
        checks.append(
            Check(
                "request URL",
                Status.OK,
                f"{base}/slack/events refuses unsigned requests; use it as the manifest's "
                f"request_url (`should-we-finetune manifest --url {base}`)",
            )
        )
    else:
        checks.append(
            Check(
                "request URL",
                Status.FAIL,
                f"{base}/slack/events answered {events_status} to an unsigned request",
                "route POST /slack/events to the bot and set SLACK_SIGNING_SECRET",
            )
        )
    return checks


async def check_claude_cache(settings: Settings, *, live: bool) -> list[Check]:
    """The prompt-cache checks: the prefix against the cache minimum, and with `live` two calls."""
    # Imported here: doctor_claude builds on this module's Check.
    from bot.entrypoints.doctor.claude import live_check, prefix_check  # noqa: PLC0415

    prefix = await prefix_check(settings)
    checks = [] if prefix is None else [prefix]
    if live:
        checks.append(await live_check(settings))
    return checks


async def collect_checks(
    settings: Settings, *, url: str | None = None, live: bool = False
) -> list[Check]:
    """Every check, run concurrently, in checklist order."""
    slack, app_token, claude, cache, store, public = await asyncio.gather(
        check_slack_bot_token(settings),
        check_app_token(settings),
        check_anthropic(settings),
        check_claude_cache(settings, live=live),
        check_redis(settings),
        check_public_url(url),
    )
    from bot.entrypoints.doctor.install import check_install_mode  # noqa: PLC0415 - imports us

    return [
        *check_settings(settings),
        slack,
        *check_install_mode(settings),
        check_signing_secret(settings),
        app_token,
        claude,
        *cache,
        store,
        *public,
    ]


def print_checks(checks: list[Check], out: IO[str]) -> None:
    for check in checks:
        print(f"{SYMBOLS[check.status]} {check.name}: {check.detail}", file=out)
        if check.fix and check.status is not Status.OK:
            print(f"    fix: {check.fix}", file=out)
    failures = sum(check.status is Status.FAIL for check in checks)
    warnings = sum(check.status is Status.WARN for check in checks)
    verdict = "ready" if failures == 0 else f"{failures} problem(s) to fix"
    print(f"\n{verdict}; {warnings} warning(s).", file=out)


def run_doctor(
    settings: Settings, *, url: str | None = None, out: IO[str] | None = None, live: bool = False
) -> int:
    """Print the checklist; 0 when nothing failed (warnings allowed), 1 otherwise.

    `live` adds two real Claude calls that show whether the prompt cache is read."""
    stream = sys.stdout if out is None else out
    checks = asyncio.run(collect_checks(settings, url=url, live=live))
    print_checks(checks, stream)
    return 1 if any(check.status is Status.FAIL for check in checks) else 0


def run_doctor_from_env(
    env: Mapping[str, str] | None = None,
    *,
    url: str | None = None,
    out: IO[str] | None = None,
    live: bool = False,
) -> int:
    """Like run_doctor, but a setting that does not parse is a failed check, not a crash."""
    stream = sys.stdout if out is None else out
    try:
        settings = Settings.from_env(env)
    except ConfigurationError as exc:
        print_checks([Check("settings", Status.FAIL, "a setting is invalid", str(exc))], stream)
        return 1
    return run_doctor(settings, url=url, out=stream, live=live)
