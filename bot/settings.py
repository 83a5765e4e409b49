"""The one settings object. Nothing else reads the environment (docs/design.md §6)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from bot.errors import ConfigurationError

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_ANTHROPIC_MODEL = "claude-haiku-5-5"
DEFAULT_SESSION_TTL_SECONDS = 7 * 24 * 3600
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]

# What each variable means and how to fix it; shown when a value is rejected,
# and used by `doctor` and `.env.example`.
HELP: dict[str, str] = {
    "SLACK_BOT_TOKEN": "bot token from Slack (OAuth & Permissions), starts with xoxb-",
    "SLACK_SIGNING_SECRET": "signing secret from Slack (Basic Information > App Credentials)",
    "SLACK_APP_TOKEN": "app-level token with connections:write, starts with xapp- (Socket Mode)",
    "SLACK_API_URL": "Slack Web API base URL; leave unset in production",
    "ANTHROPIC_API_KEY": "Anthropic API key; unset means the offline rule-based extractor",
    "ANTHROPIC_BASE_URL": "Anthropic API base URL; leave unset in production",
    "ANTHROPIC_MODEL": f"Claude model used for extraction (default {DEFAULT_ANTHROPIC_MODEL})",
    "REDIS_URL": "redis://host:6379/0; unset means the in-process store (one replica only)",
    "SESSION_TTL_SECONDS": "seconds an idle interview is kept (default 7 days)",
    "PORT": "HTTP port for `serve` (default 3000)",
    "LOG_LEVEL": "DEBUG, INFO, WARNING or ERROR (default INFO)",
    "LOG_MESSAGE_TEXT": "true to include user message text in logs (default false)",
    "REDACT_PII": "true to remove e-mails, phone and card numbers and secrets before text "
    "is sent to Claude (default false)",
    # Many-workspace install (Bolt's OAuth names); unset means single-workspace mode.
    "SLACK_CLIENT_ID": "client ID from Slack (Basic Information > App Credentials), "
    "for installing into many workspaces",
    "SLACK_CLIENT_SECRET": "client secret from Slack (Basic Information > App Credentials)",
    "SLACK_SCOPES": "comma-separated bot scopes to request on install (default: the manifest's)",
    "SLACK_TOKEN_ENCRYPTION_KEY": "Fernet key that encrypts installed tokens in Redis; make one "
    "with `python -c 'from cryptography.fernet import Fernet; "
    "print(Fernet.generate_key().decode())'`",
}


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL
    anthropic_api_key: SecretStr | None = None
    anthropic_base_url: str | None = None
    anthropic_model: str = DEFAULT_ANTHROPIC_MODEL
    redis_url: str | None = None
    session_ttl_seconds: int = Field(default=DEFAULT_SESSION_TTL_SECONDS, gt=0)
    port: int = Field(default=3000, gt=0, lt=65536)
    log_level: LogLevel = "INFO"
    log_message_text: bool = False
    redact_pii: bool = False
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_scopes: str | None = None
    slack_token_encryption_key: SecretStr | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read settings from `env` (default: the process environment); empty values mean unset."""
        source = os.environ if env is None else env
        raw = {
            name.lower(): value.strip()
            for name in HELP
            if (value := source.get(name)) is not None and value.strip()
        }
        if "log_level" in raw:
            raw["log_level"] = raw["log_level"].upper()
        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            name = str(first["loc"][0]).upper()
            raise ConfigurationError(
                f"{name} is invalid ({first['msg']}): set it to {HELP[name]}."
            ) from exc

    @property
    def is_many_workspace(self) -> bool:
        """Installed through OAuth into many workspaces: a client id and secret and no bot token
        (a bot token keeps the single-workspace mode, the default)."""
        return (
            self.slack_bot_token is None
            and self.slack_client_id is not None
            and self.slack_client_secret is not None
        )

    @property
    def has_anthropic(self) -> bool:
        return self.anthropic_api_key is not None

    @property
    def slack_api_base(self) -> str:
        """The Web API URL with the trailing slash slack_sdk expects."""
        return self.slack_api_url if self.slack_api_url.endswith("/") else self.slack_api_url + "/"
