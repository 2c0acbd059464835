"""Peak memory of a large bulk job, per output format.

Run: ``.venv/bin/python benchmarks/output_memory.py [--inputs 100000] [--formats jsonl,npz]``
(``make bench`` runs 20,000 inputs, ``BENCH_QUICK=1`` 1,000).

Each format gets a fresh process that runs one :class:`~twelvelabs_async.bulk.BulkEmbedJob`
of ``--inputs`` video URLs (v1 tasks: create, status, retrieve) against the fake server in
another process (processing time 0, 12-second videos: 6 segments of 512 floats an input)
and writes ``.jsonl``, ``.npz``, ``.parquet``, a LanceDB folder or a Milvus Lite file. The
figure is the growth of that process's peak RSS (VmHWM, reset through
``/proc/self/clear_refs`` just before the job) over its RSS at that moment, after a
20-input warm-up job to the same format (loading pyarrow.parquet, LanceDB's runtime or the
Milvus Lite engine is a fixed cost, not growth). Milvus Lite runs the Milvus engine inside
the process, so its row counts the engine's own memory too. ``lance`` includes the
IVF_FLAT index LanceDB builds when the store closes a table of 100,000 rows or more (its
training holds a large share of the vectors); ``lance-noindex`` is the same job without
it, the ingest alone. The ``none``
row runs the same job without an output: what the job's own bookkeeping costs. Goal:
under 100 MiB for every format.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _harness import API_KEY, Row, Sample, fake_server, quick_mode, render

GOAL_MIB = 100.0
FORMATS = ("none", "jsonl", "npz", "parquet", "lance", "lance-noindex", "milvus")


def _kib(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} missing")


def _reset_peak() -> int:
    """Reset the peak RSS to the current RSS; return the current RSS in KiB."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    return _kib("VmRSS")


def _output(fmt: str, folder: Path, name: str) -> object:
    if fmt == "milvus":
        from twelvelabs_async.stores import MilvusStore

        # Milvus Lite opens one file per process: the warm-up uses another collection
        return MilvusStore(str(folder / "out.db"), collection=name)
    if fmt == "lance-noindex":
        from twelvelabs_async.stores import LanceDBStore

        # the same store without the index close() builds at 100,000 rows: ingest alone
        return LanceDBStore(folder / f"{name}.lance", index_rows=2**62)
    return None if fmt == "none" else str(folder / f"{name}.{fmt}")


async def _job(base_url: str, inputs: int, fmt: str, folder: Path) -> dict[str, float]:
    from twelvelabs_async import AsyncTwelveLabs
    from twelvelabs_async.bulk import BulkEmbedJob

    def job(client: AsyncTwelveLabs, n: int, name: str) -> BulkEmbedJob:
        urls = [f"https://cdn.example.com/library/clip{i:06d}.mp4" for i in range(n)]
        return BulkEmbedJob(
            client, urls, model_name="marengo3.0", concurrency=32,
            output=_output(fmt, folder, name),  # type: ignore[arg-type]
            poll_interval=0.05, options={"video_clip_length": 6},
        )  # fmt: skip

    async with AsyncTwelveLabs(api_key=API_KEY, base_url=base_url, max_retries=5) as client:
        # a small job to the same format first, so that loading the format's libraries
        # (pyarrow.parquet, LanceDB's runtime, the Milvus Lite engine) is not counted
        await job(client, 20, "warm").run()
        big = job(client, inputs, "out")
        base = _reset_peak()
        start = time.perf_counter()
        summary = await big.run()
        seconds = time.perf_counter() - start
        peak = _kib("VmHWM")
    if summary.failed:
        raise RuntimeError(f"{summary.failed} inputs failed: {summary.failures[0].error}")
    return {"growth_mib": (peak - base) / 1024, "seconds": seconds}


def child(base_url: str, inputs: int, fmt: str) -> None:
    """In a fresh process: run the job to one format, print its figures as JSON."""
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        result = asyncio.run(_job(base_url, inputs, fmt, Path(tmp)))
        result["bytes"] = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file())
    print(json.dumps(result))


def run(inputs: int | None = None, formats: tuple[str, ...] = FORMATS) -> list[Row]:
    """Run the job once per format, each in its own process; return the table rows."""
    # 100,000 inputs take about two hours per format on a shared 2-core machine: the
    # default is 20,000 (memory that grew with the job would show 5x smaller);
    # --inputs 100000 runs the full size
    inputs = inputs or (1_000 if quick_mode() else 20_000)
    rows = []
    with fake_server(processing_time=0.0, default_duration=12.0) as base_url:
        for fmt in formats:
            done = subprocess.run(
                [sys.executable, __file__, "--child", base_url, "--inputs", str(inputs),
                 "--formats", fmt], capture_output=True, text=True, check=False,
            )  # fmt: skip
            if done.returncode != 0:
                raise RuntimeError(f"{fmt}: {done.stderr[-2000:]}")
            result = json.loads(done.stdout.strip().splitlines()[-1])
            growth = Sample([result["growth_mib"]])
            out_mib = result["bytes"] / 2**20
            rows.append(
                Row(f"output memory {fmt}", f"{inputs:,} URL inputs, peak RSS growth MiB",
                    growth, goal=f"< {GOAL_MIB:.0f} MiB", met=growth.median < GOAL_MIB,
                    note=f"job {result['seconds']:.0f} s; output {out_mib:.0f} MiB on disk")
            )  # fmt: skip
    return rows


def main() -> None:
    """Parse the arguments, run, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int)
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--child", metavar="BASE_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.inputs, args.formats)
        return
    print(render(run(args.inputs, tuple(args.formats.split(",")))))


if __name__ == "__main__":
    main()
