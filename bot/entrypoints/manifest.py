"""The Slack app manifest, built once here; `deploy/slack-manifest.json` is its default form."""

from __future__ import annotations

import json
from typing import Any

SLASH_COMMAND = "/should-we-finetune"
EVENTS_PATH = "/slack/events"
# Bolt's default OAuth routes (docs/design.md §6), used when installing into many workspaces.
INSTALL_PATH = "/slack/install"
OAUTH_REDIRECT_PATH = "/slack/oauth_redirect"
PLACEHOLDER_URL = "https://YOUR-HOST.example.com"
BOT_SCOPES = (
    "app_mentions:read",  # @mentions start interviews
    "chat:write",  # questions and recommendations in the thread
    "commands",  # the slash command
    # Thread replies continue an interview; the bot only sees threads it was invited to.
    "channels:history",
    "groups:history",
    "im:history",
    "mpim:history",
    "files:write",  # the cost chart and the decision record, uploaded into the thread
    "assistant:write",  # the AI assistant panel: suggested prompts, status, thread title
    "im:write",  # *New decision* on the Home tab opens a DM thread with the person
    # The Home tab lists decisions in the channels the person is in.
    "channels:read",
    "groups:read",
)
BOT_EVENTS = (
    "app_mention",
    "message.channels",
    "message.groups",
    "message.im",
    "message.mpim",
    "app_home_opened",
    "assistant_thread_started",
    "assistant_thread_context_changed",
    # A workspace that removes the app loses its stored installation.
    "tokens_revoked",
    "app_uninstalled",
)
# What the assistant panel offers a new thread; (title, message) pairs.
SUGGESTED_PROMPTS = (
    ("Fine-tune a drafter?", "Should we fine-tune our support drafter?"),
    ("RAG or long context?", "RAG or long context for our docs?"),
    ("Fine-tuning cost", "What would fine-tuning cost us?"),
)
ASSISTANT_DESCRIPTION = (
    "Describe an AI use case and I'll ask a few questions, then recommend prompting, RAG, "
    "fine-tuning or a hybrid, with the reasons and the costs."
)
LONG_DESCRIPTION = (
    "Mention @should-we-finetune in a channel with a few sentences about your AI use case, "
    "or run /should-we-finetune. It asks only the questions that could change the answer "
    "(buttons for the common ones), then recommends prompting, RAG, fine-tuning or a hybrid, "
    "with the reasons, the decision matrix, costs, break-even and what would change its mind."
)


def build_manifest(*, url: str | None = None, socket_mode: bool = False) -> dict[str, Any]:
    """The manifest for an app served at `url` (HTTP mode) or over Socket Mode."""
    events_url = (url or PLACEHOLDER_URL).rstrip("/") + EVENTS_PATH
    command: dict[str, Any] = {
        "command": SLASH_COMMAND,
        "description": "Decide between prompting, RAG and fine-tuning for a use case",
        "usage_hint": "[describe your use case] | help | history",
        "should_escape": False,
    }
    events: dict[str, Any] = {"bot_events": list(BOT_EVENTS)}
    interactivity: dict[str, Any] = {"is_enabled": True}
    oauth_config: dict[str, Any] = {"scopes": {"bot": list(BOT_SCOPES)}}
    if not socket_mode:
        base = (url or PLACEHOLDER_URL).rstrip("/")
        oauth_config = {"redirect_urls": [base + OAUTH_REDIRECT_PATH], **oauth_config}
        command["url"] = events_url
        events["request_url"] = events_url
        interactivity["request_url"] = events_url
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": "should-we-finetune",
            "description": "Prompting, RAG or fine-tuning? A short interview and a clear answer.",
            "background_color": "#2c2d30",
            "long_description": LONG_DESCRIPTION,
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "assistant_view": {
                "assistant_description": ASSISTANT_DESCRIPTION,
                "suggested_prompts": [
                    {"title": title, "message": message} for title, message in SUGGESTED_PROMPTS
                ],
            },
            "bot_user": {"display_name": "should-we-finetune", "always_online": True},
            "slash_commands": [command],
        },
        "oauth_config": oauth_config,
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": socket_mode,
            "token_rotation_enabled": False,
        },
    }


def render_manifest(*, url: str | None = None, socket_mode: bool = False) -> str:
    return json.dumps(build_manifest(url=url, socket_mode=socket_mode), indent=2) + "\n"


def run_manifest(*, url: str | None, socket_mode: bool) -> int:
    """`should-we-finetune manifest`: print the manifest, ready to paste into api.slack.com."""
    print(render_manifest(url=url, socket_mode=socket_mode), end="")
    return 0
