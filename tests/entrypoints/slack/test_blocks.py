"""Block Kit builders: content order, limits, escaping and golden output."""

from __future__ import annotations

import json

import pytest

from bot.domain.recommendation import (
    Approach,
    ApproachCost,
    Assumption,
    Change,
    Criterion,
    CriterionScore,
    Reason,
    Recommendation,
    Scores,
)
from bot.domain.requirements import Requirements
from bot.entrypoints.slack.blocks import (
    render_edit_modal,
    render_explain,
    render_notice,
    render_questions,
    render_recommendation,
    render_reply,
)
from bot.entrypoints.slack.ids import ANSWER_ACTION, decode_value
from bot.entrypoints.slack.modal import parse_edit_submission
from bot.interview.replies import Choice, Decision, Notice, Question, Questions
from bot.interview.session import SessionKey
from tests.support import paths
from tests.support.fake_slack import VIEW_MAX_BLOCKS, check_blocks

GOLDEN = paths.GOLDEN
KEY = SessionKey(team_id="T1", channel_id="C1", thread_ts="1700000000.000100")


def _recommendation(*, reasons: int = 2, reason_chars: int = 80) -> Recommendation:
    criteria = [
        CriterionScore(
            criterion=criterion,
            label=criterion.value.replace("_", " ").capitalize(),
            weight=1.0,
            ratings={"prompting": 3, "rag": 2, "fine_tuning": 1},
            why_weight="Default weight.",
        )
        for criterion in Criterion
    ]
    return Recommendation(
        approach=Approach.RAG,
        confidence=0.72,
        scores=Scores(criteria=criteria, totals={"prompting": 12.0, "rag": 13.5, "fine_tuning": 9}),
        reasons=[
            Reason(text=f"Reason {n}: " + "x" * reason_chars, facts=["kb_size_tokens"])
            for n in range(reasons)
        ],
        assumptions=[Assumption(field="latency_target_ms", value=2000, why="Interactive default.")],
        costs={
            "prompting": ApproachCost(
                upfront_usd=0, monthly_usd=160, per_request_usd=0.02, inputs={}
            ),
            "rag": ApproachCost(upfront_usd=2000, monthly_usd=300, per_request_usd=0.01, inputs={}),
        },
        break_even_requests=33333,
        payback_months=4.2,
        what_would_change=[
            Change(
                field="kb_size_tokens",
                current=900000,
                threshold=200000,
                direction="below",
                switches_to=Approach.PROMPTING,
                text="Below 200,000 tokens of knowledge: prompting with a cached prompt.",
            )
        ],
        risks=["Retrieval quality needs its own evals."],
        next_steps=["Build a 50-question eval set."],
        engine_version="1.0.0",
    )


def _decision(**kwargs: int) -> Decision:
    return Decision(
        requirements=Requirements(
            use_case="Rules assistant <!channel> & @here",
            kb_size_tokens=900000,
            task_type="qa_over_docs",
            citations_required=True,
        ),
        recommendation=_recommendation(**kwargs),
    )


def _questions(choices: int) -> Questions:
    return Questions(
        questions=[
            Question(
                field="task_type",
                text="What kind of task is it?",
                choices=[Choice(label=f"Option {n}", value=f"v{n}") for n in range(choices)],
                why="Decides the base approach.",
            ),
            Question(field="requests_per_month", text="How many requests a month?"),
        ],
        round=1,
        max_rounds=3,
        notices=["I used my offline rules."],
        understood={"use_case": "<@U123> wants *bold*", "requests_per_month": 8000},
    )


