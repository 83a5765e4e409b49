from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.entrypoints.doctor.checklist import mask, run_doctor, run_doctor_from_env
from bot.settings import Settings
from tests.support.fake_doctor_servers import (
    GOOD_ANTHROPIC_KEY,
    GOOD_APP_TOKEN,
    GOOD_BOT_TOKEN,
    FakeServices,
    fake_services,
    model_info,
)

SIGNING_SECRET = "8f14e45fceea167a5a36dedd4bea2543"


@pytest.fixture
def services() -> Iterator[FakeServices]:
    with fake_services() as running:
        yield running


def closed_port_url(scheme: str = "http") -> str:
    """A URL on a port nobody listens on, so connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"{scheme}://127.0.0.1:{port}"


def good_env(services: FakeServices, redis_url: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": GOOD_BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_APP_TOKEN": GOOD_APP_TOKEN,
        "SLACK_API_URL": services.slack_api_url,
        "ANTHROPIC_API_KEY": GOOD_ANTHROPIC_KEY,
        "ANTHROPIC_BASE_URL": services.base_url,
        "REDIS_URL": redis_url,
    }


def doctor(env: dict[str, str], *, url: str | None = None) -> tuple[int, str]:
    out = io.StringIO()
    status = run_doctor(Settings.from_env(env), url=url, out=out)
    return status, out.getvalue()


def line_for(output: str, name: str) -> str:
    return next(line for line in output.splitlines() if line.split(":")[0].endswith(f" {name}"))


def test_everything_configured_passes(services: FakeServices, redis_url: str) -> None:
    """With valid credentials, a live Redis and a reachable URL, doctor exits 0."""
    status, output = doctor(good_env(services, redis_url), url=services.base_url)
    assert status == 0, output
    assert "✗" not in output
    assert line_for(output, "SLACK_BOT_TOKEN").startswith("✓")
    assert "workspace Acme" in output


def test_secret_values_are_never_printed(services: FakeServices, redis_url: str) -> None:
    """The output shows masked prefixes only, for good and rejected secrets alike."""
    env = good_env(services, redis_url)
    services.bot_token = "xoxb-something-else"
    _, output = doctor(env, url=services.base_url)
    for secret in (GOOD_BOT_TOKEN, GOOD_APP_TOKEN, GOOD_ANTHROPIC_KEY, SIGNING_SECRET):
        assert secret not in output
    assert "xoxb-…" in output


def test_mask_keeps_only_the_kind() -> None:
    """A masked token keeps its kind prefix and nothing of the secret part."""
    assert mask("xoxb-123-456-abc") == "xoxb-…"
    assert mask("8f14e45fceea167a") == "…"


def test_rejected_bot_token_fails_with_the_fix(services: FakeServices, redis_url: str) -> None:
    """A bot token auth.test rejects is a failure that says where to get a new one."""
    services.bot_token = "xoxb-the-only-valid-one"
    status, output = doctor(good_env(services, redis_url))
    assert status == 1
    assert "invalid_auth" in line_for(output, "SLACK_BOT_TOKEN")
    assert "fix: copy the Bot User OAuth Token" in output


def test_missing_bot_token_fails(services: FakeServices, redis_url: str) -> None:
    """No SLACK_BOT_TOKEN is a failure, and Slack is not called for it."""
    env = good_env(services, redis_url)
    del env["SLACK_BOT_TOKEN"]
    status, output = doctor(env)
    assert status == 1
    assert line_for(output, "SLACK_BOT_TOKEN") == "✗ SLACK_BOT_TOKEN: not set"
    assert "/api/auth.test" not in services.paths


def test_user_token_is_not_accepted_as_bot_token(services: FakeServices, redis_url: str) -> None:
    """A token that is not xoxb- fails before any call, naming the expected kind."""
    env = good_env(services, redis_url) | {"SLACK_BOT_TOKEN": "xoxp-123-456"}
    status, output = doctor(env)
    assert status == 1
    assert "is not a bot token" in line_for(output, "SLACK_BOT_TOKEN")


def test_unreachable_slack_fails_with_network_fix(services: FakeServices, redis_url: str) -> None:
    """When the Slack API cannot be reached the fix is about the network, not the token."""
    env = good_env(services, redis_url) | {"SLACK_API_URL": closed_port_url() + "/api/"}
    status, output = doctor(env)
    assert status == 1
    assert "cannot reach Slack" in line_for(output, "SLACK_BOT_TOKEN")
    assert "check outbound HTTPS" in output


def test_missing_signing_secret_fails_without_app_token(
    services: FakeServices, redis_url: str
) -> None:
    """Without a signing secret or an app token the bot cannot run in either mode."""
    env = good_env(services, redis_url)
    del env["SLACK_SIGNING_SECRET"], env["SLACK_APP_TOKEN"]
    status, output = doctor(env)
    assert status == 1
    assert line_for(output, "SLACK_SIGNING_SECRET").startswith("✗")


def test_missing_signing_secret_only_warns_in_socket_mode(
    services: FakeServices, redis_url: str
) -> None:
    """With an app token the missing signing secret is a warning: Socket Mode still works."""
    env = good_env(services, redis_url)
    del env["SLACK_SIGNING_SECRET"]
    status, output = doctor(env)
    assert status == 0, output
    assert line_for(output, "SLACK_SIGNING_SECRET").startswith("!")


def test_missing_app_token_is_a_warning(services: FakeServices, redis_url: str) -> None:
    """No app token only means no Socket Mode, so the exit status stays 0."""
    env = good_env(services, redis_url)
    del env["SLACK_APP_TOKEN"]
    status, output = doctor(env)
    assert status == 0, output
    assert "Socket Mode unavailable" in line_for(output, "SLACK_APP_TOKEN")


def test_rejected_app_token_fails(services: FakeServices, redis_url: str) -> None:
    """An app token Slack refuses is a failure with the App-Level Tokens fix."""
    services.app_token = "xapp-another"
    status, output = doctor(good_env(services, redis_url))
    assert status == 1
    assert "App-Level Tokens" in output


def test_missing_anthropic_key_warns_about_offline_extractor(
    services: FakeServices, redis_url: str
) -> None:
    """Without a key doctor says the offline extractor will be used, and does not fail."""
    env = good_env(services, redis_url)
    del env["ANTHROPIC_API_KEY"]
    status, output = doctor(env)
    assert status == 0, output
    assert "offline rule-based extractor" in line_for(output, "ANTHROPIC_API_KEY")


def test_rejected_anthropic_key_fails(services: FakeServices, redis_url: str) -> None:
    """A key the API answers 401 to is a failure with the console fix."""
    services.anthropic_key = "sk-ant-other"
    status, output = doctor(good_env(services, redis_url))
    assert status == 1
    assert "rejected (401)" in line_for(output, "ANTHROPIC_API_KEY")
    assert "console.anthropic.com" in output


def test_unknown_model_fails(services: FakeServices, redis_url: str) -> None:
    """A model the key cannot see fails and suggests the default model."""
    env = good_env(services, redis_url) | {"ANTHROPIC_MODEL": "claude-nonexistent"}
    status, output = doctor(env)
    assert status == 1
    assert "not found" in line_for(output, "ANTHROPIC_MODEL")
    assert "claude-haiku-5-5" in output


def test_retiring_model_warns(services: FakeServices, redis_url: str) -> None:
    """A deprecated model is a warning that names its retirement date."""
    services.models["claude-sonnet-4-5"] = model_info(
        "claude-sonnet-4-5", lifecycle="deprecated", retires_at="2026-11-30T00:00:00Z"
    )
    env = good_env(services, redis_url) | {"ANTHROPIC_MODEL": "claude-sonnet-4-5"}
    status, output = doctor(env)
    assert status == 0, output
    assert "retires 2026-11-30" in line_for(output, "ANTHROPIC_MODEL")


def test_unset_redis_warns_about_the_in_process_store(services: FakeServices) -> None:
    """Without REDIS_URL doctor explains that sessions are neither durable nor shared."""
    env = good_env(services, "")
    status, output = doctor(env)
    assert status == 0, output
    assert "sessions are lost on restart and not shared across replicas" in output


def test_reachable_redis_answers_ping(services: FakeServices, redis_url: str) -> None:
    """A live Redis passes (possibly with a persistence warning) and says PING ok."""
    _, output = doctor(good_env(services, redis_url))
    assert "PING ok" in line_for(output, "REDIS_URL")


def test_unreachable_redis_fails_within_its_budget(services: FakeServices) -> None:
    """A Redis nobody answers for fails in about 2 s, not redis-py's default ~3 s of retries."""
    env = good_env(services, closed_port_url("redis") + "/0")
    started = time.monotonic()
    status, output = doctor(env)
    assert time.monotonic() - started < 3.0
    assert status == 1
    assert "no PING answer" in line_for(output, "REDIS_URL")


