"""Pure packages (domain, interview, presentation) do no I/O; modules keep the import contract."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE_DIRS = (ROOT / "bot" / "domain", ROOT / "bot" / "interview", ROOT / "bot" / "presentation")
FORBIDDEN_MODULES = frozenset(
    {"slack_bolt", "slack_sdk", "anthropic", "redis", "httpx", "httpx2", "socket", "aiohttp"}
)
FORBIDDEN_DOTTED = ("urllib.request",)
# Third-party packages the core may use besides the standard library (docs/design.md §2).
ALLOWED_THIRD_PARTY = frozenset({"pydantic", "pydantic_core", "annotated_types", "yaml", "bot"})
# Nor reach into the shell's own modules (which pure package may import which: the contract below).
FORBIDDEN_PROJECT = (
    "bot.adapters",
    "bot.entrypoints",
    "bot.settings",
    "bot.bootstrap",
)
# (object, attribute) pairs that read the environment or the clock.
FORBIDDEN_ATTRIBUTES = frozenset(
    {
        ("os", "environ"),
        ("os", "getenv"),
        ("time", "time"),
        ("datetime", "now"),
        ("datetime", "utcnow"),
        ("date", "today"),
    }
)


def _imported_modules(tree: ast.AST) -> list[str]:
    modules: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.append(node.module)
            modules.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def _attribute_reads(tree: ast.AST) -> list[tuple[str, str]]:
    reads: list[tuple[str, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            owner = node.value
            name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
            reads.append((name, node.attr))
    return reads


def violations(source: str) -> list[str]:
    """Every forbidden import or clock/environment read in one module's source."""
    tree = ast.parse(source)
    found: list[str] = []
    for module in _imported_modules(tree):
        top = module.split(".")[0]
        if top in FORBIDDEN_MODULES or module.startswith(FORBIDDEN_DOTTED):
            found.append(f"imports {module}")
        elif top not in sys.stdlib_module_names and top not in ALLOWED_THIRD_PARTY:
            found.append(f"imports third-party {module}")
        elif module.startswith(FORBIDDEN_PROJECT):
            found.append(f"imports the shell module {module}")
        elif module in {"os.environ", "os.getenv", "time.time", "datetime.datetime.now"}:
            found.append(f"imports {module}")
    found.extend(
        f"reads {a}.{b}" for a, b in _attribute_reads(tree) if (a, b) in FORBIDDEN_ATTRIBUTES
    )
    return found


CORE_FILES = sorted(path for folder in CORE_DIRS for path in folder.rglob("*.py"))


@pytest.mark.parametrize("path", CORE_FILES, ids=[str(p.relative_to(ROOT)) for p in CORE_FILES])
def test_core_module_is_pure(path: Path) -> None:
    """The module imports no I/O library and reads neither the clock nor the environment."""
    assert violations(path.read_text(encoding="utf-8")) == []


def test_core_files_are_found() -> None:
    """The scan covers the engine and the interview (an empty scan would prove nothing)."""
    names = {path.name for path in CORE_FILES}
    assert {"engine.py", "requirements.py", "session.py"} <= names


@pytest.mark.parametrize(
    "source",
    [
        "import redis",
        "from slack_sdk.web import WebClient",
        "import httpx2",
        "import urllib.request",
        "from urllib.request import urlopen",
        "def f():\n    import anthropic",
        "import os\nx = os.environ['A']",
        "import time\nt = time.time()",
        "import datetime\nn = datetime.datetime.now()",
        "from datetime import datetime\nn = datetime.now()",
        "from os import environ",
        "import requests",
        "from bot.adapters.store.redis import RedisSessionStore",
    ],
)
def test_checker_catches_violations(source: str) -> None:
    """The checker itself flags each kind of forbidden import or read."""
    assert violations(source)


def test_checker_allows_pure_code() -> None:
    """Standard library, pydantic and the project's own core pass."""
    source = (
        "import json, math\n"
        "from pydantic import BaseModel\n"
        "from bot.domain.requirements import Requirements"
    )
    assert violations(source) == []


DOMAIN_FILES = sorted((ROOT / "bot" / "domain").rglob("*.py"))


def outward_imports(source: str) -> list[str]:
    """The domain's imports of layers around it (the interview, the service, the shell)."""
    return [
        module
        for module in _imported_modules(ast.parse(source))
        if module.startswith(("bot.interview", "bot.service", *FORBIDDEN_PROJECT))
    ]


@pytest.mark.parametrize("path", DOMAIN_FILES, ids=[str(p.relative_to(ROOT)) for p in DOMAIN_FILES])
def test_domain_imports_only_inwards(path: Path) -> None:
    """Dependencies point inwards: the domain imports nothing of the interview or beyond."""
    assert outward_imports(path.read_text(encoding="utf-8")) == []


