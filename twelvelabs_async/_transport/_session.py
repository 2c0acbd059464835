"""The aiohttp session shared by a client and its copies."""

from __future__ import annotations

import asyncio

import aiohttp

from twelvelabs_async.errors import ClientClosedError

__all__ = ["ClientSession", "SessionPool"]

#: Re-exported so that ``client.py`` can type its ``session`` argument without importing aiohttp.
ClientSession = aiohttp.ClientSession


class SessionPool:
    """Owns (or borrows) the aiohttp session shared by a client and its ``with_options`` copies.

    The session is created lazily on first use, inside the running loop, so a client can be
    built at import time. Creation has no ``await`` in it, so concurrent first calls cannot
    create two sessions.
    """

    def __init__(
        self,
        *,
        session: aiohttp.ClientSession | None,
        connection_limit: int,
        trust_env: bool,
    ) -> None:
        self._session = session
        self._owned = session is None
        self._limit = connection_limit
        self._trust_env = trust_env
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def closed(self) -> bool:
        """Whether :meth:`aclose` was called."""
        return self._closed

    def get(self) -> aiohttp.ClientSession:
        """Return the session, creating it in the running loop on first use."""
        if self._closed:
            raise ClientClosedError("this client was closed; create a new AsyncTwelveLabs")
        loop = asyncio.get_running_loop()
        if self._session is None:
            self._loop = loop
            connector = aiohttp.TCPConnector(
                limit=self._limit, limit_per_host=self._limit, ttl_dns_cache=300
            )
            self._session = aiohttp.ClientSession(
                connector=connector, trust_env=self._trust_env, auto_decompress=True
            )
        elif self._owned and self._loop is not loop:
            raise ClientClosedError(
                "this client's connections belong to another event loop; create the client "
                "inside the loop that uses it (or one client per loop)"
            )
        elif self._session.closed:
            raise ClientClosedError("the aiohttp session given to the client was closed")
        return self._session

    async def aclose(self) -> None:
        """Close the session if this pool created it (idempotent)."""
        if self._closed:
            return
        self._closed = True
        session, self._session = self._session, None
        if self._owned and session is not None:
            await session.close()
