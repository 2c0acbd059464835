"""LanceDB store: ingest of a bulk result stream, its memory, and top-10 search latency.

Run: ``.venv/bin/python benchmarks/store_ingest.py [--segments 100000] [--dim 1024]``

* **ingest**: ``--segments`` segments of ``--dim`` float32 values arrive as
  :class:`~twelvelabs_async.bulk.BulkItem` results (10 segments an input, as a bulk job
  yields them) and go through :class:`~twelvelabs_async.stores.LanceDBStore` (batching,
  row keys, Arrow conversion, writes). The baseline writes the same rows, already built as
  Arrow tables of the same batch size, with LanceDB's own ``table.add``; only the ``add``
  calls are timed. Goal: ours at most 1.2x the baseline.
* **ingest memory**: peak RSS growth of a fresh process during the store ingest (the
  kernel's VmHWM, reset just before), against the size of the vectors written. Goal:
  under 100 MiB however large the table: memory follows the batch size, not the table.
* **search**: median latency of a top-10 cosine search of the table, before and after the
  store built its IVF_FLAT index (which it does on close at 100,000 rows), against a
  numpy brute-force scan of the same vectors held in memory (normalized matrix times
  query, ``argpartition``), with the store's recall@10 against that exact answer.
  Reported, no goal: the index trades exactness for speed.
"""

from __future__ import annotations

import argparse
import array
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _harness import Row, Sample, quick_mode, render, rotate

GOAL_RATIO = 1.2
GOAL_RSS_MIB = 100.0
PER_ITEM = 10


