"""The recommendation card and what hangs off it: limits, plain words, deltas, views, chart."""

from __future__ import annotations

import json
import re
import struct
from datetime import date

import pytest

from bot.domain.engine import decide
from bot.domain.recommendation import Approach, Precondition
from bot.domain.requirements import Requirements
from bot.entrypoints.slack.card import (
    CARD_MAX_BLOCKS,
    CARD_MAX_VISIBLE_CHARS,
    fingerprint,
    render_card,
    render_share,
    visible_chars,
)
from bot.entrypoints.slack.card_ids import CardRef, decode_card_ref
from bot.entrypoints.slack.chart import alt_text, render_cost_chart
from bot.entrypoints.slack.delta import DELTA_MAX_CHARS, render_delta
from bot.entrypoints.slack.details import (
    render_details_message,
    render_details_view,
    render_more_view,
)
from bot.entrypoints.slack.modal import render_edit_modal
from bot.entrypoints.slack.recommendation_blocks import render_explain
from bot.entrypoints.slack.what_if import render_what_if_view, what_ifs
from bot.interview.replies import Decision
from bot.interview.session import SessionKey
from bot.presentation.adr import render_adr
from bot.presentation.plain import identifiers_in, plain_text
from bot.presentation.report import render_markdown, render_text
from bot.presentation.why_not import explain_why_not, parse_why_not
from tests.support import paths
from tests.support.fake_slack import MESSAGE_MAX_BLOCKS, VIEW_MAX_BLOCKS, check_blocks

DEV = paths.DEV_JSONL
CASES = [json.loads(line) for line in DEV.read_text().splitlines() if line.strip()]
KEY = SessionKey(team_id="T1", channel_id="C1", thread_ts="1700000000.000100")
# Keys of Block Kit JSON that no person sees.
HIDDEN_KEYS = frozenset(
    {"action_id", "block_id", "value", "private_metadata", "callback_id", "type", "style"}
)
REF = CardRef(key=KEY, card_ts="1700000000.000200", fingerprint="abc")


def _decision(facts: dict[str, object]) -> Decision:
    requirements = Requirements.model_validate({k: v for k, v in facts.items() if v is not None})
    return Decision(requirements=requirements, recommendation=decide(requirements))


DECISIONS = {case["id"]: _decision(case["facts"]) for case in CASES}


