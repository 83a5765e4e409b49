"""Block Kit builders: content order, limits, escaping and golden output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.adapters.slack.block_kit import MAX_BLOCKS, SECTION_TEXT_MAX_CHARS
from bot.adapters.slack.blocks import (
    render_edit_modal,
    render_explain,
    render_notice,
    render_questions,
    render_recommendation,
    render_reply,
)
from bot.adapters.slack.ids import ANSWER_ACTION, decode_value
from bot.adapters.slack.modal import parse_edit_submission
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
from bot.interview.replies import Choice, Decision, Notice, Question, Questions
from bot.interview.session import SessionKey
from tests.fake_slack import MESSAGE_MAX_BLOCKS, VIEW_MAX_BLOCKS, check_blocks

GOLDEN = Path(__file__).parent / "golden"
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


def test_recommendation_leads_with_verdict_and_confidence() -> None:
    """The header names the approach and the next block gives the confidence."""
    blocks = render_recommendation(_decision()).blocks
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Recommendation: RAG", "emoji": True},
    }
    assert "Confidence:* 72%" in blocks[1]["text"]["text"]


def test_recommendation_has_every_part_in_order() -> None:
    """Why, matrix, costs, break-even, what would change, risks, next steps, assumptions."""
    text = _all_text(render_recommendation(_decision()).blocks)
    parts = [
        "*Why*",
        "*Decision matrix*",
        "*Costs*",
        "*Break-even*",
        "*What would change the answer*",
        "*Risks*",
        "*Next steps*",
        "*Assumptions I made*",
    ]
    positions = [text.index(part) for part in parts]
    assert positions == sorted(positions)
    assert "33,333 requests" in text
    assert "Knowledge base size (tokens) = 900,000" in text


def test_recommendation_escapes_the_use_case() -> None:
    """A use case containing <!channel> or @here cannot ping anyone."""
    text = _all_text(render_recommendation(_decision()).blocks)
    assert "<!channel>" not in text
    assert "@here" not in text


def test_recommendation_buttons() -> None:
    """The recommendation offers Edit answers, Explain and Start over."""
    last = render_recommendation(_decision()).blocks[-1]
    assert [e["action_id"] for e in last["elements"]] == [
        "swf_edit_answers",
        "swf_explain",
        "swf_start_over",
    ]


def test_huge_recommendation_stays_within_slack_limits() -> None:
    """Hundreds of long reasons still give ≤ 50 valid blocks, the buttons kept last."""
    message = render_recommendation(_decision(reasons=300, reason_chars=900))
    assert len(message.blocks) <= MAX_BLOCKS
    assert check_blocks(message.blocks, MESSAGE_MAX_BLOCKS) is None
    assert all(
        len(block["text"]["text"]) <= SECTION_TEXT_MAX_CHARS
        for block in message.blocks
        if block["type"] == "section"
    )
    assert message.blocks[-1]["block_id"] == "recommendation_actions"


def test_plain_text_fallback_names_the_verdict() -> None:
    """The notification fallback says the approach and confidence."""
    assert render_recommendation(_decision()).text.startswith(
        "Recommendation: RAG (confidence 72%)"
    )


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


def test_matrix_shows_long_criterion_labels_in_full_and_aligned() -> None:
    """The matrix shows "Cost efficiency at volume" in full, and its rows line up."""
    rec = _recommendation()
    criteria = [
        criterion.model_copy(update={"label": "Cost efficiency at volume"}) if n == 0 else criterion
        for n, criterion in enumerate(rec.scores.criteria)
    ]
    scores = rec.scores.model_copy(update={"criteria": criteria})
    decision = _decision().model_copy(
        update={"recommendation": rec.model_copy(update={"scores": scores})}
    )
    matrix = next(
        block["text"]["text"]
        for block in render_recommendation(decision).blocks
        if "Decision matrix" in str(block.get("text", {}))
    )
    rows = matrix.split("```")[1].strip("\n").splitlines()
    assert any(row.startswith("Cost efficiency at volume ") for row in rows)
    widths = {len(row.rstrip()) for row in rows if not row.startswith("Total")}
    assert len(widths) == 1


def test_matrix_says_when_gates_rule_out_the_highest_total() -> None:
    """When fine-tuning scores best but its gates block it, the matrix says so under the table."""
    from bot.domain.engine import decide  # noqa: PLC0415

    requirements = Requirements(
        requests_per_month=5_000_000,
        input_tokens_per_request=1500,
        labelled_examples=10,
        maintenance_capacity="none",
    )
    recommendation = decide(requirements)
    totals = recommendation.scores.totals
    assert max(totals, key=lambda name: totals[name]) != recommendation.approach.value
    message = render_recommendation(
        Decision(requirements=requirements, recommendation=recommendation)
    )
    matrix = next(
        block["text"]["text"]
        for block in message.blocks
        if "Decision matrix" in block.get("text", {}).get("text", "")
    )
    assert "Fine-tuning is out: not ready" in matrix
    assert "curated examples" in matrix and "labelled_examples" not in matrix


def test_matrix_has_no_blocked_note_when_tuning_is_feasible() -> None:
    """Without blocking gates the matrix carries no 'ruled out' note."""
    from bot.domain.engine import decide  # noqa: PLC0415

    requirements = Requirements(
        needs_external_knowledge=False,
        labelled_examples=5_000,
        team_ml_capability="strong",
        maintenance_capacity="dedicated",
        output_format_strictness="strict_custom",
        prompt_baseline_gap_pp=20,
    )
    message = render_recommendation(
        Decision(requirements=requirements, recommendation=decide(requirements))
    )
    assert all("ruled out" not in block.get("text", {}).get("text", "") for block in message.blocks)
