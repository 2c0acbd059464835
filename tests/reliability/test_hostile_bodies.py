"""A hostile server cannot make a call hold more than ``max_response_size`` of a body.

Each case runs the client in a subprocess against a raw loopback server and reads the
growth of its peak RSS during the call: it must stay within the limit plus a small
constant (aiohttp's read buffers, the interpreter's arenas), whatever the server sends.
"""

from __future__ import annotations

import asyncio
import gzip
import time
from collections.abc import AsyncIterator

import orjson
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from hostile import (
    MIB,
    Responder,
    declared_huge,
    endless_chunked,
    gzip_bomb,
    head,
    raw_server,
    run_client,
)

from twelvelabs_async import AsyncTwelveLabs, RequestOptions, ResponseTooLargeError
from twelvelabs_async._transport import DEFAULT_MAX_RESPONSE_SIZE

KEY = "tlk-hostile-bodies-0123456789"
LIMIT = 16 * MIB
#: Peak RSS a call may add beyond the body itself (buffers, allocator slack).
SLACK = 48 * MIB


@pytest.mark.parametrize(
    ("respond", "declared"),
    [(declared_huge, True), (endless_chunked, False), (gzip_bomb, False)],
    ids=["content-length-2GiB", "endless-chunked", "gzip-bomb"],
)
async def test_hostile_body_stays_within_the_limit(respond: Responder, declared: bool) -> None:
    """A 2 GiB declared length, an endless chunked body or a gzip bomb end in a typed error."""
    async with raw_server(respond) as url:
        started = time.monotonic()
        result = await run_client(url, LIMIT)
    assert result["outcome"] == "too_large", result
    assert f"max_response_size={LIMIT}" in result["message"]
    assert "RequestOptions(max_response_size=...)" in result["message"]
    assert ("declared 2147483648 bytes" in result["message"]) is declared
    assert result["growth"] <= LIMIT + SLACK, result["growth"] / MIB
    assert time.monotonic() - started < 10


async def test_declared_length_is_refused_before_reading() -> None:
    """A body declared larger than the limit is refused at once, with the figures on the error."""
    async with (
        raw_server(declared_huge) as url,
        AsyncTwelveLabs(KEY, base_url=url, max_retries=3, max_response_size=LIMIT) as client,
    ):
        with pytest.raises(ResponseTooLargeError) as info:
            await client.embed.tasks.status("task-1")
    assert (info.value.limit, info.value.size, info.value.declared) == (LIMIT, 2 << 30, True)


async def _serve_big(request: web.Request) -> web.Response:
    body = orjson.dumps({"_id": "t1", "status": "ready", "pad": "x" * (2 * MIB)})
    if request.query.get("gzip"):
        return web.Response(
            body=gzip.compress(body),
            headers={"Content-Encoding": "gzip"},
            content_type="application/json",
        )
    return web.Response(body=body, content_type="application/json")


@pytest.fixture
async def big_url() -> AsyncIterator[str]:
    """A server answering a 2 MiB JSON status, gzipped when asked with ``?gzip=1``."""
    app = web.Application()
    app.router.add_get("/v1.3/embed/tasks/{task_id}/status", _serve_big)
    async with TestServer(app, host="127.0.0.1") as server:
        yield str(server.make_url("/v1.3"))


@pytest.mark.parametrize("compressed", [False, True])
async def test_limit_is_set_per_client_and_per_call(big_url: str, compressed: bool) -> None:
    """The client's limit refuses a 2 MiB body; a call's RequestOptions raises it for that call."""
    params = {"gzip": "1"} if compressed else None
    async with AsyncTwelveLabs(KEY, base_url=big_url, max_response_size=MIB) as client:
        with pytest.raises(ResponseTooLargeError, match="max_response_size=1048576"):
            await client._transport.request(
                "GET", ("embed", "tasks", "t1", "status"), params=params
            )
        raised = RequestOptions(max_response_size=4 * MIB)
        resp = await client._transport.request(
            "GET", ("embed", "tasks", "t1", "status"), params=params, options=raised
        )
        assert resp.json()["status"] == "ready"
        copy = client.with_options(max_response_size=4 * MIB)
        assert (await copy.embed.tasks.status("t1")).status == "ready"


def test_default_limit_fits_the_largest_retrieve() -> None:
    """The default holds a 3,600 x 1,024-float retrieve (about 78 MB) several times over."""
    # 20 characters per float as JSON (sign, digits, comma), one embedding option.
    largest = 3600 * 1024 * 20
    assert 3 * largest <= DEFAULT_MAX_RESPONSE_SIZE


async def test_error_status_body_is_bounded_too() -> None:
    """An error answer with an endless body is cut off like a success one, never retried."""

    async def endless_500(writer: asyncio.StreamWriter) -> None:
        writer.write(head(500, transfer_encoding="chunked"))
        frame = f"{MIB:x}\r\n".encode() + b"<" * MIB + b"\r\n"
        for _ in range(64):
            writer.write(frame)
            await writer.drain()

    async with (
        raw_server(endless_500) as url,
        AsyncTwelveLabs(KEY, base_url=url, max_response_size=MIB) as client,
    ):
        with pytest.raises(ResponseTooLargeError):
            await client.embed.tasks.status("task-1")
