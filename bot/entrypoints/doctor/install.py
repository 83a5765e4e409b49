"""`doctor`'s checks for how the app is installed: one workspace (SLACK_BOT_TOKEN) or many
(OAuth: client id and secret, an encryption key for stored tokens, and Redis to keep them)."""

from __future__ import annotations

from bot.adapters.store.installations import build_cipher
from bot.entrypoints.doctor.checklist import Check, Status
from bot.entrypoints.manifest import BOT_SCOPES, INSTALL_PATH
from bot.errors import ConfigurationError
from bot.settings import Settings

NAME = "install mode"


def check_install_mode(settings: Settings) -> list[Check]:
    """Which mode the settings select, and what that mode still lacks."""
    has_client = settings.slack_client_id is not None or settings.slack_client_secret is not None
    if settings.slack_bot_token is not None:
        if not has_client:
            return [Check(NAME, Status.OK, "one workspace, with SLACK_BOT_TOKEN")]
        return [
            Check(
                NAME,
                Status.WARN,
                "one workspace: SLACK_BOT_TOKEN is set, so SLACK_CLIENT_ID/SECRET are unused",
                "unset SLACK_BOT_TOKEN to install into many workspaces through "
                f"{INSTALL_PATH}, or unset SLACK_CLIENT_ID and SLACK_CLIENT_SECRET",
            )
        ]
    if not has_client:
        return []  # the SLACK_BOT_TOKEN check already says what to set
    if settings.slack_client_id is None or settings.slack_client_secret is None:
        missing = "SLACK_CLIENT_ID" if settings.slack_client_id is None else "SLACK_CLIENT_SECRET"
        return [
            Check(
                NAME,
                Status.FAIL,
                f"many workspaces needs both the client id and secret; {missing} is not set",
                f"copy it from Basic Information > App Credentials and set {missing}",
            )
        ]
    checks = [
        Check(
            NAME,
            Status.OK,
            f"many workspaces: teams install at {INSTALL_PATH}; each is answered with its "
            "own token from Redis",
        )
    ]
    try:
        build_cipher(settings)
    except ConfigurationError as exc:
        checks.append(Check("SLACK_TOKEN_ENCRYPTION_KEY", Status.FAIL, "not usable", str(exc)))
    else:
        checks.append(Check("SLACK_TOKEN_ENCRYPTION_KEY", Status.OK, "a valid Fernet key"))
    if settings.redis_url is None:
        checks.append(
            Check(
                "REDIS_URL",
                Status.FAIL,
                "not set: installations are kept in Redis",
                "set REDIS_URL=redis://host:6379/0 (every replica must share it)",
            )
        )
    if settings.slack_scopes:
        requested = {scope.strip() for scope in settings.slack_scopes.split(",")}
        missing_scopes = [scope for scope in BOT_SCOPES if scope not in requested]
        if missing_scopes:
            checks.append(
                Check(
                    "SLACK_SCOPES",
                    Status.WARN,
                    f"does not request {', '.join(missing_scopes)}",
                    "unset SLACK_SCOPES to request the manifest's scopes",
                )
            )
    return checks
