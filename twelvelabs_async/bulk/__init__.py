"""Bulk embedding jobs: many inputs, concurrent, resumable, and every input accounted for.

::

    from twelvelabs_async import AsyncTwelveLabs
    from twelvelabs_async.bulk import BulkEmbedJob

    async with AsyncTwelveLabs() as client:
        job = BulkEmbedJob(client, ["a.mp4", "b.mp4", "https://cdn.example.com/c.mp4"],
                           model_name="marengo3.0", api="v1", concurrency=8,
                           journal="job.jsonl", output="vectors.npz")
        async for item in job:
            print(item.index, item.source, item.task_id, item.error or len(item.segments))
        print(job.summary)

The command line wraps the same engine: ``python -m twelvelabs_async embed ...``.
"""

from ._engine import BulkEmbedJob
from ._gate import RateGate, Reconciler
from ._inputs import BulkInput, media_kind
from ._journal import Journal, JournalError
from ._options import BulkOptions, BulkSettings
from ._types import BulkEvent, BulkItem, BulkSummary, EventKind, Segment
from ._worker import EventCallbackError, JobAbortedError, PreviousRunError
from ._writers import JsonlWriter, NpzWriter, ParquetWriter, ResultWriter, open_writer

__all__ = [
    "BulkEmbedJob",
    "BulkEvent",
    "BulkInput",
    "BulkItem",
    "BulkOptions",
    "BulkSettings",
    "BulkSummary",
    "EventCallbackError",
    "EventKind",
    "JobAbortedError",
    "Journal",
    "JournalError",
    "JsonlWriter",
    "NpzWriter",
    "ParquetWriter",
    "PreviousRunError",
    "RateGate",
    "Reconciler",
    "ResultWriter",
    "Segment",
    "media_kind",
    "open_writer",
]
