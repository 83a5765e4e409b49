"""The Socket Mode handler: Bolt's, with the payload shape checked before Bolt sees it.

Over HTTP a malformed signed payload gets 400 before Bolt (http_app). Socket Mode has
no status code: a malformed envelope is acknowledged (so Slack does not send it again),
logged once as a warning naming the problem (never a value), and goes no further,
instead of a traceback from inside Bolt.
"""

from __future__ import annotations

import logging

from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.entrypoints.slack.payload_shape import shape_problem

log = logging.getLogger(__name__)

# The envelope types that carry a payload for Bolt (hello, disconnect are the client's).
PAYLOAD_ENVELOPES = frozenset({"events_api", "interactive", "slash_commands"})


class CheckedSocketModeHandler(AsyncSocketModeHandler):
    async def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        if req.type in PAYLOAD_ENVELOPES:
            payload = req.payload
            problem = shape_problem(payload) if isinstance(payload, dict) else "not an object"
            if problem is not None:
                log.warning(
                    "malformed Slack delivery refused",
                    extra={"problem": problem, "envelope_type": req.type},
                )
                await client.send_socket_mode_response(
                    SocketModeResponse(envelope_id=req.envelope_id)
                )
                return
        await super().handle(client, req)
