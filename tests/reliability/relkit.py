"""Helpers shared by the reliability tests: a fake server with extra faults, fast clients.

The fake server (``twelvelabs_async.testing``) injects most faults itself. A few that it
has no switch for (a 429 without any retry header, a 200 whose body is not JSON at all,
an answer stripped of every optional object, a body past the client's size limit) are
added here by an aiohttp middleware
placed in front of the fake's handlers, so they still travel over a real socket.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import orjson
import pytest
from aiohttp import web

from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async.testing import FakeTwelveLabsServer
from twelvelabs_async.testing import _app as fake_app
from twelvelabs_async.testing import server as fake_server_module

#: Extra faults handled by :func:`_middleware`, keyed by name.
EXTRA_FAULTS = frozenset({"429_bare", "not_json", "strip_objects", "too_large"})

#: The body size of the ``too_large`` fault: past the limit the fault-matrix clients set.
TOO_LARGE_BYTES = 2 * 1024 * 1024

_Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class ExtraFaults:
    """Faults applied in front of the fake: ``kind`` on ``endpoints`` for ``times`` requests.

    Attributes:
        kind: one of :data:`EXTRA_FAULTS`, or ``None`` for none.
        paths: request paths (suffixes after the base path) the fault applies to.
        times: how many more requests it fires on (``None``: always).
        fired: how many times it fired.
    """

    def __init__(self) -> None:
        self.kind: str | None = None
        self.match: Callable[[web.Request], bool] = lambda _r: False
        self.times: int | None = None
        self.fired = 0

    def set(self, kind: str, match: Callable[[web.Request], bool], times: int | None) -> None:
        """Arm one fault."""
        assert kind in EXTRA_FAULTS, kind
        self.kind, self.match, self.times, self.fired = kind, match, times, 0

    def _take(self, request: web.Request) -> str | None:
        if self.kind is None or not self.match(request):
            return None
        if self.times is not None and self.fired >= self.times:
            return None
        self.fired += 1
        return self.kind


def strip_objects(value: Any) -> Any:
    """Drop every key whose value is a JSON object, at any depth (lists are walked)."""
    if isinstance(value, dict):
        return {k: strip_objects(v) for k, v in value.items() if not isinstance(v, dict)}
    if isinstance(value, list):
        return [strip_objects(v) for v in value]
    return value


def _middleware(extra: ExtraFaults) -> Any:
    @web.middleware
    async def inject(request: web.Request, handler: _Handler) -> web.StreamResponse:
        kind = extra._take(request)
        if kind == "429_bare":
            if request.body_exists:
                await request.read()
            body = orjson.dumps({"code": "too_many_requests", "message": "slow down"})
            return web.Response(status=429, body=body, content_type="application/json")
        response = await handler(request)
        if kind is None or not isinstance(response, web.Response) or response.status >= 300:
            return response
        if kind == "too_large":
            pad = b"x" * TOO_LARGE_BYTES
            return web.Response(
                status=200, body=b'{"pad": "' + pad + b'"}', content_type="application/json"
            )
        if kind == "not_json":
            return web.Response(
                status=200, body=b'{"status": ready, <oops>', content_type="application/json"
            )
        raw = response.body
        assert isinstance(raw, bytes)
        stripped = orjson.dumps(strip_objects(orjson.loads(raw)))
        return web.Response(status=response.status, body=stripped, content_type="application/json")

    return inject


@contextlib.asynccontextmanager
async def fault_server(**options: Any) -> AsyncIterator[tuple[FakeTwelveLabsServer, ExtraFaults]]:
    """Start a fake server with the :class:`ExtraFaults` middleware in front of it."""
    extra = ExtraFaults()
    original = fake_app.make_app

    def make_app(server: FakeTwelveLabsServer) -> web.Application:
        app = original(server)
        app.middlewares.append(_middleware(extra))
        return app

    with pytest.MonkeyPatch.context() as patch:
        # The server module builds its app through the name it imported: patch that name.
        patch.setattr(fake_server_module, "make_app", make_app)
        server = FakeTwelveLabsServer(**options)
        await server.start()
    try:
        yield server, extra
    finally:
        await server.close()


def client_for(server: FakeTwelveLabsServer, **options: Any) -> AsyncTwelveLabs:
    """Return a client of ``server`` (options passed to :class:`AsyncTwelveLabs`)."""
    return AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url, **options)
