"""What every vector store shares: batched, replace-on-resume writes and search by text.

A store is what a bulk job writes to as results arrive (it has the ``add`` / ``close`` /
``abort`` of a :class:`~twelvelabs_async.bulk.ResultWriter`), and what an application
searches. One row per segment:

=================  ======================================================================
``row_key``        ``"<input_index>:<segment_index>"``: the primary key; a resumed job
                   writes the same keys again and replaces those rows
``vector``         float32, fixed length
``input_index``    the input's position in the job
``segment_index``  the segment's position in the input's result
``source``         the input's path, URL or ``text:...``
``task_id``        the task's id (empty for synchronous calls)
``model_name``     the model that made the vector; ``api``: ``v1``, ``v2`` or ``v2-sync``
``scope``          ``clip``, ``video``, ``asset``...; ``option``: ``visual``, ``audio``...
``start_sec``      segment start, ``end_sec`` its end (null for text and images)
=================  ======================================================================
"""

from __future__ import annotations

import abc
import asyncio
import math
from collections.abc import Sequence
from typing import Any

import attrs

from twelvelabs_async._segments import iter_segments
from twelvelabs_async.bulk._rows import DEFAULT_BATCH_ROWS, RowBatch, check_batch_rows
from twelvelabs_async.bulk._types import BulkItem
from twelvelabs_async.errors import InvalidRequestError, StoreError

__all__ = ["SearchHit", "StoreError", "VectorStore", "embed_query"]


@attrs.frozen
class SearchHit:
    """One row found by :meth:`VectorStore.search`.

    Attributes:
        score: cosine similarity to the query (1 is the same direction).
        source: the input's path, URL or ``text:...``.
        start_sec: segment start in seconds (``None`` for text and images).
        end_sec: segment end in seconds.
        scope: the embedding scope.
        option: the embedding option.
        input_index: the input's position in its job.
        segment_index: the segment's position in the input's result.
        task_id: the task's id (empty for synchronous calls).
        model_name: the model that made the vector.
    """

    score: float
    source: str
    start_sec: float | None
    end_sec: float | None
    scope: str
    option: str
    input_index: int
    segment_index: int
    task_id: str
    model_name: str


def _time(value: object) -> float | None:
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return None


def hit_from_row(row: dict[str, Any], score: float) -> SearchHit:
    """Build a hit from a row read back from a store."""
    return SearchHit(
        score=score,
        source=str(row.get("source", "")),
        start_sec=_time(row.get("start_sec")),
        end_sec=_time(row.get("end_sec")),
        scope=str(row.get("scope", "")),
        option=str(row.get("option", "")),
        input_index=int(row.get("input_index", -1)),
        segment_index=int(row.get("segment_index", -1)),
        task_id=str(row.get("task_id", "")),
        model_name=str(row.get("model_name", "")),
    )


async def embed_query(client: Any, text: str, *, model_name: str, api: str) -> list[float]:
    """Embed a text query with the model (and API family) of the stored vectors.

    Args:
        client: an open :class:`~twelvelabs_async.AsyncTwelveLabs`.
        text: the query.
        model_name: the stored vectors' model.
        api: ``v1`` embeds through ``embed.create(text=...)``, ``v2``/``v2-sync``
            through ``embed.v2.create(input_type="text", ...)``.

    Returns:
        The query vector.
    """
    if api == "v1":
        response = await client.embed.create(model_name=model_name, text=text)
    else:
        response = await client.embed.v2.create(
            input_type="text", model_name=model_name, text={"input_text": text}
        )
    for record in iter_segments(response):
        if record.vector is not None:
            return [float(v) for v in record.vector]
    raise StoreError(f"the API returned no vector for the query {text[:40]!r}")


