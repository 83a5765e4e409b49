"""The project's one error hierarchy. Adapters raise these `from` the foreign exceptions.

    BotError
    ├── InvalidInputError
    ├── ConfigurationError
    ├── ExtractorUnavailableError
    ├── StoreUnavailableError
    ├── SessionTooLargeError
    ├── SessionBusyError
    ├── SlackDeliveryError
    │   └── SlackRefusedError
    ├── WorkerUnavailableError
    └── BodyTooLargeError

Every error the product raises on purpose derives from BotError and lives here, so
one `except BotError` sees them all; a module may keep a private one for signalling
inside itself, never past its own functions.
"""

from __future__ import annotations


class BotError(Exception):
    """Base of every error the product raises on purpose; `user_message` is safe to show."""

    user_message = "Something went wrong on my side. Please try again in a minute."

    def __init__(self, detail: str = "", *, user_message: str | None = None) -> None:
        super().__init__(detail or self.user_message)
        if user_message is not None:
            self.user_message = user_message


class InvalidInputError(BotError):
    """Input that fails validation; the message names the field and the allowed values."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail, user_message=detail)


class ConfigurationError(BotError):
    """A setting is missing or malformed; the message names the variable and the fix."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail, user_message=detail)


class ExtractorUnavailableError(BotError):
    """Claude could not be used (rate limit, overload, timeout, malformed output)."""

    user_message = "Claude is not answering right now, so I used my offline rules."


class StoreUnavailableError(BotError):
    """The session store could not be reached within its time budget."""

    user_message = (
        "I can't reach my session storage right now, so nothing was changed. "
        "Please try again in a minute."
    )


class SessionTooLargeError(BotError):
    """A session grew past the store's size bound."""

    user_message = (
        "This conversation has grown too long for me to keep. "
        "Say `start over` to begin a fresh interview in this thread."
    )


class SessionBusyError(BotError):
    """Another message in the same thread is still being handled."""

    user_message = "I'm still working on the previous message in this thread; try again shortly."


class SlackDeliveryError(BotError):
    """Slack refused a message (not in channel, too long, rate limited past retries)."""


class SlackRefusedError(SlackDeliveryError):
    """A Web API call answered `ok: false` (after the retry handlers gave up)."""

    def __init__(self, code: str) -> None:
        super().__init__(f"slack refused the call: {code}")
        # Slack's error code (`not_in_channel`): what callers decide on and what logs show.
        self.code = code


class WorkerUnavailableError(BotError):
    """The worker that does the interviews is not running: the delivery cannot be taken."""

    user_message = "I'm restarting. Please try again in a minute."


class BodyTooLargeError(BotError):
    """A request body is (or says it is) longer than the cap; nothing past the cap was kept."""
