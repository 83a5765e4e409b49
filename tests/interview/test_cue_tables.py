"""Every row of every cue table carries examples, and they read as the row says.

A cue table is an ordered list of (pattern, value) rows where the first match wins.
Each row holds its own examples (and, where a confusion is known, counter-examples):
this file runs all of them, so a row that stops matching, or a new row shadowed by an
earlier one, fails here. An alternative of a pattern that none of its row's examples
exercises also fails: give it an example or delete it.
"""

from __future__ import annotations

import re
from types import ModuleType

import pytest

from bot.interview import answer_vocabulary, task_vocabulary, vocabulary
from bot.interview.cue_tables import CueTable
from bot.interview.phrases import first_cue


def _tables(*modules: ModuleType) -> dict[str, CueTable]:
    """Every cue table the modules define, each once (a re-exported table counts once)."""
    found: dict[int, tuple[str, CueTable]] = {}
    for module in modules:
        for name, table in vars(module).items():
            if isinstance(table, CueTable):
                found.setdefault(id(table), (f"{module.__name__.rsplit('.', 1)[-1]}.{name}", table))
    return dict(found.values())


TABLES = _tables(task_vocabulary, vocabulary, answer_vocabulary)
ROWS = [
    (f"{name}[{index}]", table, index)
    for name, table in TABLES.items()
    for index in range(len(table))
]


def alternatives(pattern: str) -> list[str]:
    """The top-level `|` alternatives of a regular expression."""
    parts: list[str] = []
    depth, start, index, in_class = 0, 0, 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
        index += 1
    return [*parts, pattern[start:]]


def test_there_are_tables_to_check() -> None:
    """The modules' tables are found, so the tests below measure something."""
    assert len(TABLES) >= 20 and len(ROWS) >= 80


@pytest.mark.parametrize(("row", "table", "index"), ROWS, ids=[r[0] for r in ROWS])
def test_every_row_has_examples(row: str, table: CueTable, index: int) -> None:
    """A row without examples is a row nobody can check."""
    assert table.examples[index], f"{row} has no examples"


@pytest.mark.parametrize(("row", "table", "index"), ROWS, ids=[r[0] for r in ROWS])
def test_each_example_reads_as_its_row_says(row: str, table: CueTable, index: int) -> None:
    """Every example gives its row's value from the whole table (earlier rows don't shadow it)
    and every counter-example does not."""
    value = table[index][1]
    for example in table.examples[index]:
        assert table[index][0].search(example), (row, example)
        assert first_cue(example, table) == value, (row, example)
    for counter in table.counter_examples[index]:
        assert first_cue(counter, table) != value, (row, counter)


@pytest.mark.parametrize(("row", "table", "index"), ROWS, ids=[r[0] for r in ROWS])
def test_every_alternative_is_exercised(row: str, table: CueTable, index: int) -> None:
    """Each `|` alternative of a row's pattern matches one of the row's examples."""
    unused = [
        alternative
        for alternative in alternatives(table[index][0].pattern)
        if not any(
            re.search(alternative, example, re.IGNORECASE) for example in table.examples[index]
        )
    ]
    assert not unused, f"{row}: no example for {unused}"
