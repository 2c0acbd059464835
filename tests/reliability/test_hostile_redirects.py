"""Hostile redirects and stalls: typed, explicit errors; the key never reaches another port."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from hostile import head, raw_server

from twelvelabs_async import (
    APIStatusError,
    APITimeoutError,
    AsyncTwelveLabs,
    RequestOptions,
    Timeout,
)

KEY = "tlk-hostile-redirects-0123456789"


class Redirector:
    """Answers every request with ``status`` and a ``Location``, recording what it received."""

    def __init__(self, status: int, location: str) -> None:
        self.status = status
        self.location = location
        self.keys: list[str | None] = []
        self.app = web.Application()
        self.app.router.add_route("*", "/{tail:.*}", self.handle)

    async def handle(self, request: web.Request) -> web.Response:
        """Record the key sent, answer the redirect."""
        self.keys.append(request.headers.get("x-api-key"))
        return web.Response(status=self.status, headers={"Location": self.location})


@pytest.fixture
async def servers() -> AsyncIterator[tuple[Redirector, str, Redirector, str]]:
    """Two redirecting servers on 127.0.0.1 (different ports), with their base URLs."""
    first, second = Redirector(302, "/"), Redirector(200, "/")
    async with (
        TestServer(first.app, host="127.0.0.1") as one,
        TestServer(second.app, host="127.0.0.1") as two,
    ):
        yield first, str(one.make_url("/v1.3")), second, str(two.make_url("/v1.3"))


@pytest.mark.parametrize(
    "location", ["http://[::1", "http://127.0.0.1:99999/x", "http://exa mple.com:x/"]
)
async def test_malformed_location_is_a_status_error(
    servers: tuple[Redirector, str, Redirector, str], location: str
) -> None:
    """A Location that is not a URL raises APIStatusError naming it, not yarl's ValueError."""
    first, url, _, _ = servers
    first.location = location
    async with AsyncTwelveLabs(KEY, base_url=url) as client:
        with pytest.raises(APIStatusError, match="not a URL") as info:
            await client.embed.tasks.status("t1")
    assert info.value.status_code == 302


async def test_redirect_loop_says_too_many_redirects(
    servers: tuple[Redirector, str, Redirector, str],
) -> None:
    """A server redirecting to itself forever ends with a "too many redirects" error."""
    first, url, _, _ = servers
    first.location = "/v1.3/embed/tasks/t1/status"
    async with AsyncTwelveLabs(KEY, base_url=url) as client:
        with pytest.raises(APIStatusError, match="too many redirects") as info:
            await client.embed.tasks.status("t1")
    assert info.value.status_code == 302
    assert len(first.keys) == 6  # the call and 5 redirects followed


async def test_cross_port_redirect_names_the_port_and_keeps_the_key(
    servers: tuple[Redirector, str, Redirector, str],
) -> None:
    """A redirect to another port of the same host is refused; the message names that port."""
    first, url, second, other = servers
    port = other.split(":")[2].split("/")[0]
    first.location = other + "/embed/tasks/t1/status"
    async with AsyncTwelveLabs(KEY, base_url=url) as client:
        with pytest.raises(APIStatusError, match=f"to http://127.0.0.1:{port};"):
            await client.embed.tasks.status("t1")
    assert second.keys == []


async def test_silent_server_hits_the_read_timeout() -> None:
    """A server that sends headers and then nothing is given up on after the read timeout."""

    async def stall(writer: asyncio.StreamWriter) -> None:
        writer.write(head(200, content_length="100", content_type="application/json"))
        await writer.drain()
        await asyncio.sleep(3)

    async with raw_server(stall) as url:
        timeout = Timeout(total=30, read=0.3)
        async with AsyncTwelveLabs(KEY, base_url=url, timeout=timeout, max_retries=1) as client:
            started = time.monotonic()
            with pytest.raises(APITimeoutError, match=r"no byte for 0.3 s"):
                await client.embed.tasks.status("t1")
    assert time.monotonic() - started < 5


async def test_sync_embeddings_may_compute_past_the_read_timeout() -> None:
    """A sync embedding answered after the client's read timeout still succeeds; a GET does not."""

    async def slow(request: web.Request) -> web.Response:
        await request.read()
        await asyncio.sleep(0.8)
        if request.method == "GET":
            return web.json_response({"_id": "t1", "status": "ready"})
        segments = [{"float": [0.1, 0.2]}]
        return web.json_response(
            {"model_name": "marengo3.0", "text_embedding": {"segments": segments}}
        )

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", slow)
    async with (
        TestServer(app, host="127.0.0.1") as server,
        AsyncTwelveLabs(
            KEY,
            base_url=str(server.make_url("/v1.3")),
            timeout=Timeout(total=20, read=0.3),
            max_retries=0,
        ) as client,
    ):
        result = await client.embed.create(model_name="marengo3.0", text="a cat")
        assert result.text_embedding is not None
        with pytest.raises(APITimeoutError, match="read timeout"):
            await client.embed.tasks.status("t1")
        bounded = RequestOptions(timeout=Timeout(total=20, read=0.3))
        with pytest.raises(APITimeoutError, match="read timeout"):
            await client.embed.create(
                model_name="marengo3.0", text="a cat", request_options=bounded
            )
