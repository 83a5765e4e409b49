"""The prompt files: where they live (inside the installed package, or at the top of a
checkout), and the interview's question copy loaded from prompts/questions.yaml."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

import bot
from bot.interview.questions import QuestionBank, parse_question_bank

# An installed wheel carries prompts/ as bot/prompts (pyproject force-include);
# a source checkout keeps it beside the package.
_CANDIDATES: tuple[Path, ...] = (
    Path(bot.__file__).resolve().parent / "prompts",
    Path(bot.__file__).resolve().parent.parent / "prompts",
)


def prompt_path(name: str) -> Path:
    """The path of the prompt file `name`, preferring the packaged copy.

    Raises FileNotFoundError naming every place looked in when neither has it.
    """
    for directory in _CANDIDATES:
        candidate = directory / name
        if candidate.is_file():
            return candidate
    looked = ", ".join(str(directory) for directory in _CANDIDATES)
    raise FileNotFoundError(f"prompt file {name!r} not found in {looked}")


@cache
def load_question_bank() -> QuestionBank:
    """The interview's questions, parsed and checked once per process."""
    data = yaml.safe_load(prompt_path("questions.yaml").read_text(encoding="utf-8"))
    return parse_question_bank(data)
