"""Text and markdown renderings: verdict first, then why, matrix, costs, break-even, changes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.domain.engine import decide
from bot.domain.recommendation import Recommendation
from bot.domain.requirements import Requirements
from bot.presentation.report import render_markdown, render_text

ARTICLE_CASE = Requirements(
    use_case="Extract invoice fields | into JSON",
    needs_external_knowledge=False,
    requests_per_month=150_000,
    cost_per_request_usd=0.02,
    finetuned_cost_per_request_usd=0.005,
    finetune_fixed_cost_usd=500,
    finetune_hosting_usd_per_month=0,
    labelled_examples=20_000,
    team_ml_capability="basic",
    maintenance_capacity="limited",
)
SECTIONS_TEXT = ["Why:", "Decision matrix", "Costs (USD):", "Break-even:", "What would change"]
SECTIONS_MARKDOWN = ["### Why", "### Decision matrix", "### Costs", "Break-even:", "### What would"]


def positions(text: str, needles: list[str]) -> list[int]:
    return [text.index(needle) for needle in needles]


@pytest.mark.parametrize(
    ("render", "sections"),
    [(render_text, SECTIONS_TEXT), (render_markdown, SECTIONS_MARKDOWN)],
    ids=["text", "markdown"],
)
def test_sections_come_in_reading_order(
    render: Callable[[Requirements, Recommendation], str], sections: list[str]
) -> None:
    """Verdict, why, matrix, costs, break-even and what would change, in that order."""
    text = render(ARTICLE_CASE, decide(ARTICLE_CASE))
    assert "Recommendation: Fine-tuning" in text.splitlines()[0]
    found = positions(text, sections)
    assert found == sorted(found)


def test_text_states_the_article_break_even() -> None:
    """The break-even line carries the article's 33,333 requests."""
    assert "Break-even: 33,333 requests" in render_text(ARTICLE_CASE, decide(ARTICLE_CASE))


def test_text_shows_every_approach_in_matrix_and_costs() -> None:
    """Every approach label appears in the text rendering."""
    text = render_text(ARTICLE_CASE, decide(ARTICLE_CASE))
    for label in (
        "Prompting",
        "RAG",
        "Fine-tuning",
        "RAG + fine-tuning",
        "Prompting + fine-tuning",
    ):
        assert label in text


def test_text_lists_assumptions_with_their_reasons() -> None:
    """Unknown facts appear with the value assumed and why."""
    text = render_text(Requirements(), decide(Requirements()))
    assert "Where it runs = a hosted cloud API:" in text


def test_markdown_escapes_pipes_in_user_text() -> None:
    """A pipe in the use case cannot break the markdown."""
    text = render_markdown(ARTICLE_CASE, decide(ARTICLE_CASE))
    assert "fields \\| into" in text


def test_markdown_tables_have_one_column_count() -> None:
    """Each markdown table row has as many cells as its header."""
    text = render_markdown(ARTICLE_CASE, decide(ARTICLE_CASE))
    tables: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("|"):
            if not tables or not tables[-1]:
                tables.append([])
            tables[-1].append(line)
        elif tables and tables[-1]:
            tables.append([])
    for table in filter(None, tables):
        counts = {row.replace("\\|", "").count("|") for row in table}
        assert len(counts) == 1


def test_stated_costs_are_marked() -> None:
    """Costs the team stated are labelled as stated."""
    assert "Prompting (stated)" in render_text(ARTICLE_CASE, decide(ARTICLE_CASE))


def test_renderings_are_deterministic() -> None:
    """The same recommendation renders to the same text."""
    first = decide(ARTICLE_CASE)
    assert render_text(ARTICLE_CASE, first) == render_text(ARTICLE_CASE, decide(ARTICLE_CASE))


# A saving that pays back in weeks, blocked by two stated gates.
BLOCKED_CASE = Requirements(
    requests_per_month=5_000_000,
    input_tokens_per_request=1500,
    labelled_examples=10,
    maintenance_capacity="none",
)


@pytest.mark.parametrize("render", [render_text, render_markdown], ids=["text", "markdown"])
def test_matrix_marks_approaches_the_gates_rule_out(
    render: Callable[[Requirements, Recommendation], str],
) -> None:
    """When gates block tuning, the matrix marks the approaches above the verdict and says why
    each is out in words, so a higher total never silently contradicts the verdict."""
    text = render(BLOCKED_CASE, decide(BLOCKED_CASE))
    matrix = text[text.index("matrix") : text.index("Costs")]
    assert matrix.count(" out") >= 3
    assert "Fine-tuning is out: not ready: only 10 curated examples" in matrix
    assert "nobody to retrain it" in matrix


def test_matrix_marks_nothing_when_tuning_is_feasible() -> None:
    """A feasible fine-tuning verdict has no blocked approaches."""
    assert "blocked" not in render_text(ARTICLE_CASE, decide(ARTICLE_CASE)).lower()


@pytest.mark.parametrize("render", [render_text, render_markdown], ids=["text", "markdown"])
def test_control_and_bidi_characters_never_reach_the_terminal(
    render: Callable[[Requirements, Recommendation], str],
) -> None:
    """User text carrying escapes or bidi overrides is shown escaped, even if it skipped the
    model's own cleaning."""
    raw = Requirements.model_construct(**{**ARTICLE_CASE.__dict__, "use_case": "a\x1b[2Jb\u202ec"})
    text = render(raw, decide(ARTICLE_CASE))
    assert not [ch for ch in text if not ch.isprintable() and ch != "\n"]
    assert "a\\x1b[2Jb\\u202ec" in text
