"""The docs inside the repository agree with the code they describe.

`docs/design.md` carries the field catalogue as a table generated from `bot/domain/fields.py`;
regenerate it with `python tests/test_docs.py` and paste it between the markers.
`docs/architecture.md` has one line per module of `bot/`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from bot.domain import thresholds
from bot.domain.fields import (
    FIELD_LABELS,
    FIELD_NAMES,
    FIELD_SPECS,
    VALUE_WORDS,
    FieldName,
    allowed,
)

ROOT = Path(__file__).resolve().parent.parent
DESIGN = ROOT / "docs" / "design.md"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
TABLE_START = "<!-- field-catalogue:start (generated: python tests/test_docs.py) -->"
TABLE_END = "<!-- field-catalogue:end -->"
ROLE_WORDS = {
    "readiness_gate": "readiness gate",
    "hard_constraint": "hard constraint",
    "knowledge_fact": "knowledge fact",
}
# "docs/design.md §5" (the old, outside name) and "docs/design.md §5" both count as citations.
CITATION = re.compile(r"DESIGN\.md §(\d+)", re.IGNORECASE)


def _accepts(field: FieldName) -> str:
    """Enum values with their words where the words differ; bounds for everything else."""
    if FIELD_SPECS[field].kind == "flag":
        return "`true`, `false`"
    words = VALUE_WORDS.get(field)
    if words:
        return ", ".join(
            f"`{value}`" if said == value else f"`{value}` ({said})"
            for value, said in words.items()
        )
    return allowed(field)


def render_field_table() -> str:
    """The field catalogue as a markdown table, one row per field in the contract's order."""
    rows = [
        "| field | label a person reads | kind | role | accepts (value: words) |",
        "|---|---|---|---|---|",
    ]
    for name in FIELD_NAMES:
        spec = FIELD_SPECS[name]
        rows.append(
            f"| `{name}` | {FIELD_LABELS[name]} | {spec.kind} | {ROLE_WORDS[spec.role]} "
            f"| {_accepts(name)} |"
        )
    return "\n".join(rows)


def _section(text: str, number: int) -> str:
    match = re.search(rf"^## {number}\. .*?(?=^## \d+\. |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match is not None, f"docs/design.md has no section {number}"
    return match.group(0)


def _design() -> str:
    return DESIGN.read_text(encoding="utf-8")


def test_field_table_matches_the_catalogue() -> None:
    """The catalogue table in docs/design.md is the one fields.py generates today."""
    text = _design()
    assert TABLE_START in text and TABLE_END in text
    table = text.split(TABLE_START, 1)[1].split(TABLE_END, 1)[0].strip()
    assert table == render_field_table(), "regenerate with: python tests/test_docs.py"


def test_requirements_section_names_every_field() -> None:
    """Section 3.1 (the facts) describes every field of the catalogue, in order, and no other."""
    fields_table = _section(_design(), 3).split("### 3.2")[0]
    described = re.findall(r"^\| `([a-z_]+)` \|", fields_table, re.MULTILINE)
    assert described == list(FIELD_NAMES)


def test_thresholds_section_lists_every_threshold() -> None:
    """Section 5.7 has a row for every constant in bot/domain/thresholds.py, with its value."""
    rows = _section(_design(), 5).split("### 5.7")[1].split("### 5.8")[0]
    for name, value in vars(thresholds).items():
        if name.isupper():
            if isinstance(value, str):
                shown = f'"{value}"'
            else:
                shown = f"{value:,g}" if isinstance(value, float) else f"{value:,}"
            assert f"| `{name}` | {shown}" in rows, f"{name} = {value!r} is not in section 5.7"


def test_every_design_citation_points_at_a_section() -> None:
    """Each "design.md §N" a comment cites is a numbered section of docs/design.md."""
    sections = {int(n) for n in re.findall(r"^## (\d+)\. ", _design(), re.MULTILINE)}
    cited: dict[int, str] = {}
    for folder in ("bot", "tests", "bench"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for number in CITATION.findall(path.read_text(encoding="utf-8")):
                cited.setdefault(int(number), str(path.relative_to(ROOT)))
    missing = {n: where for n, where in cited.items() if n not in sections}
    assert not missing, f"cited sections missing from docs/design.md: {missing}"


def test_architecture_maps_every_module() -> None:
    """Every module of bot/ has its line in the module map of docs/architecture.md."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    modules = [
        # A package is mapped by its folder (`bot/domain/`), a module by its file.
        str(path.parent.relative_to(ROOT)) + "/"
        if path.name == "__init__.py"
        else str(path.relative_to(ROOT))
        for path in sorted((ROOT / "bot").rglob("*.py"))
        if path.name != "__main__.py"
    ]
    missing = [module for module in modules if f"`{module}`" not in text]
    assert not missing, f"modules missing from docs/architecture.md: {missing}"


if __name__ == "__main__":
    sys.stdout.write(render_field_table() + "\n")


# `bot/entrypoints/slack/listeners.py::Listeners.on_mention`, `tests/support/`, `prompts/x.md`
PATH_CITED = re.compile(r"`((?:bot|tests|prompts|deploy|bench|docs)/[\w./-]*)(?:::([\w.]+))?")


def cited_paths(text: str) -> list[tuple[str, str | None]]:
    """Every repository path a doc names in backticks, with the symbol after `::` if any."""
    return [(match.group(1), match.group(2)) for match in PATH_CITED.finditer(text)]


def _defines(source: str, symbol: str) -> bool:
    """Whether `source` defines each part of a dotted name (`Class.method`)."""
    return all(
        re.search(
            rf"^\s*(?:async\s+def|def|class)\s+{re.escape(part)}\b|^{re.escape(part)}\b\s*[:=]",
            source,
            re.M,
        )
        for part in symbol.split(".")
    )


DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_paths_named_in_the_docs_exist() -> None:
    """A newcomer following the docs finds every file and function they name."""
    broken: list[str] = []
    for doc in DOCS:
        for path, symbol in cited_paths(doc.read_text(encoding="utf-8")):
            target = ROOT / path.rstrip(".")
            if "*" in path or "<" in path:
                continue
            if not target.exists():
                broken.append(f"{doc.name}: {path}")
            elif symbol and not _defines(target.read_text(encoding="utf-8"), symbol):
                broken.append(f"{doc.name}: {path}::{symbol}")
    assert not broken, f"the docs name what is not there: {broken}"


def test_the_path_check_catches_a_stale_name() -> None:
    """The check flags a moved file and a renamed function."""
    assert cited_paths("see `bot/adapters/serve.py` and `bot/service.py::Nope.start`") == [
        ("bot/adapters/serve.py", None),
        ("bot/service.py", "Nope.start"),
    ]
    assert not (ROOT / "bot/adapters/serve.py").exists()
    assert not _defines((ROOT / "bot/service.py").read_text(encoding="utf-8"), "Nope.start")
