"""The fake server's command line and pytest fixtures."""

from __future__ import annotations

import asyncio
import sys

import aiohttp
import pytest

from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async.testing import FakeTwelveLabsServer


async def test_cli_prints_the_base_url_and_serves() -> None:
    """`python -m twelvelabs_async.testing --port 0` prints a /v1.3 base URL that answers."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "twelvelabs_async.testing",
        "--port",
        "0",
        "--api-key",
        "tlk_cli",
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode().strip()
        assert line.startswith("http://127.0.0.1:")
        assert line.endswith("/v1.3")
        async with (
            aiohttp.ClientSession(headers={"x-api-key": "tlk_cli"}) as http,
            http.get(line + "/embed/tasks") as resp,
        ):
            assert resp.status == 200
    finally:
        proc.terminate()
        await proc.wait()


async def test_fixture_gives_a_started_server(fake_twelvelabs: FakeTwelveLabsServer) -> None:
    """The fake_twelvelabs fixture is a running FakeTwelveLabsServer."""
    assert isinstance(fake_twelvelabs, FakeTwelveLabsServer)
    key = {"x-api-key": fake_twelvelabs.api_key}
    async with (
        aiohttp.ClientSession(headers=key) as http,
        http.get(fake_twelvelabs.base_url + "/embed-v2/tasks") as resp,
    ):
        assert resp.status == 200


@pytest.mark.fake_twelvelabs(processing_time=7, default_duration=12.0)
async def test_marker_passes_server_options(fake_twelvelabs: FakeTwelveLabsServer) -> None:
    """Options in the fake_twelvelabs marker reach the server's constructor."""
    assert fake_twelvelabs.state.processing_time == 7
    assert fake_twelvelabs.state.default_duration == 12.0


async def test_client_fixture_points_at_the_fake(
    fake_twelvelabs_client: AsyncTwelveLabs, fake_twelvelabs: FakeTwelveLabsServer
) -> None:
    """fake_twelvelabs_client is an AsyncTwelveLabs whose requests reach the fake server."""
    task = await fake_twelvelabs_client.embed.tasks.create(
        model_name="marengo3.0", video_url="https://x/v.mp4"
    )
    assert task.id in fake_twelvelabs.state.tasks
