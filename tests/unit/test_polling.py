"""Tests of the shared wait_for_done engine, with the no-sleep switch and fake status reads."""

from __future__ import annotations

import asyncio
import random
import warnings
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import attrs
import pytest

from twelvelabs_async import _polling
from twelvelabs_async._polling import check_wait_args, status_text, wait_for_done
from twelvelabs_async.errors import (
    InvalidRequestError,
    NotFoundError,
    TaskFailedError,
    WaitTimeoutError,
)
from twelvelabs_async.testing import SleepRecorder, no_sleep


@attrs.define
class Status:
    status: Any
    error: Any = None


@attrs.define
class Err:
    message: str


@pytest.fixture
def t() -> Iterator[SleepRecorder]:
    """The engine's waits, recorded instead of slept (the clock sees them pass)."""
    with no_sleep() as waits:
        yield waits


def reads(*statuses: Any) -> tuple[Callable[[], Awaitable[Status]], list[Status]]:
    """A fetch function returning the given statuses in turn (the last one repeats)."""
    seen: list[Status] = []
    items = [s if isinstance(s, Status | BaseException) else Status(s) for s in statuses]

    async def fetch() -> Status:
        item = items[min(len(seen), len(items) - 1)]
        if isinstance(item, BaseException):
            seen.append(Status("<raised>"))
            raise item
        seen.append(item)
        return item

    return fetch, seen


async def run(fetch: Callable[[], Awaitable[Status]], **kw: Any) -> Status:
    kw.setdefault("sleep_interval", 5.0)
    return await wait_for_done(fetch, task_id="t1", **kw)


async def test_returns_ready_after_processing(t: SleepRecorder) -> None:
    """A task that goes processing -> ready is returned once ready, after one sleep each time."""
    fetch, seen = reads("processing", "processing", "ready")
    result = await run(fetch)
    assert status_text(result) == "ready"
    assert len(seen) == 3
    assert len(t.delays) == 2


async def test_sync_callback_called_after_every_read_including_first(t: SleepRecorder) -> None:
    """A plain callback sees every status object read, the first included, in order."""
    fetch, _ = reads("processing", "processing", "ready")
    got: list[str | None] = []
    await run(fetch, callback=lambda s: got.append(status_text(s)))
    assert got == ["processing", "processing", "ready"]


async def test_async_callback_is_awaited(t: SleepRecorder) -> None:
    """A coroutine-function callback is awaited for every read."""
    fetch, _ = reads("processing", "ready")
    got: list[str | None] = []

    async def cb(s: Status) -> None:
        await asyncio.sleep(0)
        got.append(status_text(s))

    await run(fetch, callback=cb)
    assert got == ["processing", "ready"]


async def test_callback_exception_propagates(t: SleepRecorder) -> None:
    """An exception raised by the user's callback ends the wait and propagates unchanged."""
    fetch, seen = reads("processing", "ready")

    def cb(_: Status) -> None:
        raise KeyError("boom")

    with pytest.raises(KeyError, match="boom"):
        await run(fetch, callback=cb)
    assert len(seen) == 1


async def test_first_read_terminal_makes_one_call_and_one_callback(t: SleepRecorder) -> None:
    """When the first read is already terminal: one read, one callback, no sleep."""
    fetch, seen = reads("ready")
    calls: list[Status] = []
    await run(fetch, callback=calls.append)
    assert len(seen) == 1
    assert len(calls) == 1
    assert t.delays == []


async def test_failed_is_returned_by_default(t: SleepRecorder) -> None:
    """A failed task is returned (not raised) when raise_on_failure is false."""
    fetch, _ = reads("processing", "failed")
    result = await run(fetch)
    assert status_text(result) == "failed"


async def test_failed_raises_with_raise_on_failure(t: SleepRecorder) -> None:
    """With raise_on_failure=True a failed task raises TaskFailedError with id, status, reason."""
    fetch, _ = reads("processing", Status("failed", error=Err("media unreadable")))
    with pytest.raises(TaskFailedError, match="media unreadable") as info:
        await run(fetch, raise_on_failure=True)
    assert info.value.task_id == "t1"
    assert status_text(info.value.status) == "failed"


async def test_callback_sees_failed_status_before_raise(t: SleepRecorder) -> None:
    """The callback is called with the failed status before TaskFailedError is raised."""
    fetch, _ = reads("failed")
    got: list[str | None] = []
    with pytest.raises(TaskFailedError, match="no reason"):
        await run(fetch, raise_on_failure=True, callback=lambda s: got.append(status_text(s)))
    assert got == ["failed"]


async def test_timeout_raises_with_last_status(t: SleepRecorder) -> None:
    """Past the timeout, WaitTimeoutError (a TimeoutError) carries the task id and last status."""
    fetch, seen = reads("processing")
    with pytest.raises(TimeoutError) as info:
        await run(fetch, timeout=12.0)
    err = info.value
    assert isinstance(err, WaitTimeoutError)
    assert err.task_id == "t1"
    assert status_text(err.last_status) == "processing"
    assert "processing" in str(err)
    # Never sleeps past the deadline.
    assert sum(t.delays) <= 12.0 + 1e-9
    assert len(seen) >= 3


