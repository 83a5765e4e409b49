"""`doctor` checks whichever install mode is configured: one workspace or many."""

from __future__ import annotations

from cryptography.fernet import Fernet

from bot.entrypoints.doctor.checklist import Status, check_slack_bot_token
from bot.entrypoints.doctor.install import check_install_mode
from bot.settings import Settings

KEY = Fernet.generate_key().decode()


def settings(**values: str) -> Settings:
    return Settings.from_env(values)


def test_single_workspace_is_the_default_mode() -> None:
    """A bot token alone is the one-workspace mode, reported OK."""
    [check] = check_install_mode(settings(SLACK_BOT_TOKEN="xoxb-1"))
    assert check.status is Status.OK and "one workspace" in check.detail


def test_bot_token_beside_client_credentials_is_a_warning() -> None:
    """Client credentials are unused while a bot token is set; doctor says which to unset."""
    [check] = check_install_mode(
        settings(SLACK_BOT_TOKEN="xoxb-1", SLACK_CLIENT_ID="1.2", SLACK_CLIENT_SECRET="s")
    )
    assert check.status is Status.WARN and "SLACK_BOT_TOKEN" in (check.fix or "")


def test_many_workspaces_ready() -> None:
    """Client id, secret, a valid key and Redis: every check passes."""
    checks = check_install_mode(
        settings(
            SLACK_CLIENT_ID="1.2",
            SLACK_CLIENT_SECRET="s",
            SLACK_TOKEN_ENCRYPTION_KEY=KEY,
            REDIS_URL="redis://localhost:6379/0",
        )
    )
    assert [c.status for c in checks] == [Status.OK, Status.OK]
    assert "/slack/install" in checks[0].detail


def test_many_workspaces_missing_key_redis_and_scopes_are_named() -> None:
    """A bad key and no Redis fail, and scopes short of the manifest's are a warning."""
    checks = check_install_mode(
        settings(
            SLACK_CLIENT_ID="1.2",
            SLACK_CLIENT_SECRET="s",
            SLACK_TOKEN_ENCRYPTION_KEY="not-a-key",
            SLACK_SCOPES="chat:write",
        )
    )
    by_name = {c.name: c for c in checks}
    assert by_name["SLACK_TOKEN_ENCRYPTION_KEY"].status is Status.FAIL
    assert "Fernet" in (by_name["SLACK_TOKEN_ENCRYPTION_KEY"].fix or "")
    assert by_name["REDIS_URL"].status is Status.FAIL
    assert by_name["SLACK_SCOPES"].status is Status.WARN


def test_half_configured_client_names_the_missing_half() -> None:
    """A client id without its secret fails, naming SLACK_CLIENT_SECRET."""
    [check] = check_install_mode(settings(SLACK_CLIENT_ID="1.2"))
    assert check.status is Status.FAIL and "SLACK_CLIENT_SECRET" in check.detail


async def test_bot_token_check_passes_in_many_workspace_mode() -> None:
    """No SLACK_BOT_TOKEN is needed when each workspace's token comes from its install."""
    check = await check_slack_bot_token(
        settings(SLACK_CLIENT_ID="1.2", SLACK_CLIENT_SECRET="s", SLACK_TOKEN_ENCRYPTION_KEY=KEY)
    )
    assert check.status is Status.OK
