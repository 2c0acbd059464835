"""Chunk PUTs and multipart sessions against hostile loopback servers written for the test.

Nothing here uses the fake server: the API answers are built from the facts (section 17 of
the API reference: minimal and odd bodies), and the storage host is a bare aiohttp app
that records exactly what reached it.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest
from aiohttp import web

from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async._transport._session import SessionPool
from twelvelabs_async._transport._storage import ChunkPutError, FileSlices, Storage
from twelvelabs_async.errors import AssetFailedError, InvalidRequestError, UploadError
from twelvelabs_async.types import Timeout

KEY = "tlk_hostile_test_key"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Host:
    """A loopback server whose single handler the test sets; it records every request."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, dict[str, str], bytes]] = []
        self.handler: Handler | None = None
        self.runner: web.AppRunner | None = None
        self.port = 0

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        self.seen.append((request.method, request.path_qs, dict(request.headers), body))
        assert self.handler is not None
        return await self.handler(request)

    async def start(self) -> Host:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self.runner.addresses[0][1])
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def close(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()


@pytest.fixture
async def storage_host() -> AsyncIterator[Host]:
    """A bare storage host."""
    host = await Host().start()
    yield host
    await host.close()


@pytest.fixture
async def api_host() -> AsyncIterator[Host]:
    """A bare API host."""
    host = await Host().start()
    yield host
    await host.close()


def _file(tmp_path: Path, size: int) -> Path:
    path = tmp_path / "clip.mp4"
    path.write_bytes(os.urandom(size))
    return path


async def test_put_sends_only_the_upload_headers_and_the_exact_slice(
    storage_host: Host, tmp_path: Path
) -> None:
    """A chunk PUT carries the session's headers, Host and Content-Length, and the slice."""

    async def ok(_request: web.Request) -> web.Response:
        return web.Response(headers={"ETag": '"abc123"'})

    storage_host.handler = ok
    path = _file(tmp_path, 3 * 1024 * 1024 + 7)
    pool = SessionPool(session=None, connection_limit=4, trust_env=False)
    source = FileSlices(str(path))
    try:
        etag = await Storage(pool, Timeout()).put(
            f"{storage_host.url}/bucket/c1?X-Amz-Signature=s",
            {"x-amz-acl": "private"},
            source,
            1024 * 1024,
            2 * 1024 * 1024 + 7,
        )
    finally:
        source.close()
        await pool.aclose()
    assert etag == "abc123"
    ((method, where, headers, body),) = storage_host.seen
    assert method == "PUT"
    assert where == "/bucket/c1?X-Amz-Signature=s"
    assert {k.lower() for k in headers} == {"host", "content-length", "x-amz-acl"}
    assert headers["Content-Length"] == str(2 * 1024 * 1024 + 7)
    assert body == path.read_bytes()[1024 * 1024 :]


async def test_put_without_etag_is_a_retryable_chunk_error(
    storage_host: Host, tmp_path: Path
) -> None:
    """A 200 without an ETag is no proof of upload: ChunkPutError, so the chunk is retried."""

    async def no_etag(_request: web.Request) -> web.Response:
        return web.Response(status=200)

    storage_host.handler = no_etag
    pool = SessionPool(session=None, connection_limit=4, trust_env=False)
    source = FileSlices(str(_file(tmp_path, 100)))
    try:
        with pytest.raises(ChunkPutError, match="without an ETag"):
            await Storage(pool, Timeout()).put(f"{storage_host.url}/c", {}, source, 0, 100)
    finally:
        source.close()
        await pool.aclose()


async def test_borrowed_session_with_default_headers_is_refused_before_sending(
    storage_host: Host, tmp_path: Path
) -> None:
    """A user session whose default headers would reach the storage host is refused unsent."""
    async with aiohttp.ClientSession(headers={"Authorization": "Bearer t"}) as session:
        pool = SessionPool(session=session, connection_limit=4, trust_env=False)
        source = FileSlices(str(_file(tmp_path, 100)))
        try:
            with pytest.raises(InvalidRequestError, match="default headers"):
                await Storage(pool, Timeout()).put(f"{storage_host.url}/c", {}, source, 0, 100)
        finally:
            source.close()
    assert storage_host.seen == []


def _api(storage: Host, total: int, chunk: int, **session: Any) -> Handler:
    """An API that opens a session (fields as in the facts) and accepts what follows."""
    state: dict[str, Any] = {"reports": []}

    async def handle(request: web.Request) -> web.Response:
        path = request.path
        if request.method == "POST" and path.endswith("/assets/multipart-uploads"):
            body = {
                "upload_id": "up_1",
                "asset_id": "as_1",
                "upload_urls": [],
                "upload_headers": {},
                "chunk_size": chunk,
                "total_chunks": -(-total // chunk),
                "expires_at": "2099-01-01T00:00:00Z",
                **session,
            }
            return web.json_response(body, status=201)
        if path.endswith("/presigned-urls"):
            ask = await request.json()
            urls = [
                {"chunk_index": i, "url": f"{storage.url}/c/{i}", "expires_at": None}
                for i in range(ask["start"], ask["start"] + ask["count"])
            ]
            return web.json_response({"upload_urls": urls})
        if request.method == "POST" and path.endswith("/up_1"):
            state["reports"].append(await request.json())
            return web.json_response({})  # every field is optional in the facts
        if path.endswith("/assets/as_1"):
            return web.json_response(
                {"_id": "as_1", "status": "failed", "error": "unsupported codec"}
            )
        return web.json_response({"code": "not_found", "message": "?"}, status=404)

    return handle


async def test_session_that_does_not_fit_the_file_fails_before_any_put(
    api_host: Host, storage_host: Host, tmp_path: Path
) -> None:
    """A chunk count that does not describe the file raises UploadError; storage sees nothing."""
    path = _file(tmp_path, 1000)
    api_host.handler = _api(storage_host, 1000, 300, total_chunks=9)
    async with AsyncTwelveLabs(api_key=KEY, base_url=api_host.url) as client:
        with pytest.raises(UploadError, match="does not fit"):
            await client.multipart_upload.upload_file(path)
    assert storage_host.seen == []


async def test_minimal_answers_and_missing_urls_still_upload_every_chunk(
    api_host: Host, storage_host: Host, tmp_path: Path
) -> None:
    """No URLs at first and empty report answers: URLs are asked for, every chunk reported."""
    path = _file(tmp_path, 130 * 100 + 5)
    api_host.handler = _api(storage_host, path.stat().st_size, 100)

    async def store(request: web.Request) -> web.Response:
        return web.Response(headers={"ETag": f'"e{request.path.rsplit("/", 1)[-1]}"'})

    storage_host.handler = store
    async with AsyncTwelveLabs(api_key=KEY, base_url=api_host.url) as client:
        result = await client.multipart_upload.upload_file(path, concurrency=8, batch_size=25)
    assert result.asset_id == "as_1"
    assert result.asset_url == ""
    asks = [orjson.loads(b) for m, p, _, b in api_host.seen if p.endswith("presigned-urls")]
    assert all(a["count"] <= 50 for a in asks)
    reported = [
        c
        for m, p, _, b in api_host.seen
        if p.endswith("/up_1")
        for c in orjson.loads(b)["completed_chunks"]
    ]
    assert sorted(c["chunk_index"] for c in reported) == list(range(1, 132))
    assert all(c["proof"] == f"e{c['chunk_index']}" for c in reported)
    assert all(KEY not in str(h) for _, _, h, _ in storage_host.seen)


async def test_failed_asset_with_a_string_error_raises_its_text(api_host: Host) -> None:
    """An asset whose error is a bare string (the shape is undocumented) keeps the text."""
    api_host.handler = _api(api_host, 1, 1)
    async with AsyncTwelveLabs(api_key=KEY, base_url=api_host.url) as client:
        with pytest.raises(AssetFailedError, match="unsupported codec"):
            await client.assets.wait_for_ready("as_1", sleep_interval=0.01)
