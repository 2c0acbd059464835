"""Output writers of bulk jobs: JSON Lines, NumPy ``.npz`` and Parquet.

Every writer writes to a hidden temporary file next to the target and renames it into
place on :meth:`~ResultWriter.close`, so an interrupted job never leaves a half-written
output that looks complete. A resumed job writes the whole output again (results of the
earlier run come back from the journal or from the API).

Every writer streams: memory does not grow with the job. JSON Lines writes each row as it
arrives; Parquet writes a row group per ``batch_rows`` rows; ``.npz`` spools its columns to
raw files beside the target and assembles the archive from them in fixed-size chunks on
close. Rows are in completion order; ``input_index`` (and ``segment_index``) give the
input order.

One row per segment, with the input it came from:

=================  ======================================================================
``vectors``        ``(n, d)`` float32 (``.npz``); ``embedding`` (``.jsonl``, Parquet)
``start_sec``      segment start (NaN/null for text and images)
``end_sec``        segment end
``option``         embedding option (``visual``, ``audio``, ``transcription``, ``fused``...)
``scope``          embedding scope (``clip``, ``video``, ``asset``...)
``source``         the input's path, URL or ``text:...``
``input_index``    the input's position in the job
``segment_index``  the segment's position in the input's result (Parquet, ``.jsonl``)
``task_id``        the task's id (empty for synchronous calls)
=================  ======================================================================

The ``.npz`` file also holds ``model_name`` and ``api`` (0-d string arrays), which
``python -m twelvelabs_async search`` uses to embed a query with the same model.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Awaitable, Mapping
from pathlib import Path
from typing import IO, Any, Protocol

import orjson

from twelvelabs_async.errors import InvalidRequestError, InvalidStateError

from ._npz import NpzWriter
from ._rows import DEFAULT_BATCH_ROWS, RowBatch, check_batch_rows
from ._types import BulkItem

__all__ = [
    "JsonlWriter",
    "NpzWriter",
    "ParquetWriter",
    "ResultWriter",
    "open_output",
    "open_writer",
    "settle",
]


class ResultWriter(Protocol):
    """What a bulk job needs from an output: a file writer or a vector store.

    Each method may be a plain method or a coroutine function (vector stores write
    asynchronously); the job awaits what they return.
    """

    def add(self, item: BulkItem) -> Awaitable[None] | None:
        """Take the segments of one embedded input."""

    def close(self) -> Awaitable[None] | None:
        """Finish the output (move a file into place, flush a store)."""

    def abort(self) -> Awaitable[None] | None:
        """The job stopped early: drop a temporary file, keep what a store holds."""


async def settle(result: Awaitable[None] | None) -> None:
    """Await what a :class:`ResultWriter` method returned, if it is awaitable."""
    if inspect.isawaitable(result):
        await result


def _temp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _need_numpy(what: str) -> None:
    try:
        import numpy  # noqa: F401
    except ImportError:
        raise ImportError(
            f"writing {what} needs NumPy: pip install 'twelvelabs-async[numpy]'"
            " (or write .jsonl instead)"
        ) from None


class ParquetWriter:
    """Writes a Parquet table, one row group per ``batch_rows`` rows (needs ``pyarrow``).

    Args:
        path: the ``.parquet`` file.
        meta: strings stored in the schema's metadata (``model_name``, ``api``).
        batch_rows: rows held in memory before they are written.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        meta: Mapping[str, str] | None = None,
        *,
        batch_rows: int = DEFAULT_BATCH_ROWS,
    ) -> None:
        _need_numpy(".parquet")
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise ImportError(
                "writing .parquet needs pyarrow: pip install 'twelvelabs-async[parquet]'"
                " (or write .npz or .jsonl instead)"
            ) from None
        self.path = Path(path)
        self.meta = dict(meta or {})
        self.batch_rows = check_batch_rows(batch_rows)
        self._batch = RowBatch(self.path)
        self._tmp = _temp_path(self.path)
        self._out: Any = None
        self._closed = False

    def add(self, item: BulkItem) -> None:
        """Take the rows of one input; write a row group when the batch is full."""
        if self._closed:
            raise InvalidStateError(f"writer for {self.path} is closed")
        self._batch.add(item)
        if len(self._batch) >= self.batch_rows:
            self._flush()

    def _flush(self) -> None:
        import pyarrow.parquet as pq

        table = self._batch.to_arrow("embedding")
        table = table.replace_schema_metadata({k: str(v) for k, v in self.meta.items()})
        if self._out is None:
            self._out = pq.ParquetWriter(self._tmp, table.schema)
        self._out.write_table(table)
        self._batch.clear()

    def close(self) -> None:
        """Write the last rows and move the file into place."""
        if self._closed:
            return
        self._closed = True
        try:
            if len(self._batch) or self._out is None:
                self._flush()
            self._out.close()
            os.replace(self._tmp, self.path)
        except BaseException:
            self._tmp.unlink(missing_ok=True)
            raise

    def abort(self) -> None:
        """Remove the temporary file."""
        self._closed = True
        if self._out is not None:
            self._out.close()
            self._out = None
        self._tmp.unlink(missing_ok=True)


