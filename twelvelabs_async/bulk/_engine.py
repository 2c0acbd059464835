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
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Unpack

from twelvelabs_async.errors import InvalidStateError

from . import _calls
from ._gate import RateGate, Reconciler
from ._inputs import BulkInput, WorkItem, prepare_inputs
from ._journal import JOURNAL_VERSION, Journal
from ._options import BulkOptions, BulkSettings, build_options
from ._temporaries import cleanup_stale_temporaries
from ._types import BulkEvent, BulkItem, BulkSummary
from ._worker import EventCallbackError, Worker
from ._writers import ResultWriter, open_output, settle

if TYPE_CHECKING:
    from twelvelabs_async.client import AsyncTwelveLabs

__all__ = ["BulkEmbedJob"]

_log = logging.getLogger("twelvelabs_async.bulk")

#: ``on_event`` may be a plain function or a coroutine function.
EventCallback = Callable[[BulkEvent], "Awaitable[None] | None"]


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
        config: every setting of the job as a :class:`~twelvelabs_async.bulk.BulkOptions`
            (model, API, concurrency, create options, polling, retries); or leave it out
            and give the same settings as keywords (``model_name=`` is then required).
        journal: path of the JSON Lines journal that makes the job resumable (``None``:
            no journal, nothing survives a crash).
        output: a path (``.npz``, ``.jsonl``, ``.parquet``), a vector store address
            (``"lancedb://vectors"``, ``"vectors.lance"``, ``"milvus://vectors.db"``), a
            store object (:mod:`twelvelabs_async.stores`) or a writer; every result is
            added as it arrives (a file appears when the job ends, a store's rows as
            each batch is written).
        on_event: called with every :class:`~twelvelabs_async.bulk.BulkEvent` (a plain or
            coroutine function); an exception in it stops the job.
        **settings: the fields of :class:`~twelvelabs_async.bulk.BulkOptions`, when
            ``config`` is not given.

    Raises:
        InvalidRequestError: a setting or an input type is invalid (before any request).
    """

    def __init__(
        self,
        client: AsyncTwelveLabs,
        inputs: Iterable[BulkInput],
        config: BulkOptions | None = None,
        *,
        journal: str | os.PathLike[str] | None = None,
        output: str | os.PathLike[str] | ResultWriter | None = None,
        on_event: EventCallback | None = None,
        **settings: Unpack[BulkSettings],
    ) -> None:
        self.config = build_options(config, settings)
        self._client = client
        self._key_options = self.config.key_options()
        self.items: list[WorkItem] = prepare_inputs(inputs, self._key_options)
        self._journal_path = journal
        self._output = output
        self._on_event = on_event
        self.summary = BulkSummary(total=len(self.items))
        self._started = False
        self._stream_gen: AsyncIterator[BulkItem] | None = None
        self._writer: ResultWriter | None = None
        self._sink: Callable[[BulkEvent | None], None] = lambda _e: None

    @property
    def api(self) -> _calls.ApiName:
        """The API the job uses (``config.api``)."""
        return self.config.api

    @property
    def model_name(self) -> str:
        """The model the job uses (``config.model_name``)."""
        return self.config.model_name

    @property
    def concurrency(self) -> int:
        """Creates and uploads in flight at once (``config.concurrency``)."""
        return self.config.concurrency

    @property
    def wait_concurrency(self) -> int:
        """Tasks waited for at once (``config.wait_concurrency`` or 4x ``concurrency``)."""
        return self.config.wait_limit

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
            raise InvalidStateError("a BulkEmbedJob runs once; create a new job to run again")
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
                    await settle(self._writer.add(item))
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
        journal = Journal.open(self._journal_path, sync=self.config.fsync)
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
            if self._output is not None:
                if isinstance(self._output, str | os.PathLike):
                    cleanup_stale_temporaries(self._output)
                meta = {"model_name": self.model_name, "api": self.api}
                self._writer = open_output(self._output, meta)
            worker = self._make_worker(journal)
            try:
                await self._recover_orphans(worker, journal)
                await self._spawn_all(worker)
            except BaseException:
                if self._writer is not None:
                    await settle(self._writer.abort())
                raise
            finally:
                self.summary.created = worker.created
                self.summary.recovered = worker.reconciler.adopted
                self.summary.rate_limited = worker.gate.trips
                self.summary.aborted_by = worker.fatal
            if self._writer is not None:
                # Nothing embedded: an empty output would look like a finished index.
                if self.summary.succeeded:
                    await settle(self._writer.close())
                else:
                    await settle(self._writer.abort())
        finally:
            await journal.aclose()

    def _make_worker(self, journal: Journal) -> Worker:
        client = self._client

        def lister(started_at: _dt.datetime) -> AsyncIterator[Any]:
            tasks = client.embed.tasks if self.api == "v1" else client.embed.v2.tasks
            return aiter(tasks.list(started_at=started_at, page_limit=50))

        names = Counter(_calls.match_name(self.api, w) for w in self.items)
        return Worker(
            client=client,
            config=self.config,
            journal=journal,
            gate=RateGate(),
            reconciler=Reconciler(lister, journal.claimed_ids),
            upload_slots=asyncio.Semaphore(self.concurrency),
            wait_slots=asyncio.Semaphore(self.wait_concurrency),
            emit=self._emit,
            ambiguous_names=frozenset(n for n, c in names.items() if n is not None and c > 1),
        )

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
