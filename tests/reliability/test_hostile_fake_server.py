"""The fake server under load a test suite gives it: its log readable, its memory flat."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

import aiohttp
import pytest

from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async.errors import InvalidRequestError
from twelvelabs_async.testing import FakeTwelveLabsServer

VIDEO_URL = "https://cdn.example.com/clips/match.mp4"


async def test_request_log_is_readable_over_http() -> None:
    """``GET /_fake/requests`` answers the log as JSON once requests were logged."""
    async with (
        FakeTwelveLabsServer(processing_time=0) as server,
        AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url) as client,
    ):
        task = await client.embed.tasks.create(model_name="marengo3.0", video_url=VIDEO_URL)
        await client.embed.tasks.list(page_limit=5, status="ready").to_list()
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"{server.root_url}/_fake/requests") as resp,
        ):
            assert resp.status == 200
            log: list[dict[str, Any]] = await resp.json()
    assert [r["endpoint"] for r in log] == ["embed.tasks.create", "embed.tasks.list"]
    assert log[0]["task_id"] == task.id
    assert log[1]["query"]["status"] == ["ready"]
    assert all("x-api-key" not in {k.lower() for k in r["headers"]} for r in log)
    assert server.api_key not in json.dumps(log)


#: Creates TASKS ten-minute videos and retrieves each once with a BUDGET-byte body cache;
#: prints the peak RSS growth.
MEMORY_SCRIPT = """
import asyncio, json
from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async.testing import FakeTwelveLabsServer, _state

# A small budget keeps the case fast; what is pinned is that the budget holds.
_state.BODY_CACHE_BYTES = BUDGET

def peak():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM")

async def main():
    async with FakeTwelveLabsServer(processing_time=0, default_duration=600) as server:
        async with AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url) as client:
            first = await client.embed.tasks.create(model_name="marengo3.0", video_url="https://cdn.example.com/v.mp4")
            one = len((await client.embed.tasks.retrieve(first.id)).video_embedding.segments)
            before, size = peak(), 0
            for i in range(TASKS):
                url = f"https://cdn.example.com/v{i}.mp4"
                task = await client.embed.tasks.create(model_name="marengo3.0", video_url=url)
                resp = await client._transport.request("GET", ("embed", "tasks", task.id))
                size = len(resp.body)
            print(json.dumps({"growth": peak() - before, "body": size, "segments": one}))

asyncio.run(main())
"""

TASKS = 20
BUDGET = 8 * 2**20


async def test_fake_server_memory_stays_flat_over_many_tasks() -> None:
    """Retrieving many large tasks once each does not keep every body: memory stays bounded."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        MEMORY_SCRIPT.replace("TASKS", str(TASKS)).replace("BUDGET", str(BUDGET)),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 0, err.decode()
    result = json.loads(out.decode().strip().splitlines()[-1])
    kept_if_unbounded = TASKS * result["body"]
    assert kept_if_unbounded > 60 * 2**20, result  # the case is big enough to tell
    # The body cache's budget, plus the bodies being built and sent, plus slack.
    assert result["growth"] < BUDGET + 3 * result["body"] + 16 * 2**20, result


async def test_request_log_keeps_the_newest_records_within_its_limit() -> None:
    """A server with max_logged_requests keeps at most that much more an eighth, newest last."""
    limit = 40
    async with (
        FakeTwelveLabsServer(processing_time=0, max_logged_requests=limit) as server,
        AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url) as client,
    ):
        task = await client.embed.tasks.create(
            model_name="marengo3.0", video_url="https://cdn.example.com/log.mp4"
        )
        assert task.id is not None
        for _ in range(299):
            await client.embed.tasks.status(task.id)
        assert limit <= len(server.requests) <= limit + limit // 8
        assert server.dropped_requests + len(server.requests) == 300
        assert server.requests[-1].endpoint == "embed.tasks.status"
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"{server.root_url}/_fake/requests") as resp,
        ):
            log = await resp.json()
            dropped = int(resp.headers["X-Fake-Dropped-Requests"])
        assert len(log) + dropped == 300


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "10"])
def test_request_log_limit_is_checked(bad: object) -> None:
    """A limit that is not a whole number of at least one is refused, naming the option."""
    with pytest.raises(InvalidRequestError, match="max_logged_requests"):
        FakeTwelveLabsServer(max_logged_requests=bad)  # type: ignore[arg-type]


def test_shell_fake_keeps_a_bounded_log_by_default() -> None:
    """The shell fake's log is bounded unless --max-logged-requests 0 asks for every request."""
    from twelvelabs_async.testing.__main__ import LOG_LIMIT, _parser

    assert _parser().parse_args([]).max_logged_requests == LOG_LIMIT
    assert _parser().parse_args(["--max-logged-requests", "0"]).max_logged_requests == 0
