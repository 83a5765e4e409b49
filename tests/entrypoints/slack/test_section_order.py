"""Every format shows the outline's sections in the outline's order, under its heading words.

Text, markdown, the decision record, the terminal and Slack's Details views are read back for
each of the 50 development cases (decided on their merged facts and answers) and the
headings each shows are compared with the outline's.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date
from typing import Any

import pytest
from rich.console import Console

from bot.domain.engine import decide
from bot.domain.requirements import Requirements
from bot.entrypoints.slack.card import CARD_SECTIONS, render_card
from bot.entrypoints.slack.card_ids import CardRef
from bot.entrypoints.slack.details import (
    THREAD_SECTIONS,
    render_details_message,
    render_details_view,
    render_more_view,
)
from bot.entrypoints.terminal.view import render_reply
from bot.interview.replies import Decision
from bot.interview.session import SessionKey
from bot.presentation.adr import ADR_PARTS, render_adr
from bot.presentation.outline import SECTION_HEADINGS, Outline, build_outline
from bot.presentation.report import render_markdown, render_text
from tests.support import paths

CASES: list[dict[str, Any]] = [
    json.loads(line) for line in paths.DEV_JSONL.read_text().splitlines() if line
]
REF = CardRef(
    key=SessionKey(team_id="T1", channel_id="C1", thread_ts="1700000000.000100"),
    card_ts="1700000000.000200",
    fingerprint="abc",
)
HEADINGS = frozenset(SECTION_HEADINGS.values())
# A Slack section heading is a bold first line: "*Decision matrix*".
SLACK_HEADING = re.compile(r"^\*(?P<words>[^*\n]+)\*(?:\n|$)")


def _decision(case: dict[str, Any]) -> Decision:
    requirements = Requirements.model_validate({**case["facts"], **case["answer_facts"]})
    return Decision(requirements=requirements, recommendation=decide(requirements))


def _expected(outline: Outline) -> list[str]:
    return [part.heading for part in outline.sections]


def _text_headings(text: str, *, prefix: str = "", suffix: str = "") -> list[str]:
    """The lines of `text` that are a section heading in this format's dress."""
    found = []
    for line in text.splitlines():
        words = line.removeprefix(prefix).removesuffix(suffix)
        if line.startswith(prefix) and line.endswith(suffix) and words in HEADINGS:
            found.append(words)
    return found


def _slack_headings(blocks: list[dict[str, Any]]) -> list[str]:
    found = []
    for block in blocks:
        text = block.get("text", {}).get("text", "") if block["type"] == "section" else ""
        match = SLACK_HEADING.match(text)
        if match and match["words"] in HEADINGS:
            found.append(match["words"])
    return found


def _terminal(decision: Decision) -> str:
    out = io.StringIO()
    render_reply(Console(file=out, width=200, force_terminal=False), decision)
    return out.getvalue()


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_every_format_shows_the_outline_sections_in_order(case: dict[str, Any]) -> None:
    """Text, markdown, the ADR and the Details views (both, read in turn) show every section
    of the outline, in its order, with its heading words; the card and the thread's details
    show a few, still in that order."""
    decision = _decision(case)
    requirements, rec = decision.requirements, decision.recommendation
    outline = build_outline(requirements, rec)
    expected = _expected(outline)
    adr = render_adr(requirements, rec, decided_on=date(2026, 12, 2))
    details = (
        render_details_view(decision, REF)["blocks"] + render_more_view(decision, REF)["blocks"]
    )
    assert _text_headings(render_text(requirements, rec), suffix=":") == expected
    assert _text_headings(render_markdown(requirements, rec), prefix="### ") == expected
    # The record frames the sections in its parts (context first), each part in outline order.
    in_record = [
        section.heading
        for _, keys in ADR_PARTS
        for section in outline.sections
        if section.key in keys
    ]
    assert sorted(in_record) == sorted(expected)
    assert _text_headings(adr, prefix="### ") == in_record
    assert _slack_headings(details) == expected
    card = [p.heading for p in outline.sections if p.key in CARD_SECTIONS and p.items]
    assert _slack_headings(render_card(decision).blocks) == card
    in_thread = [p.heading for p in outline.sections if p.key in THREAD_SECTIONS]
    assert _slack_headings(render_details_message(decision).blocks) == in_thread


@pytest.mark.parametrize("case_id", ["dev-01", "dev-08"])
def test_the_terminal_shows_the_markdown_sections_in_order(case_id: str) -> None:
    """The terminal prints the markdown render: every heading, in the outline's order."""
    decision = _decision(next(case for case in CASES if case["id"] == case_id))
    printed = _terminal(decision)
    outline = build_outline(decision.requirements, decision.recommendation)
    positions = [printed.index(heading) for heading in _expected(outline)]
    assert positions == sorted(positions)


def test_the_card_uses_the_outline_words_for_what_it_shows() -> None:
    """A card item is the outline's item (clipped at most), under the outline's heading."""
    decision = _decision(next(case for case in CASES if case["id"] == "dev-08"))
    outline = build_outline(decision.requirements, decision.recommendation)
    changes = outline.section("changes")
    assert changes is not None
    text = json.dumps(render_card(decision).blocks, ensure_ascii=False)
    assert f"*{changes.heading}*" in text
    assert changes.items[0][:60] in text
