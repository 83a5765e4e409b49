"""A whole interview through the HTTP app leaves structured logs with ids and no secrets or text.

`serve` runs as a child process with Claude (a local fake) so the Anthropic SDK
and its HTTP client log too; its stderr is exactly what an operator collects.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.adapters.metrics import REGISTRY
from bot.entrypoints.slack.responder import THINKING_TEXT
from tests.support.fake_anthropic import ToolUse, running_fake_anthropic
from tests.support.fake_slack import TEAM_ID, FakeSlack, start_fake_slack
from tests.support.serve_process import (
    ANTHROPIC_KEY,
    BOT_TOKEN,
    CLEAN_STOP_STATUSES,
    SIGNING_SECRET,
    USER_ID,
    ServeProcess,
    event_body,
    mention,
    signed_headers,
    start_serve,
    thread_reply,
)
from tests.support.slack_requests import block_action_body, command_body

CHANNEL = "C0PRIVACY"
MISSING_CHANNEL = "C0NOTMEMBER"
# Words that appear only in what users typed: none may reach the logs.
CANARIES = ("ZEBRACANARY", "OKAPICANARY", "QUOKKACANARY", "NARWHALCANARY", "IBEXCANARY")
# Typed into payloads the bot does not act on (menus, forms, unknown buttons, broken ones).
TYPED_CANARIES = ("LEMURCANARY", "TAPIRCANARY", "GECKOCANARY", "BISONCANARY", "MOLECANARY")
SLASH_CHANNEL = "C0SLASH"
REPLY_WAIT_SECONDS = 10.0
# No Slack call for this long means the bot has finished answering.
QUIET_SECONDS = 0.3


def has_pending_placeholder(slack: FakeSlack) -> bool:
    """A "Reading that…" placeholder was posted and not yet replaced by the real reply."""
    placeholders = {
        str(call.answer.get("ts"))
        for call in slack.of("chat.postMessage")
        if str(call.args.get("text", "")).startswith(THINKING_TEXT)
    }
    updated = {str(call.args.get("ts")) for call in slack.of("chat.update")}
    return bool(placeholders - updated)


async def settle(slack: FakeSlack, *, after: int) -> None:
    """Wait until the bot has called Slack since call number `after`, replaced any
    placeholder, and gone quiet."""
    deadline = time.monotonic() + REPLY_WAIT_SECONDS
    seen = after
    quiet_since = time.monotonic()
    while (
        len(slack.calls) == after
        or has_pending_placeholder(slack)
        or time.monotonic() - quiet_since < QUIET_SECONDS
    ):
        assert time.monotonic() < deadline, [c.method for c in slack.calls[after:]]
        if len(slack.calls) != seen:
            seen, quiet_since = len(slack.calls), time.monotonic()
        await asyncio.sleep(0.02)


async def metrics_once_completed(served: ServeProcess) -> str:
    """The /metrics text once the interview's recommendation has been counted."""
    deadline = time.monotonic() + REPLY_WAIT_SECONDS
    while True:
        status, text = await served.get("/metrics")
        if status == 200 and "swf_interviews_completed_total 1.0" in text:
            return text
        assert time.monotonic() < deadline, text
        await asyncio.sleep(0.05)


def answer_action(slack: FakeSlack, thread_ts: str) -> tuple[dict[str, Any], str]:
    """A click on the first answer control (button or select) the bot showed in the thread,
    and the ts of the message holding it."""
    for call in slack.messages:
        if call.args.get("thread_ts") != thread_ts and call.method != "chat.update":
            continue
        for block in call.args.get("blocks") or []:
            for element in block.get("elements", []):
                if not str(element.get("action_id", "")).startswith("swf_answer:"):
                    continue
                action = {"action_id": element["action_id"], "type": element["type"]}
                if element["type"] == "static_select":
                    action["selected_option"] = element["options"][0]
                else:
                    action |= {"value": element["value"], "text": element["text"]}
                return action | {"block_id": block.get("block_id", "b")}, str(
                    call.args.get("ts") or call.answer.get("ts")
                )
    raise AssertionError("the bot showed no answer button or select")


