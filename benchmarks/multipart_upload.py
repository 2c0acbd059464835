"""Multipart upload of a large sparse file to the fake: ours, raw aiohttp, the official SDK.

The fake server (API host and storage host) runs in its own process, started by this
script with ``--serve``; each contender runs in a fresh child interpreter, in rotating
order, and reports:

* peak RSS growth: VmHWM after a reset of the kernel's peak mark, minus VmRSS before;
* disk written: the growth of ``write_bytes`` in ``/proc/self/io`` (the official helper
  copies the file into chunk files first);
* wall time of the upload (session, every chunk PUT, reports).

"raw" is the floor: bare aiohttp PUTs of the same slices (read whole into memory) at the
same concurrency to presigned URLs of the same fake, without retries or reports. Goals:
ours under 64 MiB growth, no disk written, wall time >= 0.9x raw's speed.

Run: ``.venv/bin/python benchmarks/multipart_upload.py [--size-mib N] [--runs N]``
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from _harness import Row, Sample, python_env, quick_mode, render, rotate

CHUNK = 8 * 1024 * 1024
IN_FLIGHT = 8
GOAL_MIB = 64.0
KEY = "tlk_bench_key"


def _kib(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def _written() -> int:
    with open("/proc/self/io") as f:
        for line in f:
            if line.startswith("write_bytes:"):
                return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


async def _serve() -> None:
    from twelvelabs_async.testing import FakeTwelveLabsServer

    async with FakeTwelveLabsServer(api_key=KEY) as server:
        server.assets.chunk_size = CHUNK
        server.assets.initial_urls = 50
        print(server.base_url, flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


@contextlib.contextmanager
def _server() -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=python_env(),
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        yield proc.stdout.readline().strip()
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=30)


async def _ours(base_url: str, path: str) -> None:
    from twelvelabs_async import AsyncTwelveLabs

    async with AsyncTwelveLabs(api_key=KEY, base_url=base_url) as client:
        await client.multipart_upload.upload_file(path, concurrency=IN_FLIGHT, batch_size=10)


async def _raw(base_url: str, path: str) -> None:
    import aiohttp

    size = os.path.getsize(path)  # noqa: ASYNC240 - before the clock starts mattering
    headers = {"x-api-key": KEY}
    async with aiohttp.ClientSession() as http:
        body = {"filename": "b.mp4", "type": "video", "total_size": size}
        async with http.post(
            f"{base_url}/assets/multipart-uploads", json=body, headers=headers
        ) as r:
            session = await r.json()
        total = session["total_chunks"]
        urls = {u["chunk_index"]: u["url"] for u in session["upload_urls"]}
        for start in range(len(urls) + 1, total + 1, 50):
            async with http.post(
                f"{base_url}/assets/multipart-uploads/{session['upload_id']}/presigned-urls",
                json={"start": start, "count": min(50, total - start + 1)},
                headers=headers,
            ) as r:
                urls.update({u["chunk_index"]: u["url"] for u in (await r.json())["upload_urls"]})
        queue = iter(range(1, total + 1))
        up = session["upload_headers"]

        async def worker() -> None:
            with open(path, "rb") as f:  # noqa: ASYNC230 - reads go through to_thread
                for index in queue:
                    f.seek((index - 1) * CHUNK)
                    data = await asyncio.to_thread(f.read, CHUNK)
                    async with http.put(urls[index], data=data, headers=up) as r:
                        await r.read()
                        assert r.status == 200

        await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))


async def _official(base_url: str, path: str) -> None:
    import httpx
    import twelvelabs

    async with httpx.AsyncClient(timeout=300) as http:
        sdk = twelvelabs.AsyncTwelveLabs(api_key=KEY, base_url=base_url, httpx_client=http)
        await sdk.multipart_upload.upload_file(path, max_workers=IN_FLIGHT, batch_size=10)


_CONTENDERS = {"ours": _ours, "raw": _raw, "official": _official}


def _child(name: str, base_url: str, size_mib: int) -> int:
    with tempfile.TemporaryDirectory(prefix="tl-multipart-") as tmp:
        path = os.path.join(tmp, "big.mp4")
        with open(path, "wb") as f:
            f.truncate(size_mib * 1024 * 1024)
        base, written = _kib("VmRSS"), _written()
        _reset_peak()
        started = time.perf_counter()
        asyncio.run(_CONTENDERS[name](base_url, path))
        wall = time.perf_counter() - started
        growth = (_kib("VmHWM") - base) / 1024
        disk = (_written() - written) / 1024 / 1024
    print(f"{growth:.1f} {disk:.1f} {wall:.3f}")
    return 0


def run(size_mib: int | None = None, runs: int | None = None) -> list[Row]:
    """Measure the three contenders and return the table rows."""
    size_mib = size_mib or (512 if quick_mode() else 2048)
    runs = runs or 1
    figures: dict[str, dict[str, Sample]] = {
        n: {"rss": Sample(), "disk": Sample(), "wall": Sample()} for n in _CONTENDERS
    }
    with _server() as base_url:
        for i in range(runs):
            for name in rotate(list(_CONTENDERS), i):
                out = subprocess.run(
                    [sys.executable, __file__, "--child", name, base_url, str(size_mib)],
                    capture_output=True, text=True, env=python_env(), check=True,
                )  # fmt: skip
                rss, disk, wall = (float(x) for x in out.stdout.split())
                for key, value in (("rss", rss), ("disk", disk), ("wall", wall)):
                    figures[name][key].add(value)
    ours, raw, official = figures["ours"], figures["raw"], figures["official"]
    speed = raw["wall"].median / ours["wall"].median
    label = f"({size_mib} MiB, {IN_FLIGHT} in flight)"
    return [
        Row("multipart upload", f"peak RSS growth MiB {label}", ours["rss"], official["rss"],
            raw["rss"], "raw aiohttp", goal=f"ours < {GOAL_MIB:.0f} MiB",
            met=ours["rss"].median < GOAL_MIB),
        Row("multipart upload", f"disk written MiB {label}", ours["disk"], official["disk"],
            raw["disk"], "raw aiohttp", goal="none", met=ours["disk"].median < 1),
        Row("multipart upload", f"wall s {label}", ours["wall"], official["wall"], raw["wall"],
            "raw aiohttp", ratio=speed, ratio_text=f"speed vs raw {speed:.2f}x",
            goal=">= 0.9x raw", met=speed >= 0.9),
    ]  # fmt: skip


def main() -> int:
    """Parse arguments, measure and print the table (or serve, or be a contender)."""
    parser = argparse.ArgumentParser(description="multipart upload: ours, raw, official")
    parser.add_argument("--size-mib", type=int, default=None)
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve())
        return 0
    if args.child:
        name, base_url, size = args.child
        return _child(name, base_url, int(size))
    print(render(run(args.size_mib, args.runs)))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    raise SystemExit(main())
