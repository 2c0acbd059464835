"""Value types of bulk jobs: one embedded segment, one finished input, progress events.

Vectors are kept as ``array.array("f")`` (float32, 4 bytes a value): a library of videos
yields millions of floats, and a list of Python floats would take six times the memory.
``numpy.frombuffer(segment.vector, dtype=numpy.float32)`` views one without a copy.
"""

from __future__ import annotations

import array
from collections.abc import Sequence
from typing import Any, Literal, TypeAlias

import attrs

__all__ = [
    "BulkEvent",
    "BulkItem",
    "BulkSummary",
    "EventKind",
    "Segment",
]

#: What a :class:`BulkEvent` reports.
#:
#: * ``intent``: a create request is about to be sent (after the journal recorded it);
#: * ``uploaded``: upload progress, ``bytes_sent`` of ``bytes_total``;
#: * ``created``: the API returned a task id (recorded in the journal before waiting);
#: * ``recovered``: a task created by an interrupted run was found and adopted;
#: * ``processing``: a status read of a task that is not finished yet;
#: * ``rate_limited``: a 429 closed the shared gate for ``delay`` seconds;
#: * ``retry``: a transient error; the step is tried again;
#: * ``done`` / ``failed``: the input's final outcome (``item`` is set).
EventKind: TypeAlias = Literal[
    "intent",
    "uploaded",
    "created",
    "recovered",
    "processing",
    "rate_limited",
    "retry",
    "done",
    "failed",
]


@attrs.frozen
class Segment:
    """One embedding vector and where it came from.

    Attributes:
        vector: the embedding, float32.
        start_sec: start of the segment in the media (``None`` for text and images).
        end_sec: end of the segment in the media (``None`` for text and images).
        option: the embedding option (``visual``, ``audio``, ``transcription``, ``fused``...).
        scope: the embedding scope (``clip``, ``video``, ``asset``...).
    """

    vector: array.array[float]
    start_sec: float | None = None
    end_sec: float | None = None
    option: str | None = None
    scope: str | None = None

    @property
    def dimension(self) -> int:
        """The vector's length."""
        return len(self.vector)


@attrs.define(eq=False)
class BulkItem:
    """The outcome of one input of a bulk job: a result or an error, never neither.

    Attributes:
        index: the input's position in the list given to the job.
        input: the input exactly as given (a path, a URL, a dict or a request object).
        key: the stable key that identifies the input in the journal.
        source: a short human-readable name of the input (path, URL, ``text:...``).
        task_id: the embedding task's id (``None`` for synchronous calls and for inputs
            that failed before a task was created).
        segments: the embeddings, in the API's order (empty when the input failed).
        error: the exception that made the input fail, or ``None``.
        resumed: ``True`` when the outcome comes from an earlier run's journal entry
            (the task was created, or finished, by a previous run).
        response: the final API response model when this run fetched it (``None`` for
            results rebuilt from the journal and for failures).
    """

    index: int
    input: Any
    key: str
    source: str
    task_id: str | None = None
    segments: Sequence[Segment] = ()
    error: BaseException | None = None
    resumed: bool = False
    response: Any = None

    @property
    def ok(self) -> bool:
        """Whether the input was embedded."""
        return self.error is None


@attrs.frozen
class BulkEvent:
    """A progress event of a bulk job, passed to ``on_event`` and to ``job.events()``.

    Attributes:
        kind: what happened (see :data:`EventKind`).
        index: the input's position in the job's input list.
        source: a short human-readable name of the input.
        task_id: the task's id when one is known.
        status: the task status just read (``processing`` events).
        bytes_sent: bytes of the file uploaded so far (``uploaded`` events).
        bytes_total: the file's size when known (``uploaded`` events).
        delay: seconds the shared gate stays closed (``rate_limited`` and ``retry`` events).
        error: the error behind a ``retry`` or ``failed`` event.
        item: the finished input (``done`` and ``failed`` events).
    """

    kind: EventKind
    index: int
    source: str
    task_id: str | None = None
    status: str | None = None
    bytes_sent: int | None = None
    bytes_total: int | None = None
    delay: float | None = None
    error: BaseException | None = None
    item: BulkItem | None = None


@attrs.define
class BulkSummary:
    """Counts of a finished (or interrupted) bulk job.

    Attributes:
        total: inputs given to the job.
        succeeded: inputs with a result.
        failed: inputs that ended with an error.
        created: tasks created by this run.
        recovered: tasks of an interrupted run found through the task list and adopted.
        resumed: inputs whose task or result came from the journal of an earlier run.
        rate_limited: times a 429 closed the shared gate.
        failures: the failed items, in completion order.
        aborted_by: the error that stopped the job early (a refused API key), if any.
    """

    total: int = 0
    succeeded: int = 0
    failed: int = 0
    created: int = 0
    recovered: int = 0
    resumed: int = 0
    rate_limited: int = 0
    failures: list[BulkItem] = attrs.Factory(list)
    aborted_by: BaseException | None = None

    @property
    def pending(self) -> int:
        """Inputs without an outcome (non-zero only after an interruption)."""
        return self.total - self.succeeded - self.failed

    def __str__(self) -> str:
        text = (
            f"{self.total} inputs: {self.succeeded} embedded, {self.failed} failed"
            f" ({self.created} tasks created, {self.recovered} recovered,"
            f" {self.resumed} resumed from the journal, {self.rate_limited} rate limits)"
        )
        if self.pending:
            text += f", {self.pending} not finished"
        return text
