"""The transport's per-call shortcuts (cached defaults, unquoted safe paths) change nothing sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from multidict import CIMultiDict

from twelvelabs_async import AsyncTwelveLabs, RequestOptions, Timeout
from twelvelabs_async._transport import Transport
from twelvelabs_async._transport._options import DEFAULT_OPTIONS
from twelvelabs_async._wire import relative_path

KEY = "tlk-fast-path-test-key-0987654321"

# Every ASCII character, the Latin-1 range, and a few multi-byte ones.
CHARS = [chr(c) for c in range(256)] + ["é", "€", "日", "\u2028", "\U0001f600"]


@pytest.mark.parametrize("char", CHARS)
def test_segment_quoting_matches_quote(char: str) -> None:
    """A segment is sent exactly as ``quote(segment, safe="")`` would write it, for any char."""
    seg = f"id{char}x"
    assert relative_path(("embed", seg)) == "embed/" + quote(seg, safe="")


@pytest.mark.parametrize("char", CHARS)
def test_string_path_quoting_matches_quote(char: str) -> None:
    """A string path is sent exactly as the safe-set ``quote`` would write it, for any char."""
    path = f"embed/tasks{char}x"
    assert relative_path(path) == quote(path, safe="/:@!$&'()*+,;=-._~%")


class _Recorder:
    def __init__(self) -> None:
        self.headers: list[CIMultiDict[str]] = []
        self.app = web.Application()
        self.app.router.add_route("*", "/{tail:.*}", self.handle)

    async def handle(self, request: web.Request) -> web.Response:
        await request.read()
        self.headers.append(CIMultiDict(request.headers))
        return web.json_response({"ok": True}, headers={"X-Request-Id": "req-7"})


@pytest.fixture
async def wire() -> AsyncIterator[tuple[_Recorder, AsyncTwelveLabs]]:
    """A recording server on 127.0.0.1 and a client pointed at it."""
    rec = _Recorder()
    async with TestServer(rec.app, host="127.0.0.1") as srv:
        client = AsyncTwelveLabs(KEY, base_url=str(srv.make_url("/v1.3")), headers={"X-App": "a"})
        yield rec, client
        await client.aclose()


async def test_per_call_headers_do_not_stick(wire: tuple[_Recorder, AsyncTwelveLabs]) -> None:
    """Extra headers of one call and a JSON content type reach only the call that had them."""
    rec, client = wire
    t = client._transport
    await t.request("GET", "a")
    await t.request("GET", "b", options=RequestOptions(extra_headers={"X-Trace": "t1"}))
    await t.request("POST", "c", json={"x": 1})
    await t.request("GET", "d")
    _, _, posted, again = rec.headers
    assert [h.get("X-Trace") for h in rec.headers] == [None, "t1", None, None]
    assert posted["Content-Type"] == "application/json"
    assert "Content-Type" not in again
    for h in rec.headers:
        assert h["x-api-key"] == KEY
        assert h["X-App"] == "a"


async def test_changed_defaults_are_sent(wire: tuple[_Recorder, AsyncTwelveLabs]) -> None:
    """Defaults changed after the first call (headers, key, timeout) apply to the next call."""
    rec, client = wire
    t = client._transport
    await t.request("GET", "a")
    t.headers = {"X-App": "b"}
    t._api_key = "tlk-other-key-1234567890"
    t.timeout = Timeout(total=33.0, connect=3.0)
    await t.request("GET", "b")
    assert rec.headers[1]["X-App"] == "b"
    assert rec.headers[1]["x-api-key"] == "tlk-other-key-1234567890"
    cache = t._cache
    assert cache is not None
    assert (cache.timeout.total, cache.timeout.sock_connect) == (33.0, 3.0)


async def test_copies_use_their_own_defaults(wire: tuple[_Recorder, AsyncTwelveLabs]) -> None:
    """A ``with_options`` copy made after calls sends its own headers, the original its own."""
    rec, client = wire
    await client._transport.request("GET", "a")
    copy = client.with_options(headers={"X-App": "copy"})
    await copy._transport.request("GET", "b")
    await client._transport.request("GET", "c")
    assert [h["X-App"] for h in rec.headers] == ["a", "copy", "a"]


async def test_response_request_id(wire: tuple[_Recorder, AsyncTwelveLabs]) -> None:
    """``Response.request_id`` reads the request id header of the response."""
    _, client = wire
    response = await client._transport.request("GET", "a")
    assert response.request_id == "req-7"


def test_cached_headers_are_read_only() -> None:
    """The shared default headers cannot be changed through what a call is given."""
    t = AsyncTwelveLabs(KEY, base_url="http://127.0.0.1:9/v1.3")._transport
    assert isinstance(t, Transport)
    headers: Any = t._call_headers(DEFAULT_OPTIONS, json_body=False)
    with pytest.raises(TypeError):
        headers["x-api-key"] = "changed"
    assert t._call_headers(DEFAULT_OPTIONS, json_body=False)["x-api-key"] == KEY
