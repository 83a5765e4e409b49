"""The question card as answers come in: answered questions show their answer, open ones
keep their buttons, and Decide now stays while anything is open."""

from __future__ import annotations

import json

from bot.entrypoints.slack.blocks import render_question_card
from bot.interview.replies import Choice, Question, Questions
from tests.support.fake_slack import MESSAGE_MAX_BLOCKS, check_blocks

TEAM = Question(
    field="team_ml_capability",
    text="What can your team do with ML?",
    choices=[Choice(label="Managed fine-tuning APIs", value="basic")],
)
STAGE = Question(
    field="project_stage",
    text="What stage is the project at?",
    choices=[Choice(label="Pilot", value="pilot")],
)


def _card(answered: dict[str, object]) -> str:
    open_questions = [q for q in (TEAM, STAGE) if q.field not in answered]
    card = Questions(
        questions=open_questions,
        round=1,
        max_rounds=3,
        continued=True,
        answered=answered,  # type: ignore[arg-type]
        asked=[TEAM, STAGE],
    )
    message = render_question_card(card)
    assert check_blocks(message.blocks, MESSAGE_MAX_BLOCKS) is None
    assert message.text
    return json.dumps(message.blocks, ensure_ascii=False)


def test_an_answered_question_shows_its_answer_in_words_not_buttons() -> None:
    """The answered question reads "question → answer" (value words, not identifiers)."""
    shown = _card({"team_ml_capability": "basic"})
    assert "What can your team do with ML? → *managed fine-tuning APIs*" in shown
    assert "question:team_ml_capability" not in shown
    assert "question:project_stage" in shown
    assert "swf_decide_now" in shown and "1 still open" in shown


def test_a_skipped_question_reads_not_sure() -> None:
    """ "Not sure" (no value) is shown as such."""
    assert "→ *not sure*" in _card({"team_ml_capability": None})


def test_a_complete_card_has_no_buttons_left() -> None:
    """Once every question is in, the card keeps no buttons and says so."""
    shown = _card({"team_ml_capability": "basic", "project_stage": "pilot"})
    assert "swf_" not in shown
    assert "all answered" in shown
