"""A bounded batch of output rows: one per segment, vectors in one float32 buffer.

Columnar writers (Parquet, ``.npz``) and the vector stores collect rows here and write the
batch out when it is full, so an output holds at most one batch in memory whatever the
size of the job.
"""

from __future__ import annotations

import array
from pathlib import Path
from typing import Any

from twelvelabs_async.errors import InvalidRequestError

from ._types import BulkItem

__all__ = ["DEFAULT_BATCH_ROWS", "RowBatch", "check_batch_rows", "row_key"]

#: Rows per write: 1,024 rows of 1,024 float32 values are 4 MiB of vectors.
DEFAULT_BATCH_ROWS = 1024


def check_batch_rows(value: object) -> int:
    """Return ``value`` when it is a usable batch size.

    Raises:
        InvalidRequestError: not a positive integer.
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidRequestError(f"batch_rows must be a positive integer, got {value!r}")
    return value


def row_key(input_index: int, segment_index: int) -> str:
    """The key of one row: stable across runs of the same job, so a resumed write replaces."""
    return f"{input_index}:{segment_index}"


class RowBatch:
    """Rows of finished inputs, waiting to be written.

    Args:
        where: the output, named in the error about mixed dimensions.
    """

    def __init__(self, where: str | Path) -> None:
        self.where = str(where)
        self.dim: int | None = None
        self.clear()

    def clear(self) -> None:
        """Drop every row (after a successful write)."""
        self.vectors: array.array[float] = array.array("f")
        self.input_index: list[int] = []
        self.segment_index: list[int] = []
        self.start_sec: list[float | None] = []
        self.end_sec: list[float | None] = []
        self.option: list[str] = []
        self.scope: list[str] = []
        self.source: list[str] = []
        self.task_id: list[str] = []

    def __len__(self) -> int:
        return len(self.input_index)

    def add(self, item: BulkItem) -> None:
        """Take the segments of one input.

        Raises:
            InvalidRequestError: a vector's length differs from the rows before it.
        """
        if not item.segments:
            return
        dim = self.dim if self.dim is not None else len(item.segments[0].vector)
        for seg in item.segments:  # all checked first: a refused input adds no row at all
            if len(seg.vector) != dim:
                raise InvalidRequestError(
                    f"{item.source}: a {len(seg.vector)}-dimensional vector cannot join"
                    f" {dim}-dimensional ones in {self.where}; vectors of different models"
                    " or dimensions must go to different outputs"
                )
        self.dim = dim
        for n, seg in enumerate(item.segments):
            self.vectors.extend(seg.vector)
            self.input_index.append(item.index)
            self.segment_index.append(n)
            self.start_sec.append(seg.start_sec)
            self.end_sec.append(seg.end_sec)
            self.option.append(seg.option or "")
            self.scope.append(seg.scope or "")
            self.source.append(item.source)
            self.task_id.append(item.task_id or "")

    def keys(self) -> list[str]:
        """The row keys (see :func:`row_key`)."""
        return [row_key(i, s) for i, s in zip(self.input_index, self.segment_index, strict=True)]

    def to_arrow(self, vector_column: str, extra: dict[str, str] | None = None) -> Any:
        """The rows as a ``pyarrow.Table``: vectors as fixed-size float32 lists.

        Args:
            vector_column: the vectors' column name.
            extra: constant string columns to add (``model_name``, ``api``).
        """
        import pyarrow as pa

        # a view of the float32 buffer, not a copy through Python floats
        values = pa.py_buffer(self.vectors)
        flat = pa.Array.from_buffers(pa.float32(), len(self.vectors), [None, values])
        vectors = pa.FixedSizeListArray.from_arrays(flat, self.dim or 0)
        n = len(self)
        columns: dict[str, Any] = {
            vector_column: vectors,
            "row_key": pa.array(self.keys(), type=pa.string()),
            "input_index": pa.array(self.input_index, type=pa.int64()),
            "segment_index": pa.array(self.segment_index, type=pa.int32()),
            "start_sec": pa.array(self.start_sec, type=pa.float64()),
            "end_sec": pa.array(self.end_sec, type=pa.float64()),
            "option": pa.array(self.option, type=pa.string()),
            "scope": pa.array(self.scope, type=pa.string()),
            "source": pa.array(self.source, type=pa.string()),
            "task_id": pa.array(self.task_id, type=pa.string()),
        }
        for name, value in (extra or {}).items():
            columns[name] = pa.array([value] * n, type=pa.string())
        return pa.table(columns)
