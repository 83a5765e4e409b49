"""Reading what the bot posted to the fake Slack, and clicking its buttons, in flow tests."""

from __future__ import annotations

import json
from typing import Any

from tests.support.fake_slack import Call
from tests.support.slack_requests import block_action_body, view_submission_body
from tests.support.slack_server import RunningBot


def replies(bot: RunningBot, thread_ts: str) -> list[Call]:
    """Messages the bot posted in the thread (placeholders rewritten in place count once)."""
    return bot.slack.in_thread(thread_ts)


def final_blocks(bot: RunningBot, call: Call) -> list[dict[str, Any]]:
    """The blocks a posted message ended with, after any in-place update."""
    ts = call.answer.get("ts")
    updates = [u for u in bot.slack.of("chat.update") if u.args.get("ts") == ts]
    return list((updates[-1] if updates else call).args.get("blocks") or [])


def text_of(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def element(blocks: list[dict[str, Any]], action_id_prefix: str) -> dict[str, Any]:
    """The first interactive element whose action_id starts with `action_id_prefix`."""
    for block in blocks:
        for candidate in block.get("elements", []):
            if str(candidate.get("action_id", "")).startswith(action_id_prefix):
                return dict(candidate)
    raise AssertionError(f"no element {action_id_prefix!r} in {text_of(blocks)[:500]}")


async def click(
    bot: RunningBot,
    call: Call,
    action_id_prefix: str,
    *,
    option_index: int = 0,
) -> tuple[int, str]:
    """Click a button (or choose option `option_index` of a select) on a posted message."""
    body = click_body(bot, call, action_id_prefix, option_index=option_index)
    return await bot.sender.send(body, form=True)


def click_body(bot: RunningBot, call: Call, action_id_prefix: str, *, option_index: int = 0) -> str:
    """The block_actions delivery of one click (each with its own trigger id)."""
    blocks = final_blocks(bot, call)
    target = element(blocks, action_id_prefix)
    block_id = next(
        (block.get("block_id") for block in blocks if target in block.get("elements", [])), None
    )
    action: dict[str, Any] = {
        "action_id": target["action_id"],
        "block_id": block_id or "b",
        "type": target["type"],
    }
    if target["type"] == "static_select":
        action["selected_option"] = target["options"][option_index]
    else:
        action["value"] = target.get("value", "")
        action["text"] = target["text"]
    return block_action_body(
        action=action,
        channel=call.args["channel"],
        thread_ts=call.args.get("thread_ts") or call.answer["ts"],
        message_ts=call.answer["ts"],
        message_blocks=blocks,
    )


async def submit_modal(
    bot: RunningBot, view: dict[str, Any], changes: dict[str, dict[str, Any]]
) -> tuple[int, str]:
    """Submit the modal `view` as shown, with `changes` (block id -> element state) applied."""
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        shown = block["element"]
        if shown["type"] == "static_select":
            state = {"type": "static_select", "selected_option": shown.get("initial_option")}
        else:
            state = {"type": shown["type"], "value": shown.get("initial_value")}
        values[block["block_id"]] = {"value": changes.get(block["block_id"], state)}
    return await bot.sender.send(view_submission_body(view=view, values=values), form=True)
