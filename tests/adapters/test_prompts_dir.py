"""Finding prompt files in a checkout or an installed wheel."""

from __future__ import annotations

import pytest

from bot.adapters.prompts import prompt_path


def test_the_extractor_prompt_is_found() -> None:
    """The system prompt resolves to a readable file."""
    path = prompt_path("extractor_system.md")
    assert "record_facts" in path.read_text(encoding="utf-8")


def test_a_missing_prompt_names_where_it_looked() -> None:
    """A missing file raises FileNotFoundError naming the file."""
    with pytest.raises(FileNotFoundError, match=r"no_such_prompt\.md"):
        prompt_path("no_such_prompt.md")
