"""Block Kit and copy for the slash command: the thread's root message, help, history, fixes."""

from __future__ import annotations

from collections.abc import Sequence

from bot.entrypoints.manifest import SLASH_COMMAND
from bot.entrypoints.slack.block_kit import Message, context, finish, section, sections
from bot.entrypoints.slack.mrkdwn import escape
from bot.ports import HistoryEntry
from bot.presentation.labels import approach_label

USAGE_TEXT = (
    f"*{SLASH_COMMAND} [your use case]* starts an interview in a new thread in this channel "
    "and recommends prompting, RAG, fine-tuning or a hybrid.\n"
    f"• `{SLASH_COMMAND} We want a support bot that answers from our 2,000 help articles…`\n"
    f"• `{SLASH_COMMAND} history`: recent recommendations here, with links to their threads\n"
    f"• `{SLASH_COMMAND} help`: this message\n"
    "You can also @mention me in a channel with your use case. In the thread, answer with "
    "the buttons or in your own words; say `decide now`, `explain` or `start over` any time."
)
CANNOT_POST_IN_DM_TEXT = (
    "I can't post in this conversation, so I can't start an interview here. "
    f"Run `{SLASH_COMMAND}` in a channel I'm in, or message me directly in my App Home "
    "(*Messages* tab)."
)


def cannot_post_in_channel_text(channel_name: str | None) -> str:
    where = f"#{escape(channel_name)}" if channel_name else "this channel"
    return (
        f"I'm not a member of {where} yet, so I can't start the interview there. "
        f"Add me with `/invite @should-we-finetune`, then run `{SLASH_COMMAND}` again."
    )


def render_command_root(*, description: str) -> Message:
    """The root message a slash command posts; the interview runs in its thread. It names
    nobody: whoever ran the command is not pinged by their own question."""
    said = escape(description) if description else "_(no description yet)_"
    quoted = "\n".join(f">{line}" for line in said.splitlines() or [said])
    return finish(
        [
            section(f"*Should we fine-tune?* A use case to decide on:\n{quoted}"),
            context("I'll ask a few questions in this thread, then recommend an approach."),
        ],
        text="Should we fine-tune? An interview in this thread.",
    )


def render_usage() -> Message:
    return finish([section(USAGE_TEXT)], text=f"How to use {SLASH_COMMAND}")


def render_history(entries: Sequence[HistoryEntry], links: Sequence[str | None]) -> Message:
    """Recent recommendations, newest first, each linking to its thread."""
    if not entries:
        return finish(
            [section("No recommendations here yet. " + USAGE_TEXT.split("\n", 1)[0])],
            text="No recommendations yet.",
        )
    lines = []
    for entry, link in zip(entries, links, strict=True):
        name = escape(entry.use_case or "a use case")
        label = f"<{link}|{name}>" if link else name
        lines.append(
            f"• {label}: *{approach_label(entry.approach)}* ({entry.confidence:.0%}) "
            f"<!date^{int(entry.decided_at)}^{{date_short}}|earlier>"
        )
    return finish(sections("Recent recommendations", lines), text="Recent recommendations")
