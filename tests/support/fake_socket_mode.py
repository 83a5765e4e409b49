"""The fake Slack plus Socket Mode: apps.connections.open and the WebSocket it hands out.

`deliver` sends an envelope (events_api, slash_commands or interactive) down the latest
connection and `acked_within` tells whether the app acknowledged it in time; `drop`
closes the connection from Slack's side, as Slack does when it rotates connections,
and `connections` counts how often the app connected.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from tests.support.fake_slack import FakeSlack

APP_TOKEN = "xapp-1-A0APP-1-socketmodetestappvalue"
CONNECT_WAIT_SECONDS = 30.0
POLL_SECONDS = 0.01


@dataclass
class SocketModeSlack(FakeSlack):
    app_token: str = APP_TOKEN
    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    acks: list[str] = field(default_factory=list)
    ack_payloads: dict[str, dict[str, Any]] = field(default_factory=dict)
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    connections: int = 0
    _sent_at: dict[str, float] = field(default_factory=dict)
    _acked_at: dict[str, float] = field(default_factory=dict)

    def app(self) -> web.Application:
        application = web.Application()
        # Before the Web API catch-all, which only accepts bot tokens.
        application.router.add_post("/api/apps.connections.open", self._connections_open)
        application.router.add_get("/link", self._link)
        for route in super().app().router.routes():
            application.router.add_route(route.method, route.resource.canonical, route.handler)
        return application

    async def _connections_open(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {self.app_token}":
            return web.json_response({"ok": False, "error": "invalid_auth"})
        ws_url = self.base_url.replace("http://", "ws://") + "/link"
        return web.json_response({"ok": True, "url": ws_url})

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self.sockets.append(socket)
        self.connections += 1
        await socket.send_json({"type": "hello", "num_connections": 1})
        self.connected.set()
        async for message in socket:
            if message.type == aiohttp.WSMsgType.TEXT:
                data = json.loads(message.data)
                envelope_id = data.get("envelope_id")
                if envelope_id:
                    self.acks.append(envelope_id)
                    self._acked_at.setdefault(envelope_id, time.monotonic())
                    self.ack_payloads[envelope_id] = data.get("payload") or {}
        return socket

    async def deliver(
        self, payload: dict[str, Any], *, envelope_id: str, kind: str = "events_api"
    ) -> None:
        """Send one envelope of `kind` down the newest connection."""
        self._sent_at[envelope_id] = time.monotonic()
        await self.sockets[-1].send_json(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "accepts_response_payload": kind != "events_api",
                "retry_attempt": 0,
                "retry_reason": "",
                "payload": payload,
            }
        )

    async def acked_within(self, envelope_id: str, seconds: float) -> bool:
        """Wait for the ack of `envelope_id`; True when it came within `seconds` of sending."""
        deadline = self._sent_at[envelope_id] + seconds
        for _ in range(int((seconds + 1) / POLL_SECONDS)):
            if envelope_id in self._acked_at:
                break
            await asyncio.sleep(POLL_SECONDS)
        acked = self._acked_at.get(envelope_id)
        return acked is not None and acked <= deadline

    async def drop(self) -> None:
        """Close the newest connection from Slack's side; the app should connect again."""
        self.connected.clear()
        await self.sockets[-1].close()

    async def wait_connected(self, *, count: int) -> None:
        """Wait until the app has connected `count` times in all."""
        for _ in range(int(CONNECT_WAIT_SECONDS / POLL_SECONDS)):
            if self.connections >= count:
                return
            await asyncio.sleep(POLL_SECONDS)
        raise TimeoutError(f"the app connected {self.connections} times, not {count}")


@asynccontextmanager
async def running_socket_mode_slack() -> AsyncIterator[SocketModeSlack]:
    fake = SocketModeSlack()
    runner = web.AppRunner(fake.app(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    fake.base_url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        yield fake
    finally:
        for socket in fake.sockets:
            await socket.close()
        await runner.cleanup()
