"""`should-we-finetune serve` as a child process, and correctly signed Slack deliveries to it.

A separate process is the only honest way to test what an operator sees: the
real `run_serve` (logging configuration, uvicorn, signal handling) and its
stderr exactly as a container runtime would collect it.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from tests.support.fake_slack import BOT_USER_ID, TEAM_ID

SIGNING_SECRET = "5d41402abc4b2a76b9719d911017c592"
BOT_TOKEN = "xoxb-424242-171717-serveprocesstokenvalue"
ANTHROPIC_KEY = "sk-ant-api03-serveprocesskeyvalue"
USER_ID = "U0USER"
# Start-up takes a second or two; a machine busy with other test processes can take far longer
# (seen: over 20 s), and waiting longer costs nothing when it is quick.
START_SECONDS = 60.0
# A clean stop (the work under way drained) exits 0, in both modes.
CLEAN_STOP_STATUSES = frozenset({0})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def signed_headers(
    body: bytes, *, secret: str = SIGNING_SECRET, content_type: str = "application/json"
) -> dict[str, str]:
    """Slack's request signature: v0= HMAC-SHA256 of `v0:{timestamp}:{body}`."""
    timestamp = str(int(time.time()))
    base = b"v0:" + timestamp.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "content-type": content_type,
        "x-slack-request-timestamp": timestamp,
        "x-slack-signature": f"v0={digest}",
    }


def event_body(*, event_id: str, event: dict[str, Any]) -> bytes:
    payload = {
        "type": "event_callback",
        "team_id": TEAM_ID,
        "api_app_id": "A0APP",
        "event_id": event_id,
        "event_time": int(time.time()),
        "event": event,
        "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
    }
    return json.dumps(payload).encode()


def mention(*, channel: str, ts: str, text: str) -> dict[str, Any]:
    return {
        "type": "app_mention",
        "user": USER_ID,
        "channel": channel,
        "ts": ts,
        "event_ts": ts,
        "text": f"<@{BOT_USER_ID}> {text}",
    }


def thread_reply(*, channel: str, thread_ts: str, ts: str, text: str) -> dict[str, Any]:
    return {
        "type": "message",
        "channel_type": "channel",
        "user": USER_ID,
        "channel": channel,
        "ts": ts,
        "event_ts": ts,
        "thread_ts": thread_ts,
        "text": text,
    }


@dataclass
class ServeProcess:
    process: subprocess.Popen[bytes]
    port: int
    stderr_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_text(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def log_lines(self) -> list[dict[str, Any]]:
        """Every stderr line parsed as JSON (a line that is not JSON fails the caller here)."""
        return [json.loads(line) for line in self.log_text().splitlines() if line.strip()]

    async def post_event(self, body: bytes, *, headers: dict[str, str] | None = None) -> int:
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                f"{self.base_url}/slack/events",
                data=body,
                headers=headers if headers is not None else signed_headers(body),
            ) as response,
        ):
            return response.status

    async def post_form(self, body: str) -> int:
        """A signed form-encoded delivery (slash commands and interactivity)."""
        raw = body.encode()
        headers = signed_headers(raw, content_type="application/x-www-form-urlencoded")
        return await self.post_event(raw, headers=headers)

    async def get(self, path: str) -> tuple[int, str]:
        connector = aiohttp.TCPConnector(force_close=True)
        timeout = aiohttp.ClientTimeout(total=2)
        async with (
            aiohttp.ClientSession(connector=connector, timeout=timeout) as http,
            http.get(f"{self.base_url}{path}") as response,
        ):
            return response.status, await response.text()

    async def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited early:\n{self.log_text()}")
            try:
                if (await self.get("/healthz"))[0] == 200:
                    return
            except (aiohttp.ClientError, TimeoutError):
                pass
            await asyncio.sleep(0.1)
        raise RuntimeError(f"serve did not become healthy:\n{self.log_text()}")

    def worker_pid(self) -> int:
        """The worker process `serve` spawned (not multiprocessing's resource tracker)."""
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                    return int(child)
        raise RuntimeError("serve has no worker process")

    def terminate(self) -> None:
        self.process.send_signal(signal.SIGTERM)

    async def wait_exit(self, timeout_seconds: float) -> int:
        return await asyncio.to_thread(self.process.wait, timeout_seconds)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def start_serve(
    *, env: dict[str, str], stderr_path: Path, socket_mode: bool = False
) -> ServeProcess:
    """Start `python -m bot serve` (HTTP on a free port, or Socket Mode) with exactly `env` as
    its settings."""
    port = free_port()
    mode = ["--socket"] if socket_mode else ["--port", str(port)]
    base = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", *mode],
            env=base | env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    return ServeProcess(process=process, port=port, stderr_path=stderr_path)
