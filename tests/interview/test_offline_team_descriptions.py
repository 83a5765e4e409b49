"""The offline reader on replies and descriptions phrased the way teams type them in Slack."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.requirements import Requirements
from bot.interview.offline import extract_offline


def read(text: str, *asked: str) -> dict[str, Any]:
    return dict(extract_offline(text, known=Requirements(), asked=list(asked)).facts)


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("we want each clause sorted into ok / needs review / reject", "classification"),
        ("We want to assign ICD-10 codes to discharge notes.", "classification"),
        ("We want to auto-label incoming GitHub issues.", "classification"),
        ("pull skills and last job title out of resumes into JSON for our ATS", "extraction"),
        ("we need drug, dose and onset pulled into our safety db schema (JSON)", "extraction"),
        ("a tool that rewrites invention disclosures into claim language", "generation"),
    ],
)
def test_a_task_said_in_other_words_is_read(text: str, task: str) -> None:
    """Sorting into buckets, assigning codes, pulling fields out, rewriting: each names a task."""
    assert read(text)["task_type"] == task


@pytest.mark.parametrize(
    ("text", "deployment"),
    [
        ("It runs in a GitHub Action calling the Claude API.", "cloud_api"),
        ("the OpenAI API is fine", "cloud_api"),
        ("we'd use Claude through Bedrock under our BAA", "cloud_api"),
        ("It'd run inside the game client on console with no network.", "edge_device"),
        ("it all sits on an air-gapped network, no exceptions.", "on_prem"),
        ("it runs in our own GCP project", "private_cloud"),
    ],
)
def test_where_it_runs_is_read_from_the_platform_named(text: str, deployment: str) -> None:
    """A vendor API called, a console client, an air-gapped network or a cloud project."""
    assert read(text)["deployment_target"] == deployment


def test_a_skill_with_a_vendor_api_is_not_where_it_runs() -> None:
    """ "We've only used the OpenAI API" says what the team can do, not where it will run."""
    facts = read("we've only used the OpenAI API, no fine-tuning", "team_ml_capability")
    assert facts == {"team_ml_capability": "none"}


@pytest.mark.parametrize(
    ("text", "asked", "facts"),
    [
        ("Zero ML background.", "team_ml_capability", {"team_ml_capability": "none"}),
        ("nobody here has trained a model", "team_ml_capability", {"team_ml_capability": "none"}),
        (
            "we've only used the openai fine tuning api",
            "team_ml_capability",
            {"team_ml_capability": "basic"},
        ),
        (
            "me i guess, a few hrs a month",
            "maintenance_capacity",
            {"maintenance_capacity": "limited"},
        ),
        ("tone not super important", "style_consistency_need", {"style_consistency_need": "low"}),
    ],
)
def test_terse_slack_answers_are_read(text: str, asked: str, facts: dict[str, Any]) -> None:
    """Abbreviations ("hrs"), "zero ML", an unhyphenated "fine tuning api", "not super"."""
    assert read(text, asked) == facts


def test_a_voice_per_character_or_a_tone_guide_is_a_high_style_need() -> None:
    """ "each in their own voice" and "our tone guide is strict" make style matter a lot."""
    assert (
        read("generate barks for ~300 NPCs, each in their own voice")["style_consistency_need"]
        == "high"
    )
    assert (
        read("we translate courses; our tone guide is strict")["style_consistency_need"] == "high"
    )


def test_another_systems_stage_is_not_the_projects() -> None:
    """ "In production with a rules engine today" says nothing of the new project's stage."""
    facts = read(
        "we're in production with a rules engine today and looking at LLMs to extract fields"
    )
    assert "project_stage" not in facts
    assert read("it's in production with a few customers", "project_stage") == {
        "project_stage": "production"
    }


def test_just_exploring_is_a_prototype_and_no_eval_set_is_implied() -> None:
    """ "Haven't built anything yet, just exploring" is the idea stage, not a no to an eval set."""
    facts = read("We want to summarise notes. Haven't built anything yet, just exploring the idea.")
    assert facts["project_stage"] == "prototype"
    assert "eval_set_exists" not in facts


def test_who_approved_a_number_is_not_the_domain() -> None:
    """ "finance said 10k usd/month max" is a budget; the finance team is not the domain."""
    assert read("finance said 10k usd/month max", "budget_monthly_usd") == {
        "budget_monthly_usd": 10000
    }
