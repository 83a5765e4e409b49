"""Reading a request body with a hard cap, before any parsing or signature work.

MAX_BODY_BYTES is 4 MiB. Slack publishes no maximum for what it sends to a request
URL; the largest deliveries are interactivity payloads that carry a whole message
(up to 50 blocks) or view (up to 100 blocks) with its state. Slack's own Bolt for
JavaScript caps request bodies at 4 MB by default for the same reason (bolt-js
v5.1.0, `bodyLimit`, "Enforce a configurable request body size limit"), so a
delivery Slack really sends fits, and an oversize one is refused with 413 after at
most this many bytes were held. The ingress sets the same figure
(deploy/k8s/ingress.yaml, `proxy-body-size: 4m`).
"""

from __future__ import annotations

from starlette.requests import Request

from bot.errors import BodyTooLargeError

MAX_BODY_BYTES = 4 * 1024 * 1024


async def read_capped_body(request: Request, *, limit: int = MAX_BODY_BYTES) -> bytes:
    """The whole body, or BodyTooLargeError as soon as it passes `limit` bytes.

    A Content-Length over the cap is refused before a byte is read; a chunked or lying
    body is refused on the chunk that passes it (uvicorn's flow control keeps the rest
    on the socket)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLargeError(f"declared {declared} bytes")
    body = bytearray()
    async for chunk in request.stream():
        if len(body) + len(chunk) > limit:
            raise BodyTooLargeError(f"more than {limit} bytes")
        body += chunk
    return bytes(body)