async def test_timeout_bounds_a_hanging_read() -> None:
    """A read that never answers is cut off by the wait's timeout (real loop clock)."""

    async def fetch() -> Status:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    with pytest.raises(WaitTimeoutError) as info:
        await wait_for_done(fetch, task_id="t9", timeout=0.01, sleep_interval=1.0)
    assert info.value.last_status is None
    assert "no status read yet" in str(info.value)


async def test_read_timeout_is_not_a_wait_timeout() -> None:
    """A TimeoutError raised by the read itself keeps its type (it is not a wait timeout)."""

    class ReadTimeout(TimeoutError):
        pass

    async def fetch() -> Status:
        raise ReadTimeout("request timed out")

    with pytest.raises(ReadTimeout):
        await wait_for_done(fetch, task_id="t9", timeout=100.0, sleep_interval=1.0)


async def test_unknown_status_keeps_waiting(t: SleepRecorder) -> None:
    """A status outside the known set (or missing) is treated as not finished yet."""
    fetch, seen = reads("queued", None, "indexing", "ready")
    result = await run(fetch)
    assert status_text(result) == "ready"
    assert len(seen) == 4


async def test_enum_status_values_are_understood(t: SleepRecorder) -> None:
    """Status values that are str-mixin enum members compare by value."""
    import enum

    class TaskStatus(str, enum.Enum):  # noqa: UP042 - the mixin form is the point
        processing = "processing"
        ready = "ready"

    fetch, seen = reads(TaskStatus.processing, TaskStatus.ready)
    await run(fetch)
    assert len(seen) == 2


async def test_permanent_error_mid_wait_raises_at_once(t: SleepRecorder) -> None:
    """A 404 on a later read propagates immediately; no further reads are made."""
    fetch, seen = reads("processing", NotFoundError("gone", status_code=404), "ready")
    with pytest.raises(NotFoundError):
        await run(fetch)
    assert len(seen) == 2


async def test_cancellation_leaves_nothing_pending_and_no_warning() -> None:
    """Cancelling the waiting task ends it cleanly: no stray tasks, no warnings."""
    fetch, seen = reads("processing")
    before = asyncio.all_tasks()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        waiter = asyncio.create_task(
            wait_for_done(fetch, task_id="t1", sleep_interval=30.0, callback=lambda s: None)
        )
        for _ in range(5):
            await asyncio.sleep(0)
        assert seen
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        await asyncio.sleep(0)
    assert asyncio.all_tasks() == before
    assert caught == []
    assert waiter.cancelled()


async def test_jitter_stays_within_ten_percent_and_varies(t: SleepRecorder) -> None:
    """Sleeps are the interval ±10 %, and not all the same."""
    fetch, _ = reads(*(["processing"] * 40), "ready")
    await run(fetch, sleep_interval=2.0, rng=random.Random(7))
    assert len(t.delays) == 40
    assert all(1.8 <= s <= 2.2 for s in t.delays)
    assert len(set(t.delays)) > 1
    assert min(t.delays) < 1.95
    assert max(t.delays) > 2.05


@pytest.mark.parametrize(
    ("sleep_interval", "limit", "match"),
    [
        (0, None, "sleep_interval must be greater than 0"),
        (-1.0, None, "sleep_interval must be greater than 0"),
        (float("nan"), None, "sleep_interval must be greater than 0"),
        ("5", None, "sleep_interval must be a number"),
        (True, None, "sleep_interval must be a number"),
        (5.0, 0, "timeout must be greater than 0"),
        (5.0, -3, "timeout must be greater than 0"),
        (5.0, float("inf"), "timeout must be greater than 0"),
        (5.0, "10", "timeout must be a number"),
    ],
)
async def test_invalid_wait_arguments_raise_before_any_read(
    sleep_interval: Any, limit: Any, match: str
) -> None:
    """Bad sleep_interval / timeout values raise InvalidRequestError before the first read."""
    fetch, seen = reads("ready")
    with pytest.raises(InvalidRequestError, match=match):
        await wait_for_done(fetch, task_id="t1", sleep_interval=sleep_interval, timeout=limit)
    assert seen == []


def test_check_wait_args_accepts_valid_values() -> None:
    """Positive finite numbers (int or float) and timeout=None are accepted."""
    check_wait_args(5, None)
    check_wait_args(0.01, 3600)


def test_module_defaults() -> None:
    """The default interval is 5 s and the terminal statuses are ready and failed."""
    assert _polling.DEFAULT_SLEEP_INTERVAL == 5.0
    assert frozenset({"ready", "failed"}) == _polling.TERMINAL_STATUSES


async def test_cancellation_during_a_read_under_timeout_is_a_cancellation() -> None:
    """Cancelling while a read runs inside the wait's timeout scope raises CancelledError."""
    started = asyncio.Event()

    async def fetch() -> Status:
        started.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    before = asyncio.all_tasks()
    waiter = asyncio.create_task(wait_for_done(fetch, task_id="t1", timeout=100.0))
    await started.wait()
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert asyncio.all_tasks() == before