def test_malformed_redis_url_fails(services: FakeServices) -> None:
    """A REDIS_URL without a scheme fails with the expected form."""
    status, output = doctor(good_env(services, "localhost:6379"))
    assert status == 1
    assert "use redis://host:6379/0" in output


def test_unhealthy_public_url_fails(services: FakeServices, redis_url: str) -> None:
    """A /healthz that does not answer 200 fails the request URL check."""
    services.health_status = 503
    status, output = doctor(good_env(services, redis_url), url=services.base_url)
    assert status == 1
    assert "/healthz answered 503" in output


def test_events_route_accepting_unsigned_requests_fails(
    services: FakeServices, redis_url: str
) -> None:
    """A /slack/events that does not refuse an unsigned request is reported."""
    services.events_status = 404
    status, output = doctor(good_env(services, redis_url), url=services.base_url)
    assert status == 1
    assert "/slack/events answered 404" in output


def test_unreachable_public_url_fails(services: FakeServices, redis_url: str) -> None:
    """A URL nothing answers on is a failure with the routing fix."""
    status, output = doctor(good_env(services, redis_url), url=closed_port_url())
    assert status == 1
    assert "unreachable" in output


def test_unparseable_setting_is_a_failed_check() -> None:
    """A setting that does not parse is reported with its fix, and the exit status is 1."""
    out = io.StringIO()
    status = run_doctor_from_env({"PORT": "not-a-number"}, out=out)
    assert status == 1
    assert "PORT is invalid" in out.getvalue()


