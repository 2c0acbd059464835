"""The public no-sleep switch: every wait of the SDK takes no time and is recorded."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from aioresponses import aioresponses

from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async.bulk import RateGate
from twelvelabs_async.errors import WaitTimeoutError
from twelvelabs_async.testing import SleepRecorder, no_sleep

KEY = "tlk-no-sleep-test-key"
BASE = "https://api.test/v1.3"
TASK = "6655a1b2c3d4e5f601234567"
STATUS_URL = f"{BASE}/embed/tasks/{TASK}/status"


def status(value: str) -> dict[str, str]:
    """A v1 status body as documented (``_id``, ``status``, ``model_name``)."""
    return {"_id": TASK, "status": value, "model_name": "marengo3.0"}


@pytest.fixture
async def client() -> AsyncIterator[AsyncTwelveLabs]:
    """A client of a mocked API."""
    async with AsyncTwelveLabs(KEY, base_url=BASE) as c:
        yield c


async def test_retry_backoff_is_recorded_not_slept(client: AsyncTwelveLabs) -> None:
    """Two 500s then a 200: both equal-jitter backoffs are recorded and no time passes."""
    with aioresponses() as m, no_sleep() as waits:
        m.get(STATUS_URL, status=500, payload={"code": "internal", "message": "x"})
        m.get(STATUS_URL, status=500, payload={"code": "internal", "message": "x"})
        m.get(STATUS_URL, payload=status("ready"))
        started = time.monotonic()
        await client.embed.tasks.status(TASK)
    assert time.monotonic() - started < 0.5
    assert len(waits.delays) == 2
    assert 0.25 <= waits.delays[0] <= 0.5
    assert 0.5 <= waits.delays[1] <= 1.0


async def test_retry_after_header_is_recorded(client: AsyncTwelveLabs) -> None:
    """A 429 asking for 30 s is obeyed in zero time, and the 30 s are recorded."""
    with aioresponses() as m, no_sleep() as waits:
        m.get(STATUS_URL, status=429, headers={"Retry-After": "30"}, payload={})
        m.get(STATUS_URL, payload=status("ready"))
        await client.embed.tasks.status(TASK)
    assert waits.delays == [30.0]
    assert waits.total == 30.0


async def test_polling_interval_is_recorded(client: AsyncTwelveLabs) -> None:
    """wait_for_done with a 60 s interval returns at once; each interval is 60 s ±10 %."""
    with aioresponses() as m, no_sleep() as waits:
        m.get(STATUS_URL, payload=status("processing"))
        m.get(STATUS_URL, payload=status("processing"))
        m.get(STATUS_URL, payload=status("ready"))
        done = await client.embed.tasks.wait_for_done(TASK, sleep_interval=60)
    assert done.status == "ready"
    assert len(waits.delays) == 2
    assert all(54.0 <= d <= 66.0 for d in waits.delays)


async def test_wait_timeout_counts_skipped_time(client: AsyncTwelveLabs) -> None:
    """A 12 s timeout with 5 s intervals ends after about 12 skipped seconds, not real ones."""
    with aioresponses() as m, no_sleep() as waits:
        m.get(STATUS_URL, payload=status("processing"), repeat=True)
        with pytest.raises(WaitTimeoutError):
            await client.embed.tasks.wait_for_done(TASK, sleep_interval=5, timeout=12)
    assert 2 <= len(waits.delays) <= 3
    assert waits.total <= 12.0 + 1e-6


async def test_rate_gate_opens_after_skipped_time() -> None:
    """A gate closed for 30 s lets its waiter through at once, with the 30 s recorded."""
    gate = RateGate()
    with no_sleep() as waits:
        gate.trip(30.0)
        closed = not gate.is_open
        await gate.wait()
        assert (closed, gate.is_open) == (True, True)
    assert waits.delays[0] == pytest.approx(30.0, abs=0.1)


async def test_waits_still_yield_to_the_loop() -> None:
    """A skipped wait lets other tasks run, as a real sleep would."""
    from twelvelabs_async import _timing

    ran: list[str] = []

    async def other() -> None:
        ran.append("other")

    with no_sleep():
        task = asyncio.create_task(other())
        await _timing.sleep(10)
        assert ran == ["other"]
        await task


async def test_plain_call_and_nesting() -> None:
    """no_sleep() works without a with block; an inner switch hands back to the outer one."""
    from twelvelabs_async import _timing

    outer = no_sleep()
    states = [outer.active]
    try:
        with no_sleep() as inner:
            await _timing.sleep(1)
        states.append(inner.active)
        await _timing.sleep(2)
    finally:
        outer.stop()
    outer.stop()  # idempotent
    states.append(outer.active)
    assert states == [True, False, False]
    assert (inner.delays, outer.delays) == ([1], [2])
    assert isinstance(outer, SleepRecorder)
    assert "delays=[2]" in repr(outer)


async def test_switch_off_sleeps_for_real() -> None:
    """Outside the switch, the package's sleep really waits."""
    from twelvelabs_async import _timing

    started = time.monotonic()
    await _timing.sleep(0.05)
    assert time.monotonic() - started >= 0.04


def test_every_wait_goes_through_the_switch() -> None:
    """Outside _timing.py (and the fake server), no module of the SDK sleeps on its own."""
    import ast
    from pathlib import Path

    import twelvelabs_async

    package = Path(twelvelabs_async.__file__).parent
    offenders = []
    for path in package.rglob("*.py"):
        if path.name == "_timing.py" or "testing" in path.relative_to(package).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "sleep"
                and isinstance(node.value, ast.Name)
                and node.value.id in {"asyncio", "time"}
            ):
                offenders.append(f"{path.relative_to(package)}:{node.lineno}")
    assert offenders == []


async def test_overlapping_waits_move_the_clock_once() -> None:
    """A hundred tasks each skipping 0.05 s at once move the clock by about 0.05 s, not 5 s."""
    from twelvelabs_async import _timing

    with no_sleep() as waits:
        before = _timing.monotonic()
        await asyncio.gather(*(_timing.sleep(0.05) for _ in range(100)))
        moved = _timing.monotonic() - before
    assert len(waits.delays) == 100
    assert 0.05 <= moved < 1.0
