"""The ``wait_for_done`` engine shared by v1 and v2 embedding tasks.

One loop serves both API versions: it is given a coroutine function that reads the
task's current state (v1 ``GET /embed/tasks/{id}/status``, v2 ``GET /embed-v2/tasks/{id}``)
and polls it until the status is terminal (``ready`` or ``failed``).

What it guarantees, unlike a naive loop:

* a ``timeout`` (wall clock, covering reads and sleeps) that raises
  :class:`~twelvelabs_async.errors.WaitTimeoutError` carrying the last status read;
* errors are never swallowed: the transport already retried what was transient, so an
  error reaching this loop (401, 404, ...) can never succeed on a later poll and
  propagates at once;
* unknown status values keep the loop waiting (the API may add states) while the
  timeout still bounds the wait;
* no background task: cancelling the awaiting task cancels the current read or sleep
  and leaves nothing pending;
* the interval carries a little jitter so that many waiters started together do not
  poll in lockstep.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import math
import random
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from . import _timing
from ._retry import backoff
from .errors import InvalidRequestError, TaskFailedError, WaitTimeoutError

__all__ = [
    "DEFAULT_SLEEP_INTERVAL",
    "JITTER_FRACTION",
    "TERMINAL_STATUSES",
    "StatusCallback",
    "check_wait_args",
    "status_text",
    "wait_for_done",
]

_log = logging.getLogger("twelvelabs_async.polling")

S = TypeVar("S")

#: Seconds between two status reads unless told otherwise (the official SDK's default).
DEFAULT_SLEEP_INTERVAL = 5.0
#: Each sleep is the interval times a uniform factor in [1 - JITTER_FRACTION, 1 + JITTER_FRACTION].
JITTER_FRACTION = 0.1
#: Status values after which a task never changes again.
TERMINAL_STATUSES = frozenset({"ready", "failed"})

#: A callback receives the status object just read; it may be a plain function or a
#: coroutine function (its awaitable result is awaited).
StatusCallback = Callable[[Any], object]


def check_wait_args(sleep_interval: object, timeout: object, callback: object = None) -> None:
    """Validate the arguments of a wait before any request is made.

    Args:
        sleep_interval: seconds between status reads; a finite number greater than 0.
        timeout: seconds before giving up, or ``None`` for no limit; finite and greater than 0.
        callback: ``None`` or a callable.

    Raises:
        InvalidRequestError: a value is of the wrong type, not finite, or not positive.
    """
    if callback is not None and not callable(callback):
        # Checked here, not at the first status read: by then a task may have been created.
        raise InvalidRequestError(
            f"callback must be a function or coroutine function, got {type(callback).__name__}"
        )
    if isinstance(sleep_interval, bool) or not isinstance(sleep_interval, int | float):
        raise InvalidRequestError(
            f"sleep_interval must be a number of seconds, got {type(sleep_interval).__name__}"
        )
    if not math.isfinite(sleep_interval) or sleep_interval <= 0:
        raise InvalidRequestError(
            f"sleep_interval must be greater than 0 seconds, got {sleep_interval!r}; "
            f"the default is {DEFAULT_SLEEP_INTERVAL}"
        )
    if timeout is None:
        return
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise InvalidRequestError(
            f"timeout must be a number of seconds or None, got {type(timeout).__name__}"
        )
    if not math.isfinite(timeout) or timeout <= 0:
        raise InvalidRequestError(
            f"timeout must be greater than 0 seconds (or None to wait without limit), "
            f"got {timeout!r}"
        )


def status_text(obj: object) -> str | None:
    """Return the ``status`` of a status-bearing object as a plain string.

    Enum members (open or closed) are reduced to their value, so a ``str``-mixin enum whose
    ``str()`` is ``Class.member`` still compares equal to ``"ready"``.

    Args:
        obj: a status or task object with a ``status`` attribute.

    Returns:
        The status string, or ``None`` when the object carries none.
    """
    value = getattr(obj, "status", None)
    value = getattr(value, "value", value)
    return value if isinstance(value, str) else None


def _failure_text(obj: object) -> str | None:
    """Dig a human-readable failure reason out of a status object, if it has one."""
    error = getattr(obj, "error", None)
    message = getattr(error, "message", None)
    if isinstance(message, str) and message:
        return message
    return None


async def _call_back(callback: StatusCallback, status: object) -> None:
    result = callback(status)
    if inspect.isawaitable(result):
        await result


async def wait_for_done(
    fetch: Callable[[], Awaitable[S]],
    *,
    task_id: str,
    sleep_interval: float = DEFAULT_SLEEP_INTERVAL,
    callback: StatusCallback | None = None,
    # The public name is fixed by the official SDK's signature and our contract.
    timeout: float | None = None,  # noqa: ASYNC109
    raise_on_failure: bool = False,
    rng: random.Random | None = None,
) -> S:
    """Poll ``fetch`` until the task it reads reaches ``ready`` or ``failed``.

    Args:
        fetch: coroutine function returning the task's current state; the object must have
            a ``status`` attribute (v1 status response, v2 task response).
        task_id: the task's id, for error messages.
        sleep_interval: seconds between reads (jittered by ±10 %); must be greater than 0.
        callback: called with every object read, the first included; a plain function or a
            coroutine function. Exceptions it raises propagate and end the wait.
        timeout: seconds before giving up, or ``None`` to wait without limit. The time spent
            in reads counts.
        raise_on_failure: when ``False`` (the default, like the official SDK) a ``failed``
            task is returned like a ``ready`` one and the caller checks ``.status``; when
            ``True`` it raises :class:`~twelvelabs_async.errors.TaskFailedError`.
        rng: source of jitter; the module's shared generator by default.

    Returns:
        The last object read, whose status is ``ready`` or ``failed``.

    Raises:
        InvalidRequestError: ``sleep_interval`` or ``timeout`` is not a positive number.
        WaitTimeoutError: the timeout passed first; ``last_status`` holds the last read.
        TaskFailedError: the task failed and ``raise_on_failure`` is true.
        APIError: a read failed after the transport's own retries (e.g. 401, 404).
    """
    check_wait_args(sleep_interval, timeout, callback)
    # The package's clock and sleep: ``testing.no_sleep()`` makes the waits take no time
    # and the deadline still sees them pass.
    now = _timing.monotonic
    jitter = rng if rng is not None else random
    deadline = None if timeout is None else now() + timeout
    last: S | None = None
    reads = 0

    while True:
        last = await _read(fetch, task_id, timeout, deadline, now, last)
        reads += 1
        status = status_text(last)
        _log.debug("task %s: status %r after %d read(s)", task_id, status, reads)
        if callback is not None:
            await _call_back(callback, last)
        if status == "failed":
            if raise_on_failure:
                reason = _failure_text(last)
                raise TaskFailedError(
                    f"embedding task {task_id} failed"
                    + (f": {reason}" if reason else " (the API gave no reason)"),
                    task_id=task_id,
                    status=last,
                )
            return last
        if status in TERMINAL_STATUSES:
            return last

        delay = backoff(
            1,
            jitter.random(),
            base=sleep_interval,
            cap=sleep_interval,
            growth=1.0,
            jitter=(1.0 - JITTER_FRACTION, 1.0 + JITTER_FRACTION),
        )
        if deadline is not None:
            remaining = deadline - now()
            if remaining <= 0:
                raise _timed_out(task_id, timeout, last)
            delay = min(delay, remaining)
        await _timing.sleep(delay)


async def _read(
    fetch: Callable[[], Awaitable[S]],
    task_id: str,
    limit: float | None,
    deadline: float | None,
    now: Callable[[], float],
    last: S | None,
) -> S:
    """One status read, bounded by what is left of the wait's timeout."""
    if deadline is None:
        return await fetch()
    remaining = deadline - now()
    if remaining <= 0:
        raise _timed_out(task_id, limit, last)
    try:
        async with asyncio.timeout(remaining) as scope:
            return await fetch()
    except TimeoutError:
        # Only our own scope's expiry is a wait timeout; a request timeout from the
        # transport is its own error and keeps its type.
        if scope.expired():
            raise _timed_out(task_id, limit, last) from None
        raise


def _timed_out(task_id: str, timeout: float | None, last: object) -> WaitTimeoutError:
    status = status_text(last) if last is not None else None
    limit = f" after {timeout:g} s" if timeout is not None else ""
    seen = f"last status {status!r}" if last is not None else "no status read yet"
    return WaitTimeoutError(
        f"embedding task {task_id} is not done{limit} ({seen}); wait again with a longer "
        f"timeout, or check it later with its id",
        task_id=task_id,
        last_status=last,
    )
