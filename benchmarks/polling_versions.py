"""Status polling of this checkout against earlier revisions of it, in one process.

The polling ratio of ``polling.py`` moves by 0.2 between runs minutes apart on a shared
2-core machine, so a regression of a few microseconds a call cannot be told from a noisy
neighbour by comparing a run with ``RESULTS.md``. This script runs the checkout's client,
the client of each ``--rev`` (its ``twelvelabs_async`` taken from git and imported under
another name), and bare aiohttp + orjson against one fake server process, in short
interleaved rounds whose order rotates, and reports each one's medians as ratios to bare.

Run: ``.venv/bin/python benchmarks/polling_versions.py --rev 56a13f4 [--rev HEAD~3]
[--calls 2000] [--rounds 15] [--concurrency 200]``
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib
import io
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import orjson
from _harness import API_KEY, BENCH_DIR, Sample, fake_server, fmt, rotate
from polling import drive

from twelvelabs_async import AsyncTwelveLabs

PACKAGE = "twelvelabs_async"


def import_revision(rev: str, into: Path) -> Any:
    """Import the package as it is at git revision ``rev``, under a name of its own.

    Returns:
        The imported package module (``AsyncTwelveLabs`` on it).
    """
    sha = subprocess.run(
        ["git", "rev-parse", "--short", rev],
        cwd=BENCH_DIR.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    name = f"tl_rev_{sha}"
    archive = subprocess.run(
        ["git", "archive", "--format=tar", sha, PACKAGE],
        cwd=BENCH_DIR.parent,
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into / sha, filter="data")
    root = into / sha / PACKAGE
    word = re.compile(rf"\b{PACKAGE}\b")
    for source in root.rglob("*.py"):
        source.write_text(word.sub(name, source.read_text()))
    root.rename(root.with_name(name))
    sys.path.insert(0, str(into / sha))
    return importlib.import_module(name)


async def _measure(
    base_url: str, revisions: dict[str, Any], calls: int, rounds: int, concurrency: int
) -> dict[str, tuple[Sample, Sample]]:
    clients = {"checkout": AsyncTwelveLabs(API_KEY, base_url=base_url)}
    for label, package in revisions.items():
        clients[label] = package.AsyncTwelveLabs(API_KEY, base_url=base_url)
    task = await clients["checkout"].embed.tasks.create(
        model_name="marengo3.0", video_url="https://cdn.example.com/poll.mp4"
    )
    url = f"{base_url}/embed/tasks/{task.id}/status"
    connector = aiohttp.TCPConnector(limit=concurrency)
    session = aiohttp.ClientSession(connector=connector, headers={"x-api-key": API_KEY})

    async def bare() -> Any:
        async with session.get(url) as resp:
            resp.raise_for_status()
            return orjson.loads(await resp.read())

    def status_of(client: Any) -> Callable[[], Awaitable[Any]]:
        return lambda: client.embed.tasks.status(task.id)

    contenders = {label: status_of(client) for label, client in clients.items()}
    contenders["aiohttp+orjson"] = bare
    results = {name: (Sample(), Sample()) for name in contenders}
    try:
        for call in contenders.values():  # warm-up: connections open, code paths run
            await drive(call, concurrency, concurrency)
        for i in range(rounds):
            for name in rotate(list(contenders), i):
                gc.collect()
                cpu0, wall0 = time.process_time(), time.perf_counter()
                await drive(contenders[name], calls, concurrency)
                cpu_us, rate = results[name]
                cpu_us.add((time.process_time() - cpu0) / calls * 1e6)
                rate.add(calls / (time.perf_counter() - wall0))
    finally:
        await session.close()
        for client in clients.values():
            await client.aclose()
    return results


def render(results: dict[str, tuple[Sample, Sample]], calls: int, rounds: int) -> str:
    """The comparison as a Markdown table, ratios to bare aiohttp from medians."""
    bare_cpu, bare_rate = results["aiohttp+orjson"]
    lines = [
        f"status polls: {rounds} interleaved rounds of {calls} calls each",
        "",
        "| client | CPU us/call | calls/s | bare/this CPU | this/bare calls/s |",
        "|---|---|---|---|---|",
    ]
    for name, (cpu_us, rate) in results.items():
        lines.append(
            f"| {name} | {fmt(cpu_us.median)} [{cpu_us.spread()}] | "
            f"{fmt(rate.median)} [{rate.spread()}] | "
            f"{bare_cpu.median / cpu_us.median:.2f} | {rate.median / bare_rate.median:.2f} |"
        )
    return "\n".join(lines)


def main() -> None:
    """Parse arguments, import the revisions, measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", action="append", default=[], help="a git revision (repeat)")
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--concurrency", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        revisions = {rev: import_revision(rev, Path(tmp)) for rev in args.rev}
        with fake_server(processing_time=3600.0) as base_url:
            results = asyncio.run(
                _measure(base_url, revisions, args.calls, args.rounds, args.concurrency)
            )
    print(render(results, args.calls, args.rounds))


if __name__ == "__main__":
    main()
