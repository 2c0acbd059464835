"""The shared rate-limit gate and the search for tasks of lost creates."""

from __future__ import annotations

import datetime as _dt
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import pytest

from twelvelabs_async.bulk import RateGate, Reconciler


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_trip_closes_the_gate_for_the_servers_wait() -> None:
    """After a 429 with Retry-After 3 s, a waiter sleeps until those 3 s have passed."""
    clock = Clock()
    gate = RateGate(clock=clock, sleep=clock.sleep)
    assert gate.trip(3.0) == pytest.approx(3.0)
    assert not gate.is_open
    await gate.wait()
    assert clock.now >= 103.0
    assert gate.is_open


async def test_open_gate_does_not_sleep() -> None:
    """Without a 429 a waiter passes at once."""
    clock = Clock()
    gate = RateGate(clock=clock, sleep=clock.sleep)
    await gate.wait()
    assert clock.slept == []


def test_backoff_grows_without_retry_after_and_resets_on_success() -> None:
    """Consecutive 429s without a wait double the pause; a success starts again."""
    clock = Clock()
    gate = RateGate(base=1.0, cap=60.0, clock=clock, sleep=clock.sleep)
    first = gate.trip()
    clock.now += 100
    second = gate.trip()
    clock.now += 100
    third = gate.trip()
    assert 0.5 <= first <= 1.0 and 1.0 <= second <= 2.0 and 2.0 <= third <= 4.0  # noqa: PT018
    gate.success()
    clock.now += 100
    assert gate.trip() <= 1.0
    assert gate.trips == 4


def test_a_shorter_trip_never_shortens_a_longer_pause() -> None:
    """A second 429 asking for less keeps the gate closed for the longer pause."""
    clock = Clock()
    gate = RateGate(clock=clock, sleep=clock.sleep)
    gate.trip(10.0)
    assert gate.trip(1.0) == pytest.approx(10.0)


def _task(task_id: str, name: str, created: float) -> Any:
    meta = SimpleNamespace(input_filename=name, input_url=None)
    at = _dt.datetime.fromtimestamp(created, _dt.UTC)
    return SimpleNamespace(
        id=task_id, created_at=at, video_embedding=SimpleNamespace(metadata=meta)
    )


def _lister(tasks: list[Any], seen: list[_dt.datetime]) -> Any:
    def lister(started_at: _dt.datetime) -> AsyncIterator[Any]:
        seen.append(started_at)

        async def gen() -> AsyncIterator[Any]:
            for task in tasks:
                yield task

        return gen()

    return lister


async def test_reconciler_adopts_unclaimed_tasks_by_name_oldest_first() -> None:
    """Intents for one file name get its tasks oldest first; claimed ids are skipped."""
    tasks = [_task("t3", "a.mp4", 1030), _task("t1", "a.mp4", 1010), _task("t2", "a.mp4", 1020),
             _task("tb", "b.mp4", 1010)]  # fmt: skip
    seen: list[_dt.datetime] = []
    claimed = {"t1"}
    rec = Reconciler(_lister(tasks, seen), claimed, skew=5)
    found = await rec.find([("k2", "a.mp4", 1015.0), ("k1", "a.mp4", 1000.0)])
    assert found == {"k1": "t2", "k2": "t3"}
    assert claimed == {"t1", "t2", "t3"}
    assert seen == [_dt.datetime.fromtimestamp(995, _dt.UTC)]
    assert rec.adopted == 2


async def test_reconciler_ignores_tasks_older_than_the_intent() -> None:
    """A task created well before the intent (another run's) is not adopted."""
    rec = Reconciler(_lister([_task("old", "a.mp4", 500)], []), set(), skew=5)
    assert await rec.find([("k", "a.mp4", 1000.0)]) == {}