async def run_interview(served: ServeProcess, slack: FakeSlack) -> str:
    """Mention, a button click, a typed answer, `decide now`; returns the thread's ts."""
    root = f"{time.time():.6f}"
    opening = mention(
        channel=CHANNEL,
        ts=root,
        text=f"{CANARIES[0]} we summarise support tickets into a weekly digest for managers",
    )
    before = len(slack.calls)
    assert await served.post_event(event_body(event_id=f"Ev{root}-1", event=opening)) == 200
    await settle(slack, after=before)

    action, message_ts = answer_action(slack, root)
    click = block_action_body(
        action=action, channel=CHANNEL, thread_ts=root, message_ts=message_ts, user=USER_ID
    )
    before = len(slack.calls)
    assert await served.post_form(click) == 200
    await settle(slack, after=before)

    typed = [
        f"{CANARIES[1]} about 5000 requests a month, no labelled examples",
        "decide now",
    ]
    for index, text in enumerate(typed, start=2):
        reply = thread_reply(
            channel=CHANNEL, thread_ts=root, ts=f"{float(root) + index:.6f}", text=text
        )
        before = len(slack.calls)
        assert await served.post_event(event_body(event_id=f"Ev{root}-{index}", event=reply)) == 200
        await settle(slack, after=before)
    # Slack's retry of the opening delivery: dropped, so the thread gets no extra reply.
    assert await served.post_event(event_body(event_id=f"Ev{root}-1", event=opening)) == 200
    return root


async def run_slash_command(served: ServeProcess, slack: FakeSlack) -> None:
    """/should-we-finetune with a description: a root message, then the interview under it."""
    before = len(slack.calls)
    body = command_body(
        f"{CANARIES[4]} we classify invoices by vendor",
        channel=SLASH_CHANNEL,
        user=USER_ID,
        response_url=f"{slack.base_url}/response/1",
    )
    assert await served.post_form(body) == 200
    await settle(slack, after=before)


async def send_forged_and_refused(served: ServeProcess, slack: FakeSlack) -> None:
    """A forged delivery carrying user text, and a mention where the bot may not post."""
    forged = event_body(
        event_id="EvForged",
        event=mention(channel=CHANNEL, ts="1.000001", text=f"{CANARIES[2]} forged"),
    )
    assert await served.post_event(forged, headers=signed_headers(forged, secret="0" * 32)) == 401
    refused = event_body(
        event_id="EvRefused",
        event=mention(channel=MISSING_CHANNEL, ts="2.000002", text=f"{CANARIES[3]} hello"),
    )
    assert await served.post_event(refused) == 200
    deadline = time.monotonic() + REPLY_WAIT_SECONDS
    while not any(call.args.get("channel") == MISSING_CHANNEL for call in slack.calls):
        assert time.monotonic() < deadline
        await asyncio.sleep(0.05)


