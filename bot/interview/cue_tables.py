"""Cue tables: ordered (pattern, value) rows, the first match winning, each with examples.

A row is written `(pattern, value, examples)` or `(pattern, value, examples,
counter_examples)`. Examples are phrases the row must read as its value, first in its
table; counter-examples are phrases it must not (a denial, another field's words).
tests/interview/test_cue_tables.py runs them all, and fails on a row without examples or with an
alternative of its pattern that no example exercises.
"""

from __future__ import annotations

import re

Cue = tuple[re.Pattern[str], str | bool]
Row = (
    tuple[str, str | bool, tuple[str, ...]]
    | tuple[str, str | bool, tuple[str, ...], tuple[str, ...]]
)


class CueTable(tuple[Cue, ...]):
    """Ordered (pattern, value) rows, the first match winning, each with its examples."""

    examples: tuple[tuple[str, ...], ...]
    counter_examples: tuple[tuple[str, ...], ...]


def cue_table(*rows: Row) -> CueTable:
    table = CueTable((re.compile(row[0], re.IGNORECASE), row[1]) for row in rows)
    table.examples = tuple(row[2] for row in rows)
    table.counter_examples = tuple(row[3] if len(row) == 4 else () for row in rows)
    return table
