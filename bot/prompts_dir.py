"""Where the prompt files live: inside the installed package, or at the top of a checkout."""

from __future__ import annotations

from pathlib import Path

import bot

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
