"""A round of questions ends only when each question is answered, skipped or withdrawn."""

from __future__ import annotations

from bot.interview.commands import Command
from bot.interview.conversation import Interview
from bot.interview.extraction import Extraction
from bot.interview.offline import extract_offline
from bot.interview.replies import Decision, Questions
from bot.interview.session import Session
from tests.support.interview_helpers import KEY, make_interview

NOW = 1_700_000_000.0
# Knowledge is asked with its follow-ups in the first round for this opening.
KNOWLEDGE_OPENING = {"task_type": "qa_over_docs", "requests_per_month": 50_000}
READINESS_OPENING = {
    "task_type": "generation",
    "needs_external_knowledge": False,
    "output_format_strictness": "strict_custom",
    "style_consistency_need": "high",
    "prompt_baseline_gap_pp": 20,
    "labelled_examples": 5_000,
    "requests_per_month": 2_000_000,
}


def _round(facts: dict[str, object]) -> tuple[Interview, Session, Questions]:
    interview = make_interview()
    session = interview.begin(KEY, user_id="U1", now=NOW)
    session, reply = interview.on_message(
        session, text="opening", extraction=Extraction(facts=facts), now=NOW
    )
    assert isinstance(reply, Questions) and len(reply.questions) >= 2, reply
    return interview, session, reply


def _say(interview: Interview, session: Session, text: str) -> tuple[Session, object]:
    extraction = extract_offline(text, known=session.requirements, asked=session.pending)
    return interview.on_message(session, text=text, extraction=extraction, now=NOW)


def test_a_partial_reply_asks_only_the_open_questions_in_the_same_round() -> None:
    """Answering one of three questions acknowledges it and asks the other two again."""
    interview, session, reply = _round(READINESS_OPENING)
    fields = [q.field for q in reply.questions]
    assert fields[0] == "team_ml_capability", fields
    session, again = _say(interview, session, "managed APIs")
    assert isinstance(again, Questions)
    assert again.continued and again.round == reply.round == session.rounds
    assert [q.field for q in again.questions] == fields[1:]
    assert again.answered == {"team_ml_capability": "basic"}
    assert any(n.startswith("Got: managed fine-tuning APIs. Still open:") for n in again.notices)


def test_the_rest_of_the_round_completes_it() -> None:
    """Once the open questions are answered too, the next round or the decision comes."""
    interview, session, _ = _round(READINESS_OPENING)
    session, _ = _say(interview, session, "managed APIs")
    session, after = _say(interview, session, "some time, production")
    assert session.facts["maintenance_capacity"] == "limited"
    assert session.facts["project_stage"] == "production"
    assert not (isinstance(after, Questions) and after.continued)


def test_one_answer_per_line_over_several_messages_is_all_recorded() -> None:
    """Three one-line replies to three questions each land, and no decision comes early."""
    interview, session, _ = _round(READINESS_OPENING)
    session, first = _say(interview, session, "Managed fine-tuning APIs")
    assert isinstance(first, Questions) and first.continued
    session, second = _say(interview, session, "Some time")
    assert isinstance(second, Questions) and second.continued
    session, third = _say(interview, session, "Production")
    assert session.facts["team_ml_capability"] == "basic"
    assert session.facts["maintenance_capacity"] == "limited"
    assert session.facts["project_stage"] == "production"
    assert not (isinstance(third, Questions) and third.continued)


def test_skipping_a_question_counts_as_its_answer() -> None:
    """ "not sure" settles the question it answers; the round goes on for the others."""
    interview, session, reply = _round(READINESS_OPENING)
    open_fields = [q.field for q in reply.questions]
    session, again = _say(interview, session, "not sure about that, skip")
    assert not (isinstance(again, Questions) and again.continued)
    assert set(open_fields) <= set(session.declined)


def test_decide_now_ends_an_unfinished_round() -> None:
    """`decide now` decides at once, with the open questions assumed."""
    interview, session, _ = _round(READINESS_OPENING)
    session, _ = _say(interview, session, "managed APIs")
    _, reply = interview.on_command(session, Command.DECIDE_NOW, now=NOW)
    assert isinstance(reply, Decision)


def test_a_follow_up_is_withdrawn_when_its_parent_is_answered_no() -> None:
    """ "If so: ..." questions disappear once knowledge is answered No."""
    interview, session, reply = _round(KNOWLEDGE_OPENING)
    fields = [q.field for q in reply.questions]
    assert "needs_external_knowledge" in fields and len(fields) >= 2, fields
    session, after = interview.on_answer(
        session, field="needs_external_knowledge", value=False, label="No", now=NOW
    )
    assert not {"kb_size_tokens", "knowledge_volatility", "kb_size_docs"} & set(session.pending)
    if isinstance(after, Questions) and after.continued:
        assert not {"kb_size_tokens", "knowledge_volatility"} & {q.field for q in after.asked}


def test_clicks_keep_the_round_until_every_question_is_answered() -> None:
    """One click on a three-question card neither moves on nor decides."""
    interview, session, reply = _round(READINESS_OPENING)
    rounds = session.rounds
    first, *rest = reply.questions
    session, after = interview.on_answer(
        session, field=first.field, value=first.choices[0].value, label="x", now=NOW
    )
    assert isinstance(after, Questions) and after.continued and session.rounds == rounds
    assert [q.field for q in after.asked] == [q.field for q in reply.questions]
    for question in rest:
        session, after = interview.on_answer(
            session, field=question.field, value=question.choices[0].value, label="x", now=NOW
        )
    assert not (isinstance(after, Questions) and after.continued)


def test_a_contradiction_is_asked_within_the_open_round() -> None:
    """A new figure that contradicts an earlier one is asked about beside the open questions,
    in the same round, so those questions are not dropped."""
    interview, session, reply = _round(READINESS_OPENING)
    session, again = _say(interview, session, "managed APIs, and we now expect 3M requests a month")
    assert isinstance(again, Questions) and again.continued and again.round == reply.round
    fields = [q.field for q in again.questions]
    assert fields == ["requests_per_month", "maintenance_capacity", "project_stage"]
    assert "Which is right?" in again.questions[0].text
