"""What-ifs after a recommendation work for every kind of fact, readiness and enums included."""

from __future__ import annotations

import pytest

from bot.domain.recommendation import ScalarFact
from bot.interview.commands import Command
from bot.interview.extraction import Extraction
from bot.interview.offline import extract_offline
from bot.interview.replies import Decision
from tests.support.interview_helpers import KEY, make_interview

NOW = 1_700_000_000.0
OPENING = {"task_type": "generation", "requests_per_month": 100_000}

WHAT_IFS: list[tuple[str, str, ScalarFact]] = [
    ("what if someone could retrain it part-time?", "maintenance_capacity", "limited"),
    ("what if nobody could maintain it?", "maintenance_capacity", "none"),
    ("we have some time to retrain it now", "maintenance_capacity", "limited"),
    ("what if our team used managed fine-tuning APIs?", "team_ml_capability", "basic"),
    ("what if the team could train and serve open weights?", "team_ml_capability", "strong"),
    ("what if we had 2,000 labelled examples?", "labelled_examples", 2000),
    ("what if we had an eval set?", "eval_set_exists", True),
    ("what if it were in production?", "project_stage", "production"),
    ("what if we ran it on-prem?", "deployment_target", "on_prem"),
    ("what if it ran on the device?", "deployment_target", "edge_device"),
    ("what if it had to be air-gapped?", "data_privacy", "air_gapped"),
    ("what if the output had to be JSON?", "output_format_strictness", "common_schema"),
    ("what if style didn't matter?", "style_consistency_need", "low"),
    ("what if the domain were general?", "domain_specialization", "general"),
    ("what if prompting already met the target?", "prompt_baseline_gap_pp", 0),
    ("what if the gap were 10 points?", "prompt_baseline_gap_pp", 10),
    ("what if the knowledge changed daily?", "knowledge_volatility", "daily"),
    ("what if the KB were 300 pages?", "kb_size_tokens", 120_000),
    ("what if no knowledge was needed?", "needs_external_knowledge", False),
    ("what if we drop the citation requirement?", "citations_required", False),
    ("what if latency had to be under 200ms?", "latency_target_ms", 200),
    ("and if traffic went to 10M a month?", "requests_per_month", 10_000_000),
    ("what if budget was $500 a month?", "budget_monthly_usd", 500),
]


@pytest.mark.parametrize(("text", "field", "value"), WHAT_IFS, ids=[w[0] for w in WHAT_IFS])
def test_a_what_if_reruns_the_decision_with_the_changed_fact(
    text: str, field: str, value: ScalarFact
) -> None:
    """After a recommendation, the what-if changes its fact and the engine runs again."""
    interview = make_interview()
    session = interview.begin(KEY, user_id="U1", now=NOW)
    session, _ = interview.on_message(
        session, text="opening", extraction=Extraction(facts=OPENING), now=NOW
    )
    session, decided = interview.on_command(session, Command.DECIDE_NOW, now=NOW)
    assert isinstance(decided, Decision)
    extraction = extract_offline(text, known=session.requirements, asked=session.pending)
    session, reply = interview.on_message(session, text=text, extraction=extraction, now=NOW)
    assert isinstance(reply, Decision), reply
    assert getattr(reply.requirements, field) == value
