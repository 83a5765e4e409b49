"""Slack's refusals as the project's errors, keeping Slack's error code for decisions and logs."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

from bot.errors import SlackDeliveryError


class SlackRefusedError(SlackDeliveryError):
    """A Web API call answered `ok: false` (after the retry handlers gave up)."""

    def __init__(self, code: str) -> None:
        super().__init__(f"slack refused the call: {code}")
        self.code = code


def slack_error_code(exc: SlackApiError) -> str:
    return str(exc.response.get("error", "unknown_error"))


def refused(exc: SlackApiError) -> SlackRefusedError:
    return SlackRefusedError(slack_error_code(exc))
