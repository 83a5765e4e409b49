"""Slack's refusals as the project's errors, keeping Slack's error code for decisions and logs."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

from bot.errors import BotError, SlackDeliveryError


class SlackRefusedError(SlackDeliveryError):
    """A Web API call answered `ok: false` (after the retry handlers gave up)."""

    def __init__(self, code: str) -> None:
        super().__init__(f"slack refused the call: {code}")
        self.code = code


def slack_error_code(exc: SlackApiError) -> str:
    """Slack's error code (`not_in_channel`), or `unknown_error` for a body that is not JSON."""
    data = exc.response.data if exc.response is not None else None
    return str(data.get("error", "unknown_error")) if isinstance(data, dict) else "unknown_error"


def refused(exc: SlackApiError) -> SlackRefusedError:
    return SlackRefusedError(slack_error_code(exc))


class WorkerUnavailableError(BotError):
    """The worker that does the interviews is not running: the delivery cannot be taken."""

    user_message = "I'm restarting. Please try again in a minute."
