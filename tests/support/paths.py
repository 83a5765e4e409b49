"""Where the tests' files are, wherever a test module sits in the tree."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
TESTS = REPO_ROOT / "tests"
DATA = TESTS / "data"
GOLDEN = TESTS / "golden"
DEV_JSONL = DATA / "dev.jsonl"
ANSWERS_JSONL = DATA / "answers.jsonl"
