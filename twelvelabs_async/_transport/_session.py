"""The aiohttp session shared by a client and its copies.

A client that is dropped without ``aclose()`` (code written for the official SDK never
closes its clients) must not print aiohttp's "Unclosed client session" / "Unclosed
connector" at exit, nor keep its sockets open: when the pool is garbage-collected, a
finalizer closes the connections it opened. ``async with`` stays the documented way.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref

import aiohttp

from twelvelabs_async._transport._watchdog import watched_connector
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
        self._finalizer: weakref.finalize[[aiohttp.ClientSession], SessionPool] | None = None

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
            # Read timeouts on one timer per pool rather than two timer handles a request.
            connector = watched_connector(
                limit=self._limit, limit_per_host=self._limit, ttl_dns_cache=300
            )
            self._session = aiohttp.ClientSession(
                connector=connector, trust_env=self._trust_env, auto_decompress=True
            )
            # The finalizer holds the session, never the pool, so the pool can be collected.
            self._finalizer = weakref.finalize(self, _release, self._session)
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
        if self._finalizer is not None:
            self._finalizer.detach()
            self._finalizer = None
        if self._owned and session is not None:
            await session.close()


def _release(session: aiohttp.ClientSession) -> None:
    """Close a dropped client's connections without awaiting, and without a warning.

    Runs when the pool is garbage-collected (or at interpreter exit) with the session not
    closed. The connector's synchronous close is the one aiohttp's own finalizer uses: it
    closes every transport at once (their sockets are released on the loop's next turn).
    Detaching the connector marks the session closed, so its finalizer stays quiet too.
    """
    connector = session.connector
    session.detach()
    if connector is None or connector.closed:
        return
    close_now = getattr(connector, "_close", None)
    # Suppressed: a finalizer must never raise, and at exit the loop may be gone already
    # (the sockets then close with the process).
    with contextlib.suppress(Exception):
        if callable(close_now):
            close_now()