class VectorStore(abc.ABC):
    """Base of the vector stores: buffers rows and writes them a batch at a time.

    Subclasses implement :meth:`_write` (upsert by ``row_key``), :meth:`_vector_search`,
    :meth:`count`, :meth:`_read_model` and :meth:`_close`.

    Args:
        batch_rows: rows held in memory before a write (the memory bound of ingest).
        model_name: the model of the vectors written (``None``: read from the store).
        api: the API family of the vectors (``v1``, ``v2``, ``v2-sync``).
    """

    #: Shown in messages (``LanceDB``, ``Milvus``).
    kind = "store"

    def __init__(
        self,
        *,
        batch_rows: int = DEFAULT_BATCH_ROWS,
        model_name: str | None = None,
        api: str | None = None,
    ) -> None:
        self.batch_rows = check_batch_rows(batch_rows)
        self.model_name = model_name
        self.api = api
        self.rows_written = 0
        self._batch = RowBatch(self.where)
        self._lock = asyncio.Lock()
        self._failed: BaseException | None = None
        self._closed = False

    @property
    @abc.abstractmethod
    def where(self) -> str:
        """The store's address, for messages."""

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"the {self.kind} store at {self.where} is closed")
        if self._failed is not None:
            raise StoreError(
                f"the {self.kind} store at {self.where} failed earlier: {self._failed}"
            ) from self._failed

    # -- writing -----------------------------------------------------------------------

    async def add(self, item: BulkItem) -> None:
        """Take the segments of one embedded input; write a batch when it is full.

        Raises:
            StoreError: the store could not take a full batch (its rows stay buffered
                and earlier batches stay written).
            InvalidRequestError: the input's vectors have another length than the rows
                before them.
        """
        self._check_open()
        self._batch.add(item)
        if len(self._batch) >= self.batch_rows:
            await self.flush()

    async def flush(self) -> None:
        """Write the buffered rows now.

        Results arrive from many tasks at once: one batch is written at a time, and rows
        that arrive meanwhile go to the next batch (their ``add`` waits when it is full,
        which is what bounds memory).

        Raises:
            StoreError: the write failed (the store refuses further writes).
        """
        async with self._lock:
            self._check_open()
            if not len(self._batch):
                return
            batch = self._batch
            self._batch = RowBatch(self.where)
            self._batch.dim = batch.dim
            try:
                await self._write(batch)
            except StoreError as exc:
                self._failed = exc
                raise
            except Exception as exc:
                self._failed = exc
                raise StoreError(
                    f"writing {len(batch)} rows to the {self.kind} store at {self.where}"
                    f" failed ({type(exc).__name__}: {exc}); {self.rows_written} rows written"
                    " before stay in the store"
                ) from exc
            self.rows_written += len(batch)

    async def close(self) -> None:
        """Write the last rows, finish the table (an index when it is big enough), close."""
        if self._closed:
            return
        try:
            await self.flush()
            await self._finish()
        finally:
            await self.aclose()

    async def abort(self) -> None:
        """The job stopped early: keep what can be kept (write the buffered rows), close.

        Never raises: the job's own error is the one to report.
        """
        try:
            if not self._closed and self._failed is None:
                await self.flush()
        except Exception:
            pass
        finally:
            await self.aclose()

    async def aclose(self) -> None:
        """Close the connection without writing the buffered rows."""
        if not self._closed:
            self._closed = True
            await self._close()

    async def __aenter__(self) -> VectorStore:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # -- searching ---------------------------------------------------------------------

    async def search(
        self,
        query: str | Sequence[float],
        top_k: int = 10,
        *,
        where: str | None = None,
        client: Any = None,
    ) -> list[SearchHit]:
        """Find the rows closest to a text or a vector (cosine similarity), best first.

        Args:
            query: a text (embedded through ``client`` with the stored vectors' model)
                or a query vector.
            top_k: how many rows to return.
            where: a filter in the store's own expression language (LanceDB: SQL, e.g.
                ``"scope = 'clip'"``; Milvus: ``"scope == 'clip'"``).
            client: an open :class:`~twelvelabs_async.AsyncTwelveLabs`, needed for a text.

        Raises:
            InvalidRequestError: ``top_k`` is not positive, or a text came without a client.
            StoreError: the store is empty, closed, or rejected the search.
        """
        if isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1:
            raise InvalidRequestError(f"top_k must be a positive integer, got {top_k!r}")
        self._check_open()
        if isinstance(query, str):
            if client is None:
                raise InvalidRequestError(
                    "search by text needs client=AsyncTwelveLabs(...) to embed the query"
                    " (or pass a vector)"
                )
            model_name, api = self.model_name, self.api
            if model_name is None or api is None:
                model_name, api = await self._read_model()
            vector = await embed_query(client, query, model_name=model_name, api=api)
        else:
            vector = [float(v) for v in query]
        try:
            return await self._vector_search(vector, top_k, where)
        except (StoreError, InvalidRequestError):
            raise
        except Exception as exc:
            raise StoreError(
                f"searching the {self.kind} store at {self.where} failed:"
                f" {type(exc).__name__}: {exc}"
            ) from exc

    # -- per store ---------------------------------------------------------------------

    @abc.abstractmethod
    async def _write(self, batch: RowBatch) -> None:
        """Upsert the batch's rows by ``row_key``."""

    async def _check_model(self) -> None:
        """Refuse to add vectors of another model to rows already stored."""
        if not self.model_name:
            return
        try:
            stored, _api = await self._read_model()
        except StoreError:
            return  # an empty table, or rows without a model name: nothing to compare
        if stored != self.model_name:
            raise StoreError(
                f"the {self.kind} store at {self.where} holds {stored} vectors, not"
                f" {self.model_name}: write vectors of another model to another table"
            )

    async def _finish(self) -> None:  # noqa: B027 - optional: most stores need nothing
        """Called once after the last write (e.g. to build an index)."""

    @abc.abstractmethod
    async def _close(self) -> None:
        """Release the connection."""

    @abc.abstractmethod
    async def _vector_search(
        self, vector: list[float], top_k: int, where: str | None
    ) -> list[SearchHit]:
        """Search by vector."""

    @abc.abstractmethod
    async def _read_model(self) -> tuple[str, str]:
        """The ``model_name`` and ``api`` of the stored rows."""

    @abc.abstractmethod
    async def count(self, where: str | None = None) -> int:
        """Rows in the store (matching ``where``, in the store's filter language)."""
