"""`should-we-finetune decide FILE|-`: requirements (JSON or YAML) in, a recommendation out.

Bad input exits 2 with one line naming the field and what it allows, never a
traceback. Imports stay lazy so the command starts fast.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from bot.errors import InvalidInputError

if TYPE_CHECKING:
    from bot.domain.requirements import Requirements

EXIT_BAD_INPUT = 2
_MAX_INPUT_BYTES = 1_000_000  # a requirements file is a few hundred bytes


def run_decide(path: str, *, output_format: str) -> int:
    try:
        requirements = parse_requirements(_read(path), source="stdin" if path == "-" else path)
    except InvalidInputError as exc:
        print(f"should-we-finetune: {_printable(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT

    from bot.domain.engine import decide  # noqa: PLC0415

    recommendation = decide(requirements)
    if output_format == "json":
        sys.stdout.write(recommendation.model_dump_json(indent=2) + "\n")
    elif output_format == "adr":
        from datetime import UTC, datetime  # noqa: PLC0415

        from bot.presentation.adr import render_adr  # noqa: PLC0415

        today = datetime.now(UTC).date()
        sys.stdout.write(render_adr(requirements, recommendation, decided_on=today))
    else:
        from bot.presentation.report import render_markdown, render_text  # noqa: PLC0415

        render = render_markdown if output_format == "markdown" else render_text
        sys.stdout.write(render(requirements, recommendation))
    return 0


def _read(path: str) -> str:
    try:
        if path == "-":
            return sys.stdin.read(_MAX_INPUT_BYTES + 1)
        with open(path, encoding="utf-8") as handle:
            return handle.read(_MAX_INPUT_BYTES + 1)
    except FileNotFoundError as exc:
        raise InvalidInputError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise InvalidInputError(f"{path}: is a directory, not a requirements file") from exc
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"{path}: not UTF-8 text") from exc
    except OSError as exc:
        raise InvalidInputError(f"{path}: cannot be read ({exc.strerror})") from exc


def parse_requirements(text: str, *, source: str = "input") -> Requirements:
    """JSON or YAML text to Requirements, or InvalidInputError naming the field at fault."""
    if len(text) > _MAX_INPUT_BYTES:
        raise InvalidInputError(f"{source}: larger than {_MAX_INPUT_BYTES:,} bytes")
    if not text.strip():
        raise InvalidInputError(f"{source}: empty; expected a JSON or YAML mapping of requirements")
    data = _load_mapping(text, source=source)
    from pydantic import ValidationError  # noqa: PLC0415

    from bot.domain.requirements import Requirements  # noqa: PLC0415
    from bot.domain.validation import describe_validation_error  # noqa: PLC0415

    try:
        return Requirements.model_validate(data)
    except ValidationError as exc:
        raise InvalidInputError(describe_validation_error(exc)) from exc


def _printable(text: str) -> str:
    """One line with control and bidi characters escaped (file names and keys are the user's)."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


class _DuplicateKeyError(Exception):
    def __init__(self, key: object, where: str = "") -> None:
        super().__init__(key)
        self.key = key
        self.where = where


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refusing a key given twice (json.loads would keep the last)."""
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise _DuplicateKeyError(key)
        data[key] = value
    return data


def _duplicate(source: str, error: _DuplicateKeyError) -> InvalidInputError:
    return InvalidInputError(
        f"{source}: duplicate key {error.key!r}{error.where}; give each field once"
    )


def _load_mapping(text: str, *, source: str) -> dict[str, Any]:
    try:
        data = json.loads(text, object_pairs_hook=_unique_pairs)
    except _DuplicateKeyError as exc:
        raise _duplicate(source, exc) from exc
    except json.JSONDecodeError:
        try:
            data = _load_yaml(text, source=source)
        except _DuplicateKeyError as exc:
            raise _duplicate(source, exc) from exc
    if data is None:
        raise InvalidInputError(f"{source}: empty; expected a JSON or YAML mapping of requirements")
    if not isinstance(data, dict):
        raise InvalidInputError(
            f"{source}: expected a mapping of requirement fields, got {type(data).__name__}"
        )
    for key in data:
        if not isinstance(key, str):
            raise InvalidInputError(f"{source}: field names must be text, got {key!r}")
    return data


def _load_yaml(text: str, *, source: str) -> Any:
    import yaml  # noqa: PLC0415

    class UniqueKeyLoader(yaml.SafeLoader):
        """safe_load's loader, refusing a mapping key given twice (PyYAML keeps the last)."""

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue  # `<<` merges are overridden on purpose
                key = self.construct_object(key_node, deep=True)
                if isinstance(key, str | int | float | bool) and key in seen:
                    line = key_node.start_mark.line + 1
                    raise _DuplicateKeyError(key, f" at line {line}")
                if isinstance(key, str | int | float | bool):
                    seen.add(key)
            return super().construct_mapping(node, deep=deep)

    try:
        return yaml.load(text, Loader=UniqueKeyLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "not valid JSON or YAML"
        raise InvalidInputError(f"{source}: malformed{where}: {problem}") from exc
