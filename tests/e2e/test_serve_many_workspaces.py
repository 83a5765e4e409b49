"""`serve` as an operator runs it, in many-workspace mode: a team installs through
/slack/install and its events are answered, by the worker process, with its own token."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from pathlib import Path

import aiohttp
from cryptography.fernet import Fernet

from bot.adapters.store.installations import build_installation_stores
from bot.settings import Settings
from tests.support.fake_slack import start_fake_slack
from tests.support.serve_process import SIGNING_SECRET, mention, signed_headers, start_serve
from tests.support.slack_requests import next_ts
from tests.support.surface_requests import team_event_body

TEAM = "T7"


async def test_serve_installs_a_workspace_and_answers_it_with_its_token(
    redis_url: str, tmp_path: Path
) -> None:
    """With a client id and secret and no bot token, `serve` runs the install flow, and the
    worker process answers the installed team's mention with that team's token."""
    slack, runner = await start_fake_slack()
    env = {
        "SLACK_CLIENT_ID": f"app-{uuid.uuid4().hex[:8]}",
        "SLACK_CLIENT_SECRET": "client-secret-value",
        "SLACK_TOKEN_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": f"{slack.base_url}/api/",
        "REDIS_URL": redis_url,
    }
    served = start_serve(env=env, stderr_path=tmp_path / "serve.log")
    try:
        await served.wait_until_healthy()
        async with aiohttp.ClientSession() as http:
            async with http.get(served.base_url + "/slack/install") as page:
                assert page.status == 200
                state = re.search(r"state=([\w\-]+)", await page.text())
                cookie = page.headers["Set-Cookie"].split(";", 1)[0]
            assert state is not None
            redirect = f"/slack/oauth_redirect?code=code-{TEAM}&state={state.group(1)}"
            async with http.get(served.base_url + redirect, headers={"Cookie": cookie}) as done:
                assert done.status == 200, await done.text()
        ts = next_ts()
        body = team_event_body(mention(channel="C0700", ts=ts, text="we want a bot"), team_id=TEAM)
        raw = body.encode()
        assert await served.post_event(raw, headers=signed_headers(raw)) == 200
        for _ in range(100):
            if slack.in_thread(ts):
                break
            await asyncio.sleep(0.1)
        [reply] = slack.in_thread(ts)
        assert reply.token == f"xoxb-{TEAM}"
        served.terminate()
        await served.wait_exit(timeout_seconds=30)
        log = served.log_text()
        assert "client-secret-value" not in log and f"xoxb-{TEAM}" not in log
        assert all(json.loads(line) for line in log.splitlines() if line.strip())
    finally:
        served.kill()
        await runner.cleanup()
        installations, _ = build_installation_stores(Settings.from_env(env))
        await installations.async_delete_all(enterprise_id=None, team_id=TEAM)
        await installations.aclose()
