"""Status-polling throughput: many ``tasks.status`` calls at high concurrency.

``calls`` status reads of one task, made by ``concurrency`` coroutines that each loop over
their share, against the fake server in its own process. Contenders, in rotating order:

* ours: ``await client.embed.tasks.status(task_id)`` (typed ``TasksStatusResponse``);
* the official async client: ``await client.embed.tasks.status(task_id)`` on an httpx
  client whose connection limits are raised to the concurrency;
* a bare aiohttp loop: ``session.get`` + ``orjson.loads`` (no types, no retries, no error
  mapping): the floor for any client on aiohttp.

Reported: calls per second (wall) and client CPU per call (``time.process_time()`` of this
process; the server's CPU is not in it). On a 2-core machine the fake server competes for
the same cores, which compresses the wall-time ratios; CPU per call shows the client's own
cost. Goals: >= 1.5x the official client's throughput and >= 0.8x bare aiohttp's.

Run: ``.venv/bin/python benchmarks/polling.py [--calls N] [--concurrency N] [--runs N]``
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import orjson
from _harness import API_KEY, Row, Sample, fake_server, official_client, quick_mode, render, rotate

from twelvelabs_async import AsyncTwelveLabs


async def drive(call: Callable[[], Awaitable[Any]], calls: int, concurrency: int) -> None:
    """Make ``calls`` calls from ``concurrency`` coroutines, each looping over its share."""
    share, extra = divmod(calls, concurrency)

    async def worker(n: int) -> None:
        for _ in range(n):
            await call()

    await asyncio.gather(*(worker(share + (i < extra)) for i in range(concurrency)))


async def _measure(
    base_url: str, calls: int, concurrency: int, runs: int, official_runs: int
) -> list[Row]:
    connector_limit = concurrency
    async with AsyncTwelveLabs(API_KEY, base_url=base_url) as ours:
        task = await ours.embed.tasks.create(
            model_name="marengo3.0", video_url="https://cdn.example.com/poll.mp4"
        )
        sdk, http = official_client(base_url, concurrency)
        url = f"{base_url}/embed/tasks/{task.id}/status"
        connector = aiohttp.TCPConnector(limit=connector_limit)
        async with aiohttp.ClientSession(
            connector=connector, headers={"x-api-key": API_KEY}
        ) as session:

            async def bare() -> Any:
                async with session.get(url) as resp:
                    resp.raise_for_status()
                    return orjson.loads(await resp.read())

            contenders: dict[str, Callable[[], Awaitable[Any]]] = {
                "ours": lambda: ours.embed.tasks.status(task.id),
                "official": lambda: sdk.embed.tasks.status(task.id),  # type: ignore[attr-defined]
                "aiohttp+orjson": bare,
            }
            rate = {name: Sample() for name in contenders}
            cpu_us = {name: Sample() for name in contenders}
            # Warm-up: open the connections and run every code path once.
            for call in contenders.values():
                await drive(call, concurrency, concurrency)
            for i in range(runs):
                for name in rotate(list(contenders), i):
                    if name == "official" and i >= official_runs:
                        continue
                    gc.collect()
                    cpu0 = time.process_time()
                    wall0 = time.perf_counter()
                    await drive(contenders[name], calls, concurrency)
                    wall = time.perf_counter() - wall0
                    cpu = time.process_time() - cpu0
                    rate[name].add(calls / wall)
                    cpu_us[name].add(cpu / calls * 1e6)
        await http.aclose()
    vs_official = rate["ours"].median / rate["official"].median
    vs_bare = rate["ours"].median / rate["aiohttp+orjson"].median
    cpu_official = cpu_us["official"].median / cpu_us["ours"].median
    cpu_bare = cpu_us["aiohttp+orjson"].median / cpu_us["ours"].median
    label = f"{calls} calls, concurrency {concurrency}"
    return [
        Row(
            "polling",
            f"status calls/s ({label})",
            rate["ours"],
            rate["official"],
            rate["aiohttp+orjson"],
            "aiohttp+orjson",
            vs_official,
            f"ours/official {vs_official:.2f}; ours/bare {vs_bare:.2f}",
            "ours/official >= 1.5; ours/bare >= 0.8",
            vs_official >= 1.5 and vs_bare >= 0.8,
        ),
        Row(
            "polling",
            "client CPU us/call",
            cpu_us["ours"],
            cpu_us["official"],
            cpu_us["aiohttp+orjson"],
            "aiohttp+orjson",
            cpu_official,
            f"official/ours {cpu_official:.2f}; bare/ours {cpu_bare:.2f}",
            note="information: the client's own cost, free of the server's share of the cores"
            + (f"; official timed {official_runs} times (slow)" if official_runs < runs else ""),
        ),
    ]


def run(
    calls: int | None = None,
    concurrency: int | None = None,
    runs: int | None = None,
    official_runs: int | None = None,
) -> list[Row]:
    """Measure and return the table rows (sizes default to the full or quick set).

    The official client manages about 150 calls/s here, so by default it is timed twice
    at full size (each run of 5,000 calls takes over 30 s) and every round in quick mode.
    """
    quick = quick_mode()
    calls = calls or (1000 if quick else 5000)
    concurrency = concurrency or 200
    runs = runs or (3 if quick else 5)
    official_runs = min(runs, official_runs or (runs if quick else 2))
    with fake_server(processing_time=3600.0) as base_url:
        return asyncio.run(_measure(base_url, calls, concurrency, runs, official_runs))


def main() -> None:
    """Parse arguments, measure and print the table."""
    parser = argparse.ArgumentParser(description="status polling benchmark")
    parser.add_argument("--calls", type=int, default=None)
    parser.add_argument("--concurrency", type=int, default=None)
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--official-runs", type=int, default=None)
    args = parser.parse_args()
    print(render(run(args.calls, args.concurrency, args.runs, args.official_runs)))


if __name__ == "__main__":
    main()
