"""A loopback list server written for the pagination tests: it answers what it is told to.

Task list bodies follow embed-api.md (``{"data": [...], "page_info": {...}}``, ``_id`` on the
wire); every answer carries an ``X-Request-Id`` naming the page asked for, so that a test
can check which response a pager holds.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import orjson
from aiohttp import web

from twelvelabs_async import AsyncTwelveLabs

#: Builds the JSON body of the page asked for (1-based).
PageMaker = Callable[[int], dict[str, Any]]

PATHS = {"v1": "/v1.3/embed/tasks", "v2": "/v1.3/embed-v2/tasks"}


def task(n: int) -> dict[str, Any]:
    """A minimal listed task with a distinct 24-hex id."""
    return {"_id": f"{n:024x}", "model_name": "marengo3.0", "status": "ready"}


def page_info(page: int, total_page: int, limit: int, total_results: int) -> dict[str, Any]:
    """A page_info block as the API sends it."""
    return {
        "page": page,
        "total_page": total_page,
        "limit_per_page": limit,
        "total_results": total_results,
    }


class ListServer:
    """Serves the v1 and v2 task lists from ``make_page``; records each page number asked."""

    def __init__(self, make_page: PageMaker) -> None:
        self.make_page = make_page
        self.asked: list[int] = []

    async def handle(self, request: web.Request) -> web.Response:
        number = int(request.query.get("page", "1"))
        self.asked.append(number)
        return web.Response(
            body=orjson.dumps(self.make_page(number)),
            content_type="application/json",
            headers={"X-Request-Id": f"req-page-{number}"},
        )


@contextlib.asynccontextmanager
async def list_server(make_page: PageMaker) -> AsyncIterator[tuple[ListServer, AsyncTwelveLabs]]:
    """Start a :class:`ListServer` on a free loopback port and a client pointed at it."""
    server = ListServer(make_page)
    app = web.Application()
    for path in PATHS.values():
        app.router.add_get(path, server.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    client = AsyncTwelveLabs(api_key="tlk-list-test", base_url=f"http://127.0.0.1:{port}/v1.3")
    try:
        yield server, client
    finally:
        await client.aclose()
        await runner.cleanup()


#: Answers one request: ``(status, body bytes, headers)``.
Canned = Callable[[web.Request], tuple[int, bytes, dict[str, str]]]


@contextlib.asynccontextmanager
async def canned_server(answer: Canned) -> AsyncIterator[tuple[list[web.Request], str]]:
    """Serve every path with ``answer``; yield the requests received and the base URL."""
    seen: list[web.Request] = []

    async def handle(request: web.Request) -> web.Response:
        seen.append(request)
        if request.can_read_body:
            await request.read()
        status, body, headers = answer(request)
        return web.Response(status=status, body=body, headers=headers)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield seen, f"http://127.0.0.1:{runner.addresses[0][1]}/v1.3"
    finally:
        await runner.cleanup()
