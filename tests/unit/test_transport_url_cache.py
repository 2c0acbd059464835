"""Prepared URLs and joined paths are reused across calls without changing what is sent."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async._transport import _MAX_CACHED_URLS, SessionPool, Transport
from twelvelabs_async._wire import relative_path
from twelvelabs_async.errors import InvalidRequestError

KEY = "tlk-url-cache-test-key-1122334455"


class _Recorder:
    def __init__(self) -> None:
        self.paths: list[str] = []
        self.app = web.Application()
        self.app.router.add_route("*", "/{tail:.*}", self.handle)

    async def handle(self, request: web.Request) -> web.Response:
        self.paths.append(request.raw_path)
        return web.json_response({"ok": True})


@pytest.fixture
async def two_servers() -> AsyncIterator[tuple[_Recorder, str, _Recorder, str]]:
    """Two recording servers on 127.0.0.1, with their base URLs."""
    first, second = _Recorder(), _Recorder()
    async with (
        TestServer(first.app, host="127.0.0.1") as one,
        TestServer(second.app, host="127.0.0.1") as two,
    ):
        yield first, str(one.make_url("/v1.3")), second, str(two.make_url("/v1.3"))


def test_repeated_bad_segments_still_raise() -> None:
    """A bad segment is refused on every call, not only the first (errors are not cached)."""
    for _ in range(3):
        with pytest.raises(InvalidRequestError, match="invalid path segment"):
            relative_path(("embed", "tasks", ".."))


def test_unhashable_segment_is_refused_cleanly() -> None:
    """A tuple holding an unhashable segment raises InvalidRequestError, not TypeError."""
    with pytest.raises(InvalidRequestError, match="invalid path segment"):
        relative_path(("embed", ["tasks"]))  # type: ignore[arg-type]


def test_cached_join_matches_list_join() -> None:
    """A tuple path (cached) and the same segments as a list (not cached) give one result."""
    segments = ["embed", "tasks", "a b/c", "status"]
    assert relative_path(tuple(segments)) == relative_path(segments)
    assert relative_path(tuple(segments)) == "embed/tasks/a%20b%2Fc/status"


async def test_copy_with_other_base_url_goes_to_its_host(
    two_servers: tuple[_Recorder, str, _Recorder, str],
) -> None:
    """A copy with another base URL sends the same path to its own host, not the cached one."""
    first, one_url, second, two_url = two_servers
    async with AsyncTwelveLabs(KEY, base_url=one_url) as client:
        transport = client._transport
        await transport.request("GET", ("embed", "tasks", "t1", "status"))
        await transport.copy(base_url=two_url).request("GET", ("embed", "tasks", "t1", "status"))
        transport.base_url = two_url
        await transport.request("GET", ("embed", "tasks", "t1", "status"))
    assert first.paths == ["/v1.3/embed/tasks/t1/status"]
    assert second.paths == ["/v1.3/embed/tasks/t1/status"] * 2


async def test_url_cache_stays_bounded(
    two_servers: tuple[_Recorder, str, _Recorder, str],
) -> None:
    """Polling many distinct task ids keeps at most the cap of prepared URLs."""
    first, one_url, _, _ = two_servers
    pool = SessionPool(session=None, connection_limit=8, trust_env=False)
    transport = Transport(pool=pool, base_url=one_url, api_key=KEY)
    try:
        for i in range(_MAX_CACHED_URLS + 20):
            await transport.request("GET", ("embed", "tasks", f"t{i}", "status"))
            assert len(transport._urls) <= _MAX_CACHED_URLS
    finally:
        await pool.aclose()
    assert first.paths[-1] == f"/v1.3/embed/tasks/t{_MAX_CACHED_URLS + 19}/status"
    assert len(first.paths) == _MAX_CACHED_URLS + 20
