"""The shared rate-limit gate of a bulk job, and the search for tasks of lost creates."""

from __future__ import annotations

import asyncio
import datetime as _dt
import logging
import random
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

from twelvelabs_async import _timing
from twelvelabs_async._retry import backoff

from ._calls import task_names

__all__ = ["RateGate", "Reconciler"]

_log = logging.getLogger("twelvelabs_async.bulk")


class RateGate:
    """Holds every worker's creates back while the API says "too many requests".

    The API's limits are per organization, so a 429 seen by one worker applies to all of
    them: :meth:`trip` closes the gate for the server's ``Retry-After`` (or a growing
    backoff when it gave none), and every :meth:`wait` sleeps until it opens. A success
    resets the backoff. Waiters leave with a little jitter so that they do not all hit
    the API in the same millisecond when the gate opens.

    Args:
        base: the first backoff, in seconds, when the server gives no wait.
        cap: the longest backoff.
        clock: monotonic clock; the package's (see ``testing.no_sleep``) by default.
        sleep: the sleep coroutine function; the package's by default.
    """

    def __init__(
        self,
        *,
        base: float = 1.0,
        cap: float = 60.0,
        clock: Callable[[], float] = _timing.monotonic,
        sleep: Callable[[float], Any] = _timing.sleep,
    ) -> None:
        self._base = base
        self._cap = cap
        self._clock = clock
        self._sleep = sleep
        self._open_at = 0.0
        self._strikes = 0
        self.trips = 0

    @property
    def is_open(self) -> bool:
        """Whether creates may go now."""
        return self._clock() >= self._open_at

    def trip(self, retry_after: float | None = None) -> float:
        """Close the gate after a 429; return how long it stays closed (seconds)."""
        self._strikes += 1
        self.trips += 1
        if retry_after is None or retry_after < 0:
            delay = backoff(self._strikes, random.random(), base=self._base, cap=self._cap)
        else:
            delay = min(float(retry_after), self._cap)
        self._open_at = max(self._open_at, self._clock() + delay)
        return self._open_at - self._clock()

    def success(self) -> None:
        """A create went through: the next 429 starts the backoff afresh."""
        self._strikes = 0

    async def wait(self) -> None:
        """Return once the gate is open."""
        waited = False
        while (remaining := self._open_at - self._clock()) > 0:
            waited = True
            await self._sleep(remaining)
        if waited:
            await self._sleep(random.random() * 0.1)


class Reconciler:
    """Finds tasks that were created although their create call never reported an id.

    Such a task exists when a process died (or a connection dropped) after the API had
    created it. It is recognized in the task list by: created no earlier than the create
    intent (less ``skew`` for clock differences), the same file name or URL in its
    metadata, and not already named by the journal. Matches are taken oldest first, so
    several intents for inputs of the same name each get their own task.

    Args:
        lister: ``lister(started_at)`` returns an async iterator over listed tasks.
        claimed: task ids already used (shared with the engine, updated on adoption).
        skew: seconds subtracted from intent times to allow for clock differences.
    """

    def __init__(
        self,
        lister: Callable[[_dt.datetime], AsyncIterator[Any]],
        claimed: set[str],
        *,
        skew: float = 300.0,
    ) -> None:
        self._lister = lister
        self._claimed = claimed
        self._skew = skew
        self._lock = asyncio.Lock()
        self.adopted = 0

    async def find(self, wanted: Iterable[tuple[str, str, float]]) -> dict[str, str]:
        """Look for tasks of lost creates.

        Args:
            wanted: ``(key, name, since)`` triples: the input's key, the file name or URL
                its task shows, and the time of the earliest create that may have made it.

        Returns:
            ``{key: task_id}`` for the inputs whose task was found (now claimed).
        """
        wanted = sorted(wanted, key=lambda w: w[2])
        if not wanted:
            return {}
        async with self._lock:
            since = min(w[2] for w in wanted) - self._skew
            started_at = _dt.datetime.fromtimestamp(since, _dt.UTC).replace(microsecond=0)
            candidates: list[tuple[float, str, set[str]]] = []
            async for task in self._lister(started_at):
                task_id = getattr(task, "id", None)
                if not isinstance(task_id, str) or task_id in self._claimed:
                    continue
                created = getattr(task, "created_at", None)
                at = created.timestamp() if isinstance(created, _dt.datetime) else since
                candidates.append((at, task_id, task_names(task)))
            candidates.sort()
            found: dict[str, str] = {}
            for key, name, at in wanted:
                for i, (created_at, task_id, names) in enumerate(candidates):
                    if name in names and created_at >= at - self._skew:
                        found[key] = task_id
                        self._claimed.add(task_id)
                        del candidates[i]
                        break
            self.adopted += len(found)
            if found:
                _log.info("adopted %d task(s) created by lost create calls", len(found))
            return found
