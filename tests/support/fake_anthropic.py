"""A fake Anthropic Messages API on 127.0.0.1 that the real `anthropic` SDK talks to.

It records every request and answers from a script: a queue of behaviours (a tool call with
given input, an Anthropic-style HTTP error, a delay past the client's timeout, text only, a
body that is not JSON, or an input computed from the request, as a model reading it would).
Once the queue is empty it repeats `default`. Usage figures are realistic in shape: about four
characters a token, and the static prefix (tools and system) is reported as cache creation on
first sight and cache reads afterwards when the request marks it with cache_control and it is
at least the model's cache minimum, as the real API does (shorter prefixes are silently not
cached). `POST /v1/messages/count_tokens` counts the same way, and `GET /v1/models/{id}`
answers for any model id.

Token counts are a conservative estimate: four characters a token over the text alone (JSON
punctuation, tool-use system text and message framing are not counted), while Claude's
tokenizer yields more tokens than that for English and for JSON schemas, so a prefix this fake
counts over a minimum is over it on the real API too.

    with running_fake_anthropic(api_key="sk-ant-test") as fake:
        fake.script(HttpError(429), ToolUse({"requests_per_month": 5000}))
        client = anthropic.AsyncAnthropic(api_key="sk-ant-test", base_url=fake.base_url)
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bot.adapters.claude.cache import cache_minimum_tokens

CHARS_PER_TOKEN = 4
ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    404: "not_found_error",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}


@dataclass(frozen=True)
class ToolUse:
    """Answer with one tool_use block carrying `input` (anything JSON, to test bad shapes)."""

    input: object
    name: str | None = None  # default: the tool named in the request's tool_choice


@dataclass(frozen=True)
class FromRequest:
    """Answer with a tool call whose input `read` computes from the request body: a model
    that answers only part of what was asked, infers a fact, or corrects one."""

    read: Callable[[dict[str, Any]], object]


@dataclass(frozen=True)
class Text:
    """Answer with a text block only, no tool call."""

    text: str = "I think you should fine-tune."


@dataclass(frozen=True)
class HttpError:
    """Answer with an Anthropic-style error body and status."""

    status: int
    message: str = "fake error"
    # Short by default so the SDK's retries don't slow the suite; None sends no header.
    retry_after_ms: int | None = 10


@dataclass(frozen=True)
class Delay:
    """Wait `seconds` (past the client's timeout, typically) before behaving as `then`."""

    seconds: float
    then: Behaviour = field(default_factory=lambda: ToolUse({}))


@dataclass(frozen=True)
class RawBody:
    """Answer 200 with `body` as is (malformed JSON, say)."""

    body: bytes = b"{not json"


Behaviour = ToolUse | FromRequest | Text | HttpError | Delay | RawBody


@dataclass
class RecordedRequest:
    path: str
    headers: dict[str, str]  # lower-cased names
    body: dict[str, Any]
    usage: dict[str, int] | None = None  # set when the fake answers 200 with a message

    @property
    def user_turns(self) -> list[Any]:
        return [m["content"] for m in self.body.get("messages", []) if m["role"] == "user"]

    @property
    def last_user_text(self) -> str:
        """The text of the last user message's text blocks, joined."""
        content = self.body["messages"][-1]["content"]
        if isinstance(content, str):
            return content
        return "\n".join(block["text"] for block in content if block.get("type") == "text")


@dataclass
class FakeAnthropic:
    api_key: str
    base_url: str = ""
    default: Behaviour = field(default_factory=lambda: ToolUse({}))
    # The cache minimum to apply instead of the model's documented one (a stricter model).
    cache_minimum: int | None = None
    requests: list[RecordedRequest] = field(default_factory=list)
    _queue: deque[Behaviour] = field(default_factory=deque)
    _cached_prefixes: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)

    def script(self, *behaviours: Behaviour) -> None:
        """Queue behaviours for the next requests, in order."""
        with self._lock:
            self._queue.extend(behaviours)

    def next_behaviour(self) -> Behaviour:
        with self._lock:
            return self._queue.popleft() if self._queue else self.default

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    @property
    def messages_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith("/v1/messages")]

    def usage_for(self, body: dict[str, Any], *, output: object) -> dict[str, int]:
        """Token counts for `body`: a cache_control-marked prefix of at least the model's
        cache minimum is cached on first use and read afterwards."""
        prefix_tokens = prefix_token_count(body)
        usage = {
            "input_tokens": message_token_count(body),
            "output_tokens": max(1, len(json.dumps(output)) // CHARS_PER_TOKEN),
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
        }
        prefix = json.dumps([body.get("tools"), body.get("system")], sort_keys=True)
        minimum = self.cache_minimum or cache_minimum_tokens(str(body.get("model", "")))
        if "cache_control" not in prefix or prefix_tokens < minimum:
            usage["input_tokens"] += prefix_tokens
            return usage
        digest = hashlib.sha256(f"{body.get('model')}{prefix}".encode()).hexdigest()
        with self._lock:
            seen = digest in self._cached_prefixes
            self._cached_prefixes.add(digest)
        usage["cache_read_input_tokens" if seen else "cache_creation_input_tokens"] = prefix_tokens
        return usage


def _tokens(text: str) -> int:
    return len(text) // CHARS_PER_TOKEN


def prefix_token_count(body: dict[str, Any]) -> int:
    """The static prefix's tokens: tool names, descriptions and schemas, then system text."""
    total = 0
    for tool in body.get("tools") or []:
        schema = json.dumps(tool.get("input_schema", {}), separators=(",", ":"))
        total += _tokens(f"{tool.get('name', '')} {tool.get('description', '')} {schema}")
    system = body.get("system") or ""
    if isinstance(system, str):
        return total + _tokens(system)
    return total + sum(_tokens(block.get("text", "")) for block in system)


def message_token_count(body: dict[str, Any]) -> int:
    """The messages' tokens: text, tool inputs and tool results."""
    total = 0
    for message in body.get("messages") or []:
        content = message.get("content")
        if isinstance(content, str):
            total += _tokens(content)
            continue
        for block in content or []:
            if block.get("type") == "text":
                total += _tokens(block.get("text", ""))
            elif block.get("type") == "tool_use":
                total += _tokens(json.dumps(block.get("input")))
            elif block.get("type") == "tool_result":
                total += _tokens(json.dumps(block.get("content")))
    return max(1, total)


def _error_body(status: int, message: str) -> bytes:
    error_type = ERROR_TYPES.get(status, "api_error")
    return json.dumps({"type": "error", "error": {"type": error_type, "message": message}}).encode()


def _shape_problem(body: dict[str, Any]) -> str | None:
    """What the real API would reject with a 400, for the mistakes an adapter can make."""
    for key in ("model", "max_tokens", "messages"):
        if key not in body:
            return f"{key}: Field required"
    messages = body["messages"]
    if not messages or messages[0].get("role") != "user":
        return "messages: first message must use the user role"
    tool_names = {tool.get("name") for tool in body.get("tools") or []}
    choice = body.get("tool_choice") or {}
    if choice.get("type") == "tool" and choice.get("name") not in tool_names:
        return f"tool_choice: tool {choice.get('name')!r} not found in tools"
    previous_tool_ids: set[str] = set()
    for message in messages:
        content = message.get("content")
        blocks = content if isinstance(content, list) else []
        for block in blocks:
            if block.get("type") == "tool_result" and block.get("tool_use_id") not in (
                previous_tool_ids
            ):
                return (
                    "messages: tool_result block(s) without a matching tool_use in the turn before"
                )
        previous_tool_ids = {b["id"] for b in blocks if b.get("type") == "tool_use"}
    return None


def _handler_for(fake: FakeAnthropic) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # One buffered write per answer and no Nagle: otherwise headers and body leave as two
        # segments and delayed ACKs add ~40 ms to every call.
        wbufsize = 64 * 1024
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # the stdlib's name
            """Quiet: the suite's output is for test results."""

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length)
            headers = {name.lower(): value for name, value in self.headers.items()}
            try:
                body = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                body = {}
            request = RecordedRequest(path=self.path, headers=headers, body=body)
            fake.record(request)  # on arrival, so requests the client gave up on count too
            path = self.path.split("?", 1)[0]
            if not path.endswith(("/v1/messages", "/v1/messages/count_tokens")):
                self._send(404, _error_body(404, f"no route {self.path}"))
                return
            if not _is_authorised(headers, fake.api_key):
                self._send(401, _error_body(401, "invalid x-api-key"))
                return
            if path.endswith("/count_tokens"):
                if "messages" not in body or "model" not in body:
                    self._send(400, _error_body(400, "model and messages: Field required"))
                    return
                count = prefix_token_count(body) + message_token_count(body)
                self._send(200, json.dumps({"input_tokens": count}).encode())
                return
            problem = _shape_problem(body)
            if problem is not None:
                self._send(400, _error_body(400, problem))
                return
            behaviour = fake.next_behaviour()
            while isinstance(behaviour, Delay):
                if fake.stopping.wait(behaviour.seconds):
                    return
                behaviour = behaviour.then
            self._answer(behaviour, request)

        def do_GET(self) -> None:
            headers = {name.lower(): value for name, value in self.headers.items()}
            fake.record(RecordedRequest(path=self.path, headers=headers, body={}))
            model = self.path.split("?", 1)[0].rpartition("/v1/models/")[2]
            if not model:
                self._send(404, _error_body(404, f"no route {self.path}"))
            elif not _is_authorised(headers, fake.api_key):
                self._send(401, _error_body(401, "invalid x-api-key"))
            else:
                info = {
                    "type": "model",
                    "id": model,
                    "display_name": model,
                    "created_at": "2026-05-01T00:00:00Z",
                    "lifecycle": "active",
                    "retires_at": None,
                }
                self._send(200, json.dumps(info).encode())

        def _answer(
            self,
            behaviour: ToolUse | FromRequest | Text | HttpError | RawBody,
            request: RecordedRequest,
        ) -> None:
            if isinstance(behaviour, HttpError):
                extra = {}
                if behaviour.retry_after_ms is not None:
                    extra["retry-after-ms"] = str(behaviour.retry_after_ms)
                status = behaviour.status
                self._send(status, _error_body(status, behaviour.message), extra)
                return
            if isinstance(behaviour, RawBody):
                self._send(200, behaviour.body)
                return
            content = _content_for(behaviour, request.body)
            request.usage = fake.usage_for(request.body, output=content)
            message = {
                "id": f"msg_{uuid.uuid4().hex[:24]}",
                "type": "message",
                "role": "assistant",
                "model": request.body["model"],
                "content": content,
                "stop_reason": "end_turn" if isinstance(behaviour, Text) else "tool_use",
                "stop_sequence": None,
                "usage": request.usage,
            }
            self._send(200, json.dumps(message).encode())

        def _send(self, status: int, payload: bytes, extra: dict[str, str] | None = None) -> None:
            try:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.send_header("request-id", f"req_{uuid.uuid4().hex[:24]}")
                for name, value in (extra or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (its timeout): nothing left to answer

    return Handler


def _content_for(
    behaviour: ToolUse | FromRequest | Text, body: dict[str, Any]
) -> list[dict[str, Any]]:
    if isinstance(behaviour, Text):
        return [{"type": "text", "text": behaviour.text}]
    if isinstance(behaviour, FromRequest):
        behaviour = ToolUse(behaviour.read(body))
    name = behaviour.name or (body.get("tool_choice") or {}).get("name") or "tool"
    return [
        {
            "type": "tool_use",
            "id": f"toolu_{uuid.uuid4().hex[:24]}",
            "name": name,
            "input": behaviour.input,
        }
    ]


def _is_authorised(headers: dict[str, str], api_key: str) -> bool:
    """The SDK sends `Authorization: Bearer <key>`; raw HTTP clients send `x-api-key`."""
    return headers.get("x-api-key") == api_key or headers.get("authorization") == (
        f"Bearer {api_key}"
    )


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    # Don't wait for handlers still sleeping in a Delay: `stopping` wakes them.
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Connections the client dropped mid-request are expected here (timeouts)."""


@contextmanager
def running_fake_anthropic(*, api_key: str = "sk-ant-test-key") -> Iterator[FakeAnthropic]:
    """Start the fake on a free 127.0.0.1 port; stop it on exit."""
    fake = FakeAnthropic(api_key=api_key)
    server = _QuietServer(("127.0.0.1", 0), _handler_for(fake))
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.02},
        name="fake-anthropic",
        daemon=True,
    )
    thread.start()
    try:
        yield fake
    finally:
        fake.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
