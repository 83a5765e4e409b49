"""Values the reader can't use are refused in plain words that say why, never field names."""

from __future__ import annotations

import re

import pytest

from bot.domain.requirements import Requirements
from bot.interview.extraction import Extraction
from bot.interview.offline import extract_offline
from bot.interview.replies import Questions
from tests.support.interview_helpers import KEY, make_interview

NOW = 1_700_000_000.0
IDENTIFIER = re.compile(r"\b[a-z]+_[a-z_]+\b")


@pytest.mark.parametrize(
    ("text", "field", "says"),
    [
        ("10^30 requests a month", "requests_per_month", "more requests than any deployment"),
        ("1e308", "requests_per_month", "10^308 is more requests"),
        ("1e400 examples", "labelled_examples", "isn't a number I can use"),
        ("-5", "labelled_examples", "can't be -5"),
        ("300 dollars per call", "cost_per_request_usd", "could plausibly be"),
    ],
)
def test_an_impossible_figure_is_refused_with_a_reason(text: str, field: str, says: str) -> None:
    """The refusal says what is wrong with the figure and asks again, in plain words."""
    got = extract_offline(text, known=Requirements(), asked=[field])
    assert field not in got.facts
    assert says in got.rejected[field]
    assert not IDENTIFIER.search(got.rejected[field]), got.rejected[field]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("NaN", "not a number"),
        ("\U0001f44d\U0001f389", "only emoji"),
        ("sí, producción", "English"),
        ("日本語で答えます", "English"),
    ],
)
def test_a_reply_with_nothing_readable_gets_a_reason(text: str, says: str) -> None:
    """Emoji only, "NaN" or another language: the questions come again with why."""
    interview = make_interview()
    session = interview.begin(KEY, user_id="U1", now=NOW)
    opening = Extraction(facts={"task_type": "generation", "requests_per_month": 10_000})
    session, first = interview.on_message(session, text="opening", extraction=opening, now=NOW)
    assert isinstance(first, Questions)
    extraction = extract_offline(text, known=session.requirements, asked=session.pending)
    assert extraction.unread_reason and says in extraction.unread_reason
    _, again = interview.on_message(session, text=text, extraction=extraction, now=NOW)
    assert isinstance(again, Questions)
    notes = " ".join(again.notices)
    assert says in notes and not IDENTIFIER.search(notes), notes


def test_a_plain_unclear_reply_gets_no_invented_reason() -> None:
    """ "hmm" is just unclear: no reason is made up for it."""
    got = extract_offline("hmm", known=Requirements(), asked=["project_stage"])
    assert got.unread_reason is None
