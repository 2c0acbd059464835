"""Output writers of bulk jobs: JSON Lines, NumPy ``.npz`` and Parquet.

Every writer writes to a hidden temporary file next to the target and renames it into
place on :meth:`~ResultWriter.close`, so an interrupted job never leaves a half-written
output that looks complete. A resumed job writes the whole output again (results of the
earlier run come back from the journal or from the API).

One row per segment, with the input it came from:

=============  =========================================================================
``vectors``    ``(n, d)`` float32 (``.npz``); ``embedding`` list (``.jsonl``, Parquet)
``start_sec``  segment start (NaN/null for text and images)
``end_sec``    segment end
``option``     embedding option (``visual``, ``audio``, ``transcription``, ``fused``...)
``scope``      embedding scope (``clip``, ``video``, ``asset``...)
``source``     the input's path, URL or ``text:...``
``input_index``the input's position in the job
``task_id``    the task's id (empty for synchronous calls)
=============  =========================================================================

The ``.npz`` file also holds ``model_name`` and ``api`` (0-d string arrays), which
``python -m twelvelabs_async search`` uses to embed a query with the same model.
"""

from __future__ import annotations

import array
import os
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, Protocol

import orjson

from twelvelabs_async.errors import InvalidRequestError, InvalidStateError

from ._types import BulkItem

__all__ = ["JsonlWriter", "NpzWriter", "ParquetWriter", "ResultWriter", "open_writer"]


class ResultWriter(Protocol):
    """What a bulk job needs from an output writer."""

    path: Path

    def add(self, item: BulkItem) -> None:
        """Take the segments of one embedded input."""

    def close(self) -> None:
        """Finish the output and move it into place."""

    def abort(self) -> None:
        """Drop the temporary output (the job was interrupted)."""


def _temp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


class _Buffered:
    """Collects rows in memory (float32 vectors in one buffer) for columnar formats."""

    def __init__(self, path: str | os.PathLike[str], meta: Mapping[str, str]) -> None:
        self.path = Path(path)
        self.meta = dict(meta)
        self.dim: int | None = None
        self._vectors = array.array("f")
        self.rows: list[tuple[int, int, float | None, float | None, str, str, str, str]] = []

    def add(self, item: BulkItem) -> None:
        for seg in item.segments:
            if self.dim is None:
                self.dim = len(seg.vector)
            elif len(seg.vector) != self.dim:
                raise InvalidRequestError(
                    f"{item.source}: a {len(seg.vector)}-dimensional vector cannot join"
                    f" {self.dim}-dimensional ones in {self.path}; vectors of different models"
                    " or dimensions must go to different outputs"
                )
            self._vectors.extend(seg.vector)
            self.rows.append(
                (
                    item.index,
                    len(self.rows),
                    seg.start_sec,
                    seg.end_sec,
                    seg.option or "",
                    seg.scope or "",
                    item.source,
                    item.task_id or "",
                )
            )

    def columns(self) -> dict[str, Any]:
        """The rows sorted by input, as columns (vectors as a float32 matrix)."""
        import numpy as np

        dim = self.dim or 0
        matrix = np.frombuffer(self._vectors, dtype=np.float32).reshape(len(self.rows), dim)
        order = sorted(range(len(self.rows)), key=lambda i: (self.rows[i][0], self.rows[i][1]))
        rows = [self.rows[i] for i in order]

        def col(i: int) -> list[Any]:
            return [r[i] for r in rows]

        def times(i: int) -> Any:
            return np.array([np.nan if r[i] is None else r[i] for r in rows], dtype=np.float64)

        return {
            "vectors": matrix[order] if rows else matrix,
            "start_sec": times(2),
            "end_sec": times(3),
            "option": np.array(col(4), dtype=str),
            "scope": np.array(col(5), dtype=str),
            "source": np.array(col(6), dtype=str),
            "input_index": np.array(col(0), dtype=np.int64),
            "task_id": np.array(col(7), dtype=str),
        }

    def abort(self) -> None:
        self._vectors = array.array("f")
        self.rows.clear()


def _need_numpy(what: str) -> None:
    try:
        import numpy  # noqa: F401
    except ImportError:
        raise ImportError(
            f"writing {what} needs NumPy: pip install 'twelvelabs-async[numpy]'"
            " (or write .jsonl instead)"
        ) from None


class NpzWriter(_Buffered):
    """Writes a NumPy ``.npz`` archive (see the module docstring for its arrays)."""

    def __init__(self, path: str | os.PathLike[str], meta: Mapping[str, str] | None = None) -> None:
        _need_numpy(".npz")
        super().__init__(path, meta or {})

    def close(self) -> None:
        """Write the archive and move it into place."""
        import numpy as np

        arrays = self.columns()
        for name, value in self.meta.items():
            arrays[name] = np.array(value, dtype=str)
        tmp = _temp_path(self.path)
        with open(tmp, "wb") as fh:
            np.savez(fh, **arrays)
        os.replace(tmp, self.path)


class ParquetWriter(_Buffered):
    """Writes a Parquet table (needs the ``parquet`` extra: ``pyarrow``)."""

    def __init__(self, path: str | os.PathLike[str], meta: Mapping[str, str] | None = None) -> None:
        _need_numpy(".parquet")
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise ImportError(
                "writing .parquet needs pyarrow: pip install 'twelvelabs-async[parquet]'"
                " (or write .npz or .jsonl instead)"
            ) from None
        super().__init__(path, meta or {})

    def close(self) -> None:
        """Write the table (metadata in the schema) and move it into place."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        cols = self.columns()
        matrix = cols.pop("vectors")
        flat = pa.array(matrix.reshape(-1), type=pa.float32())
        vectors = pa.FixedSizeListArray.from_arrays(flat, self.dim or 0)
        table = pa.table({"embedding": vectors, **{k: pa.array(v) for k, v in cols.items()}})
        table = table.replace_schema_metadata({k: str(v) for k, v in self.meta.items()})
        tmp = _temp_path(self.path)
        pq.write_table(table, tmp)
        os.replace(tmp, self.path)


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
        for seg in item.segments:
            row = {
                "input_index": item.index,
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
