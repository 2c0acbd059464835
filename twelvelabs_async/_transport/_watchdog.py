"""Read-inactivity timeouts for every connection of a pool on one timer.

aiohttp enforces ``ClientTimeout.sock_read`` with a timer handle per response that it
cancels and schedules again on every chunk received: two timer handles and three
cancellations for even a one-chunk status answer. On asyncio's pure-Python timer heap that
is most of what separates a status poll with a read timeout from one without (about 60 us
of client CPU a call at 200 concurrent polls, measured against bare aiohttp).

Our pool's connections keep aiohttp's rules (the clock starts once the request is sent,
restarts with every chunk received, stops at the end of the body or while the reader is
paused) and aiohttp's way of failing (the same ``_on_read_timeout``, so the same
``ServerTimeoutError`` reaches the transport), but only note a deadline per connection;
one :class:`ReadWatchdog` per connector wakes at the earliest deadline and fails the
connections past theirs. A deadline that moves later costs a store, not a timer.

This leans on aiohttp's ``ResponseHandler`` timeout methods (three private ones and
``start_timeout``) and the connector's ``_factory``. :func:`watched_connector` checks they
are there and otherwise returns a stock connector (aiohttp's own timers then apply: slower,
equally correct);
``tests/unit/test_watchdog.py`` fails on an aiohttp that no longer has them, so an upgrade
cannot lose the speed without anyone noticing.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

import aiohttp
from aiohttp.client_proto import ResponseHandler

__all__ = ["ReadWatchdog", "hooks_available", "watched_connector"]

_HOOKS = ("_reschedule_timeout", "_drop_timeout", "_on_read_timeout", "start_timeout")


def hooks_available() -> bool:
    """Whether this aiohttp's connection protocol has the timeout methods the watchdog uses."""
    return all(callable(getattr(ResponseHandler, name, None)) for name in _HOOKS)


class ReadWatchdog:
    """One timer for the read deadlines of all the connections of one connector.

    The timer is scheduled only while some connection waits for bytes, at the earliest
    deadline known when it was set; a deadline that moved later since is found on waking
    and the timer set again. A connection past its deadline is failed as aiohttp fails it.
    """

    __slots__ = ("_deadlines", "_due", "_handle", "_loop")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        # Connection -> (deadline, its timeout): a connection is here only while armed.
        self._deadlines: dict[ResponseHandler, tuple[float, float]] = {}
        self._handle: asyncio.TimerHandle | None = None
        self._due = 0.0

    def __len__(self) -> int:
        return len(self._deadlines)

    def arm(self, connection: ResponseHandler, timeout: float) -> None:
        """Give ``connection`` until ``timeout`` seconds from now for its next byte."""
        deadline = self._loop.time() + timeout
        self._deadlines[connection] = (deadline, timeout)
        if self._handle is None or deadline < self._due:
            self._schedule(deadline)

    def disarm(self, connection: ResponseHandler) -> None:
        """Stop timing ``connection`` (the body ended, reading paused, or it closed)."""
        self._deadlines.pop(connection, None)

    def _schedule(self, when: float) -> None:
        if self._handle is not None:
            self._handle.cancel()
        self._due = when
        self._handle = self._loop.call_at(when, self._wake)

    def _wake(self) -> None:
        self._handle = None
        now = self._loop.time()
        late = [c for c, (deadline, _) in self._deadlines.items() if deadline <= now]
        for connection in late:
            del self._deadlines[connection]
            # aiohttp's own handler: fails the response being read with its timeout error.
            connection._on_read_timeout()
        if self._deadlines:
            soonest = min(deadline for deadline, _ in self._deadlines.values())
            shortest = min(timeout for _, timeout in self._deadlines.values())
            # Never wake more often than a sixteenth of the shortest timeout: a deadline is
            # then met at most that much late, and many staggered ones cost few wake-ups.
            self._schedule(max(soonest, now + shortest / 16))


class _WatchedHandler(ResponseHandler):
    """aiohttp's connection protocol, its read timeout kept by a :class:`ReadWatchdog`."""

    def __init__(self, loop: asyncio.AbstractEventLoop, watchdog: ReadWatchdog) -> None:
        super().__init__(loop=loop)
        self._watchdog = watchdog

    def _reschedule_timeout(self) -> None:
        timeout = self._read_timeout
        if timeout:
            self._watchdog.arm(self, timeout)
        else:
            self._watchdog.disarm(self)

    def _drop_timeout(self) -> None:
        self._watchdog.disarm(self)


def watched_connector(**kwargs: Any) -> aiohttp.TCPConnector:
    """A ``TCPConnector(**kwargs)`` whose connections share one :class:`ReadWatchdog`.

    Call it inside the running loop. On an aiohttp without the hooks, a stock connector.
    """
    connector = aiohttp.TCPConnector(**kwargs)
    if hooks_available() and callable(getattr(connector, "_factory", None)):
        loop = asyncio.get_running_loop()
        # The factory's declared type names ResponseHandler exactly; ours is a subclass.
        connector._factory = functools.partial(  # type: ignore[assignment]
            _WatchedHandler, loop=loop, watchdog=ReadWatchdog(loop)
        )
    return connector
