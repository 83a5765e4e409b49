from __future__ import annotations

import pytest

from bot.errors import ConfigurationError
from bot.settings import HELP, Settings


def test_defaults_need_no_environment() -> None:
    """With nothing set, the embedded defaults apply: offline, in-process store, port 3000."""
    settings = Settings.from_env({})
    assert settings.anthropic_api_key is None
    assert settings.redis_url is None
    assert settings.port == 3000
    assert not settings.has_anthropic


def test_empty_values_mean_unset() -> None:
    """A variable set to an empty string is treated as not set."""
    settings = Settings.from_env({"ANTHROPIC_API_KEY": "  ", "REDIS_URL": ""})
    assert settings.anthropic_api_key is None
    assert settings.redis_url is None


@pytest.mark.parametrize(
    ("name", "value"),
    [("PORT", "eighty"), ("PORT", "70000"), ("SESSION_TTL_SECONDS", "-1"), ("LOG_LEVEL", "LOUD")],
)
def test_bad_value_names_the_variable_and_the_fix(name: str, value: str) -> None:
    """A malformed setting fails at start-up naming the variable and what to set it to."""
    with pytest.raises(ConfigurationError) as caught:
        Settings.from_env({name: value})
    assert name in str(caught.value)
    assert HELP[name] in str(caught.value)


def test_secrets_never_appear_in_repr() -> None:
    """Tokens and keys are hidden when the settings object is printed or logged."""
    settings = Settings.from_env(
        {"SLACK_BOT_TOKEN": "xoxb-hunter2-1", "ANTHROPIC_API_KEY": "sk-ant-hunter2-2"}
    )
    assert "hunter2" not in repr(settings)
    assert "hunter2" not in str(settings.model_dump())


def test_log_level_is_case_insensitive() -> None:
    """`LOG_LEVEL=debug` is accepted as DEBUG."""
    assert Settings.from_env({"LOG_LEVEL": "debug"}).log_level == "DEBUG"


def test_slack_api_url_gets_its_trailing_slash() -> None:
    """The Web API base URL works with or without a trailing slash."""
    settings = Settings.from_env({"SLACK_API_URL": "http://127.0.0.1:9/api"})
    assert settings.slack_api_base == "http://127.0.0.1:9/api/"
