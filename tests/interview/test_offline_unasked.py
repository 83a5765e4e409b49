"""Replies that answer another question than the one asked, or deny another question's thing."""

from __future__ import annotations

from bot.domain.requirements import Requirements
from bot.interview.offline import extract_offline

KNOWLEDGE = ["needs_external_knowledge", "kb_size_tokens", "knowledge_volatility"]


def facts(text: str, asked: list[str]) -> dict[str, object]:
    got = extract_offline(text, known=Requirements(), asked=asked).facts
    return {field: value for field, value in got.items() if field != "use_case"}


def test_a_short_reply_that_answers_nothing_asked_states_its_own_topic() -> None:
    """ "citations required btw" to the team questions says citations are required."""
    assert facts("citations required btw", ["team_ml_capability"]) == {"citations_required": True}
    assert facts("we're still prototyping", ["output_format_strictness"]) == {
        "project_stage": "prototype"
    }


def test_a_short_reply_that_answers_the_question_states_nothing_else() -> None:
    """ "House template or DSL" to the format question says nothing about the domain."""
    assert facts("House template or DSL", ["output_format_strictness"]) == {
        "output_format_strictness": "strict_custom"
    }


def test_no_eval_set_is_not_a_zero_or_a_no_to_the_knowledge_questions() -> None:
    """ "no eval set" among the answers denies the eval set, not the knowledge base."""
    assert facts("pilot, 5k examples, no eval set", KNOWLEDGE) == {
        "project_stage": "pilot",
        "labelled_examples": 5000,
        "eval_set_exists": False,
    }


def test_no_docs_still_answers_the_knowledge_question() -> None:
    """ "no docs needed" is a no to whether any knowledge is needed."""
    assert facts("no docs needed", ["needs_external_knowledge"]) == {
        "needs_external_knowledge": False
    }


def test_a_price_per_request_is_not_a_monthly_budget() -> None:
    """ "~2 cents per request" to the budget question is today's cost per request."""
    assert facts("currently ~2 cents per request with gpt-4o", ["budget_monthly_usd"]) == {
        "cost_per_request_usd": 0.02
    }


def test_an_hourly_price_still_answers_the_hosting_question() -> None:
    """ "$1.70 an hour" is a rate of hosting, not a price per request."""
    got = facts("$1.70 an hour", ["finetune_hosting_usd_per_month"])
    assert got == {"finetune_hosting_usd_per_month": 1224}


def test_the_size_of_an_eval_set_is_not_a_volume() -> None:
    """ "an eval set of 300 cases" to the volume question says an eval set exists, no volume."""
    assert facts("forgot to say: we have an eval set of 300 cases", ["requests_per_month"]) == {
        "eval_set_exists": True
    }


def test_someone_who_would_own_retraining_is_a_dedicated_owner() -> None:
    """A named owner of the retraining ("it's her job") is the dedicated-owner answer."""
    got = facts("<@U04ABCD> would own retraining, it's her job", ["maintenance_capacity"])
    assert got == {"maintenance_capacity": "dedicated"}


def test_running_on_bedrock_is_a_cloud_api_but_tuning_on_vertex_is_not() -> None:
    """ "on AWS Bedrock" says where it runs; "managed tuning on Vertex" only how it is tuned."""
    assert facts("pilot with 3 customers, on AWS Bedrock", ["project_stage"]) == {
        "project_stage": "pilot",
        "deployment_target": "cloud_api",
    }
    assert "deployment_target" not in facts(
        "basic, we'd use managed tuning on Vertex", ["team_ml_capability"]
    )


def test_answers_to_questions_not_asked_are_kept_when_their_words_are_their_own() -> None:
    """ "managed APIs, some time, production" while the knowledge questions are open."""
    assert facts("managed APIs, some time, production", KNOWLEDGE) == {
        "team_ml_capability": "basic",
        "maintenance_capacity": "limited",
        "project_stage": "production",
    }
    assert facts("strong ML team, dedicated owner, in prod", ["requests_per_month"]) == {
        "team_ml_capability": "strong",
        "maintenance_capacity": "dedicated",
        "project_stage": "production",
    }


def test_a_level_word_answers_no_unasked_question_without_its_topic() -> None:
    """ "standard terminology" to the domain question is no statement about data privacy."""
    assert facts("medical, but standard terminology", ["domain_specialization"]) == {
        "domain_specialization": "specialized_public"
    }


def test_a_word_several_questions_could_take_is_not_guessed() -> None:
    """ "none" while the knowledge questions are open could be the team or the upkeep."""
    got = facts("yes, none", KNOWLEDGE)
    assert "team_ml_capability" not in got
    assert "maintenance_capacity" not in got
