"""Output writers of bulk jobs: .npz, .jsonl, .parquet."""

from __future__ import annotations

import array
import importlib.util
import sys
from pathlib import Path

import numpy as np
import orjson
import pytest

from twelvelabs_async.bulk import BulkItem, Segment, open_writer
from twelvelabs_async.errors import InvalidRequestError


def _item(index: int, dim: int = 4, n: int = 2) -> BulkItem:
    segments = [
        Segment(
            array.array("f", [index + k / 10] * dim),
            float(k * 6),
            float(k * 6 + 6),
            "visual",
            "clip",
        )
        for k in range(n)
    ]
    return BulkItem(index, f"v{index}.mp4", f"key{index}", f"/m/v{index}.mp4", task_id=f"t{index}",
                    segments=segments)  # fmt: skip


def test_npz_rows_are_sorted_by_input_and_typed(tmp_path: Path) -> None:
    """Rows land in input order whatever the completion order, vectors float32 (n, d)."""
    writer = open_writer(tmp_path / "out.npz", {"model_name": "marengo3.0", "api": "v1"})
    for index in (2, 0, 1):
        writer.add(_item(index))
    writer.close()
    with np.load(tmp_path / "out.npz") as data:
        assert data["vectors"].dtype == np.float32
        assert data["vectors"].shape == (6, 4)
        assert data["input_index"].tolist() == [0, 0, 1, 1, 2, 2]
        assert data["vectors"][2, 0] == pytest.approx(1.0)
        assert data["start_sec"].tolist() == [0.0, 6.0] * 3
        assert data["source"][0] == "/m/v0.mp4"
        assert data["task_id"][5] == "t2"
        assert str(data["model_name"]) == "marengo3.0"


def test_npz_text_rows_store_nan_times(tmp_path: Path) -> None:
    """Segments without times (text, images) get NaN start and end."""
    writer = open_writer(tmp_path / "out.npz")
    writer.add(BulkItem(0, "t", "k", "text:a", segments=[Segment(array.array("f", [1.0]))]))
    writer.close()
    with np.load(tmp_path / "out.npz") as data:
        assert np.isnan(data["start_sec"][0])
        assert data["option"][0] == ""


def test_mixed_dimensions_are_refused(tmp_path: Path) -> None:
    """Vectors of another dimension cannot join the same matrix."""
    writer = open_writer(tmp_path / "out.npz")
    writer.add(_item(0, dim=4))
    with pytest.raises(InvalidRequestError, match="different models"):
        writer.add(_item(1, dim=8))


def test_jsonl_streams_one_row_per_segment(tmp_path: Path) -> None:
    """The JSONL output has a row per segment with its vector and source."""
    writer = open_writer(tmp_path / "out.jsonl")
    writer.add(_item(1, n=3))
    assert not (tmp_path / "out.jsonl").exists()  # appears only when complete
    writer.close()
    rows = [orjson.loads(line) for line in (tmp_path / "out.jsonl").read_bytes().splitlines()]
    assert len(rows) == 3
    assert rows[1]["start_sec"] == 6.0
    assert len(rows[0]["embedding"]) == 4
    assert rows[0]["source"] == "/m/v1.mp4"
    assert rows[0]["task_id"] == "t1"


def test_abort_leaves_no_file(tmp_path: Path) -> None:
    """An aborted writer leaves neither the output nor its temporary file."""
    writer = open_writer(tmp_path / "out.jsonl")
    writer.add(_item(0))
    writer.abort()
    assert list(tmp_path.iterdir()) == []


def test_unknown_extension_is_a_clear_error(tmp_path: Path) -> None:
    """A file name without a known extension raises, naming the accepted ones."""
    with pytest.raises(InvalidRequestError, match=r"\.npz, \.jsonl or \.parquet"):
        open_writer(tmp_path / "out.csv")


