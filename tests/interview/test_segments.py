"""How a reply splits into answers: positions, separators and labels."""

from __future__ import annotations

import pytest

from bot.interview.segments import answer_segments, ordered_parts


@pytest.mark.parametrize(
    ("text", "count", "parts"),
    [
        ("1) yes 2) ~40 pages 3) weekly", 3, ["yes", "~40 pages", "weekly"]),
        ("1: 1.5 million 2: 400ms", 2, ["1.5 million", "400ms"]),
        ("(1) under 800ms (2) on-prem", 2, ["under 800ms", "on-prem"]),
        ("1 - none\n2 - prototype", 2, ["none", "prototype"]),
        ("1. ~800\n2. yes, 150 held out", 2, ["~800", "yes, 150 held out"]),
        ("regulated; on-prem", 2, ["regulated", "on-prem"]),
        ("no and no", 2, ["no", "no"]),
        ("strong / dedicated", 2, ["strong", "dedicated"]),
        ("yes but no", 2, ["yes", "no"]),
    ],
)
def test_numbered_and_separated_replies_split_into_positions(
    text: str, count: int, parts: list[str]
) -> None:
    """List numbers mark positions and are dropped; separators cut short answers in order."""
    assert ordered_parts(text, count) == parts


def test_a_list_number_is_never_kept_as_a_value() -> None:
    """ "1: 1.5 million" answers the first question with 1.5 million, not 1."""
    [(first, fields), _] = answer_segments("1: 1.5 million 2: 400ms", ["a", "b"])
    assert (first, fields) == ("1.5 million", ["a"])


def test_a_long_reply_is_not_cut_at_its_commas() -> None:
    """A sentence with commas is one answer unless told to cut loosely."""
    assert ordered_parts("about 0.78 F1 on our test set, we need 0.85", 2) == []


def test_a_labelled_part_goes_to_its_field_whatever_its_position() -> None:
    """ "examples: maybe 100" answers the examples question even when it comes second."""
    segments = answer_segments(
        "we're 6 engineers, none of us do ML; examples: maybe 100",
        ["labelled_examples", "team_ml_capability"],
    )
    assert segments == [
        ("we're 6 engineers, none of us do ML", ["team_ml_capability"]),
        ("maybe 100", ["labelled_examples"]),
    ]


@pytest.mark.parametrize(
    ("text", "asked", "segments"),
    [
        (
            "we have about 1,200 labelled pairs; 100 of them are held out as a test set",
            ["eval_set_exists", "labelled_examples"],
            [
                ("we have about 1,200 labelled pairs", ["labelled_examples"]),
                ("100 of them are held out as a test set", ["eval_set_exists"]),
            ],
        ),
        (
            "~300k requests a month\nbudget around 2k",
            ["budget_monthly_usd", "requests_per_month"],
            [
                ("~300k requests a month", ["requests_per_month"]),
                ("budget around 2k", ["budget_monthly_usd"]),
            ],
        ),
    ],
)
def test_a_part_naming_its_topic_goes_to_that_question(
    text: str, asked: list[str], segments: list[tuple[str, list[str]]]
) -> None:
    """A part that names one asked question's topic answers it, whatever the order asked."""
    assert answer_segments(text, asked) == segments


def test_a_part_naming_two_asked_topics_keeps_its_position() -> None:
    """A part naming the topics of two questions asked is not moved: which one is unclear."""
    segments = answer_segments(
        "1,200 labelled examples incl. a test set; yes", ["eval_set_exists", "labelled_examples"]
    )
    assert [fields for _, fields in segments] == [["eval_set_exists"], ["labelled_examples"]]
