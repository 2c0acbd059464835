"""The ``.npz`` writer of bulk jobs: spooled to disk as results arrive, assembled on close.

An ``.npz`` archive is a zip of ``.npy`` arrays whose headers give each array's final
shape, so it cannot be appended to. The writer spools each column to a raw file in a
hidden folder next to the target as results arrive, then, on :meth:`NpzWriter.close`,
writes each array into the archive in chunks, rows sorted by input (stable, so the
segments of one input keep their order). Memory stays flat: the chunks, plus 16 bytes a
row for the sort (the row order and the offsets of the spooled strings); the disk holds
the output about twice until the archive is in place.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import orjson

from twelvelabs_async.errors import InvalidStateError

from ._rows import RowBatch
from ._types import BulkItem

__all__ = ["NpzWriter"]

#: Bytes (or, for strings, rows) gathered before one write into the archive.
_CHUNK = 1 << 20
_CHUNK_ROWS = 4096
_STRING_COLUMNS = ("option", "scope", "source", "task_id")
_RAW_COLUMNS = ("vectors", "start_sec", "end_sec", "input_index", "strings", "offsets")


def _need_numpy() -> None:
    try:
        import numpy  # noqa: F401
    except ImportError:
        raise ImportError(
            "writing .npz needs NumPy: pip install 'twelvelabs-async[numpy]'"
            " (or write .jsonl instead)"
        ) from None


def _runs(order: Any) -> Iterator[tuple[int, int]]:
    """``(first source row, count)`` of each stretch of consecutive rows in ``order``."""
    import numpy as np

    if not len(order):
        return
    breaks = np.flatnonzero(np.diff(order) != 1) + 1
    starts = np.concatenate(([0], breaks))
    ends = np.concatenate((breaks, [len(order)]))
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        yield int(order[s]), e - s


def _drop_spool(files: dict[str, IO[bytes]], spool: Path) -> None:
    for fh in files.values():
        fh.close()
    files.clear()
    shutil.rmtree(spool, ignore_errors=True)


class NpzWriter:
    """Writes a NumPy ``.npz`` archive (see :mod:`twelvelabs_async.bulk._writers`).

    Args:
        path: the ``.npz`` file.
        meta: strings stored as 0-d arrays (``model_name``, ``api``).
    """

    def __init__(self, path: str | os.PathLike[str], meta: Mapping[str, str] | None = None) -> None:
        _need_numpy()
        self.path = Path(path)
        self.meta = dict(meta or {})
        self.dim: int | None = None
        self.rows = 0
        self._strings_size = 0
        self._widths = dict.fromkeys(_STRING_COLUMNS, 1)
        self._spool = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.", dir=self.path.parent))
        self._files: dict[str, IO[bytes]] = {
            name: open(self._spool / name, "wb")  # noqa: SIM115 - closed in close()/abort()
            for name in _RAW_COLUMNS
        }
        # A writer dropped without close() or abort() (an error in the caller) must not
        # leave open files or a spool folder behind.
        self._cleanup = weakref.finalize(self, _drop_spool, self._files, self._spool)

    def add(self, item: BulkItem) -> None:
        """Append the rows of one input to the spool.

        Raises:
            InvalidRequestError: its vectors have another length than the rows before.
            InvalidStateError: the writer is closed.
        """
        import numpy as np

        if not self._files:
            raise InvalidStateError(f"writer for {self.path} is closed")
        batch = RowBatch(self.path)
        batch.dim = self.dim
        batch.add(item)
        if not len(batch):
            return
        self.dim = batch.dim
        files = self._files
        files["vectors"].write(batch.vectors.tobytes())
        for name in ("start_sec", "end_sec"):
            values = [np.nan if v is None else v for v in getattr(batch, name)]
            files[name].write(np.asarray(values, dtype="<f8").tobytes())
        files["input_index"].write(np.asarray(batch.input_index, dtype="<i8").tobytes())
        offsets = []
        for row in zip(batch.option, batch.scope, batch.source, batch.task_id, strict=True):
            for name, value in zip(_STRING_COLUMNS, row, strict=True):
                self._widths[name] = max(self._widths[name], len(value))
            line = orjson.dumps(row) + b"\n"
            offsets.append(self._strings_size)
            self._strings_size += len(line)
            files["strings"].write(line)
        files["offsets"].write(np.asarray(offsets, dtype="<i8").tobytes())
        self.rows += len(batch)

    def _write_array(
        self, zf: zipfile.ZipFile, name: str, dtype: Any, shape: tuple[int, ...], chunks: Any
    ) -> None:
        import numpy as np

        with zf.open(f"{name}.npy", "w", force_zip64=True) as out:
            header = {"descr": np.lib.format.dtype_to_descr(np.dtype(dtype)),
                      "fortran_order": False, "shape": shape}  # fmt: skip
            np.lib.format.write_array_header_1_0(out, header)
            for chunk in chunks:
                out.write(chunk)

    def _raw_chunks(self, name: str, row_bytes: int, order: Any) -> Iterator[bytes]:
        """The rows of a fixed-width spool file, in ``order``."""
        parts: list[bytes] = []
        size = 0
        with open(self._spool / name, "rb") as fh:
            fd = fh.fileno()
            for first, count in _runs(order):
                for at in range(first, first + count, max(1, _CHUNK // max(row_bytes, 1))):
                    rows = min(first + count - at, max(1, _CHUNK // max(row_bytes, 1)))
                    parts.append(os.pread(fd, rows * row_bytes, at * row_bytes))
                    size += rows * row_bytes
                    if size >= _CHUNK:
                        yield b"".join(parts)
                        parts, size = [], 0
        if parts:
            yield b"".join(parts)

    def _string_chunks(self, column: int, dtype: str, order: Any, ends: Any) -> Iterator[bytes]:
        """One string column, in ``order`` (``ends[i]``: where line ``i`` ends)."""
        import numpy as np

        values: list[str] = []
        with open(self._spool / "strings", "rb") as fh:
            fd = fh.fileno()
            for first, count in _runs(order):
                for at in range(first, first + count, _CHUNK_ROWS):
                    last = min(first + count, at + _CHUNK_ROWS)
                    start = int(ends[at - 1]) if at else 0
                    data = os.pread(fd, int(ends[last - 1]) - start, start)
                    values.extend(orjson.loads(line)[column] for line in data.splitlines())
                    if len(values) >= _CHUNK_ROWS:
                        yield np.array(values, dtype=dtype).tobytes()
                        values = []
        if values:
            yield np.array(values, dtype=dtype).tobytes()

    def close(self) -> None:
        """Write the archive from the spool and move it into place."""
        import numpy as np

        if not self._files:
            return
        for fh in self._files.values():
            fh.close()
        self._files.clear()
        n, dim = self.rows, self.dim or 0
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            index = np.fromfile(self._spool / "input_index", dtype="<i8")
            order = np.argsort(index, kind="stable")
            del index
            ends = np.fromfile(self._spool / "offsets", dtype="<i8")
            ends = np.append(ends[1:], self._strings_size) if n else ends
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
                chunks = self._raw_chunks("vectors", 4 * dim, order)
                self._write_array(zf, "vectors", "<f4", (n, dim), chunks)
                for name in ("start_sec", "end_sec"):
                    self._write_array(zf, name, "<f8", (n,), self._raw_chunks(name, 8, order))
                for column, name in enumerate(_STRING_COLUMNS):
                    dtype = f"<U{self._widths[name]}"
                    chunks = self._string_chunks(column, dtype, order, ends)
                    self._write_array(zf, name, dtype, (n,), chunks)
                chunks = self._raw_chunks("input_index", 8, order)
                self._write_array(zf, "input_index", "<i8", (n,), chunks)
                for name, value in self.meta.items():
                    arr = np.array(value, dtype=str)
                    self._write_array(zf, name, arr.dtype, (), [arr.tobytes()])
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        finally:
            self._cleanup()

    def abort(self) -> None:
        """Drop the spool."""
        self._cleanup()
