"""Run every side-by-side benchmark and write the table to ``benchmarks/RESULTS.md``.

``make bench`` runs this. ``BENCH_QUICK=1`` picks smaller sizes (a couple of minutes);
``--only NAME`` runs some benchmarks; ``--out PATH`` writes elsewhere (``-`` prints only).
Each benchmark also runs on its own: ``.venv/bin/python benchmarks/<name>.py --help``.

Run: ``.venv/bin/python benchmarks/run_all.py [--only retrieve,polling] [--out PATH]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import bulk_tasks
import decode
import import_time
import multipart_upload
import output_memory
import polling
import retrieve
import store_ingest
import upload_compare
from _harness import BENCH_DIR, Row, quick_mode, render

BENCHMARKS: dict[str, Callable[[], list[Row]]] = {
    "retrieve": retrieve.run,
    "decode": decode.run,
    "polling": polling.run,
    "bulk": bulk_tasks.run,
    "upload": upload_compare.run,
    "multipart": multipart_upload.run,
    "import": import_time.run,
    "stores": store_ingest.run,
    "outputs": output_memory.run,
}


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def machine() -> str:
    """A Markdown description of the machine and software the figures come from."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    packages = ", ".join(
        f"{name} {_version(name)}"
        for name in ("twelvelabs-async", "twelvelabs", "aiohttp", "httpx", "cattrs", "orjson")
    )
    return "\n".join(
        [
            f"- date: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
            f"- CPU: {_cpu_model()}, {os.cpu_count()} cores; load average before: {load}",
            f"- Python {platform.python_version()} ({platform.python_implementation()}),"
            f" {platform.system()} {platform.release()}",
            f"- packages: {packages}",
            f"- mode: {'quick (BENCH_QUICK=1)' if quick_mode() else 'full'}",
        ]
    )


HEADER = """# Benchmarks: twelvelabs-async against the official SDK and bare aiohttp

Written by `make bench` (`benchmarks/run_all.py`); do not edit by hand. Each cell is
`median [min-max (n=runs)]`. Ratios compare medians measured in the same run, against a
fake server running in a separate process on 127.0.0.1 (its CPU is not charged to the
client). The machine is shared: compare ratios, not absolute figures. Each benchmark's
docstring says exactly what is measured.
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the selected benchmarks, print the table and write it.

    Returns:
        0 (a missed goal is reported in the table, not as a failure).
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help=f"comma-separated: {', '.join(BENCHMARKS)}")
    parser.add_argument("--out", default=str(BENCH_DIR / "RESULTS.md"))
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.only.split(",") if n.strip()] or list(BENCHMARKS)
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    about = machine()
    rows: list[Row] = []
    timings = []
    for name in names:
        print(f"== {name} ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        rows += BENCHMARKS[name]()
        timings.append(f"{name} {time.perf_counter() - started:.0f} s")
    table = render(rows)
    text = f"{HEADER}\n{about}\n- time taken: {', '.join(timings)}\n\n{table}\n"
    print(text)
    if args.out != "-":
        Path(args.out).write_text(text)
        print(f"written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