def test_endpoint_overrides_are_warned_about(services: FakeServices, redis_url: str) -> None:
    """SLACK_API_URL and ANTHROPIC_BASE_URL pointing elsewhere are warnings, not failures."""
    status, output = doctor(good_env(services, redis_url))
    assert status == 0, output
    assert line_for(output, "SLACK_API_URL").startswith("! SLACK_API_URL: points at")
    assert line_for(output, "ANTHROPIC_BASE_URL").startswith("!")


def test_logging_message_text_is_warned_about(services: FakeServices, redis_url: str) -> None:
    """LOG_MESSAGE_TEXT=true is flagged, since user text then reaches the logs."""
    env = good_env(services, redis_url) | {"LOG_MESSAGE_TEXT": "true"}
    status, output = doctor(env)
    assert status == 0, output
    assert "what users type will appear in the logs" in line_for(output, "LOG_MESSAGE_TEXT")


def test_cli_doctor_exits_non_zero_when_a_check_fails(tmp_path: Path) -> None:
    """`python -m bot doctor` with nothing configured prints the checklist and exits 1."""
    result = subprocess.run(
        [sys.executable, "-m", "bot", "doctor"],
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "✗ SLACK_BOT_TOKEN: not set" in result.stdout
    assert "fix:" in result.stdout


def test_missing_scopes_fail_with_reinstall_fix(services: FakeServices, redis_url: str) -> None:
    """A token whose app lacks manifest scopes fails, naming them and saying to reinstall."""
    services.scopes = "app_mentions:read,chat:write"
    status, output = doctor(good_env(services, redis_url))
    assert status == 1
    line = line_for(output, "SLACK_BOT_TOKEN")
    assert "lacks scopes: commands, channels:history" in line
    assert "reinstall the app" in output


def test_unreported_scopes_are_not_held_against_the_token(
    services: FakeServices, redis_url: str
) -> None:
    """When Slack sends no x-oauth-scopes header, the token check rests on auth.test alone."""
    services.scopes = None
    status, output = doctor(good_env(services, redis_url))
    assert status == 0, output
    assert line_for(output, "SLACK_BOT_TOKEN").startswith("✓")
