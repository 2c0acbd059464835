"""Shared fixtures for tests that talk to the fake server over real sockets."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import orjson
import pytest

from twelvelabs_async.testing import FakeTwelveLabsServer


@pytest.fixture
async def server() -> AsyncIterator[FakeTwelveLabsServer]:
    """A fake server whose tasks finish at once."""
    async with FakeTwelveLabsServer(processing_time=0) as fake:
        yield fake


@pytest.fixture
async def http(server: FakeTwelveLabsServer) -> AsyncIterator[aiohttp.ClientSession]:
    """A raw aiohttp session sending the server's API key."""
    async with aiohttp.ClientSession(headers={"x-api-key": server.api_key}) as session:
        yield session


class Api:
    """Small request helper returning ``(status, parsed JSON body, headers)``."""

    def __init__(self, http: aiohttp.ClientSession, server: FakeTwelveLabsServer) -> None:
        self.http = http
        self.server = server

    async def request(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any, Any]:
        async with self.http.request(method, self.server.base_url + path, **kwargs) as resp:
            raw = await resp.read()
            body = orjson.loads(raw) if raw and resp.content_type == "application/json" else raw
            return resp.status, body, resp.headers

    async def form(self, path: str, fields: list[tuple[str, Any]]) -> tuple[int, Any, Any]:
        data = aiohttp.FormData(default_to_multipart=True)
        for name, value in fields:
            if isinstance(value, tuple):
                data.add_field(name, value[1], filename=value[0])
            else:
                data.add_field(name, str(value))
        return await self.request("POST", path, data=data)

    async def json(self, path: str, payload: Any) -> tuple[int, Any, Any]:
        return await self.request("POST", path, json=payload)

    async def get(self, path: str, **params: Any) -> tuple[int, Any, Any]:
        return await self.request("GET", path, params=params or None)


@pytest.fixture
def api(http: aiohttp.ClientSession, server: FakeTwelveLabsServer) -> Api:
    """The request helper bound to the running fake server."""
    return Api(http, server)
