"""What the transport puts on the wire, checked by a real aiohttp server on 127.0.0.1."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from twelvelabs_async import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncTwelveLabs,
    InvalidRequestError,
    NotFoundError,
    RateLimitError,
    RequestOptions,
    ResponseValidationError,
    __version__,
)

KEY = "tlk-wire-test-key-1234567890"


class Recorder:
    """An aiohttp app that records requests and answers as told per path."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.app = web.Application()
        self.app.router.add_route("*", "/{tail:.*}", self.handle)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        self.requests.append(
            {
                "method": request.method,
                "raw_path": request.raw_path,
                "headers": dict(request.headers),
                "body": body,
            }
        )
        tail = request.match_info["tail"]
        if tail.endswith("missing"):
            return web.json_response(
                {"code": "resource_not_exist", "message": f"echo {KEY}"},
                status=404,
                headers={"x-request-id": "req-42"},
            )
        if tail.endswith("limited"):
            return web.json_response({}, status=429, headers={"Retry-After": "0"})
        if tail.endswith("slow"):
            import asyncio

            await asyncio.sleep(5)
        if tail.endswith("notjson"):
            return web.Response(body=b"<html>", content_type="text/html")
        if tail.endswith("bounce"):
            raise web.HTTPFound(location=request.query["to"])
        return web.json_response({"ok": True})


@pytest.fixture
async def server() -> AsyncIterator[tuple[Recorder, TestServer]]:
    """A recording server on 127.0.0.1."""
    rec = Recorder()
    srv = TestServer(rec.app, host="127.0.0.1")
    async with srv:
        yield rec, srv


@pytest.fixture
async def client(server: tuple[Recorder, TestServer]) -> AsyncIterator[AsyncTwelveLabs]:
    """A client pointed at the recording server, with retries that do not sleep."""

    async def no_sleep(_: float) -> None:
        return None

    c = AsyncTwelveLabs(KEY, base_url=str(server[1].make_url("/v1.3")))
    c._transport.sleep = no_sleep
    yield c
    await c.aclose()


async def test_headers_and_path(client: AsyncTwelveLabs, server: tuple[Recorder, Any]) -> None:
    """Every call carries the key, our User-Agent and Accept, under the base URL's /v1.3."""
    await client._transport.request("GET", "embed/tasks")
    (req,) = server[0].requests
    assert req["raw_path"] == "/v1.3/embed/tasks"
    assert req["headers"]["x-api-key"] == KEY
    assert req["headers"]["User-Agent"] == f"twelvelabs-async/{__version__}"
    assert req["headers"]["Accept"] == "application/json"


async def test_segments_are_quoted(client: AsyncTwelveLabs, server: tuple[Recorder, Any]) -> None:
    """A path given as segments has each segment quoted, so an id cannot change the path."""
    await client._transport.request("GET", ("embed-v2", "tasks", "a/../b c?x"))
    assert server[0].requests[0]["raw_path"] == "/v1.3/embed-v2/tasks/a%2F..%2Fb%20c%3Fx"


@pytest.mark.parametrize("path", ["/embed/tasks", "", ("embed", ""), ("embed", "..")])
async def test_bad_paths_are_refused(client: AsyncTwelveLabs, path: Any) -> None:
    """Absolute paths and empty or dot segments raise before any request."""
    with pytest.raises(InvalidRequestError):
        await client._transport.request("GET", path)


async def test_query_order_is_kept(client: AsyncTwelveLabs, server: tuple[Recorder, Any]) -> None:
    """Query pairs reach the server in the order given, repeated keys included."""
    await client._transport.request(
        "GET", "embed/tasks", params=[("b", "2"), ("a", ["x", "y"]), ("c", None), ("d", 1.5)]
    )
    assert server[0].requests[0]["raw_path"] == "/v1.3/embed/tasks?b=2&a=x&a=y&d=1.5"


async def test_json_body(client: AsyncTwelveLabs, server: tuple[Recorder, Any]) -> None:
    """A JSON body is sent compact, with its content type, and the response decodes."""
    resp = await client._transport.request("POST", "embed-v2", json={"text": {"input_text": "é"}})
    req = server[0].requests[0]
    assert req["body"] == '{"text":{"input_text":"é"}}'.encode()
    assert req["headers"]["Content-Type"] == "application/json"
    assert resp.json() == {"ok": True}