class JsonlWriter:
    """Writes one JSON object per segment, streamed as results arrive (completion order)."""

    def __init__(self, path: str | os.PathLike[str], meta: Mapping[str, str] | None = None) -> None:
        self.path = Path(path)
        self.meta = dict(meta or {})
        self._tmp = _temp_path(self.path)
        self._fh: IO[bytes] | None = open(self._tmp, "wb")  # noqa: SIM115 - closed in close()

    def add(self, item: BulkItem) -> None:
        """Append the rows of one input."""
        if self._fh is None:
            raise InvalidStateError(f"writer for {self.path} is closed")
        for n, seg in enumerate(item.segments):
            row = {
                "input_index": item.index,
                "segment_index": n,
                "source": item.source,
                "task_id": item.task_id,
                "start_sec": seg.start_sec,
                "end_sec": seg.end_sec,
                "option": seg.option,
                "scope": seg.scope,
                **self.meta,
                "embedding": seg.vector.tolist(),
            }
            self._fh.write(orjson.dumps(row) + b"\n")

    def close(self) -> None:
        """Flush and move the file into place."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
            os.replace(self._tmp, self.path)

    def abort(self) -> None:
        """Remove the temporary file."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
            self._tmp.unlink(missing_ok=True)


def open_writer(
    path: str | os.PathLike[str], meta: Mapping[str, str] | None = None
) -> ResultWriter:
    """Pick a writer from the file name's extension.

    Args:
        path: ``*.npz``, ``*.jsonl`` / ``*.ndjson`` or ``*.parquet``.
        meta: strings stored with the output (``model_name``, ``api``).

    Returns:
        A writer for ``path``.

    Raises:
        InvalidRequestError: the extension is not one of those.
        ImportError: the format needs a package that is not installed (the message
            names the extra to install).
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".npz":
        return NpzWriter(path, meta)
    if suffix in {".jsonl", ".ndjson"}:
        return JsonlWriter(path, meta)
    if suffix == ".parquet":
        return ParquetWriter(path, meta)
    raise InvalidRequestError(
        f"cannot tell the output format of {os.fspath(path)!r}: use a .npz, .jsonl or"
        " .parquet file name"
    )


def open_output(
    output: str | os.PathLike[str] | ResultWriter, meta: Mapping[str, str]
) -> ResultWriter:
    """Turn a job's ``output=`` into a writer: a file, a vector store, or as given.

    Args:
        output: a file name (see :func:`open_writer`), a store address
            (``lancedb://FOLDER``, a ``*.lance`` folder, ``milvus://FILE.db`` or
            ``milvus://HOST:PORT``; see :func:`twelvelabs_async.stores.open_store`), or an
            object with ``add``/``close``/``abort`` (a writer or a store).
        meta: strings stored with the output (``model_name``, ``api``).

    Returns:
        The writer.
    """
    if not isinstance(output, str | os.PathLike):
        from twelvelabs_async.stores import VectorStore

        if isinstance(output, VectorStore):
            # a store built by the caller learns the job's model, for searches by text
            output.model_name = output.model_name or meta.get("model_name")
            output.api = output.api or meta.get("api")
        return output
    from twelvelabs_async.stores import is_store_address, open_store

    if is_store_address(output):
        return open_store(output, model_name=meta.get("model_name"), api=meta.get("api"))
    return open_writer(output, meta)
