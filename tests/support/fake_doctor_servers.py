"""One small local HTTP server that plays every service `doctor` talks to.

It answers Slack's `auth.test` and `apps.connections.open` under /api/, the
Anthropic Models API under /v1/models/ and token counting at /v1/messages/count_tokens
(counted as tests/support/fake_anthropic.py counts), and a deployed bot's /healthz and
/slack/events, so the real slack_sdk, anthropic and aiohttp clients can be
pointed at it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support.fake_anthropic import message_token_count, prefix_token_count

GOOD_BOT_TOKEN = "xoxb-111-222-goodbottokenvalue"
GOOD_APP_TOKEN = "xapp-1-A111-222-goodapptokenvalue"
GOOD_ANTHROPIC_KEY = "sk-ant-api03-goodanthropickeyvalue"
ALL_SCOPES = (
    "app_mentions:read,chat:write,commands,files:write,channels:history,groups:history,im:history,mpim:history,"
    "assistant:write,im:write,channels:read,groups:read"
)


def model_info(model_id: str, *, lifecycle: str = "active", retires_at: str | None = None) -> dict:
    return {
        "type": "model",
        "id": model_id,
        "display_name": model_id,
        "created_at": "2026-05-01T00:00:00Z",
        "lifecycle": lifecycle,
        "retires_at": retires_at,
    }


@dataclass
class FakeServices:
    """What the fake accepts and answers; tests change these fields before calling doctor."""

    base_url: str = ""
    bot_token: str = GOOD_BOT_TOKEN
    app_token: str = GOOD_APP_TOKEN
    anthropic_key: str = GOOD_ANTHROPIC_KEY
    models: dict[str, dict] = field(
        default_factory=lambda: {"claude-haiku-5-5": model_info("claude-haiku-5-5")}
    )
    # What auth.test reports in x-oauth-scopes; None leaves the header out.
    scopes: str | None = ALL_SCOPES
    # What count_tokens answers for the extractor's prefix; None counts as fake_anthropic does.
    prefix_tokens: int | None = None
    health_status: int = 200
    events_status: int = 401
    paths: list[str] = field(default_factory=list)

    @property
    def slack_api_url(self) -> str:
        return f"{self.base_url}/api/"


def _handler(services: FakeServices) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            """Keep test output quiet."""

        def _send(
            self, status: int, body: dict | None = None, headers: dict[str, str] | None = None
        ) -> None:
            payload = json.dumps(body or {}).encode()
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _bearer(self) -> str:
            return self.headers.get("authorization", "").removeprefix("Bearer ").strip()

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length", "0")))
            services.paths.append(self.path)
            if self.path == "/api/auth.test":
                if self._bearer() != services.bot_token:
                    self._send(200, {"ok": False, "error": "invalid_auth"})
                    return
                scopes = {} if services.scopes is None else {"x-oauth-scopes": services.scopes}
                self._send(
                    200,
                    {"ok": True, "team": "Acme", "user": "swf", "team_id": "T1", "user_id": "U1"},
                    scopes,
                )
            elif self.path == "/api/apps.connections.open":
                if self._bearer() != services.app_token:
                    self._send(200, {"ok": False, "error": "invalid_auth"})
                    return
                self._send(200, {"ok": True, "url": "wss://127.0.0.1/link"})
            elif self.path == "/v1/messages/count_tokens":
                if self._bearer() != services.anthropic_key:
                    error = {"type": "authentication_error", "message": "invalid x-api-key"}
                    self._send(401, {"type": "error", "error": error})
                    return
                body = json.loads(raw or b"{}")
                prefix = prefix_token_count(body)
                if services.prefix_tokens is not None and prefix:
                    prefix = services.prefix_tokens
                count = prefix + message_token_count(body)
                self._send(200, {"input_tokens": count})
            elif self.path == "/slack/events":
                self._send(services.events_status)
            else:
                self._send(404)

        def do_GET(self) -> None:
            services.paths.append(self.path)
            if self.path == "/healthz":
                self._send(services.health_status, {"status": "ok"})
            elif self.path.startswith("/v1/models/"):
                if self._bearer() != services.anthropic_key:
                    error = {"type": "authentication_error", "message": "invalid x-api-key"}
                    self._send(401, {"type": "error", "error": error})
                    return
                info = services.models.get(self.path.removeprefix("/v1/models/"))
                if info is None:
                    error = {"type": "not_found_error", "message": "model not found"}
                    self._send(404, {"type": "error", "error": error})
                    return
                self._send(200, info)
            else:
                self._send(404)

    return Handler


@contextmanager
def fake_services() -> Iterator[FakeServices]:
    """Serve a FakeServices on a free 127.0.0.1 port for the duration of the block."""
    services = FakeServices()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(services))
    services.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield services
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
