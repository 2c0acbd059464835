"""The engine behind ``multipart_upload.upload_file``: chunks in flight, URLs, reports.

* Up to ``concurrency`` chunks are in flight; each is streamed from its slice of the file
  by :class:`~twelvelabs_async._transport._storage.Storage` (no copies, no chunk in memory).
* Presigned URLs are used once: a URL is taken out of the table when a PUT starts. A chunk
  without a usable URL (never given, expiring within a minute, or consumed by a failed PUT)
  gets one from ``get_additional_presigned_urls``, asked for in runs of at most 50 and
  shared by concurrent workers.
* ETags are reported in batches of ``batch_size``; the last report's ``url`` is returned.
* Resume: chunks the session already counts (``uploaded_chunks`` with status
  ``completed``) are skipped; only the others are sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import inspect
import math
import random
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import attrs

from twelvelabs_async import _retry, _timing
from twelvelabs_async._transport._storage import ChunkPutError, FileSlices, Storage
from twelvelabs_async.errors import UploadError

__all__ = ["ChunkPlan", "UploadProgress", "run_chunks"]

#: A URL this close to its expiry is not used: a chunk PUT may take that long.
_EXPIRY_MARGIN = dt.timedelta(seconds=60)
_MAX_URLS_PER_CALL = 50


@attrs.frozen
class UploadProgress:
    """Where an upload stands; given to the progress callback after each chunk.

    The first four names are those of the official SDK's progress object.

    Attributes:
        total_chunks: chunks in the file.
        completed_chunks: chunks stored (those skipped on resume included).
        percentage: ``bytes_sent`` as a percentage of ``total_bytes``.
        status: ``uploading``, then ``completed``.
        bytes_sent: bytes stored (skipped chunks included).
        total_bytes: the file's size.
    """

    total_chunks: int
    completed_chunks: int
    percentage: float
    status: str
    bytes_sent: int
    total_bytes: int


ProgressCallback = Callable[[UploadProgress], object]


@attrs.define
class ChunkPlan:
    """What the engine needs to know about a session.

    Attributes:
        upload_id: the session.
        chunk_size: bytes per chunk.
        total_chunks: chunks in the file.
        upload_headers: headers for every chunk PUT.
        urls: chunk index -> (url, expiry or ``None``), as given so far.
        done: chunk indexes the session already counts.
    """

    upload_id: str
    chunk_size: int
    total_chunks: int
    upload_headers: dict[str, str]
    urls: dict[int, tuple[str, dt.datetime | None]] = attrs.Factory(dict)
    done: set[int] = attrs.Factory(set)


FetchUrls = Callable[[int, int], Awaitable[Iterable[tuple[int, str, dt.datetime | None]]]]
Report = Callable[[list[dict[str, Any]]], Awaitable[str | None]]


def check_plan(plan: ChunkPlan, size: int, *, asset_id: str | None) -> None:
    """Check the session's chunk size and count against the file.

    Raises:
        UploadError: they do not describe this file.
    """
    if plan.chunk_size <= 0 or plan.total_chunks != max(1, math.ceil(size / plan.chunk_size)):
        raise UploadError(
            f"the upload session does not fit the file: {plan.total_chunks} chunks of "
            f"{plan.chunk_size} bytes for {size} bytes",
            upload_id=plan.upload_id,
            asset_id=asset_id,
        )


async def run_chunks(
    plan: ChunkPlan,
    source: FileSlices,
    storage: Storage,
    *,
    fetch_urls: FetchUrls,
    report: Report,
    concurrency: int,
    batch_size: int,
    max_retries: int,
    retry_delay: float,
    progress: ProgressCallback | None,
    asset_id: str | None,
) -> tuple[str | None, int]:
    """Send every chunk not in ``plan.done`` and report them; return (url, chunks sent)."""
    size = source.size
    todo = [i for i in range(1, plan.total_chunks + 1) if i not in plan.done]
    queue = iter(todo)
    pending: list[dict[str, Any]] = []
    url_lock = asyncio.Lock()
    report_lock = asyncio.Lock()
    last_url: list[str | None] = [None]
    counts = {"chunks": len(plan.done), "bytes": 0, "sent": 0}
    counts["bytes"] = sum(_length(plan, size, i) for i in plan.done)

    def fail(message: str) -> UploadError:
        return UploadError(message, upload_id=plan.upload_id, asset_id=asset_id)

    async def tell(status: str) -> None:
        if progress is None:
            return
        pct = 100.0 * counts["bytes"] / size if size else 100.0
        info = UploadProgress(
            plan.total_chunks, counts["chunks"], pct, status, counts["bytes"], size
        )
        result = progress(info)
        if inspect.isawaitable(result):
            await result

    async def url_for(index: int) -> str:
        async with url_lock:
            got = plan.urls.pop(index, None)
            now = dt.datetime.now(dt.UTC)
            if got is not None and (got[1] is None or got[1] - now > _EXPIRY_MARGIN):
                return got[0]
            count = min(_MAX_URLS_PER_CALL, plan.total_chunks - index + 1)
            for i, url, expires in await fetch_urls(index, count):
                if i not in plan.done:
                    plan.urls[i] = (url, expires)
            fresh = plan.urls.pop(index, None)
            if fresh is None:
                raise fail(f"the API gave no upload URL for chunk {index}")
            return fresh[0]

    async def flush(force: bool) -> None:
        async with report_lock:
            if not pending or (not force and len(pending) < batch_size):
                return
            batch = pending[:]
            del pending[:]
            url = await report(batch)
            if url:
                last_url[0] = url

    async def send(index: int) -> None:
        offset = (index - 1) * plan.chunk_size
        length = _length(plan, size, index)
        attempt = 0
        while True:
            url = await url_for(index)
            try:
                etag = await storage.put(url, plan.upload_headers, source, offset, length)
                break
            except ChunkPutError as exc:
                attempt += 1
                if attempt > max_retries:
                    raise fail(
                        f"chunk {index} of {plan.total_chunks} was refused {attempt} times "
                        f"(last: {exc}); resume later with resume={plan.upload_id!r}"
                    ) from None
                # The URL was used (or is bad): the next try asks for a fresh one.
                await _timing.sleep(_retry.backoff(attempt, random.random(), base=retry_delay))
        plan.done.add(index)
        counts["chunks"] += 1
        counts["bytes"] += length
        counts["sent"] += 1
        pending.append(
            {"chunk_index": index, "proof": etag, "proof_type": "etag", "chunk_size": length}
        )
        await flush(force=False)
        await tell("uploading")

    async def worker() -> None:
        for index in queue:
            await send(index)

    await tell("uploading")
    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(min(concurrency, len(todo))):
                group.create_task(worker())
    except BaseExceptionGroup as group_error:
        raise _first(group_error) from None
    finally:
        # Report what was stored even when cut short, so that a resume skips it.
        if pending:
            # The original failure is the one to raise, not a failed last report.
            with contextlib.suppress(Exception):
                await asyncio.shield(flush(force=True))
    source.check_unchanged()
    await tell("completed")
    return last_url[0], counts["sent"]


def _length(plan: ChunkPlan, size: int, index: int) -> int:
    if index < plan.total_chunks:
        return plan.chunk_size
    return size - plan.chunk_size * (plan.total_chunks - 1)


def _first(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The exception to raise for a failed group: the first that is not a cancellation."""
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            return _first(exc)
        if not isinstance(exc, asyncio.CancelledError):
            return exc
    return group.exceptions[0]
