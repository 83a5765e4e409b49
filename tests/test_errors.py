"""The one error hierarchy: its documented tree, and that every public error lives in it."""

from __future__ import annotations

import ast
from pathlib import Path

import bot.errors
from bot.errors import BotError

ROOT = Path(__file__).resolve().parents[1]


def _tree(cls: type[BotError], prefix: str = "") -> list[str]:
    """The subclasses defined in bot/errors.py below `cls`, drawn as the docstring draws them."""
    children = [c for c in cls.__subclasses__() if c.__module__ == bot.errors.__name__]
    lines = []
    for index, child in enumerate(children):
        last = index == len(children) - 1
        lines.append(f"{prefix}{'└── ' if last else '├── '}{child.__name__}")
        lines += _tree(child, prefix + ("    " if last else "│   "))
    return lines


def _documented_tree() -> list[str]:
    doc = bot.errors.__doc__ or ""
    lines = [line.strip() for line in doc.splitlines()]
    start = lines.index("BotError")
    tree = []
    for line in doc.splitlines()[start + 1 :]:
        if not line.strip():
            break
        tree.append(line.removeprefix("    ").rstrip())
    return tree


def test_docstring_tree_matches_the_class_hierarchy() -> None:
    """bot/errors.py's docstring draws exactly the classes it defines, nested as they derive."""
    assert _documented_tree() == _tree(BotError)


def test_tree_drawing_sees_nesting() -> None:
    """The drawing nests a subclass under its parent, so a wrong parent in the docstring shows."""
    assert "│   └── SlackRefusedError" in _tree(BotError)


def _public_error_classes(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and not node.name.startswith("_")
        and (node.name.endswith(("Error", "Exception")) or _derives_from_an_error(node))
    ]


def _derives_from_an_error(node: ast.ClassDef) -> bool:
    names = [base.id if isinstance(base, ast.Name) else ast.unparse(base) for base in node.bases]
    return any(name.endswith(("Error", "Exception")) for name in names)


def test_every_public_error_class_is_in_bot_errors() -> None:
    """No module but bot/errors.py defines a public exception class (private ones stay inside)."""
    strays = {
        str(path.relative_to(ROOT)): names
        for path in sorted((ROOT / "bot").rglob("*.py"))
        if path != ROOT / "bot" / "errors.py" and (names := _public_error_classes(path))
    }
    assert strays == {}
