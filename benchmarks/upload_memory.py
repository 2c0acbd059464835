"""Peak memory of a 1 GiB multipart upload through the SDK's transport.

Run: ``.venv/bin/python benchmarks/upload_memory.py [--size-mib 1024]``

A sparse temporary file is uploaded as ``video_file`` to a local aiohttp.web server that
reads and discards the body. The server runs in a subprocess so that its memory is not
counted. The figure printed is the growth of this process's peak resident set during the
upload: the kernel's high-water mark (VmHWM) is reset through ``/proc/self/clear_refs``
just before the upload, and VmRSS is also sampled every 5 ms as a cross-check.
Goal: at most 64 MiB, whatever the file size (the file is streamed, never loaded).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

GOAL_MIB = 64.0


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


async def _serve() -> None:
    from aiohttp import web

    async def discard(request: web.Request) -> web.Response:
        received = 0
        while chunk := await request.content.readany():
            received += len(chunk)
        return web.json_response({"received": received})

    app = web.Application(client_max_size=1 << 40)
    app.router.add_post("/v1.3/embed/tasks", discard)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(port, flush=True)
    # Serve until the parent closes our stdin.
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await runner.cleanup()


async def _upload(port: int, path: Path) -> tuple[float, float, float, int]:
    from twelvelabs_async import AsyncTwelveLabs

    async with AsyncTwelveLabs("bench-key", base_url=f"http://127.0.0.1:{port}/v1.3") as client:
        # Warm up: session, connector and code paths exist before the measurement starts.
        await client._transport.request(
            "POST", "embed/tasks", multipart=[("model_name", "m"), ("f", b"x")]
        )
        samples: list[int] = []
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                samples.append(_status_kib("VmRSS"))
                time.sleep(0.005)

        base_rss = _status_kib("VmRSS")
        peak_reset = _reset_peak()
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.perf_counter()
        resp = await client._transport.request(
            "POST",
            "embed/tasks",
            multipart=[("model_name", "marengo3.0"), ("video_file", path)],
        )
        elapsed = time.perf_counter() - started
        stop.set()
        sampler.join()
        hwm = _status_kib("VmHWM") if peak_reset else max(samples)
        received = int(resp.json()["received"])
    return (hwm - base_rss) / 1024, (max(samples) - base_rss) / 1024, elapsed, received


@contextlib.contextmanager
def discard_server_and_file(size_mib: int, prefix: str) -> Iterator[tuple[int, Path]]:
    """Start the discarding server in a child process and make a sparse file of ``size_mib``.

    The server runs in its own process so that its memory is not counted; the file is
    sparse so it uses no disk space. Both are removed on exit.

    Yields:
        ``(port, path)``: the server's port on 127.0.0.1 and the file to upload.
    """
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
            path = Path(tmp) / "big.mp4"
            with open(path, "wb") as f:
                f.truncate(size_mib * 1024 * 1024)
            yield port, path
    finally:
        if server.stdin is not None:
            server.stdin.close()
        server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()


def main() -> int:
    """Run the benchmark and print the peak RSS growth; exit 1 if over the goal."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve())
        return 0

    with discard_server_and_file(args.size_mib, "tl-upload-bench-") as (port, path):
        hwm_mib, sampled_mib, elapsed, received = asyncio.run(_upload(port, path))
        size = os.path.getsize(path)

    assert received > size, "the server must have received the whole multipart body"
    print(f"file size           : {size / 2**20:.0f} MiB (server received {received} bytes)")
    print(f"upload time         : {elapsed:.1f} s ({size / 2**20 / elapsed:.0f} MiB/s)")
    print(f"peak RSS growth     : {hwm_mib:.1f} MiB (VmHWM after reset)")
    print(f"sampled RSS growth  : {sampled_mib:.1f} MiB (VmRSS every 5 ms)")
    print(
        f"goal                : <= {GOAL_MIB:.0f} MiB -> {'OK' if hwm_mib <= GOAL_MIB else 'OVER'}"
    )
    return 0 if hwm_mib <= GOAL_MIB else 1


if __name__ == "__main__":
    raise SystemExit(main())