def test_parquet_without_pyarrow_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without pyarrow, asking for .parquet says which extra to install."""
    # A None entry in sys.modules makes `import pyarrow` fail as if it were not installed.
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match=r"twelvelabs-async\[parquet\]"):
        open_writer(tmp_path / "out.parquet")


@pytest.mark.skipif(importlib.util.find_spec("pyarrow") is None, reason="pyarrow not installed")
def test_parquet_holds_fixed_size_vectors(tmp_path: Path) -> None:  # pragma: no cover
    """With pyarrow, the Parquet table has one fixed-size float32 vector per row."""
    import pyarrow.parquet as pq

    writer = open_writer(tmp_path / "out.parquet", {"model_name": "marengo3.0"})
    writer.add(_item(0))
    writer.close()
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.num_rows == 2
    assert table.schema.metadata[b"model_name"] == b"marengo3.0"


def test_npz_spool_is_removed_on_close_abort_and_drop(tmp_path: Path) -> None:
    """The .npz column spool disappears after close, after abort, and with a dropped writer."""
    closed = open_writer(tmp_path / "a.npz")
    closed.add(_item(0))
    closed.close()
    aborted = open_writer(tmp_path / "b.npz")
    aborted.add(_item(0))
    aborted.abort()
    dropped = open_writer(tmp_path / "c.npz")
    dropped.add(_item(0))
    del dropped
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.npz"]


def test_empty_npz_loads_with_zero_rows(tmp_path: Path) -> None:
    """A job that embedded nothing still writes an .npz numpy can load."""
    writer = open_writer(tmp_path / "out.npz", {"model_name": "marengo3.0"})
    writer.close()
    with np.load(tmp_path / "out.npz") as data:
        assert data["vectors"].shape == (0, 0)
        assert data["source"].shape == (0,)
        assert str(data["model_name"]) == "marengo3.0"


def test_npz_sorts_long_runs_and_odd_strings(tmp_path: Path) -> None:
    """Many inputs in shuffled order come out sorted, strings of any width intact."""
    import random

    order = list(range(300))
    random.Random(7).shuffle(order)
    writer = open_writer(tmp_path / "out.npz")
    for index in order:
        item = _item(index, n=1 + index % 4)
        item.source = f"/m/é-{'x' * (index % 50)}\n{index}.mp4"
        writer.add(item)
    writer.close()
    with np.load(tmp_path / "out.npz") as data:
        index = data["input_index"]
        assert index.tolist() == sorted(index.tolist())
        assert len(index) == sum(1 + i % 4 for i in range(300))
        assert data["vectors"][:, 0].tolist() == [
            pytest.approx(i + k / 10) for i in range(300) for k in range(1 + i % 4)
        ]
        assert data["source"][-1] == f"/m/é-{'x' * (299 % 50)}\n299.mp4"


@pytest.mark.skipif(importlib.util.find_spec("pyarrow") is None, reason="pyarrow not installed")
def test_parquet_writes_a_row_group_per_batch(tmp_path: Path) -> None:
    """Parquet rows are written as they arrive, one row group per batch_rows rows."""
    import pyarrow.parquet as pq

    from twelvelabs_async.bulk import ParquetWriter

    writer = ParquetWriter(tmp_path / "out.parquet", {"api": "v1"}, batch_rows=4)
    for index in range(5):
        writer.add(_item(index))
    writer.close()
    meta = pq.ParquetFile(tmp_path / "out.parquet").metadata
    assert meta.num_rows == 10
    assert meta.num_row_groups == 3
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.column("segment_index").to_pylist() == [0, 1] * 5


def test_jsonl_rows_carry_their_segment_index(tmp_path: Path) -> None:
    """Each JSONL row says which segment of its input it is (the store's row key half)."""
    writer = open_writer(tmp_path / "out.jsonl")
    writer.add(_item(3, n=3))
    writer.close()
    rows = [orjson.loads(line) for line in (tmp_path / "out.jsonl").read_bytes().splitlines()]
    assert [(r["input_index"], r["segment_index"]) for r in rows] == [(3, 0), (3, 1), (3, 2)]
