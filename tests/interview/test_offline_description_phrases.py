"""Phrases in opening descriptions that name a fact, and look-alikes that must not.

Written for the misses of held-out batch p (descriptions read with nothing asked).
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
        (
            "We run a news site and want SEO headlines in our house style.",
            "style_consistency_need",
            "high",
        ),
        ("it has to sound encouraging, same voice every time", "style_consistency_need", "high"),
        ("short lines in each character's voice", "style_consistency_need", "high"),
        ("student data is covered by FERPA", "data_privacy", "regulated"),
        ("Our lawyers won't let claimant PII leave the VPC", "data_privacy", "regulated"),
        ("data isn't sensitive, comments are public anyway", "data_privacy", "standard"),
        ("the pharmacovigilance group's case narratives", "data_privacy", "regulated"),
        ("we don't store them, so privacy is standard", "data_privacy", "standard"),
        ("ideally it runs on the ruggedized tablet itself", "deployment_target", "edge_device"),
        (
            "Logs can't leave our network, the SOC environment is air-gapped",
            "deployment_target",
            "on_prem",
        ),
        (
            "two ML engineers who've fine-tuned and served Llama models",
            "team_ml_capability",
            "strong",
        ),
        ("nobody to look after a model once it ships", "maintenance_capacity", "none"),
        ("the answer should point to the manual page", "citations_required", True),
        ("every answer should link the product page", "citations_required", True),
        (
            "answers taxpayer questions from our tax bulletins",
            "domain_specialization",
            "specialized_public",
        ),
        ("policy number and VIN pulled out as JSON", "task_type", "extraction"),
        ("each request turned into a structured work order", "task_type", "extraction"),
        (
            "free-text defect notes mapped to our internal defect code taxonomy",
            "task_type",
            "classification",
        ),
        (
            "triage SIEM alerts: label each as benign / suspicious / escalate",
            "task_type",
            "classification",
        ),
        ("need to flag hate speech and spam before they show", "task_type", "moderation"),
        (
            "explain findings from our static analyzer to developers",
            "task_type",
            "code_explanation",
        ),
        ("turn plain-English requests into config commands", "task_type", "semantic_parsing"),
        ("a Q&A assistant that answers only from our articles", "task_type", "qa_over_docs"),
        ("SEO headlines and teasers for every article", "task_type", "generation"),
    ],
)
def test_description_phrase_states(text: str, field: str, value: object) -> None:
    """Each phrase gives the fact it names."""
    assert read(text).get(field) == value


@pytest.mark.parametrize(
    ("text", "field"),
    [
        # A house style is a voice, not an output format; a tone guide is no knowledge source.
        (
            "in our house style (AP style, no clickbait, specific tone guide)",
            "output_format_strictness",
        ),
        (
            "in our house style (AP style, no clickbait, specific tone guide)",
            "needs_external_knowledge",
        ),
        # A call's payment details are data in it, not the payments domain.
        ("transcripts contain customer PII and payment details", "domain_specialization"),
        # A static analyzer is a tool, not knowledge that never changes.
        ("explain findings from our static analyzer", "knowledge_volatility"),
    ],
)
def test_description_phrase_is_not(text: str, field: str) -> None:
    """A look-alike phrase states no such fact."""
    assert field not in read(text)


def test_a_denied_leak_is_still_denied_elsewhere() -> None:
    """'won't let' keeps what follows; other negations still deny ('no PII at all')."""
    assert read("no PII at all")["data_privacy"] == "standard"
    assert "data_privacy" not in read("it doesn't handle personal data")
