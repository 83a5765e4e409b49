"""Block Kit for the App Home tab and the *New decision* modal (pure builders).

The tab shows the person's recent decisions and those in channels they are in, each
linking to its thread, a *New decision* button, and a few lines on how the bot decides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    InputBlock,
    PlainTextInputElement,
    PlainTextObject,
)
from slack_sdk.models.views import View

from bot.entrypoints.slack.block_kit import (
    actions,
    button,
    context,
    divider,
    finish_view,
    header,
    section,
    sections,
)
from bot.entrypoints.slack.mrkdwn import escape
from bot.interview.session import SessionKey
from bot.ports import HistoryEntry
from bot.presentation.labels import approach_label

NEW_DECISION_ACTION = "swf_new_decision"
NEW_DECISION_CALLBACK = "swf_new_decision_modal"
USE_CASE_BLOCK = "use_case"
USE_CASE_ACTION = "text"
USE_CASE_MIN_CHARS = 10
USE_CASE_MAX_CHARS = 2000
# A Home view holds at most 100 blocks; a short list per heading keeps it scannable.
HOME_ENTRIES_PER_LIST = 8
HOW_IT_DECIDES = (
    "*How it decides*\n"
    "I ask only the questions that could change the answer, then a deterministic engine "
    "checks the hard constraints first (deployment, privacy, latency, budget), then whether "
    "fine-tuning is ready (examples, skills, someone to retrain), then knowledge (none → "
    "prompting; small and stable → a cached prompt; large or changing → RAG), then form "
    "and style, then cost and break-even. Same answers, same result; every assumption is "
    "listed and you can edit any answer."
)


def render_home(
    *,
    mine: Sequence[HistoryEntry],
    in_channels: Sequence[HistoryEntry],
    links: Mapping[SessionKey, str],
) -> dict[str, Any]:
    """The Home tab view for one person."""
    blocks: list[Block] = [
        header("Should we fine-tune?"),
        section(
            "Describe an AI use case and I'll recommend *prompting*, *RAG*, *fine-tuning* or "
            "a hybrid, with the reasons, costs and what would change my mind."
        ),
        actions(
            button("New decision", action_id=NEW_DECISION_ACTION, style="primary"),
            block_id="home_actions",
        ),
        divider(),
    ]
    blocks += _entries("Your recent decisions", mine, links, empty=_NONE_YET)
    blocks += _entries(
        "Recent decisions in your channels",
        in_channels,
        links,
        empty="None yet in the channels you're in.",
    )
    blocks += [divider(), section(HOW_IT_DECIDES)]
    blocks.append(
        context(
            "You can also @mention me in a channel, run `/should-we-finetune`, "
            "or open me in the AI assistant panel."
        )
    )
    return finish_view(View(type="home", blocks=blocks))


_NONE_YET = "No decisions yet: press *New decision* to start one."


def _entries(
    title: str,
    entries: Sequence[HistoryEntry],
    links: Mapping[SessionKey, str],
    *,
    empty: str,
) -> list[Block]:
    if not entries:
        return [section(f"*{title}*\n{empty}")]
    lines = []
    for entry in entries[:HOME_ENTRIES_PER_LIST]:
        name = escape(entry.use_case or "A use case")
        link = links.get(entry.key)
        label = f"<{link}|{name}>" if link else name
        lines.append(
            f"• {label}: *{approach_label(entry.approach)}* ({entry.confidence:.0%}) · "
            f"<!date^{int(entry.decided_at)}^{{date_short}}|earlier>"
        )
    return sections(title, lines)


def split_home_entries(
    entries: Sequence[HistoryEntry], *, user_id: str, channel_ids: set[str]
) -> tuple[list[HistoryEntry], list[HistoryEntry]]:
    """The team's recent decisions split into the person's own, and others' in their channels."""
    mine = [entry for entry in entries if entry.user_id == user_id]
    others = [
        entry
        for entry in entries
        if entry.user_id != user_id and entry.key.channel_id in channel_ids
    ]
    return mine[:HOME_ENTRIES_PER_LIST], others[:HOME_ENTRIES_PER_LIST]


def render_new_decision_modal() -> dict[str, Any]:
    """The modal *New decision* opens: one box for the use case."""
    view = View(
        type="modal",
        callback_id=NEW_DECISION_CALLBACK,
        title=PlainTextObject(text="New decision"),
        submit=PlainTextObject(text="Start"),
        close=PlainTextObject(text="Cancel"),
        blocks=[
            InputBlock(
                block_id=USE_CASE_BLOCK,
                label=PlainTextObject(text="What are you building?"),
                element=PlainTextInputElement(
                    action_id=USE_CASE_ACTION,
                    multiline=True,
                    min_length=USE_CASE_MIN_CHARS,
                    max_length=USE_CASE_MAX_CHARS,
                    placeholder=PlainTextObject(
                        text="e.g. A support bot that drafts replies from our 2,000 help "
                        "articles, in our brand voice; about 30k tickets a month."
                    ),
                ),
                hint=PlainTextObject(
                    text="A few sentences: the task, the knowledge it needs, volume, "
                    "latency, where it runs. I'll ask about the rest in a DM."
                ),
            ),
        ],
    )
    return finish_view(view)


def submitted_use_case(view: Mapping[str, Any]) -> str:
    """The text typed into the *New decision* modal ('' when missing)."""
    values = (view.get("state") or {}).get("values") or {}
    state = (values.get(USE_CASE_BLOCK) or {}).get(USE_CASE_ACTION) or {}
    return str(state.get("value") or "").strip()


def render_dm_root(use_case: str) -> tuple[str, list[dict[str, Any]]]:
    """The DM message a *New decision* starts; the interview runs in its thread."""
    quoted = "\n".join(f">{line}" for line in escape(use_case).splitlines() or [""])
    blocks = [
        section(f"*New decision*\n{quoted}").to_dict(),
        context("I'll ask a few questions in this thread, then recommend an approach.").to_dict(),
    ]
    return "New decision: an interview in this thread.", blocks
