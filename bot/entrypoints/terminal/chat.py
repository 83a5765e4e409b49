"""`should-we-finetune chat`: the interview in the terminal, for people or for machines (JSONL)."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import uuid
from typing import Any, TextIO

from bot.bootstrap import build_service
from bot.domain.text import echo_safe
from bot.errors import BotError
from bot.interview.replies import Decision, Questions, Reply
from bot.interview.session import SessionKey
from bot.service import InterviewService
from bot.settings import Settings

EMPTY_MESSAGE = "Empty message: describe your use case, answer the question, or say `decide now`."
INTRO = (
    "should-we-finetune: prompting, RAG, fine-tuning or a hybrid?\n"
    "Describe your use case. Say `decide now` at any time, `start over` to begin again, "
    "`help` for more; Ctrl-D to quit."
)


def run_chat(settings: Settings, *, jsonl: bool) -> int:
    # The chat tells the user what matters as notices; log lines would only interleave
    # with the conversation, so they are shown at LOG_LEVEL=DEBUG or for errors.
    logging.basicConfig(
        level=logging.DEBUG if settings.log_level == "DEBUG" else logging.ERROR,
        format="%(levelname)s %(name)s: %(message)s",
    )
    service = build_service(settings)
    key = SessionKey(team_id="terminal", channel_id="local", thread_ts=uuid.uuid4().hex)
    loop = _jsonl_loop if jsonl else _interactive_loop
    return asyncio.run(loop(service, key))


def reply_event(reply: Reply) -> dict[str, Any]:
    """The JSON event of docs/design.md §6 for one reply."""
    if isinstance(reply, Questions):
        return {
            "type": "question",
            "fields": [q.field for q in reply.questions],
            "text": "\n".join(q.text for q in reply.questions),
            "questions": [q.model_dump(mode="json") for q in reply.questions],
            "round": reply.round,
            "notices": reply.notices,
        }
    if isinstance(reply, Decision):
        return {
            "type": "recommendation",
            "requirements": reply.requirements.model_dump(mode="json"),
            "recommendation": reply.recommendation.model_dump(mode="json"),
            "notices": reply.notices,
        }
    # A notice (help, start over, a value that was not accepted) asks for free text.
    return {"type": "question", "fields": [], "text": reply.text, "notices": reply.notices}


async def _handle(service: InterviewService, key: SessionKey, text: str, started: bool) -> Reply:
    text = echo_safe(text)  # what is typed is shown back: no control or bidi characters
    if not started:
        return (await service.start(key, user_id=None, text=text)).reply
    outcome = await service.reply(key, user_id=None, text=text)
    if outcome is None:  # the session expired: begin again with this message
        outcome = await service.start(key, user_id=None, text=text)
    return outcome.reply


async def _jsonl_loop(service: InterviewService, key: SessionKey) -> int:
    out = sys.stdout
    started = False
    for raw in _stdin_lines():
        text = raw.strip()
        if not text:
            _emit(out, {"type": "error", "message": EMPTY_MESSAGE})
            continue
        try:
            reply = await _handle(service, key, text, started)
        except BotError as exc:
            _emit(out, {"type": "error", "message": exc.user_message})
            continue
        started = True
        _emit(out, reply_event(reply))
    return 0


def _stdin_lines() -> TextIO:
    # Undecodable bytes become U+FFFD rather than ending the conversation.
    return open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)


def _emit(out: TextIO, event: dict[str, Any]) -> None:
    out.write(json.dumps(event, ensure_ascii=False, sort_keys=False) + "\n")
    out.flush()


async def _interactive_loop(service: InterviewService, key: SessionKey) -> int:
    from rich.console import Console  # noqa: PLC0415 - only people need rich

    from bot.entrypoints.terminal.view import render_reply  # noqa: PLC0415

    console = Console(highlight=False)
    console.print(INTRO, style="bold")
    started = False
    while True:
        try:
            text = await asyncio.to_thread(console.input, "[bold cyan]you >[/] ")
        except (EOFError, KeyboardInterrupt):
            console.print()
            return 0
        text = text.strip()
        if not text:
            console.print(EMPTY_MESSAGE, style="yellow")
            continue
        try:
            with console.status("Thinking…", spinner="dots"):
                reply = await _handle(service, key, text, started)
        except BotError as exc:
            console.print(exc.user_message, style="red")
            continue
        started = True
        render_reply(console, reply)