def test_outward_check_catches_an_interview_import() -> None:
    """The domain check flags an import of the interview layer."""
    assert outward_imports("from bot.interview.plaintext import to_plain_text")


# The import contract (docs/architecture.md §4): each layer names the layers it may import.
# Dependencies point inwards, domain ← interview ← service ← entry points; the adapters the
# service drives never import an entry point, and only entry points import the composition
# root, `bot.bootstrap`, which may import everything.
CORE = ("bot.domain", "bot.interview")
IMPORT_CONTRACT: dict[str, tuple[str, ...]] = {
    "bot.domain": ("bot.domain",),
    "bot.interview": CORE,
    "bot.presentation": (*CORE, "bot.presentation"),
    "bot.errors": (),
    "bot.ports": (*CORE, "bot.errors"),
    "bot.service": (*CORE, "bot.ports", "bot.errors"),
    "bot.settings": ("bot.errors",),
    "bot.adapters": (
        "bot",
        *CORE,
        "bot.presentation",
        "bot.ports",
        "bot.errors",
        "bot.settings",
        "bot.adapters",
    ),
    "bot.entrypoints": ("*",),
    "bot.bootstrap": ("*",),
    "bot.__main__": ("bot.entrypoints",),
    "bot": (),
}


def layer_of(module: str) -> str:
    """The contract's entry that governs `module`: its longest matching prefix."""
    candidates = [
        name for name in IMPORT_CONTRACT if module == name or module.startswith(f"{name}.")
    ]
    return max(candidates, key=len)


def _is_within(module: str, allowed: tuple[str, ...]) -> bool:
    # "bot" alone is the package's root module (for its __file__); "*" is the whole project.
    return any(
        name == "*" or module == name or (name != "bot" and module.startswith(f"{name}."))
        for name in allowed
    )


def contract_breaches(module: str, source: str) -> list[str]:
    """Every project import of `module` that its layer may not make, lazy ones included."""
    allowed = IMPORT_CONTRACT[layer_of(module)]
    breaches: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        for name in names:
            if name.split(".")[0] != "bot":
                continue
            if name.startswith("bot.bootstrap") and not module.startswith("bot.entrypoints"):
                breaches.append(f"{module} imports the composition root {name}")
            elif not _is_within(name, allowed):
                breaches.append(f"{module} ({layer_of(module)}) imports {name}")
    return breaches


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


BOT_FILES = sorted((ROOT / "bot").rglob("*.py"))


@pytest.mark.parametrize("path", BOT_FILES, ids=[str(p.relative_to(ROOT)) for p in BOT_FILES])
def test_module_keeps_the_import_contract(path: Path) -> None:
    """Each module imports only the layers its layer may import (lazy imports included)."""
    assert contract_breaches(_module_name(path), path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("bot.service", "from bot.adapters import metrics"),
        ("bot.adapters.store.redis", "from bot.entrypoints.slack.client import X"),
        ("bot.adapters.claude.extractor", "def f():\n    from bot.bootstrap import build_store"),
        ("bot.presentation.outline", "from bot.settings import Settings"),
        ("bot.interview.planner", "from bot.presentation.labels import fact_value"),
        ("bot.domain.engine", "import bot.interview.session"),
        ("bot.service", "from bot.bootstrap import build_service"),
    ],
)
def test_contract_check_catches_a_breach(module: str, source: str) -> None:
    """The contract check flags an import against the direction of the layers."""
    assert contract_breaches(module, source)


def test_every_module_has_a_layer() -> None:
    """Every module of bot/ falls under an entry of the contract, so none goes unchecked."""
    assert {layer_of(_module_name(path)) for path in BOT_FILES} >= {
        "bot.domain",
        "bot.interview",
        "bot.presentation",
        "bot.service",
        "bot.adapters",
        "bot.entrypoints",
        "bot.bootstrap",
    }


def _project_imports(path: Path) -> list[str]:
    return [
        module
        for module in _imported_modules(ast.parse(path.read_text(encoding="utf-8")))
        if module.split(".")[0] in {"bench", "tests"}
    ]


def test_bench_takes_only_the_test_support() -> None:
    """The benchmarks import the fakes and scorers of tests/support, nothing else of the tests."""
    reached = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in sorted((ROOT / "bench").rglob("*.py"))
        for module in _project_imports(path)
        if module.startswith("tests") and not module.startswith("tests.support")
    }
    assert reached == set()


def test_tests_never_import_the_benchmarks() -> None:
    """Tests run `python -m bench` as a process where they check it; they never import it."""
    reached = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        for module in _project_imports(path)
        if module.startswith("bench")
    }
    assert reached == set()
