"""Structured logs: one JSON object per line on stderr, with the ids of the conversation.

Call `configure_logging(settings)` once, before the Slack `AsyncApp` is built:
Bolt copies the root level into its loggers at build time, and it logs whole
request bodies (user text) at INFO, so Slack's libraries are held at WARNING
unless LOG_LEVEL=DEBUG. Other adapters wrap each unit of work in
`bind_log_context(team_id=..., channel_id=..., thread_ts=..., request_id=...)`
and every record logged inside carries those ids. Anything that looks like a
token, and the configured secrets themselves, are scrubbed from every record.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from types import MappingProxyType
from typing import IO, Final

from bot.settings import Settings

# Loggers whose INFO/DEBUG records can carry request bodies or message text.
QUIET_LOGGER_PREFIXES: Final = ("slack_bolt", "slack_sdk", "slack", "anthropic", "httpx2", "httpx")
CONTEXT_KEYS: Final = ("request_id", "team_id", "channel_id", "thread_ts")
REDACTED: Final = "[redacted]"

# Slack tokens (xoxb-, xoxp-, xapp-, ...), Anthropic keys, and bearer credentials.
TOKEN_PATTERN: Final = re.compile(
    r"\bxox[abeoprs]-[A-Za-z0-9-]+"
    r"|\bxapp-[A-Za-z0-9-]+"
    r"|\bsk-ant-[A-Za-z0-9_-]+"
    r"|\bBearer\s+[A-Za-z0-9._~+/=-]+",
    re.IGNORECASE,
)

# The attributes every LogRecord has; anything else came in through `extra=` (uvicorn's
# `color_message` is its message again with terminal colours, so it is left out too).
_RECORD_ATTRIBUTES: Final = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "taskName",
    "color_message",
}

_EMPTY: Final[Mapping[str, str]] = MappingProxyType({})
_log_context: ContextVar[Mapping[str, str]] = ContextVar("swf_log_context", default=_EMPTY)


def _merged_context(ids: Mapping[str, str | None]) -> Mapping[str, str]:
    merged = dict(_log_context.get())
    merged.update({name: value for name, value in ids.items() if value})
    return MappingProxyType(merged)


@contextmanager
def bind_log_context(
    *,
    team_id: str | None = None,
    channel_id: str | None = None,
    thread_ts: str | None = None,
    request_id: str | None = None,
) -> Iterator[None]:
    """Attach these ids to every record logged inside the block (this task only)."""
    ids = {
        "team_id": team_id,
        "channel_id": channel_id,
        "thread_ts": thread_ts,
        "request_id": request_id,
    }
    token = _log_context.set(_merged_context(ids))
    try:
        yield
    finally:
        _log_context.reset(token)


def set_log_context(
    *,
    team_id: str | None = None,
    channel_id: str | None = None,
    thread_ts: str | None = None,
    request_id: str | None = None,
) -> None:
    """Attach ids for the rest of the current asyncio task (each task has its own copy)."""
    ids = {
        "team_id": team_id,
        "channel_id": channel_id,
        "thread_ts": thread_ts,
        "request_id": request_id,
    }
    _log_context.set(_merged_context(ids))


def current_log_context() -> Mapping[str, str]:
    """The ids bound at this point, for adapters that pass them on (e.g. to a worker task)."""
    return _log_context.get()


class SecretScrubber:
    """Removes token-shaped strings and the given literal secrets from text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Longest first, so a secret that contains another is removed whole.
        self._secrets = sorted({s for s in secrets if len(s) >= 8}, key=len, reverse=True)

    def scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return TOKEN_PATTERN.sub(REDACTED, text)


class ScrubSecretsFilter(logging.Filter):
    """Defence in depth: rewrites each record's message with secrets removed, before output."""

    def __init__(self, scrubber: SecretScrubber) -> None:
        super().__init__()
        self._scrubber = scrubber

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self._scrubber.scrub(record.getMessage())
        record.args = None
        return True


class QuietLibrariesFilter(logging.Filter):
    """Drops records below WARNING from Slack's and the HTTP clients' loggers.

    A handler filter, not just logger levels, because Bolt resets its loggers'
    levels from the root logger whenever an app or listener logger is made.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        return not record.name.startswith(QUIET_LOGGER_PREFIXES)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: ts, level, logger, event, the bound ids, then extras."""

    def __init__(self, scrubber: SecretScrubber) -> None:
        super().__init__()
        self._scrubber = scrubber

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        line.update(_log_context.get())
        for name, value in record.__dict__.items():
            if name not in _RECORD_ATTRIBUTES and name not in line:
                line[name] = value
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exc"] = record.exc_text
        text = json.dumps(line, default=str, ensure_ascii=False, separators=(",", ":"))
        # Extras and tracebacks bypass the filter, so the whole line is scrubbed too.
        return self._scrubber.scrub(text)


def secrets_of(settings: Settings) -> list[str]:
    """The literal secret values in `settings`, so they can be scrubbed wherever they appear."""
    values = (
        settings.slack_bot_token,
        settings.slack_signing_secret,
        settings.slack_app_token,
        settings.anthropic_api_key,
        settings.slack_client_secret,
        settings.slack_token_encryption_key,
    )
    return [value.get_secret_value() for value in values if value is not None]


def _is_ours(handler: logging.Handler) -> bool:
    return getattr(handler, "swf_json_handler", False) is True


def configure_logging(settings: Settings, *, stream: IO[str] | None = None) -> None:
    """Send every log record to `stream` (default stderr) as one scrubbed JSON line.

    Idempotent: calling it again replaces the handler it installed before.
    """
    scrubber = SecretScrubber(secrets_of(settings))
    handler = logging.StreamHandler(sys.stderr if stream is None else stream)
    handler.swf_json_handler = True  # type: ignore[attr-defined]
    handler.setFormatter(JsonFormatter(scrubber))
    handler.addFilter(ScrubSecretsFilter(scrubber))
    debug = settings.log_level == "DEBUG"
    if not debug:
        handler.addFilter(QuietLibrariesFilter())

    root = logging.getLogger()
    for old in [h for h in root.handlers if _is_ours(h)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    library_level = logging.DEBUG if debug else logging.WARNING
    for name in QUIET_LOGGER_PREFIXES:
        logging.getLogger(name).setLevel(library_level)


def slack_framework_logger() -> logging.Logger:
    """A logger to pass as `AsyncApp(logger=...)`: Bolt then copies its WARNING level."""
    return logging.getLogger("slack_bolt")
