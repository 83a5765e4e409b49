"""The follow-up check-in: offered on a decision whose next steps ask the team to measure
something, scheduled in the thread through Slack (pure builders and the measurement test).

The check-in lives in Slack (`chat.scheduleMessage`) and the session in Redis, kept
past the check-in date, so a restart loses neither; a reply with the measured figure is an
ordinary thread reply, which re-runs the engine as a what-if.
"""

from __future__ import annotations

import re
import time
from typing import Any

from slack_sdk.models.blocks import Block

from bot.domain.recommendation import Recommendation
from bot.entrypoints.slack.block_kit import Message, actions, button, context, finish, section
from bot.entrypoints.slack.mrkdwn import escape
from bot.presentation.labels import approach_label

REMIND_ACTION_PREFIX = "swf_remind:"
CANCEL_REMINDER_ACTION = "swf_cancel_reminder"
REMIND_ACTION = re.compile(r"^swf_remind:[124]$")
REMINDER_WEEKS = (2, 1, 4)  # the first is the main button
WEEK_SECONDS = 7 * 24 * 3600
# After the check-in the team has this long to answer before the interview may expire.
ANSWER_WINDOW_SECONDS = 14 * 24 * 3600
# Next steps that ask the team to measure something the engine can use.
_MEASURING = re.compile(
    r"\b(measur\w*|baseline|eval(uation)? set|recall|benchmark\w*)\b", re.IGNORECASE
)


def needs_measurement(rec: Recommendation) -> bool:
    """True when a next step asks the team to measure something (a prompt baseline, an eval
    set, retrieval recall), or the prompt baseline gap had to be assumed."""
    if any(_MEASURING.search(step) for step in rec.next_steps):
        return True
    return any(a.field == "prompt_baseline_gap_pp" for a in rec.assumptions)


def render_reminder_offer(rec: Recommendation) -> list[Block]:
    """The card's *Remind me in 2 weeks* row (1 and 4 weeks beside it), or nothing."""
    if not needs_measurement(rec):
        return []
    buttons = [
        button(
            "Remind me in 2 weeks" if weeks == 2 else f"{weeks} week{'s' if weeks > 1 else ''}",
            action_id=f"{REMIND_ACTION_PREFIX}{weeks}",
            value=str(weeks),
        )
        for weeks in REMINDER_WEEKS
    ]
    return [
        context(
            ":stopwatch: The next steps ask you to measure something. I can check back in "
            "this thread and re-run the recommendation with your figures."
        ),
        actions(*buttons, block_id="reminder_actions"),
    ]


def weeks_of(action: dict[str, Any]) -> int | None:
    """The weeks a reminder button asks for; None for anything else."""
    action_id = str(action.get("action_id") or "")
    if not REMIND_ACTION.match(action_id):
        return None
    return int(action_id.removeprefix(REMIND_ACTION_PREFIX))


def render_check_in(*, user_id: str | None, rec: Recommendation, use_case: str | None) -> Message:
    """The scheduled thread message: asks for the measured figure."""
    who = f"<@{user_id}> " if user_id else ""
    about = f" for _{escape(use_case)}_" if use_case else ""
    blocks = [
        section(
            f":wave: {who}Checking in: I recommended *{approach_label(rec.approach)}*{about}, "
            "pending a measurement. Did you measure it?"
        ),
        section(
            "Reply in this thread with what you found and I'll re-run the recommendation, e.g.\n"
            "• `our best prompt scores 78% and the target is 85%`\n"
            "• `we built an eval set of 300 cases`\n"
            "• `we now have 400 labelled examples`"
        ),
    ]
    return finish(blocks, text="Checking in: did you measure it? Reply here with the figure.")


def render_reminder_set(*, post_at: int, scheduled_message_id: str, user_id: str | None) -> Message:
    """The thread's confirmation, with a button that cancels the check-in."""
    who = f"<@{user_id}>: " if user_id else ""
    fallback = time.strftime("on %d %B %Y", time.gmtime(post_at))  # UTC, where Slack cannot
    when = f"<!date^{post_at}^on {{date_long}}|{fallback}>"
    blocks = [
        section(f":alarm_clock: {who}I'll check back in this thread {when}."),
        actions(
            button("Cancel reminder", action_id=CANCEL_REMINDER_ACTION, value=scheduled_message_id),
            block_id="reminder_set",
        ),
    ]
    return finish(blocks, text="I'll check back in this thread.")


def render_reminder_cancelled(*, user_id: str | None, already_gone: bool) -> Message:
    if already_gone:
        text = "That check-in was already sent or cancelled."
    else:
        who = f" by <@{user_id}>" if user_id else ""
        text = f"Check-in cancelled{who}."
    return finish([context(f":no_bell: {text}")], text=text)
