"""The Slack app manifest: valid against Slack's schema, and the deployed copy is current."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema

from bot.entrypoints.manifest import BOT_EVENTS, EVENTS_PATH, build_manifest, render_manifest
from tests.support import paths

ROOT = paths.REPO_ROOT
SCHEMA = json.loads((ROOT / "tests/data/manifest.schema.1.0.0.json").read_text())


def test_http_manifest_validates_against_slacks_schema() -> None:
    """The HTTP-mode manifest passes Slack's published manifest schema."""
    jsonschema.validate(build_manifest(url="https://bot.example.com"), SCHEMA)


def test_socket_manifest_validates_and_has_no_request_urls() -> None:
    """The Socket Mode manifest is valid, enables Socket Mode and carries no request URLs."""
    manifest = build_manifest(socket_mode=True)
    jsonschema.validate(manifest, SCHEMA)
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in manifest["settings"]["event_subscriptions"]
    assert "url" not in manifest["features"]["slash_commands"][0]


def test_every_request_url_points_at_the_events_route() -> None:
    """Events, interactivity and the slash command all post to `<url>/slack/events`."""
    manifest = build_manifest(url="https://bot.example.com/")
    expected = "https://bot.example.com" + EVENTS_PATH
    assert manifest["settings"]["event_subscriptions"]["request_url"] == expected
    assert manifest["settings"]["interactivity"]["request_url"] == expected
    assert manifest["features"]["slash_commands"][0]["url"] == expected


def test_manifest_subscribes_to_mentions_and_thread_messages() -> None:
    """The bot hears @mentions and the thread replies that continue an interview."""
    events = build_manifest()["settings"]["event_subscriptions"]["bot_events"]
    assert set(events) == set(BOT_EVENTS)
    assert {"app_mention", "message.channels"} <= set(events)


def test_deployed_manifest_matches_the_generated_one() -> None:
    """deploy/slack-manifest.json is the current default rendering (regenerate it if not)."""
    assert (ROOT / "deploy/slack-manifest.json").read_text() == render_manifest()


def test_manifest_command_prints_pasteable_json() -> None:
    """`should-we-finetune manifest --url ...` prints JSON with that URL."""
    result = subprocess.run(
        [sys.executable, "-m", "bot", "manifest", "--url", "https://host.example"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    printed = json.loads(result.stdout)
    jsonschema.validate(printed, SCHEMA)
    assert printed["settings"]["interactivity"]["request_url"].startswith("https://host.example")


def test_manifest_has_the_home_tab_and_the_assistant_view() -> None:
    """Home tab on, the assistant view with the three suggested prompts, and what they need."""
    manifest = build_manifest(url="https://bot.example.com")
    jsonschema.validate(manifest, SCHEMA)
    features = manifest["features"]
    assert features["app_home"]["home_tab_enabled"] is True
    prompts = [p["message"] for p in features["assistant_view"]["suggested_prompts"]]
    assert prompts == [
        "Should we fine-tune our support drafter?",
        "RAG or long context for our docs?",
        "What would fine-tuning cost us?",
    ]
    scopes = manifest["oauth_config"]["scopes"]["bot"]
    assert {"assistant:write", "im:write", "channels:read"} <= set(scopes)
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert {
        "app_home_opened",
        "assistant_thread_started",
        "assistant_thread_context_changed",
        "tokens_revoked",
        "app_uninstalled",
    } <= set(events)


def test_http_manifest_lists_the_oauth_redirect_url() -> None:
    """Installing into many workspaces comes back to `<url>/slack/oauth_redirect`."""
    manifest = build_manifest(url="https://bot.example.com/")
    assert manifest["oauth_config"]["redirect_urls"] == [
        "https://bot.example.com/slack/oauth_redirect"
    ]
    assert "redirect_urls" not in build_manifest(socket_mode=True)["oauth_config"]