def _texts(node: object) -> list[str]:
    """Every string a person can see in Block Kit JSON (ids and values excluded)."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in HIDDEN_KEYS:
                continue
            found += _texts(value)
    elif isinstance(node, list):
        for item in node:
            found += _texts(item)
    elif isinstance(node, str):
        found.append(node)
    return found


def _ten_times(decision: Decision) -> Decision:
    """The same case at ten times the volume (a what-if's other side)."""
    volume = decision.requirements.requests_per_month or 10_000
    return _decision({**decision.requirements.known(), "requests_per_month": volume * 10})


def _surfaces(decision: Decision) -> dict[str, str]:
    """Every surface a person reads, rendered for one decision."""
    requirements, rec = decision.requirements, decision.recommendation
    slack = {
        "card": render_card(decision).blocks,
        "explain": render_explain(decision).blocks,
        "details": render_details_view(decision, REF),
        "more": render_more_view(decision, REF),
        "what_if": render_what_if_view(decision, REF),
        "edit": render_edit_modal(requirements, key=KEY, recommendation=rec),
        "share": render_share(decision, link=None, user_id=None).blocks,
        "details_message": render_details_message(decision).blocks,
        "delta": render_delta(_ten_times(decision), decision, user_id=None).blocks,
    }
    surfaces = {name: "\n".join(_texts(blocks)) for name, blocks in slack.items()}
    surfaces["notification"] = render_card(decision).text
    surfaces["text"] = render_text(requirements, rec)
    surfaces["markdown"] = render_markdown(requirements, rec)
    surfaces["adr"] = render_adr(requirements, rec, decided_on=date(2026, 12, 2))
    surfaces["why_not"] = " ".join(explain_why_not(requirements, rec, a) for a in Approach)
    surfaces["chart_alt"] = alt_text(rec, 10_000)
    return surfaces


@pytest.mark.parametrize("case_id", list(DECISIONS))
def test_no_surface_shows_an_identifier(case_id: str) -> None:
    """No field identifier or raw enum value reaches a person, on any surface, for any case."""
    for name, text in _surfaces(DECISIONS[case_id]).items():
        assert identifiers_in(text) == [], (name, identifiers_in(text))


def test_json_keeps_the_identifiers() -> None:
    """The JSON output still names fields by their contract keys."""
    decision = DECISIONS["dev-01"]
    assert "kb_size_tokens" in decision.recommendation.model_dump_json()


@pytest.mark.parametrize("case_id", list(DECISIONS))
def test_card_fits_its_limits(case_id: str) -> None:
    """At most 10 blocks and 1,500 visible characters, valid Block Kit, four buttons."""
    message = render_card(DECISIONS[case_id])
    assert len(message.blocks) <= CARD_MAX_BLOCKS
    assert visible_chars(message.blocks) <= CARD_MAX_VISIBLE_CHARS
    assert check_blocks(message.blocks, MESSAGE_MAX_BLOCKS) is None
    buttons = [e["text"]["text"] for e in message.blocks[-1]["elements"]]
    assert buttons == ["Details", "What if…", "Edit answers", "Share"]


def test_card_stays_in_limits_with_long_engine_text() -> None:
    """Long reasons, many preconditions and changes are clipped, not allowed to grow the card."""
    decision = DECISIONS["dev-01"]
    rec = decision.recommendation
    long = rec.model_copy(
        update={
            "reasons": [r.model_copy(update={"text": "word " * 400}) for r in rec.reasons],
            "preconditions": [
                Precondition(field="maintenance_capacity", condition="x " * 300, why="y " * 300)
            ]
            * 6,
            "what_would_change": rec.what_would_change * 5,
        }
    )
    message = render_card(decision.model_copy(update={"recommendation": long}))
    assert len(message.blocks) <= CARD_MAX_BLOCKS
    assert visible_chars(message.blocks) <= CARD_MAX_VISIBLE_CHARS


def test_notification_gives_verdict_and_reason() -> None:
    """The notification text names the verdict and the sentence of why."""
    text = render_card(DECISIONS["dev-01"]).text
    assert text.startswith("Recommendation: Prompting")
    assert "cached prompt" in text


def test_card_marks_not_ready_and_lists_preconditions() -> None:
    """`ready: false` reads "not ready"; preconditions appear under "Before you start"."""
    decision = DECISIONS["dev-01"]
    rec = decision.recommendation.model_copy(
        update={
            "ready": False,
            "blocked_by": ["labelled_examples"],
            "preconditions": [
                Precondition(
                    field="maintenance_capacity",
                    condition="someone owns retraining the tuned model",
                    why="base models are retired every 12-18 months",
                )
            ],
        }
    )
    blocks = render_card(decision.model_copy(update={"recommendation": rec})).blocks
    assert blocks[0]["text"]["text"].endswith("(not ready)")
    text = "\n".join(_texts(blocks))
    assert "Before you start" in text
    assert "Who retrains the model: someone owns retraining the tuned model" in text
    assert identifiers_in(text) == []


def test_assumed_decisive_facts_make_it_provisional() -> None:
    """A verdict resting on an assumed decisive fact is marked provisional; stated, it is not."""
    nothing_known = _decision({})
    assumed = {a.field for a in nothing_known.recommendation.assumptions}
    assert {c.field for c in nothing_known.recommendation.what_would_change} & assumed
    assert render_card(nothing_known).blocks[0]["text"]["text"].endswith("(provisional)")
    dev01 = CASES[0]
    stated = _decision(
        {**dev01["facts"], **dev01["answer_facts"], "deployment_target": "cloud_api"}
    )
    assert not {c.field for c in stated.recommendation.what_would_change} & {
        a.field for a in stated.recommendation.assumptions
    }
    assert render_card(stated).blocks[0]["text"]["text"] == "Recommendation: Prompting"


def test_fingerprint_follows_the_facts() -> None:
    """Same facts, same fingerprint; a changed fact, a new one."""
    decision = DECISIONS["dev-01"]
    assert fingerprint(decision) == fingerprint(_decision(CASES[0]["facts"]))
    assert fingerprint(decision) != fingerprint(
        _decision({**CASES[0]["facts"], "requests_per_month": 9000})
    )


def test_delta_says_what_changed_who_and_what_moved() -> None:
    """One short line: the fact before and after, who, the verdict held or moved, the numbers."""
    before = DECISIONS["dev-01"]
    after = _decision({**CASES[0]["facts"], "requests_per_month": 5_000_000})
    message = render_delta(before, after, user_id="U42")
    assert len(message.text) <= DELTA_MAX_CHARS
    assert sum(len(t) for t in _texts(message.blocks)) <= DELTA_MAX_CHARS
    assert message.text.startswith("Requests a month 8,000 → 5M (by <@U42>): still Prompting")
    assert "monthly cost" in message.text


@pytest.mark.parametrize("case_id", list(DECISIONS)[:10])
def test_views_are_valid_block_kit(case_id: str) -> None:
    """Details, more, what-if and edit views pass Slack's limits."""
    decision = DECISIONS[case_id]
    for view in (
        render_details_view(decision, REF),
        render_more_view(decision, REF),
        render_what_if_view(decision, REF),
        render_edit_modal(decision.requirements, key=KEY, recommendation=decision.recommendation),
    ):
        assert check_blocks(view["blocks"], VIEW_MAX_BLOCKS) is None
        assert decode_card_ref(view["private_metadata"]) is not None


def test_details_use_full_column_names() -> None:
    """Costs and matrix name every approach in full, never "FT" or "P+FT"."""
    text = "\n".join(_texts(render_details_view(DECISIONS["dev-01"], REF)))
    for label in ("Prompting + fine-tuning", "RAG + fine-tuning", "Fine-tuning"):
        assert label in text
    assert "P+FT" not in text


def test_what_ifs_come_from_what_would_change_and_volume() -> None:
    """Each decisive change is offered, plus ten times today's volume."""
    decision = DECISIONS["dev-01"]
    tries = what_ifs(decision)
    fields = [item.field for item in tries]
    for change in decision.recommendation.what_would_change:
        assert change.field in fields
    assert any(t.field == "requests_per_month" and t.value == 80_000 for t in tries)


def test_edit_modal_puts_decisive_facts_first_and_shows_assumed_values() -> None:
    """Decisive facts come before "More"; options are the interview's buttons; assumed values
    say "assumed: …"."""
    decision = DECISIONS["dev-01"]
    view = render_edit_modal(decision.requirements, key=KEY, recommendation=decision.recommendation)
    ids = [b.get("block_id") for b in view["blocks"]]
    more = next(i for i, b in enumerate(view["blocks"]) if b["type"] == "header")
    for change in decision.recommendation.what_would_change:
        assert ids.index(f"fact:{change.field}") < more
    volatility = next(b for b in view["blocks"] if b.get("block_id") == "fact:knowledge_volatility")
    labels = [o["text"]["text"] for o in volatility["element"]["options"]]
    assert labels[0] == "Never"
    where = next(b for b in view["blocks"] if b.get("block_id") == "fact:deployment_target")
    assert where["element"]["initial_option"]["text"]["text"] == (
        "Not sure (assumed: a hosted cloud API)"
    )
    assert "Assumed: a hosted cloud API" in where["hint"]["text"]


@pytest.mark.parametrize(
    ("question", "approach"),
    [
        ("why not prompting?", Approach.PROMPTING),
        ("Why not just use RAG?", Approach.RAG),
        ("why not fine tuning", Approach.FINE_TUNING),
        ("but why not RAG + fine-tuning?", Approach.RAG_FINE_TUNING),
        ("why not prompting and fine-tuning?", Approach.PROMPTING_FINE_TUNING),
        ("what is the latency?", None),
        ("why is it RAG", None),
    ],
)
def test_why_not_questions_are_recognised(question: str, approach: Approach | None) -> None:
    """ "why not X?" names an approach in several phrasings; other messages do not."""
    assert parse_why_not(question) == approach


def test_why_not_answers_in_two_or_three_sentences_from_scores_and_rules() -> None:
    """The answer cites the rule and the matrix totals, in at most three sentences."""
    decision = DECISIONS["dev-01"]
    answer = explain_why_not(decision.requirements, decision.recommendation, Approach.RAG)
    assert answer.startswith("Why not RAG?")
    assert "decision matrix" in answer
    assert 2 <= answer.count(". ") + 1 <= 4


def test_plain_text_replaces_identifiers() -> None:
    """Engine text naming fields and enum values reads in the catalogue's words."""
    text = plain_text("retrain (maintenance_capacity: none) on cloud_api: rag+fine_tuning")
    expected = "retrain (who retrains the model: nobody) on a hosted cloud API: RAG + fine-tuning"
    assert text == expected


def test_chart_is_a_deterministic_png_of_the_stated_size() -> None:
    """The chart decodes as a 900 x 560 PNG, and the same facts give the same bytes."""
    rec = DECISIONS["dev-01"].recommendation
    png = render_cost_chart(rec, volume=8000)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (900, 560)
    assert png == render_cost_chart(rec, volume=8000)
    import io  # noqa: PLC0415

    from matplotlib.image import imread  # noqa: PLC0415

    assert imread(io.BytesIO(png)).shape[:2] == (560, 900)


def test_chart_alt_text_names_today_and_break_even() -> None:
    """Alt text gives today's volume, each approach's cost and where tuning gets cheaper."""
    text = alt_text(DECISIONS["dev-01"].recommendation, 8000)
    assert "8k requests a month" in text
    assert "cheaper per month above" in text


def test_adr_has_every_section() -> None:
    """Title, status, context (stated vs assumed), decision, alternatives, consequences, revisit."""
    decision = DECISIONS["dev-01"]
    record = render_adr(
        decision.requirements, decision.recommendation, decided_on=date(2026, 12, 2)
    )
    order = [
        "# ADR: Prompting",
        "- Status: Proposed",
        "## Context",
        "Facts stated by the team:",
        "Facts assumed",
        "## Decision",
        "## Alternatives considered",
        "## Consequences",
        "## Revisit",
        "By 2027-03-02",
    ]
    positions = [record.index(part) for part in order]
    assert positions == sorted(positions)
    assert "- **RAG**:" in record


@pytest.mark.parametrize(
    ("direction", "threshold", "tried"),
    [("above", 2_100_000, 2_100_000), ("below", 200_000, 199_999), ("set_to", "strong", "strong")],
)
def test_a_what_if_is_tried_just_past_its_threshold(
    direction: str, threshold: int | str, tried: int | str
) -> None:
    """Trying a change uses a value on the far side of the threshold, so the verdict flips."""
    from bot.domain.recommendation import Change  # noqa: PLC0415
    from bot.presentation.plain import what_if_value  # noqa: PLC0415

    change = Change(
        field="requests_per_month",
        current=1,
        threshold=threshold,
        direction=direction,
        switches_to=Approach.RAG,
        text="",
    )
    assert what_if_value(change) == tried


def test_change_words_read_plainly() -> None:
    """A yes/no change and a numeric one read as sentences, with "assumed" where it was."""
    from bot.domain.recommendation import Change  # noqa: PLC0415
    from bot.presentation.plain import change_words  # noqa: PLC0415

    flag = Change(
        field="needs_external_knowledge",
        current=False,
        threshold=True,
        direction="set_to",
        switches_to=Approach.RAG,
        text="if needs_external_knowledge were true (now false): rag",
    )
    assert change_words(flag, assumed=True) == (
        "If needs knowledge beyond the request: yes (now no, assumed) → RAG"
    )
    volume = flag.model_copy(
        update={
            "field": "requests_per_month",
            "current": 200_000,
            "threshold": 2_100_000,
            "direction": "above",
            "switches_to": Approach.RAG_FINE_TUNING,
            "text": "at 2,100,000 or more (now 200,000): rag+fine_tuning",
        }
    )
    assert change_words(volume) == (
        "If requests a month were 2.1M or more (now 200k) → RAG + fine-tuning"
    )


def _mrkdwn_texts(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node["text"]] if node.get("type") == "mrkdwn" and "text" in node else []
        return own + [text for value in node.values() for text in _mrkdwn_texts(value)]
    if isinstance(node, list):
        return [text for item in node for text in _mrkdwn_texts(item)]
    return []


def test_about_tildes_never_strike_through_in_slack() -> None:
    """Engine text says "~$1,346" for "about"; two such tildes in one mrkdwn text are
    strikethrough in Slack, so every message and view shows them as ≈ (seen in Details)."""
    seen_about = False
    for decision in DECISIONS.values():
        for payload in (
            render_details_view(decision, REF),
            render_more_view(decision, REF),
            render_card(decision).blocks,
            render_details_message(decision).blocks,
        ):
            texts = _mrkdwn_texts(payload)
            assert not any(re.search(r"~[\d$]", text) for text in texts)
            seen_about = seen_about or any("\u2248" in text for text in texts)
    assert seen_about  # the corpus does say "about" somewhere
