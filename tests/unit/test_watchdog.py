"""The read watchdog: one timer for every connection's read deadline, aiohttp's rules kept."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from aiohttp.client_proto import ResponseHandler

from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async._transport import _watchdog
from twelvelabs_async._transport._watchdog import ReadWatchdog, hooks_available, watched_connector


class Recorder(ResponseHandler):
    """A connection protocol that notes when aiohttp's read-timeout handler is called."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(loop=loop)
        self.timed_out_at: float | None = None

    def _on_read_timeout(self) -> None:
        self.timed_out_at = time.monotonic()


def test_installed_aiohttp_has_the_hooks() -> None:
    """The aiohttp we depend on has the protocol methods the watchdog overrides.

    If an upgrade removes them the pool silently falls back to aiohttp's per-request timers
    (correct, about 60 us a call slower): this test makes that visible.
    """
    assert hooks_available()


async def test_the_client_pool_uses_watched_connections() -> None:
    """A client's own connector makes connections whose read timeout the watchdog keeps."""
    async with AsyncTwelveLabs("tlk-watchdog-test", base_url="http://127.0.0.1:9/v1.3") as client:
        session = client._transport.pool.get()
        connector = session.connector
        assert connector is not None
        protocol = connector._factory()
        assert isinstance(protocol, _watchdog._WatchedHandler)


async def test_stock_connector_when_the_hooks_are_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the hooks the connector is aiohttp's own, whose timers still apply."""
    monkeypatch.setattr(_watchdog, "hooks_available", lambda: False)
    connector = watched_connector(limit=1)
    try:
        assert type(connector._factory()) is ResponseHandler
    finally:
        await connector.close()


async def test_a_connection_past_its_deadline_is_failed_once() -> None:
    """An armed connection that receives nothing is failed at its deadline, and only once."""
    loop = asyncio.get_running_loop()
    dog = ReadWatchdog(loop)
    conn = Recorder(loop)
    started = time.monotonic()
    dog.arm(conn, 0.1)
    await asyncio.sleep(0.3)
    assert conn.timed_out_at is not None
    assert 0.09 <= conn.timed_out_at - started < 0.25
    assert len(dog) == 0


async def test_rearming_moves_the_deadline_later() -> None:
    """Each arm (a chunk received) restarts the clock: steady arrivals never time out."""
    loop = asyncio.get_running_loop()
    dog = ReadWatchdog(loop)
    conn = Recorder(loop)
    for _ in range(8):  # 0.4 s in all, each gap well inside the 0.15 s timeout
        dog.arm(conn, 0.15)
        await asyncio.sleep(0.05)
    assert conn.timed_out_at is None
    dog.disarm(conn)
    await asyncio.sleep(0.25)
    assert conn.timed_out_at is None
    assert len(dog) == 0


async def test_a_shorter_timeout_armed_later_is_not_kept_waiting() -> None:
    """A connection with a short timeout is failed on time though a long one armed first."""
    loop = asyncio.get_running_loop()
    dog = ReadWatchdog(loop)
    slow, fast = Recorder(loop), Recorder(loop)
    dog.arm(slow, 30.0)
    started = time.monotonic()
    dog.arm(fast, 0.1)
    await asyncio.sleep(0.3)
    assert fast.timed_out_at is not None
    assert fast.timed_out_at - started < 0.25
    assert slow.timed_out_at is None
    assert len(dog) == 1
    dog.disarm(slow)


async def test_many_connections_share_few_timers(monkeypatch: pytest.MonkeyPatch) -> None:
    """200 connections armed and re-armed cost a handful of timer handles, not one each."""
    loop = asyncio.get_running_loop()
    timers = 0
    call_at = loop.call_at

    def counting_call_at(
        when: float, callback: Any, *args: Any, **kwargs: Any
    ) -> asyncio.TimerHandle:
        nonlocal timers
        if getattr(callback, "__self__", None) is dog:
            timers += 1
        return call_at(when, callback, *args, **kwargs)

    monkeypatch.setattr(loop, "call_at", counting_call_at)
    dog = ReadWatchdog(loop)
    conns = [Recorder(loop) for _ in range(200)]
    for _ in range(3):  # every chunk of every response re-arms
        for conn in conns:
            dog.arm(conn, 0.1)
    await asyncio.sleep(0.4)
    assert all(c.timed_out_at is not None for c in conns)
    assert timers <= 4
