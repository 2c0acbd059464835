"""Peak memory of a large ``video_file`` upload: ours against the official client.

Ours is measured by ``benchmarks/upload_memory.py`` (run as is, in its own interpreter);
the official client by this script in a child interpreter, the same way: a sparse file
is uploaded to the same discarding server (``upload_memory.py --serve``, another process),
the kernel's peak-RSS mark is reset just before the upload, and the growth of VmHWM over
the RSS before the upload is the figure. Each contender runs in a fresh process per
repeat, so neither inherits the other's heap. Goal: ours <= 64 MiB for a 1 GiB file.

Run: ``.venv/bin/python benchmarks/upload_compare.py [--size-mib N] [--runs N]``
"""

from __future__ import annotations

import argparse
import asyncio
import re
import subprocess
import sys
from pathlib import Path
from typing import BinaryIO

from _harness import (
    BENCH_DIR,
    Row,
    Sample,
    official_client,
    python_env,
    quick_mode,
    render,
    rotate,
)

UPLOAD_MEMORY = BENCH_DIR / "upload_memory.py"
GOAL_MIB = 64.0
_PEAK = re.compile(r"^peak RSS growth\s*:\s*([0-9.]+) MiB", re.MULTILINE)


async def _official_upload(port: int, video: BinaryIO) -> tuple[float, int]:
    import upload_memory as um  # the same helpers as ours: VmHWM reset and read

    sdk, http = official_client(f"http://127.0.0.1:{port}/v1.3", 4)
    try:
        # Warm-up: connection, multipart code and model classes exist before measuring.
        await sdk.embed.tasks.create(model_name="m", video_file=("w.mp4", b"x"))  # type: ignore[attr-defined]
        base = um._status_kib("VmRSS")
        if not um._reset_peak():
            raise RuntimeError("cannot reset the peak RSS mark (/proc/self/clear_refs)")
        resp = await sdk.embed.tasks.create(model_name="marengo3.0", video_file=video)  # type: ignore[attr-defined]
        peak = um._status_kib("VmHWM")
    finally:
        await http.aclose()
    return (peak - base) / 1024, int(resp.received)


def _official_child(size_mib: int) -> int:
    import upload_memory as um

    with (
        um.discard_server_and_file(size_mib, "tl-upload-official-") as (port, path),
        open(path, "rb") as video,
    ):
        growth, received = asyncio.run(_official_upload(port, video))
    if received <= size_mib * 1024 * 1024:
        raise RuntimeError("the server did not receive the whole file")
    print(f"peak RSS growth     : {growth:.1f} MiB (VmHWM after reset)")
    return 0


def _child_peak(args: list[str]) -> float:
    out = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=python_env(), check=False
    )
    match = _PEAK.search(out.stdout)
    if match is None:
        raise RuntimeError(f"no peak figure from {args[0]}:\n{out.stdout}\n{out.stderr}")
    return float(match.group(1))


def run(size_mib: int | None = None, runs: int | None = None) -> list[Row]:
    """Measure and return the table rows (sizes default to the full or quick set)."""
    quick = quick_mode()
    size_mib = size_mib or (256 if quick else 1024)
    runs = runs or (2 if quick else 3)
    commands = {
        "ours": [str(UPLOAD_MEMORY), "--size-mib", str(size_mib)],
        "official": [str(Path(__file__)), "--official-child", "--size-mib", str(size_mib)],
    }
    peaks = {name: Sample() for name in commands}
    for i in range(runs):
        for name in rotate(list(commands), i):
            peaks[name].add(_child_peak(commands[name]))
    ours, official = peaks["ours"].median, peaks["official"].median
    return [
        Row(
            "upload memory",
            f"peak RSS growth MiB ({size_mib} MiB file)",
            peaks["ours"],
            peaks["official"],
            ratio=official / ours if ours > 0 else None,
            ratio_text=f"official/ours {official / ours:.2f}" if ours > 0 else "",
            goal=f"ours <= {GOAL_MIB:.0f} MiB",
            met=ours <= GOAL_MIB,
        )
    ]


def main() -> int:
    """Parse arguments, measure and print the table (or be the official child)."""
    parser = argparse.ArgumentParser(description="upload peak memory, ours vs official")
    parser.add_argument("--size-mib", type=int, default=None)
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--official-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.official_child:
        return _official_child(args.size_mib or 1024)
    print(render(run(args.size_mib, args.runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
