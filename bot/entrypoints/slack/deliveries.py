"""What the acking side hands to the worker: the kind of work and Slack's payload, as data.

Plain data so that a worker in another process can take it (it is pickled).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    MENTION = "mention"  # start an interview, or continue the thread's one
    THREAD_REPLY = "thread_reply"  # continue the thread's interview, if it has one
    DM_ROOT = "dm_root"  # a new message in a DM: start an interview in its thread
    COMMAND = "command"  # /should-we-finetune [description]
    HISTORY = "history"  # /should-we-finetune history
    ANSWER = "answer"  # a choice button or menu
    DECIDE_NOW = "decide_now"
    START_OVER = "start_over"
    EXPLAIN = "explain"
    EDIT_ANSWERS = "edit_answers"  # open the modal
    EDIT_SUBMITTED = "edit_submitted"  # the modal's validated facts
    # The recommendation card's buttons, and the buttons in the views they open.
    DETAILS = "details"
    WHAT_IF = "what_if"
    SHARE = "share"
    MORE_DETAILS = "more_details"
    TRY = "try"  # one what-if, applied
    CHART = "chart"
    DETAILS_IN_THREAD = "details_in_thread"
    EXPORT = "export"
    # Where teams meet the bot (bot.entrypoints.slack.surfaces routes these).
    HOME_OPENED = "home_opened"  # publish the person's Home tab
    NEW_DECISION = "new_decision"  # the Home tab's button: open the use-case modal
    NEW_DECISION_SUBMITTED = "new_decision_submitted"  # start the interview in a DM thread
    ASSISTANT_STARTED = "assistant_started"  # suggested prompts in a new assistant thread
    ASSISTANT_MESSAGE = "assistant_message"  # a message in an assistant (DM) thread
    REMIND = "remind"  # schedule the follow-up check-in
    CANCEL_REMINDER = "cancel_reminder"


@dataclass(frozen=True)
class Delivery:
    kind: Kind
    body: dict[str, Any]
    # Handed over again after the worker process that had it died: its de-duplication claim
    # was made by that process, and a placeholder it posted may be in the thread.
    replay: bool = False


def delivery_log_ids(delivery: Delivery) -> dict[str, str]:
    """The ids that identify a delivery in a log line (never its text)."""
    body = delivery.body
    event = body.get("event") or {}
    ids = {
        "kind": delivery.kind.value,
        "event_id": body.get("event_id"),
        "trigger_id": body.get("trigger_id"),
        "team_id": body.get("team_id") or (body.get("team") or {}).get("id"),
        "channel_id": event.get("channel") or body.get("channel_id"),
        "thread_ts": event.get("thread_ts") or event.get("ts"),
    }
    return {name: str(value) for name, value in ids.items() if value}
