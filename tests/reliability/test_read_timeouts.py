"""Read-inactivity timeouts over real sockets: slow is not stalled, stalled is given up on.

The pool keeps read deadlines on one watchdog timer rather than aiohttp's per-request
timers; these tests pin the behaviour a user relies on, whichever of the two keeps it.
"""

from __future__ import annotations

import asyncio
import struct
import time
from collections.abc import AsyncIterator

import orjson
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from hostile import head, raw_server

from twelvelabs_async import APITimeoutError, AsyncTwelveLabs, Timeout
from twelvelabs_async._transport import _watchdog

KEY = "tlk-read-timeouts-0123456789"
STATUS = orjson.dumps({"_id": "t1", "model_name": "marengo3.0", "status": "processing"})


async def drip(writer: asyncio.StreamWriter) -> None:
    """The status body in ten pieces 0.1 s apart: 1 s in all, never 0.3 s without a byte."""
    writer.write(head(200, content_length=str(len(STATUS)), content_type="application/json"))
    step = -(-len(STATUS) // 10)
    for i in range(0, len(STATUS), step):
        await writer.drain()
        await asyncio.sleep(0.1)
        writer.write(STATUS[i : i + step])
    await writer.drain()


async def stall(writer: asyncio.StreamWriter) -> None:
    """Headers, then nothing for 3 s."""
    writer.write(head(200, content_length="100", content_type="application/json"))
    await writer.drain()
    await asyncio.sleep(3)


async def test_a_body_that_keeps_arriving_is_not_a_stall() -> None:
    """A body trickling in for 1 s under a 0.3 s read timeout is read whole: each byte resets it."""
    async with (
        raw_server(drip) as url,
        AsyncTwelveLabs(KEY, base_url=url, timeout=Timeout(total=20, read=0.3)) as client,
    ):
        started = time.monotonic()
        status = await client.embed.tasks.status("t1")
    assert status.status == "processing"
    assert time.monotonic() - started >= 0.9


@pytest.fixture
async def slow_reader() -> AsyncIterator[str]:
    """A server that reads request bodies at about 25 MiB/s, then answers a created task.

    Fast enough that what the kernel buffers once the client has written everything is read
    well within the read timeout (the clock starts when the client has sent, not when the
    server has read), slow enough that the whole upload outlasts it.
    """

    async def handle(request: web.Request) -> web.Response:
        async for _ in request.content.iter_chunked(256 * 1024):
            await asyncio.sleep(0.01)
        return web.json_response({"_id": "t1"})

    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_route("*", "/{tail:.*}", handle)
    async with TestServer(app, host="127.0.0.1") as server:
        yield str(server.make_url("/v1.3"))


async def test_a_slow_upload_does_not_count_as_waiting_for_the_answer(slow_reader: str) -> None:
    """Sending a body for over a second under a 0.5 s read timeout: the clock starts once sent."""
    header = struct.pack(">I4s4sI4s4s", 24, b"ftyp", b"isom", 512, b"isom", b"mp41")
    video = header + bytes(32 * 1024 * 1024)
    async with AsyncTwelveLabs(
        KEY, base_url=slow_reader, timeout=Timeout(total=30, read=0.5), max_retries=0
    ) as client:
        started = time.monotonic()
        task = await client.embed.tasks.create(
            model_name="marengo3.0", video_file=("clip.mp4", video)
        )
    assert task.id == "t1"
    assert time.monotonic() - started > 1.0


@pytest.fixture
async def half_stalled() -> AsyncIterator[str]:
    """A server that answers task ``ok`` at once and sends only the headers for any other."""

    async def handle(request: web.Request) -> web.StreamResponse:
        if request.match_info["tail"].endswith("/ok/status"):
            return web.Response(body=STATUS, content_type="application/json")
        response = web.StreamResponse(headers={"Content-Length": "100"})
        await response.prepare(request)
        await asyncio.sleep(3)
        return response

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    async with TestServer(app, host="127.0.0.1") as server:
        yield str(server.make_url("/v1.3"))


async def test_stalled_and_healthy_calls_share_a_client(half_stalled: str) -> None:
    """Of 40 concurrent calls on one client, the 20 stalled time out and the 20 others succeed."""
    async with AsyncTwelveLabs(
        KEY, base_url=half_stalled, timeout=Timeout(total=20, read=0.3), max_retries=0
    ) as client:
        started = time.monotonic()
        results = await asyncio.gather(
            *(client.embed.tasks.status("stuck") for _ in range(20)),
            *(client.embed.tasks.status("ok") for _ in range(20)),
            return_exceptions=True,
        )
        elapsed = time.monotonic() - started
        connector = client._transport.pool.get().connector
        assert connector is not None
        watchdog = connector._factory.keywords["watchdog"]
        assert len(watchdog) == 0
    assert all(isinstance(r, APITimeoutError) for r in results[:20])
    assert not any(isinstance(r, BaseException) for r in results[20:])
    assert elapsed < 2.5


async def test_stock_aiohttp_timers_still_time_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """On an aiohttp without the watchdog's hooks, its own read timeout still fails a stall."""
    monkeypatch.setattr(_watchdog, "hooks_available", lambda: False)
    async with (
        raw_server(stall) as url,
        AsyncTwelveLabs(
            KEY, base_url=url, timeout=Timeout(total=20, read=0.3), max_retries=0
        ) as client,
    ):
        started = time.monotonic()
        with pytest.raises(APITimeoutError, match=r"no byte for 0.3 s"):
            await client.embed.tasks.status("t1")
    assert time.monotonic() - started < 2
