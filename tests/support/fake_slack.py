"""A fake Slack Web API on 127.0.0.1: records calls, answers like Slack, fails on demand.

It checks blocks the way Slack does (each block re-parsed with slack_sdk's
models, at most 50 per message, 100 per view) and answers `invalid_blocks`
otherwise. Errors can be scripted per method (`fail(...)`), including
`ratelimited` with a Retry-After header, and slowed (`slow(...)`: answered late but
applied). It keeps what each thread shows, for conversations.replies. Slash-command
`response_url`s point at `/response/<n>` here. `GET /_calls` returns what was recorded, so another
process (the benchmark) can read it. Run alone with `python -m tests.support.fake_slack`.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T0001"
MESSAGE_MAX_BLOCKS = 50
VIEW_MAX_BLOCKS = 100
MESSAGE_TEXT_MAX_CHARS = 40_000
WAIT_SECONDS = 5.0


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    # What the fake answered: `ok` False means Slack would have refused the call.
    answer: dict[str, Any] = field(default_factory=dict)
    at: float = field(default_factory=time.time)  # wall clock, comparable across processes
    token: str = ""  # the bearer token the call was made with (which workspace answered)

    @property
    def ok(self) -> bool:
        return bool(self.answer.get("ok", True))


@dataclass
class _Failure:
    error: str
    times: int
    status: int
    retry_after: int | None


@dataclass
class _Slowness:
    seconds: float
    times: int


@dataclass
class FakeSlack:
    """The fake's state; `app` serves it. Tests read `calls` and script `fail(...)`."""

    calls: list[Call] = field(default_factory=list)
    # Channels the bot is not a member of: posting there answers not_in_channel.
    not_in_channels: set[str] = field(default_factory=set)
    _failures: dict[str, list[_Failure]] = field(default_factory=dict)
    _slowness: dict[str, list[_Slowness]] = field(default_factory=dict)
    # Every message posted and not deleted, by ts, as conversations.replies shows them.
    posted: dict[str, dict[str, Any]] = field(default_factory=dict)
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    base_url: str = ""
    # The benchmark turns this off: re-parsing every block costs CPU it measures elsewhere.
    validate_blocks: bool = True
    # Workspaces by bot token (auth.test answers with the token's team); the OAuth code
    # `code-<team>` installs <team> with the token `xoxb-<team>`.
    teams_by_token: dict[str, str] = field(default_factory=dict)
    # The channels each user is in (users.conversations).
    user_channels: dict[str, list[str]] = field(default_factory=dict)
    # Messages scheduled and not yet deleted, by scheduled_message_id.
    scheduled: dict[str, dict[str, Any]] = field(default_factory=dict)
    _recorded: asyncio.Condition = field(default_factory=asyncio.Condition)
    # Files uploaded through files.getUploadURLExternal + the upload URL: id -> bytes.
    uploads: dict[str, bytes] = field(default_factory=dict)
    _file_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def fail(
        self,
        method: str,
        error: str,
        *,
        times: int = 1,
        status: int = 200,
        retry_after: int | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` with `error`."""
        self._failures.setdefault(method, []).append(_Failure(error, times, status, retry_after))

    def slow(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Answer the next `times` calls of `method` after `seconds`, and apply them (Slack
        was slow, not down: a client that gave up waiting still finds the call done)."""
        self._slowness.setdefault(method, []).append(_Slowness(seconds, times))

    def thread_texts(self, thread_ts: str) -> list[str]:
        """What the thread shows now (posted, updated, not deleted), oldest first."""
        return [
            str(message.get("text"))
            for _, message in sorted(self.posted.items())
            if message.get("thread_ts") == thread_ts
        ]

    def of(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    @property
    def messages(self) -> list[Call]:
        """Every message the bot posted or rewrote, ephemeral ones and response_url ones too."""
        kinds = {"chat.postMessage", "chat.update", "chat.postEphemeral", "response_url"}
        return [call for call in self.calls if call.method in kinds]

    def in_thread(self, thread_ts: str) -> list[Call]:
        return [
            call for call in self.of("chat.postMessage") if call.args.get("thread_ts") == thread_ts
        ]

    async def wait_for(self, method: str, count: int = 1) -> list[Call]:
        """The calls of `method` once there are at least `count` of them (5 s at most)."""
        async with asyncio.timeout(WAIT_SECONDS), self._recorded:
            await self._recorded.wait_for(lambda: len(self.of(method)) >= count)
        return self.of(method)

    async def _record(self, call: Call) -> None:
        self.calls.append(call)
        async with self._recorded:
            self._recorded.notify_all()

    def next_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"

    # -- the HTTP side --------------------------------------------------------------

    def app(self) -> web.Application:
        application = web.Application()
        application.router.add_post("/api/{method}", self._api)
        application.router.add_get("/api/{method}", self._api)  # slack_sdk GETs a few methods
        application.router.add_post("/response/{n}", self._response_url)
        application.router.add_post("/upload/{file_id}", self._upload)
        application.router.add_get("/_calls", self._dump)
        application.router.add_get("/_count", self._count)
        return application

    async def _count(self, request: web.Request) -> web.Response:
        return web.json_response(len(self.calls))

    async def _dump(self, request: web.Request) -> web.Response:
        # `?channel=C` keeps the answer small when thousands of calls were recorded (the
        # benchmark polls it while the bot is still calling this server).
        channel = request.query.get("channel")
        return web.json_response(
            [
                {"method": c.method, "args": c.args, "answer": c.answer, "at": c.at}
                for c in self.calls
                if channel is None or c.args.get("channel") == channel
            ]
        )

    async def _response_url(self, request: web.Request) -> web.Response:
        await self._record(Call("response_url", await request.json()))
        return web.Response(text="ok")

    async def _upload(self, request: web.Request) -> web.Response:
        """The upload URL files.getUploadURLExternal hands out: the file's bytes, posted."""
        file_id = request.match_info["file_id"]
        data = await request.read()
        self.uploads[file_id] = data
        await self._record(Call("upload", {"file_id": file_id, "length": len(data)}))
        return web.Response(text=f"OK - {len(data)}")

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _read_args(request)
        authorization = request.headers.get("Authorization", "")
        # oauth.v2.access authenticates with the app's client id and secret, not a token.
        if method != "oauth.v2.access" and not authorization.startswith("Bearer xox"):
            return web.json_response({"ok": False, "error": "not_authed"})
        call = Call(method, args, token=authorization.removeprefix("Bearer "))
        slowness = self._take_slowness(method)
        if slowness is not None:
            await asyncio.sleep(slowness.seconds)
        failure = self._take_failure(method)
        if failure is not None:
            call.answer = {"ok": False, "error": failure.error}
            await self._record(call)
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after else {}
            return web.json_response(call.answer, status=failure.status, headers=headers)
        call.answer = self._answer(method, args, token=call.token)
        await self._record(call)
        return web.json_response(call.answer)

    def _take_slowness(self, method: str) -> _Slowness | None:
        queue = self._slowness.get(method) or []
        if not queue:
            return None
        slowness = queue[0]
        slowness.times -= 1
        if slowness.times <= 0:
            queue.pop(0)
        return slowness

    def _take_failure(self, method: str) -> _Failure | None:
        queue = self._failures.get(method) or []
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        return failure

    def _answer(self, method: str, args: dict[str, Any], *, token: str = "") -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://fake.slack.com/",
                "team": "Fake",
                "user": "should-we-finetune",
                "team_id": self.teams_by_token.get(token, TEAM_ID),
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
            }
        if method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            return self._message(method, args)
        if method in _SURFACE_METHODS:
            return _SURFACE_METHODS[method](self, args)
        views = ("views.open", "views.push", "views.update")
        if method in views and self.validate_blocks:
            view = args.get("view", {})
            if isinstance(view, str):
                view = json.loads(view)
            problem = check_blocks(view.get("blocks", []), VIEW_MAX_BLOCKS)
            if problem:
                return {"ok": False, "error": "invalid_blocks", "response_metadata": problem}
        if method in views:
            return {"ok": True, "view": {"id": "V1", **args.get("view", {})}}
        if method == "files.getUploadURLExternal":
            if not args.get("filename") or not str(args.get("length", "")).isdigit():
                return {"ok": False, "error": "invalid_arguments"}
            file_id = f"F{next(self._file_ids):04d}"
            upload_url = f"{self.base_url}/upload/{file_id}"
            return {"ok": True, "file_id": file_id, "upload_url": upload_url}
        if method == "files.completeUploadExternal":
            files = args.get("files")
            if isinstance(files, str):
                files = json.loads(files)
            if not files or any(f.get("id") not in self.uploads for f in files):
                return {"ok": False, "error": "file_not_found"}
            return {
                "ok": True,
                "files": [{"id": f["id"], "title": f.get("title", "")} for f in files],
            }
        if method == "conversations.replies":
            thread_ts = str(args.get("ts", ""))
            messages = [
                message
                for ts, message in sorted(self.posted.items())
                if ts == thread_ts or message.get("thread_ts") == thread_ts
            ]
            return {"ok": True, "messages": messages, "has_more": False}
        if method == "chat.delete":
            if self.posted.pop(str(args.get("ts", "")), None) is None:
                return {"ok": False, "error": "message_not_found"}
            return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts")}
        if method == "chat.getPermalink":
            ts = str(args.get("message_ts", "")).replace(".", "")
            return {
                "ok": True,
                "permalink": f"https://fake.slack.com/archives/{args.get('channel')}/p{ts}",
            }
        return {"ok": True}

    def _message(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel", ""))
        if channel in self.not_in_channels:
            return {"ok": False, "error": "not_in_channel"}
        text = args.get("text") or ""
        blocks = args.get("blocks") or []
        if not text and not blocks:
            return {"ok": False, "error": "no_text"}
        if len(text) > MESSAGE_TEXT_MAX_CHARS:
            return {"ok": False, "error": "msg_too_long"}
        problem = check_blocks(blocks, MESSAGE_MAX_BLOCKS) if self.validate_blocks else None
        if problem:
            return {"ok": False, "error": "invalid_blocks", "response_metadata": problem}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self.next_ts()}
        ts = str(args.get("ts")) if method == "chat.update" else self.next_ts()
        if method == "chat.update":
            # Tests also click on messages they made up, which the fake never saw posted.
            if ts in self.posted:
                self.posted[ts]["text"] = text
        else:
            self.posted[ts] = {
                "type": "message",
                "ts": ts,
                "thread_ts": args.get("thread_ts"),
                "text": text,
                "user": BOT_USER_ID,
                "bot_id": BOT_ID,
            }
        return {"ok": True, "channel": channel, "ts": ts, "message": {"text": text, "ts": ts}}


def _views_publish(fake: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    view = args.get("view") or {}
    if view.get("type") != "home" or not args.get("user_id"):
        return {"ok": False, "error": "invalid_arguments"}
    problem = check_blocks(view.get("blocks", []), VIEW_MAX_BLOCKS)
    if problem and fake.validate_blocks:
        return {"ok": False, "error": "invalid_blocks", "response_metadata": problem}
    return {"ok": True, "view": {"id": "VHOME", **view}}


def _schedule_message(fake: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    post_at = int(args.get("post_at") or 0)
    if post_at <= time.time():
        return {"ok": False, "error": "time_in_past"}
    if post_at > time.time() + 120 * 24 * 3600:
        return {"ok": False, "error": "time_too_far"}
    problem = check_blocks(args.get("blocks") or [], MESSAGE_MAX_BLOCKS)
    if problem or not (args.get("text") or args.get("blocks")):
        return {"ok": False, "error": "invalid_blocks" if problem else "no_text"}
    scheduled_id = f"Q{next(fake._ts):08d}"
    fake.scheduled[scheduled_id] = args
    return {
        "ok": True,
        "channel": args.get("channel"),
        "scheduled_message_id": scheduled_id,
        "post_at": post_at,
    }


def _delete_scheduled(fake: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    if fake.scheduled.pop(str(args.get("scheduled_message_id")), None) is None:
        return {"ok": False, "error": "invalid_scheduled_message_id"}
    return {"ok": True}


def _conversations_open(fake: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    return {"ok": True, "channel": {"id": "D" + str(args.get("users", "")).lstrip("U")}}


def _users_conversations(fake: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    channels = fake.user_channels.get(str(args.get("user")), [])
    return {"ok": True, "channels": [{"id": channel} for channel in channels]}


def _oauth_access(fake: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    code = str(args.get("code", ""))
    if not code.startswith("code-"):
        return {"ok": False, "error": "invalid_code"}
    team_id = code.removeprefix("code-")
    token = f"xoxb-{team_id}"
    fake.teams_by_token[token] = team_id
    return {
        "ok": True,
        "app_id": "A0001",
        "authed_user": {"id": "U0001"},
        "scope": "chat:write,commands",
        "token_type": "bot",
        "access_token": token,
        "bot_user_id": BOT_USER_ID,
        "team": {"id": team_id, "name": f"Team {team_id}"},
        "enterprise": None,
        "is_enterprise_install": False,
    }


_SURFACE_METHODS = {
    "views.publish": _views_publish,
    "chat.scheduleMessage": _schedule_message,
    "chat.deleteScheduledMessage": _delete_scheduled,
    "conversations.open": _conversations_open,
    "users.conversations": _users_conversations,
    "oauth.v2.access": _oauth_access,
}


def check_blocks(blocks: Any, max_blocks: int) -> dict[str, list[str]] | None:
    """Slack's `invalid_blocks` details for `blocks`, or None when Slack would accept them."""
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if len(blocks) > max_blocks:
        return {"messages": [f"must be at most {max_blocks} blocks"]}
    for index, raw in enumerate(blocks):
        try:
            block = Block.parse(raw)
            if block is None:
                raise SlackObjectFormationError(f"unknown block type {raw.get('type')}")
            block.to_dict()
        except (SlackObjectFormationError, KeyError, TypeError) as exc:
            return {"messages": [f"[ERROR] block {index}: {exc}"]}
    return None


async def _read_args(request: web.Request) -> dict[str, Any]:
    # slack_sdk sends some methods' arguments in the query string even on POST.
    query: dict[str, Any] = dict(request.query)
    if request.method == "GET":
        return query
    if request.content_type == "application/json":
        return {**query, **dict(await request.json())}
    form = await request.post()
    args: dict[str, Any] = {**query, **{name: str(value) for name, value in form.items()}}
    for name in ("blocks", "view", "attachments", "files"):
        if isinstance(args.get(name), str):
            args[name] = json.loads(args[name])
    return args


async def start_fake_slack(
    port: int = 0, *, validate_blocks: bool = True
) -> tuple[FakeSlack, web.AppRunner]:
    """Start a fake on 127.0.0.1 (a free port when 0); its URL is `fake.base_url`."""
    fake = FakeSlack(validate_blocks=validate_blocks)
    runner = web.AppRunner(fake.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    bound = runner.addresses[0][1]
    fake.base_url = f"http://127.0.0.1:{bound}"
    return fake, runner


async def _serve_forever(port: int, *, validate_blocks: bool) -> None:
    fake, runner = await start_fake_slack(port, validate_blocks=validate_blocks)
    print(fake.base_url, flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--no-validate", action="store_true", help="skip Block Kit checks")
    cli = parser.parse_args()
    asyncio.run(_serve_forever(cli.port, validate_blocks=not cli.no_validate))
