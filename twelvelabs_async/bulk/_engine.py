"""``BulkEmbedJob``: embed many inputs concurrently, resumably, accounting for each one."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as _dt
import inspect
import logging
import os
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from twelvelabs_async.errors import InvalidRequestError

from . import _calls
from ._gate import RateGate, Reconciler
from ._inputs import BulkInput, WorkItem, prepare_inputs
from ._journal import JOURNAL_VERSION, Journal
from ._temporaries import cleanup_stale_temporaries
from ._types import BulkEvent, BulkItem, BulkSummary
from ._worker import EventCallbackError, Worker
from ._writers import ResultWriter, open_writer

if TYPE_CHECKING:
    from twelvelabs_async.client import AsyncTwelveLabs

__all__ = ["BulkEmbedJob"]

_log = logging.getLogger("twelvelabs_async.bulk")

#: ``on_event`` may be a plain function or a coroutine function.
EventCallback = Callable[[BulkEvent], "Awaitable[None] | None"]


def _check_count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidRequestError(f"{name} must be a positive integer, got {value!r}")
    return value


class BulkEmbedJob:
    """Embed many inputs concurrently; every input ends with a result or an error.

    ::

        async with AsyncTwelveLabs() as client:
            job = BulkEmbedJob(client, paths, model_name="marengo3.0", api="v1",
                               concurrency=8, journal="job.jsonl", output="out.npz")
            async for item in job:                  # in completion order
                item.index, item.input, item.task_id, item.segments or item.error
            # or: summary = await job.run()

    Concurrency: at most ``concurrency`` uploads/creates at once, and at most
    ``wait_concurrency`` tasks polled at once. A 429 on any create closes a gate shared by
    all workers (see :class:`~twelvelabs_async.bulk.RateGate`), so the whole job slows
    down, not one input.

    Crash safety (with ``journal``): each create is preceded by a synced ``intent`` line and
    its task id is synced before waiting; results are recorded as they arrive. Started
    again with the same journal and inputs, the job creates no task twice, uploads nothing
    already created, and fetches earlier results again by task id (see
    :mod:`twelvelabs_async.bulk._journal`). Creates whose outcome was lost (a dropped
    connection, a kill at the wrong moment) are looked up in the task list before a new
    create. Cancelling the job (Ctrl-C) cancels every worker and waits for them; the
    journal stays consistent and nothing is left running.

    Args:
        client: an open :class:`~twelvelabs_async.AsyncTwelveLabs`.
        inputs: paths, URLs, mappings of create keywords, or request objects (see
            :mod:`twelvelabs_async.bulk._inputs`).
        model_name: the model, e.g. ``"marengo3.0"``.
        api: ``"v1"`` (video tasks, other media by ``/embed``), ``"v2"`` (audio and video
            tasks, other media by ``/embed-v2``) or ``"v2-sync"`` (everything by
            ``/embed-v2``; media up to 10 minutes).
        concurrency: creates and uploads (and synchronous calls) in flight at once.
        wait_concurrency: tasks waited for at once (default ``4 * concurrency``).
        journal: path of the JSON Lines journal that makes the job resumable (``None``:
            no journal, nothing survives a crash).
        output: a path (``.npz``, ``.jsonl``, ``.parquet``) or a writer; every result is
            added as it arrives and the file appears when the job ends.
        options: create keywords applied to every input: for v1 tasks the keywords of
            ``tasks.create`` (``video_clip_length``, ``video_embedding_scope``, ...); for
            v2 the fields of the media object (``segmentation``, ``embedding_scope``, ...)
            plus top-level ``embedding_dimension`` / ``embedding_uncertainty``.
        embedding_option: which embeddings to get (``visual``, ``audio``,
            ``transcription``): v1 passes it to ``retrieve``, v2 to the media object.
        poll_interval: seconds between status reads of one task.
        task_timeout: give up waiting for one task after this many seconds (``None``:
            no limit); the input fails, and a resumed job waits for it again.
        max_attempts: tries of one step (create, wait) after transient errors.
        max_rate_limit_waits: 429s one input may meet before it fails.
        retry_failed: on resume, try again the inputs whose earlier failure was final
            (a failed task, a rejected request).
        on_event: called with every :class:`~twelvelabs_async.bulk.BulkEvent` (a plain or
            coroutine function); an exception in it stops the job.
        reconcile_delay: seconds to wait after a create with an unknown outcome before
            looking for its task in the list.
        fsync: make journal lines durable (leave on outside tests).

    Raises:
        InvalidRequestError: a setting or an input type is invalid (before any request).
    """

    def __init__(
        self,
        client: AsyncTwelveLabs,
        inputs: Iterable[BulkInput],
        *,
        model_name: str,
        api: _calls.ApiName = "v1",
        concurrency: int = 8,
        wait_concurrency: int | None = None,
        journal: str | os.PathLike[str] | None = None,
        output: str | os.PathLike[str] | ResultWriter | None = None,
        options: Mapping[str, Any] | None = None,
        embedding_option: Sequence[str] | None = None,
        poll_interval: float = 5.0,
        task_timeout: float | None = None,
        max_attempts: int = 4,
        max_rate_limit_waits: int = 50,
        retry_failed: bool = False,
        on_event: EventCallback | None = None,
        reconcile_delay: float = 1.0,
        fsync: bool = True,
    ) -> None:
        if api not in _calls.API_NAMES:
            raise InvalidRequestError(f"api must be one of {', '.join(_calls.API_NAMES)}")
        if not isinstance(model_name, str) or not model_name:
            raise InvalidRequestError("model_name must be a non-empty string, e.g. 'marengo3.0'")
        if isinstance(embedding_option, str):
            raise InvalidRequestError("embedding_option must be a list of strings, not a string")
        self.concurrency = _check_count("concurrency", concurrency)
        self.wait_concurrency = _check_count(
            "wait_concurrency", 4 * concurrency if wait_concurrency is None else wait_concurrency
        )
        _check_count("max_attempts", max_attempts)
        if not (isinstance(poll_interval, int | float) and poll_interval > 0):
            raise InvalidRequestError(f"poll_interval must be > 0 seconds, got {poll_interval!r}")
        self._client = client
        self.api: _calls.ApiName = api
        self.model_name = model_name
        opts = dict(options or {})
        self._top_level: dict[str, Any] = {
            k: opts.pop(k) for k in ("embedding_dimension", "embedding_uncertainty") if k in opts
        }
        self._embedding_option = list(embedding_option) if embedding_option else None
        if self._embedding_option and api != "v1":
            opts.setdefault("embedding_option", self._embedding_option)
        self._options = opts
        key_opts: dict[str, Any] = {"api": api, "model_name": model_name, "options": opts}
        key_opts.update(self._top_level)
        if self._embedding_option:
            key_opts["embedding_option"] = self._embedding_option
        self._key_options = key_opts
        self.items: list[WorkItem] = prepare_inputs(inputs, key_opts)
        self._journal_path = journal
        self._output = output
        self._poll_interval = float(poll_interval)
        self._task_timeout = task_timeout
        self._max_attempts = max_attempts
        self._max_rate_limit_waits = max_rate_limit_waits
        self._retry_failed = retry_failed
        self._reconcile_delay = reconcile_delay
        self._fsync = fsync
        self._on_event = on_event
        self.summary = BulkSummary(total=len(self.items))
        self._started = False
        self._stream_gen: AsyncIterator[BulkItem] | None = None
        self._writer: ResultWriter | None = None
        self._sink: Callable[[BulkEvent | None], None] = lambda _e: None

    def __repr__(self) -> str:
        return (
            f"BulkEmbedJob(inputs={len(self.items)}, api={self.api!r},"
            f" model_name={self.model_name!r}, concurrency={self.concurrency})"
        )

    # -- consuming ---------------------------------------------------------------------

    def __aiter__(self) -> AsyncIterator[BulkItem]:
        self._stream_gen = self._items()
        return self._stream_gen

    async def _items(self) -> AsyncIterator[BulkItem]:
        events = self.events()
        async with contextlib.aclosing(events):  # type: ignore[type-var]
            async for event in events:
                if event.item is not None:
                    yield event.item

    async def events(self) -> AsyncIterator[BulkEvent]:
        """Run the job, yielding every progress event (``done``/``failed`` carry the item).

        A job runs once: iterate it, iterate this, or call :meth:`run`. Leaving the loop
        early cancels the job (use ``contextlib.aclosing`` or ``async with job`` to make
        that immediate).
        """
        if self._started:
            raise RuntimeError("a BulkEmbedJob runs once; create a new job to run again")
        self._started = True
        queue: asyncio.Queue[BulkEvent | None] = asyncio.Queue()
        self._sink = queue.put_nowait
        runner = asyncio.create_task(self._run(), name="bulk-embed-job")
        runner.add_done_callback(lambda _t: queue.put_nowait(None))
        try:
            while (event := await queue.get()) is not None:
                yield event
            await runner
        finally:
            if not runner.done():
                runner.cancel()
            with contextlib.suppress(Exception):
                await asyncio.wait([runner])
                if not runner.cancelled():
                    runner.exception()

    async def run(self) -> BulkSummary:
        """Run the job to the end and return its summary (failures are in the summary)."""
        async for _ in self:
            pass
        return self.summary

    async def __aenter__(self) -> BulkEmbedJob:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Stop a job that is being iterated (cancels and waits for every worker)."""
        gen = self._stream_gen
        if gen is not None:
            await gen.aclose()  # type: ignore[attr-defined]

    # -- running -----------------------------------------------------------------------

    async def _emit(self, event: BulkEvent) -> None:
        item = event.item
        if item is not None:
            if item.ok:
                self.summary.succeeded += 1
                if self._writer is not None:
                    self._writer.add(item)
            else:
                self.summary.failed += 1
                self.summary.failures.append(item)
            if item.resumed:
                self.summary.resumed += 1
        self._sink(event)
        if self._on_event is not None:
            try:
                result = self._on_event(event)
                if inspect.isawaitable(result):
                    await result
            except Exception as exc:
                raise EventCallbackError(f"on_event raised {type(exc).__name__}: {exc}") from exc

    def _open_journal(self) -> Journal:
        if self._journal_path is None:
            return Journal.memory()
        journal = Journal.open(self._journal_path, sync=self._fsync)
        try:
            header = {"type": "job", "version": JOURNAL_VERSION, **self._key_options}
            if journal.check_header(header):
                journal.header = header | {"at": time.time()}
                journal._write(_line(journal.header))
        except BaseException:
            journal._close_fd()
            raise
        return journal

    async def _run(self) -> None:
        journal = self._open_journal()
        try:
            await journal.append({"type": "run", "at": time.time(), "inputs": len(self.items)})
            output = self._output
            if isinstance(output, str | os.PathLike):
                cleanup_stale_temporaries(output)
                output = open_writer(output, {"model_name": self.model_name, "api": self.api})
            self._writer = output
            worker = self._make_worker(journal)
            try:
                await self._recover_orphans(worker, journal)
                await self._spawn_all(worker)
            except BaseException:
                if self._writer is not None:
                    self._writer.abort()
                raise
            finally:
                self.summary.created = worker.created
                self.summary.recovered = worker.reconciler.adopted
                self.summary.rate_limited = worker.gate.trips
                self.summary.aborted_by = worker.fatal
            if self._writer is not None:
                # Nothing embedded: an empty output would look like a finished index.
                if self.summary.succeeded:
                    self._writer.close()
                else:
                    self._writer.abort()
        finally:
            await journal.aclose()

    def _make_worker(self, journal: Journal) -> Worker:
        client = self._client

        def lister(started_at: _dt.datetime) -> AsyncIterator[Any]:
            tasks = client.embed.tasks if self.api == "v1" else client.embed.v2.tasks
            return aiter(tasks.list(started_at=started_at, page_limit=50))

        names = Counter(_calls.match_name(self.api, w) for w in self.items)
        return Worker(
            ambiguous_names=frozenset(n for n, c in names.items() if n is not None and c > 1),
            client=client, api=self.api, model_name=self.model_name, options=self._options,
            top_level=self._top_level, embedding_option=self._embedding_option,
            journal=journal, gate=RateGate(), reconciler=Reconciler(lister, journal.claimed_ids),
            upload_slots=asyncio.Semaphore(self.concurrency),
            wait_slots=asyncio.Semaphore(self.wait_concurrency), emit=self._emit,
            poll_interval=self._poll_interval, task_timeout=self._task_timeout,
            max_attempts=self._max_attempts, max_rate_limit_waits=self._max_rate_limit_waits,
            retry_failed=self._retry_failed, reconcile_delay=self._reconcile_delay,
        )  # fmt: skip

    async def _recover_orphans(self, worker: Worker, journal: Journal) -> None:
        """Adopt the tasks of creates whose outcome an earlier run never learned."""
        wanted = []
        by_key = {}
        for w in self.items:
            entry = journal.entries.get(w.key)
            if entry is None or entry.task_id or entry.done or entry.orphan_since is None:
                continue
            name = worker.match_name(w)
            if name is not None and _calls.route(self.api, w) == "task":
                wanted.append((w.key, name, entry.orphan_since))
                by_key[w.key] = w
        if not wanted:
            return
        found = await worker.reconciler.find(wanted)
        for key, task_id in found.items():
            await worker.record_adoption(by_key[key], task_id)

    async def _spawn_all(self, worker: Worker) -> None:
        slots = asyncio.Semaphore(self.concurrency + self.wait_concurrency)

        async def one(w: WorkItem) -> None:
            try:
                item = await worker.process(w)
                await self._emit(
                    BulkEvent(
                        "done" if item.ok else "failed",
                        w.index,
                        w.source,
                        task_id=item.task_id,
                        error=item.error,
                        item=item,
                    )
                )
            finally:
                slots.release()

        try:
            async with asyncio.TaskGroup() as group:
                for w in self.items:
                    await slots.acquire()
                    group.create_task(one(w), name=f"bulk-item-{w.index}")
        except BaseExceptionGroup as eg:
            first = eg.exceptions[0]
            for other in eg.exceptions[1:]:
                _log.debug("bulk job: another error while stopping: %r", other)
            first.__suppress_context__ = True  # the group only wraps it; keep its own cause
            raise first  # noqa: B904


def _line(record: Mapping[str, Any]) -> bytes:
    import orjson

    return orjson.dumps(record) + b"\n"
