"""How a reply splits into answers: positions, separators and labels."""

from __future__ import annotations

import pytest

from bot.domain.requirements import Requirements
from bot.interview.offline import extract_offline
from bot.interview.segments import answer_segments, ordered_parts, without_list_numbers


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


@pytest.mark.parametrize(
    ("text", "asked", "absent"),
    [
        # A lone list number is a position: never a size, a latency or a count.
        ("1. ~30k a month", ["needs_external_knowledge", "kb_size_tokens"], "kb_size_tokens"),
        (
            "2) strict schema, our own",
            ["latency_target_ms", "deployment_target"],
            "latency_target_ms",
        ),
        # Parts that settle nothing ("-") leave the whole re-read without the numbers too.
        (
            "1) no 2) - 3) -",
            ["needs_external_knowledge", "kb_size_tokens", "knowledge_volatility"],
            "kb_size_tokens",
        ),
    ],
)
def test_a_list_number_is_never_read_as_a_value(text: str, asked: list[str], absent: str) -> None:
    facts = extract_offline(text, known=Requirements(), asked=asked).facts
    assert absent not in facts


def test_without_list_numbers_keeps_values_that_look_like_lists() -> None:
    """Numbers that are values stay: a range, a "3: x" line, a decimal."""
    assert without_list_numbers("1) yes 2) ~40 pages") == "yes; ~40 pages"
    assert without_list_numbers("1. under a second\n2. on prem") == "under a second; on prem"
    assert without_list_numbers("we need:\n1. 2k a day") == "we need:\n2k a day"
    assert without_list_numbers("5 - 10 ms") == "5 - 10 ms"
    assert without_list_numbers("2.5 seconds") == "2.5 seconds"
