from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator

import pytest
from slack_bolt.logger import get_bolt_logger

from bot.adapters.logs import (
    REDACTED,
    bind_log_context,
    configure_logging,
    current_log_context,
    set_log_context,
    slack_framework_logger,
)
from bot.settings import Settings

SIGNING_SECRET = "8f14e45fceea167a5a36dedd4bea2543"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Put the root and library loggers back the way they were after each test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    names = ["slack_bolt", "slack_sdk", "slack_bolt.AsyncApp", "anthropic", "httpx2"]
    levels = {name: logging.getLogger(name).level for name in names}
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)


def configured(log_level: str = "INFO") -> io.StringIO:
    stream = io.StringIO()
    settings = Settings.from_env({"LOG_LEVEL": log_level, "SLACK_SIGNING_SECRET": SIGNING_SECRET})
    configure_logging(settings, stream=stream)
    return stream


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.mark.usefixtures("restore_logging")
def test_each_record_is_one_json_line_with_the_standard_keys() -> None:
    """A record becomes one JSON object carrying ts, level, logger and event."""
    stream = configured()
    logging.getLogger("bot.test").info("interview started for %s fields", 3)
    [line] = lines(stream)
    assert line["level"] == "INFO"
    assert line["logger"] == "bot.test"
    assert line["event"] == "interview started for 3 fields"
    assert str(line["ts"]).endswith("+00:00")


@pytest.mark.usefixtures("restore_logging")
def test_extra_fields_become_keys() -> None:
    """Values passed with `extra=` appear as their own JSON keys."""
    stream = configured()
    logging.getLogger("bot.test").info("recommended", extra={"approach": "rag", "rounds": 2})
    [line] = lines(stream)
    assert (line["approach"], line["rounds"]) == ("rag", 2)


@pytest.mark.usefixtures("restore_logging")
def test_bound_ids_appear_inside_the_block_only() -> None:
    """Ids bound with bind_log_context are on records inside the block and gone after it."""
    stream = configured()
    log = logging.getLogger("bot.test")
    with bind_log_context(team_id="T1", channel_id="C1", thread_ts="1.2", request_id="r-9"):
        log.info("inside")
    log.info("outside")
    inside, outside = lines(stream)
    assert {k: inside[k] for k in ("team_id", "channel_id", "thread_ts", "request_id")} == {
        "team_id": "T1",
        "channel_id": "C1",
        "thread_ts": "1.2",
        "request_id": "r-9",
    }
    assert "team_id" not in outside


def test_nested_binding_adds_to_the_outer_ids() -> None:
    """An inner binding keeps the outer ids and adds its own."""
    with bind_log_context(team_id="T1"), bind_log_context(thread_ts="9.9"):
        assert dict(current_log_context()) == {"team_id": "T1", "thread_ts": "9.9"}


async def test_set_log_context_stays_within_its_task() -> None:
    """Ids set in one asyncio task are not seen by a concurrent task."""
    seen: dict[str, dict[str, str]] = {}

    async def handle(team_id: str) -> None:
        set_log_context(team_id=team_id)
        await asyncio.sleep(0.01)
        seen[team_id] = dict(current_log_context())

    await asyncio.gather(handle("TA"), handle("TB"))
    assert seen == {"TA": {"team_id": "TA"}, "TB": {"team_id": "TB"}}


@pytest.mark.usefixtures("restore_logging")
@pytest.mark.parametrize(
    "secret",
    [
        "xoxb-1234-5678-abcdefABCDEF",
        "xapp-1-A0123-456-deadbeef",
        "sk-ant-api03-AbC_dEf-123",
        "Bearer eyJhbGciOi.JIUzI1NiJ9.sig",
        SIGNING_SECRET,
    ],
)
def test_secrets_are_scrubbed_from_messages(secret: str) -> None:
    """Token-shaped strings and the configured signing secret never reach the output."""
    stream = configured()
    logging.getLogger("bot.test").warning("calling with %s now", secret)
    output = stream.getvalue()
    assert secret not in output
    assert REDACTED in output


@pytest.mark.usefixtures("restore_logging")
def test_secrets_are_scrubbed_from_tracebacks_and_extras() -> None:
    """A token inside an exception message or an extra field is scrubbed too."""
    stream = configured()
    try:
        raise RuntimeError("auth failed for xoxb-999-888-secretvalue")
    except RuntimeError:
        logging.getLogger("bot.test").exception("slack call failed", extra={"hdr": "xapp-1-X-2"})
    output = stream.getvalue()
    assert "secretvalue" not in output
    assert "xapp-1-X-2" not in output
    assert "RuntimeError" in output


@pytest.mark.usefixtures("restore_logging")
def test_bolt_info_records_are_dropped_at_info_level() -> None:
    """Bolt's INFO records (which can hold request bodies) are dropped even after Bolt copies
    the root level into its logger."""
    stream = configured("INFO")
    bolt = get_bolt_logger(type("AsyncApp", (), {}))
    bolt.info("request body: {'text': 'our secret roadmap'}")
    bolt.warning("listener failed")
    assert [line["event"] for line in lines(stream)] == ["listener failed"]


@pytest.mark.usefixtures("restore_logging")
def test_bolt_info_records_pass_at_debug_level() -> None:
    """With LOG_LEVEL=DEBUG the Slack libraries' INFO records are kept for troubleshooting."""
    stream = configured("DEBUG")
    logging.getLogger("slack_bolt.AsyncApp").info("dispatching")
    assert [line["event"] for line in lines(stream)] == ["dispatching"]


@pytest.mark.usefixtures("restore_logging")
def test_framework_logger_holds_warning_level() -> None:
    """The logger to hand to AsyncApp(logger=...) is at WARNING after configuration."""
    configured("INFO")
    assert slack_framework_logger().level == logging.WARNING


@pytest.mark.usefixtures("restore_logging")
def test_configuring_twice_keeps_one_handler() -> None:
    """A second configure_logging call replaces the first handler instead of doubling output."""
    configured()
    stream = configured()
    logging.getLogger("bot.test").info("once")
    assert len(lines(stream)) == 1


@pytest.mark.usefixtures("restore_logging")
def test_uvicorn_colour_copy_of_the_message_is_dropped() -> None:
    """uvicorn's `color_message` extra (the message again, with ANSI codes) is not repeated."""
    stream = configured()
    logging.getLogger("uvicorn.error").info("Started", extra={"color_message": "\x1b[36mStarted"})
    [line] = lines(stream)
    assert "color_message" not in line