def _interaction(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


async def send_typed_payloads(served: ServeProcess) -> None:
    """Payloads carrying what someone typed that the bot does not act on: a menu asking for
    options (block_suggestion), a form submitted and closed, an unknown button, and a
    malformed one. Each is answered (200, or 400 for the broken one), none logs the text."""
    team = {"id": TEAM_ID, "domain": "fake"}
    user = {"id": USER_ID, "team_id": TEAM_ID}
    typed = {"type": "plain_text_input", "value": f"{TYPED_CANARIES[1]} typed in a form"}
    view = {
        "id": "V1",
        "type": "modal",
        "callback_id": "someone_elses_modal",
        "private_metadata": "",
        "state": {"values": {"b": {"a": typed}}},
    }
    payloads = [
        {
            "type": "block_suggestion",
            "team": team,
            "user": user,
            "action_id": "swf_lookup",
            "block_id": "b",
            "value": f"{TYPED_CANARIES[0]} typed in a menu",
        },
        {"type": "view_submission", "team": team, "user": user, "view": view},
        {"type": "view_closed", "team": team, "user": user, "view": view},
        {
            "type": "view_submission",
            "team": team,
            "user": user,
            "view": {**view, "callback_id": "swf_edit_modal", "private_metadata": "not a key"},
        },
        {
            "type": "block_actions",
            "team": team,
            "user": user,
            "actions": [{"action_id": "not_ours", "value": TYPED_CANARIES[2]}],
        },
    ]
    for payload in payloads:
        assert await served.post_form(_interaction(payload)) == 200, payload["type"]
    broken = {"type": "block_actions", "team": team, "actions": [{"value": TYPED_CANARIES[3]}]}
    assert await served.post_form(_interaction(broken)) == 400
    assert await served.post_form(_interaction({"type": 7, "v": TYPED_CANARIES[4]})) == 400


@dataclass(frozen=True)
class Run:
    log_text: str
    thread_ts: str
    metrics_text: str


async def scenario(*, redis_url: str, log_path: Path) -> Run:
    """Run serve through a whole interview and the awkward cases, then stop it."""
    fake_slack, runner = await start_fake_slack()
    fake_slack.not_in_channels.add(MISSING_CHANNEL)
    try:
        with running_fake_anthropic(api_key=ANTHROPIC_KEY) as anthropic:
            anthropic.default = ToolUse({"task_type": "summarization", "requests_per_month": 5000})
            env = {
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": f"{fake_slack.base_url}/api/",
                "ANTHROPIC_API_KEY": ANTHROPIC_KEY,
                "ANTHROPIC_BASE_URL": anthropic.base_url,
                "REDIS_URL": redis_url,
                "LOG_LEVEL": "INFO",
            }
            served = start_serve(env=env, stderr_path=log_path)
            try:
                await served.wait_until_healthy()
                thread_ts = await run_interview(served, fake_slack)
                await run_slash_command(served, fake_slack)
                await send_forged_and_refused(served, fake_slack)
                await send_typed_payloads(served)
                metrics_text = await metrics_once_completed(served)
                served.terminate()
                assert await served.wait_exit(timeout_seconds=30) in CLEAN_STOP_STATUSES
            finally:
                served.kill()
    finally:
        await runner.cleanup()
    return Run(log_text=served.log_text(), thread_ts=thread_ts, metrics_text=metrics_text)


@pytest.fixture(scope="module")
def finished(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """One serve run shared by the tests below (each only reads its logs)."""
    log_path = tmp_path_factory.mktemp("privacy") / "serve.log"
    return asyncio.run(scenario(redis_url=redis_url, log_path=log_path))


def test_logs_hold_no_tokens_or_keys(finished: Run) -> None:
    """Neither the Slack token, the signing secret nor the Anthropic key appears in the logs."""
    text = finished.log_text
    for secret in (BOT_TOKEN, SIGNING_SECRET, ANTHROPIC_KEY):
        assert secret not in text
    assert "xoxb-" not in text
    assert "sk-ant-" not in text


def test_logs_hold_no_message_text(finished: Run) -> None:
    """Nothing a user typed (including a forged delivery's text) appears in the logs."""
    text = finished.log_text
    for canary in (*CANARIES, *TYPED_CANARIES):
        assert canary not in text
    assert "weekly digest" not in text


def test_every_log_line_is_structured(finished: Run) -> None:
    """Each stderr line is one JSON object with ts, level, logger and event."""
    text = finished.log_text
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines
    for line in lines:
        record: dict[str, Any] = json.loads(line)
        assert {"ts", "level", "logger", "event"} <= record.keys(), line


def test_interview_records_carry_their_ids(finished: Run) -> None:
    """Records logged while handling the interview carry its team and thread ids."""
    text, thread_ts = finished.log_text, finished.thread_ts
    records = [json.loads(line) for line in text.splitlines() if line.strip()]
    in_thread = [r for r in records if r.get("thread_ts") == thread_ts]
    assert in_thread, "no record of the interview carried its thread_ts"
    assert all(r.get("team_id") == TEAM_ID and r.get("channel_id") == CHANNEL for r in in_thread)


def test_metrics_cover_the_whole_run(finished: Run) -> None:
    """/metrics exposes every family, with samples for what the run exercised."""
    text = finished.metrics_text
    for family in REGISTRY.collect():
        assert f"# TYPE {family.name}" in text, family.name
    exercised = [
        'swf_slack_events_received_total{kind="mention"}',
        'swf_slack_events_received_total{kind="thread_reply"}',
        'swf_slack_events_received_total{kind="action"}',
        'swf_slack_events_received_total{kind="command"}',
        "swf_slack_deliveries_deduplicated_total 1.0",
        "swf_slack_ack_latency_seconds_count",
        "swf_interviews_started_total",
        "swf_interviews_completed_total 1.0",
        "swf_recommendations_total{approach=",
        "swf_claude_calls_total{outcome=",
        "swf_claude_latency_seconds_count",
        "swf_claude_tokens_total{kind=",
    ]
    for sample in exercised:
        assert sample in text, sample