def _pool(segments: int, dim: int) -> Any:
    """One distinct unit vector per segment, made before anything is timed or measured."""
    import numpy as np

    vectors = np.random.default_rng(7).standard_normal((segments, dim), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors, [array.array("f", row.tobytes()) for row in vectors]


def _items(segments: int, pool: Any) -> Any:
    from twelvelabs_async.bulk import BulkItem, Segment

    vectors = pool[1]
    for index in range(segments // PER_ITEM):
        segs = [
            Segment(vectors[index * PER_ITEM + k], k * 6.0, k * 6.0 + 6, "visual", "clip")
            for k in range(PER_ITEM)
        ]
        yield BulkItem(index, f"https://cdn.example.com/v/{index}.mp4", f"k{index}",
                       f"https://cdn.example.com/v/{index}.mp4", task_id=f"task{index:08d}",
                       segments=segs)  # fmt: skip


async def ingest_ours(folder: Path, segments: int, pool: Any, index_rows: int) -> float:
    """Seconds to write the stream through LanceDBStore (index creation not included)."""
    from twelvelabs_async.stores import LanceDBStore

    store = LanceDBStore(folder, index_rows=index_rows, model_name="marengo3.0", api="v1")
    start = time.perf_counter()
    for item in _items(segments, pool):
        await store.add(item)
    await store.flush()
    elapsed = time.perf_counter() - start
    await store.close()
    return elapsed


async def ingest_direct(folder: Path, segments: int, pool: Any) -> float:
    """Seconds of ``table.add`` for the same rows as prebuilt Arrow tables."""
    import lancedb

    from twelvelabs_async.bulk._rows import DEFAULT_BATCH_ROWS, RowBatch

    db = await lancedb.connect_async(os.fspath(folder))
    table = None
    elapsed = 0.0
    batch = RowBatch(folder)
    extra = {"model_name": "marengo3.0", "api": "v1"}
    for item in _items(segments, pool):
        batch.add(item)
        if len(batch) >= DEFAULT_BATCH_ROWS:
            data = batch.to_arrow("vector", extra)
            start = time.perf_counter()
            if table is None:
                table = await db.create_table("segments", schema=data.schema)
            await table.add(data)
            elapsed += time.perf_counter() - start
            batch = RowBatch(folder)
    if len(batch):
        data = batch.to_arrow("vector", extra)
        start = time.perf_counter()
        assert table is not None
        await table.add(data)
        elapsed += time.perf_counter() - start
    if table is not None:
        table.close()
    db.close()
    return elapsed


def _kib(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} missing")


def child_memory(segments: int, dim: int) -> None:
    """In a fresh process: peak RSS growth of the store ingest, printed as JSON."""
    import lancedb  # noqa: F401 - loaded before the baseline, as in an application
    import pyarrow  # noqa: F401

    pool = _pool(segments, dim)
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        # warm up: the first table opened loads LanceDB's runtime
        asyncio.run(ingest_ours(Path(tmp) / "warm.lance", 2048, pool, 10**9))
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        base = _kib("VmRSS")
        asyncio.run(ingest_ours(Path(tmp) / "v.lance", segments, pool, 10**9))
        peak = _kib("VmHWM")
    print(json.dumps({"growth_mib": (peak - base) / 1024}))


async def search_latency(folder: Path, pool: Any, queries: int) -> tuple[Sample, Sample, float]:
    """Top-10 latency of the store's search and of numpy, and the store's recall@10."""
    import numpy as np

    from twelvelabs_async.stores import LanceDBStore

    rng = np.random.default_rng(11)
    matrix = pool[0]  # the table's vectors, in memory
    qs = rng.standard_normal((queries, matrix.shape[1]), dtype=np.float32)
    ours, brute = Sample(), Sample()
    found = 0
    async with LanceDBStore(folder) as store:
        await store.search(qs[0].tolist(), 10)  # warm the index and the file cache
        for q in qs:
            start = time.perf_counter()
            hits = await store.search(q.tolist(), 10)
            ours.add((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            scores = matrix @ (q / np.linalg.norm(q))
            top = np.argpartition(-scores, 10)[:10]
            top = top[np.argsort(-scores[top])]
            brute.add((time.perf_counter() - start) * 1000)
            rows = {h.input_index * PER_ITEM + h.segment_index for h in hits}
            found += len(rows & set(top.tolist()))
    return ours, brute, found / (10 * queries)


def run(
    segments: int | None = None, dim: int = 1024, runs: int | None = None, queries: int = 20
) -> list[Row]:
    """Run the three measurements; return the table rows."""
    segments = segments or (20_000 if quick_mode() else 100_000)
    runs = runs or (1 if quick_mode() else 2)
    pool = _pool(segments, dim)
    ours, direct = Sample(), Sample()
    index_seconds = Sample()
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        root = Path(tmp)
        for r in range(runs):
            for name in rotate(["ours", "direct"], r):
                folder = root / f"{name}{r}.lance"
                if name == "ours":
                    ours.add(asyncio.run(ingest_ours(folder, segments, pool, 10**12)))
                else:
                    direct.add(asyncio.run(ingest_direct(folder, segments, pool)))
        table = root / "ours0.lance"
        flat, brute, flat_recall = asyncio.run(search_latency(table, pool, queries))
        # the index as the store builds it on close of a table of this size
        from twelvelabs_async.stores import LanceDBStore

        async def build_index() -> None:
            async with LanceDBStore(table) as store:
                start = time.perf_counter()
                await store.build_index(min_rows=0)
                index_seconds.add(time.perf_counter() - start)

        asyncio.run(build_index())
        searched, _, recall = asyncio.run(search_latency(table, pool, queries))
    done = subprocess.run(
        [sys.executable, __file__, "--child-memory", *("--segments", str(segments)),
         *("--dim", str(dim))], capture_output=True, text=True, check=True,
    )  # fmt: skip
    growth = Sample([json.loads(done.stdout.strip().splitlines()[-1])["growth_mib"]])
    ratio = ours.median / direct.median
    table_mib = segments * dim * 4 / 2**20
    return [
        Row("store ingest", f"{segments:,} x {dim} into LanceDB, s", ours, baseline=direct,
            baseline_name="lancedb add", ratio=ratio, goal=f"<= {GOAL_RATIO}x",
            met=ratio <= GOAL_RATIO,
            note="ours: BulkItem results through LanceDBStore (batches of 1,024 rows, row keys,"
            " Arrow conversion); baseline: table.add of the same rows prebuilt as Arrow tables"),
        Row("store ingest memory", "peak RSS growth, MiB", growth,
            goal=f"< {GOAL_RSS_MIB:.0f} MiB", met=growth.median < GOAL_RSS_MIB,
            note=f"a fresh process writing {table_mib:.0f} MiB of vectors; growth follows the"
            " batch size, not the table"),
        Row("store index", "IVF_FLAT build, s", index_seconds,
            note="LanceDBStore.build_index(); close() builds it once a table has 100,000 rows"),
        Row("store search", "top-10 latency, ms", searched, baseline=brute,
            baseline_name="numpy brute force", ratio=searched.median / brute.median,
            note=f"LanceDB IVF_FLAT search (cosine, recall@10 {recall:.2f} against the exact"
            " top 10) vs a scan of the same vectors held in memory"),
        Row("store search flat", "top-10 latency, ms", flat, baseline=brute,
            baseline_name="numpy brute force", ratio=flat.median / brute.median,
            note=f"the same table before its index: an exact scan from disk (recall@10"
            f" {flat_recall:.2f})"),
    ]  # fmt: skip


def main() -> None:
    """Parse the arguments, run, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--segments", type=int)
    parser.add_argument("--dim", type=int, default=1024)
    parser.add_argument("--runs", type=int)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--child-memory", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_memory:
        child_memory(args.segments, args.dim)
        return
    print(render(run(args.segments, args.dim, args.runs, args.queries)))


if __name__ == "__main__":
    main()