async def test_extra_headers_cannot_replace_the_key(
    client: AsyncTwelveLabs, server: tuple[Recorder, Any]
) -> None:
    """Per-call headers are sent, but x-api-key stays the client's."""
    opts = RequestOptions(extra_headers={"X-Trace": "t1", "X-API-KEY": "other"})
    await client._transport.request("GET", "embed/tasks", options=opts)
    headers = server[0].requests[0]["headers"]
    assert headers["X-Trace"] == "t1"
    assert headers["x-api-key"] == KEY


async def test_invalid_json_response(client: AsyncTwelveLabs) -> None:
    """A 2xx body that is not JSON raises ResponseValidationError from .json()."""
    resp = await client._transport.request("GET", "notjson")
    with pytest.raises(ResponseValidationError):
        resp.json()


async def test_status_error_fields(client: AsyncTwelveLabs) -> None:
    """A 404 carries code, request id and a message naming method and path."""
    with pytest.raises(NotFoundError) as info:
        await client._transport.request("GET", ("embed-v2", "tasks", "missing"))
    err = info.value
    assert err.code == "resource_not_exist"
    assert err.request_id == "req-42"
    assert "(GET embed-v2/tasks/missing)" in str(err)


async def test_per_call_timeout(client: AsyncTwelveLabs) -> None:
    """RequestOptions(timeout=...) bounds one attempt and maps to APITimeoutError."""
    opts = RequestOptions(timeout=0.2, max_retries=0)
    with pytest.raises(APITimeoutError):
        await client._transport.request("GET", "slow", options=opts)


async def test_cross_host_redirect_does_not_carry_the_key(
    client: AsyncTwelveLabs, server: tuple[Recorder, Any]
) -> None:
    """A redirect to another origin is refused, so the other host never sees the key."""
    other = Recorder()
    async with TestServer(other.app, host="127.0.0.1") as srv2:
        target = str(srv2.make_url("/steal"))
        with pytest.raises(APIStatusError) as info:
            await client._transport.request("GET", "bounce", params={"to": target})
    assert other.requests == []
    assert info.value.status_code == 302
    assert "not followed" in str(info.value)


async def test_same_origin_redirect_is_followed(
    client: AsyncTwelveLabs, server: tuple[Recorder, Any]
) -> None:
    """A GET redirected within the same origin is followed, key included."""
    target = str(server[1].make_url("/v1.3/embed/tasks"))
    resp = await client._transport.request("GET", "bounce", params={"to": target})
    assert resp.json() == {"ok": True}
    assert [r["raw_path"] for r in server[0].requests][-1] == "/v1.3/embed/tasks"
    assert server[0].requests[-1]["headers"]["x-api-key"] == KEY


async def test_key_never_leaks(
    client: AsyncTwelveLabs, caplog: pytest.LogCaptureFixture, tmp_path: Any
) -> None:
    """The key is absent from the repr, from every error's str/repr/args and from DEBUG logs."""
    caplog.set_level(logging.DEBUG, logger="twelvelabs_async")
    errors: list[BaseException] = []
    video = tmp_path / "v.mp4"
    video.write_bytes(b"v" * 1000)
    await client._transport.request("POST", "embed", multipart=[("f", video), ("t", "x")])
    for path in ("missing", "limited"):
        with pytest.raises(APIStatusError) as info:
            await client._transport.request("GET", path)
        errors.append(info.value)
    with pytest.raises(APITimeoutError) as tinfo:
        await client._transport.request(
            "GET", "slow", options=RequestOptions(timeout=0.1, max_retries=1)
        )
    errors.append(tinfo.value)
    closed = AsyncTwelveLabs(KEY, base_url="http://127.0.0.1:9/v1.3", max_retries=0)
    with pytest.raises(APIConnectionError) as cinfo:
        await closed._transport.request("GET", "x")
    await closed.aclose()
    errors.append(cinfo.value)
    with pytest.raises(InvalidRequestError) as iinfo:
        await client._transport.request("POST", "embed", multipart=[("f", tmp_path / "nope")])
    errors.append(iinfo.value)

    assert isinstance(errors[1], RateLimitError)
    assert KEY not in repr(client)
    assert KEY not in repr(client._transport)
    for err in errors:
        for text in (str(err), repr(err), repr(err.args), *getattr(err, "__notes__", [])):
            assert KEY not in text
    assert caplog.records
    for record in caplog.records:
        assert KEY not in record.getMessage()
        assert KEY not in repr(record.args)
