"""Opening-message readings written for the misses of held-out scenario batch 3 (hq-*).

Measured blind, the interview agreed on 22/30 of batch 3 end to end; the misses were
readings, not engine rules: scores with no percent sign, a reject rate written as "sent
back" or with a "<" target, "the input has everything" said at more length, an in-house
code set or macro language, and characters that must stay in character.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.requirements import Requirements
from bot.interview.offline import extract_offline


def read(text: str) -> dict[str, Any]:
    facts = extract_offline(text, known=Requirements(), asked=[]).facts
    return {name: value for name, value in facts.items() if name != "use_case"}


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        # Two bare scores, a few words after "score", the second named the target.
        ("Native reviewers score it 68 vs our 85 target.", "prompt_baseline_gap_pp", 17),
        ("Partners score prompted drafts 70 vs an 86 target.", "prompt_baseline_gap_pp", 16),
        # A reject rate is a score of 100 minus it; "<10%" is a target like "under 10%".
        (
            "docs team rejects 40% of prompted output, want <10%.",
            "prompt_baseline_gap_pp",
            30,
        ),
        (
            "Right now ~30% get sent back by reviewers, we need under 12%.",
            "prompt_baseline_gap_pp",
            18,
        ),
        # The request carries all it needs, said at more length.
        ("The claim file we pass in has everything.", "needs_external_knowledge", False),
        ("Nothing outside the source text is needed.", "needs_external_knowledge", False),
        # A code set or macro language the team defined is niche, ahead of the medical domain.
        (
            "We assign billing codes from our in-house code set to clinical charts.",
            "domain_specialization",
            "niche_proprietary",
        ),
        (
            "output the next step in our internal macro language (~40 commands)",
            "output_format_strictness",
            "strict_custom",
        ),
        (
            "output the next step in our internal macro language (~40 commands)",
            "domain_specialization",
            "niche_proprietary",
        ),
        ("NPC dialogue has to stay in character.", "style_consistency_need", "high"),
        ("Writers have ~20k authored lines.", "labelled_examples", 20_000),
    ],
)
def test_batch3_phrase_states(text: str, field: str, value: object) -> None:
    """Each phrase gives the fact it names."""
    assert read(text).get(field) == value


@pytest.mark.parametrize(
    ("text", "field"),
    [
        # A score with no target beside it says nothing about the gap.
        ("Reviewers score it 68 and we're happy.", "prompt_baseline_gap_pp"),
        # The rest of the world's knowledge is still needed when only a denial names one source.
        ("Nothing outside the EU is in scope.", "needs_external_knowledge"),
        # A spreadsheet's macros are no language the team defined.
        ("we automate it with Excel macros today", "domain_specialization"),
    ],
)
def test_batch3_phrase_is_not(text: str, field: str) -> None:
    """A look-alike phrase states no such fact."""
    assert field not in read(text)