def _all_text(blocks: list[dict[str, object]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_few_choices_render_as_buttons_carrying_their_values() -> None:
    """An enum question with up to five choices becomes buttons whose values decode back."""
    message = render_questions(_questions(3))
    buttons = [
        element
        for block in message.blocks
        if block["type"] == "actions"
        for element in block["elements"]
        if ANSWER_ACTION.match(element.get("action_id", ""))
    ]
    assert [decode_value(b["value"]) for b in buttons] == ["v0", "v1", "v2"]
    assert len({b["action_id"] for b in buttons}) == 3


def test_many_choices_render_as_one_select() -> None:
    """More than five choices become a single static select instead of buttons."""
    message = render_questions(_questions(11))
    selects = [
        element
        for block in message.blocks
        if block["type"] == "actions"
        for element in block["elements"]
        if element["type"] == "static_select"
    ]
    assert len(selects) == 1
    assert len(selects[0]["options"]) == 11


def test_questions_end_with_decide_now_and_start_over() -> None:
    """Every round of questions offers Decide now and Start over."""
    last = render_questions(_questions(2)).blocks[-1]
    assert [e["action_id"] for e in last["elements"]] == ["swf_decide_now", "swf_start_over"]


def test_understood_user_text_is_escaped() -> None:
    """Facts echoed back in "Got it" cannot carry mentions or markup links."""
    text = _all_text(render_questions(_questions(2)).blocks)
    assert "<@U123>" not in text
    assert "&lt;@U123&gt;" in text


def test_recommendation_escapes_the_use_case() -> None:
    """A use case containing <!channel> or @here cannot ping anyone."""
    text = _all_text(render_recommendation(_decision()).blocks)
    assert "<!channel>" not in text
    assert "@here" not in text


def test_explain_lists_each_criterion_and_totals() -> None:
    """Explain shows every criterion's weight and ratings and the ranked totals."""
    text = _all_text(render_explain(_decision()).blocks)
    assert text.count("weight 1.00") == 6
    assert text.index("RAG: 13.50") < text.index("Prompting: 12.00")


def test_reply_dispatch_renders_detail_decisions_as_explain() -> None:
    """A Decision marked `detail` renders as the explanation, not the recommendation."""
    detail = _decision().model_copy(update={"detail": True})
    assert render_reply(detail).text.startswith("How I scored")
    assert render_reply(Notice(text="Hello")).text == "Hello"


def test_edit_modal_is_prefilled_and_round_trips() -> None:
    """Submitting the modal unchanged gives back exactly the known facts, others None."""
    requirements = Requirements(
        task_type="qa_over_docs",
        citations_required=False,
        kb_size_tokens=55000,
        prompt_baseline_gap_pp=2.5,
        use_case="Rules bot",
    )
    view = render_edit_modal(requirements, key=KEY)
    assert check_blocks(view["blocks"], VIEW_MAX_BLOCKS) is None
    values = {
        block["block_id"]: {"value": _submitted(block["element"])}
        for block in view["blocks"]
        if block["type"] == "input"
    }
    facts = parse_edit_submission(values)
    assert {k: v for k, v in facts.items() if v is not None} == requirements.known()
    assert SessionKey.model_validate_json(view["private_metadata"]) == KEY


def _submitted(element: dict[str, object]) -> dict[str, object]:
    """What Slack sends in view.state.values for an untouched, pre-filled element."""
    kind = element["type"]
    if kind == "static_select":
        return {"type": kind, "selected_option": element.get("initial_option")}
    return {"type": kind, "value": element.get("initial_value")}


@pytest.mark.parametrize(
    ("name", "render"),
    [
        ("questions", lambda: render_questions(_questions(3))),
        ("recommendation", lambda: render_recommendation(_decision())),
        ("notice", lambda: render_notice(Notice(text="Starting over.", notices=["Note"]))),
    ],
)
def test_golden(name: str, render: object) -> None:
    """Rendering is stable: the blocks match the reviewed golden JSON."""
    assert callable(render)
    message = render()
    path = GOLDEN / f"slack_{name}.json"
    actual = {"text": message.text, "blocks": message.blocks}
    if not path.exists():
        path.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n")
        pytest.fail(f"wrote {path.name}: review it and run again")
    assert json.loads(path.read_text()) == actual
