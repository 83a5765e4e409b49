"""Loads the interview's question copy from prompts/questions.yaml."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

import bot
from bot.interview.questions import QuestionBank, parse_question_bank


def _prompts_dir() -> Path:
    # An installed wheel carries prompts/ inside the package; a source checkout has it at the top.
    packaged = Path(bot.__file__).parent / "prompts"
    return packaged if packaged.is_dir() else Path(bot.__file__).parent.parent / "prompts"


@cache
def load_question_bank() -> QuestionBank:
    data = yaml.safe_load((_prompts_dir() / "questions.yaml").read_text(encoding="utf-8"))
    return parse_question_bank(data)
