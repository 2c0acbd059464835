"""Bulk: many video tasks created, waited for and retrieved at a fixed concurrency.

``tasks`` v1 tasks (``marengo3.0``, one 6-second clip per video URL, three options of 512
floats) against a fake server in its own process whose tasks stay ``processing`` for
``processing_time`` seconds. Every contender polls every ``sleep_interval`` seconds and
keeps at most ``concurrency`` tasks in flight. Contenders, in rotating order:

* ours, ``asyncio.gather`` over ``client.embed.tasks.create_and_retrieve`` under a
  semaphore (the same shape as the official run below);
* ours, ``BulkEmbedJob(concurrency=C, wait_concurrency=C)`` (the bulk API: it also turns
  every vector into float32 arrays; a create may run while earlier tasks wait, so it can
  beat the wave-by-wave bound);
* the official async client: ``create`` -> ``wait_for_done`` -> ``retrieve`` under the
  same semaphore, driven by ``asyncio.gather``.

Reported: wall seconds and client CPU seconds (``time.process_time()``; the server is
another process). The wall-time bound is ``ceil(tasks / concurrency)`` waves of
``processing_time`` plus one sequential create + retrieve round trip each (measured
first with bare aiohttp). Goals: ours uses less CPU than the official client for the same
work; ours' wall time is within 10 % of the bound.

Run: ``.venv/bin/python benchmarks/bulk_tasks.py [--tasks N] [--concurrency N] [--runs N]``
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import math
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from _harness import API_KEY, Row, Sample, fake_server, official_client, quick_mode, render, rotate

from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async.bulk import BulkEmbedJob

MODEL = "marengo3.0"
DURATION = 6.0


def _urls(tasks: int, tag: str) -> list[str]:
    return [f"https://cdn.example.com/{tag}/video{i:05d}.mp4" for i in range(tasks)]


async def _round_trip(base_url: str) -> float:
    """Median seconds of one create + retrieve by bare aiohttp (the network share)."""
    times = []
    async with aiohttp.ClientSession(headers={"x-api-key": API_KEY}) as session:
        for i in range(6):
            start = time.perf_counter()
            form = aiohttp.FormData(
                {"model_name": MODEL, "video_url": f"https://n/{i}.mp4"}, default_to_multipart=True
            )
            async with session.post(f"{base_url}/embed/tasks", data=form) as resp:
                task_id = (await resp.json())["_id"]
            async with session.get(f"{base_url}/embed/tasks/{task_id}") as resp:
                await resp.read()
            times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


async def _ours_gather(
    client: AsyncTwelveLabs, urls: list[str], concurrency: int, interval: float
) -> int:
    gate = asyncio.Semaphore(concurrency)

    async def one(url: str) -> int:
        async with gate:
            result = await client.embed.tasks.create_and_retrieve(
                model_name=MODEL, video_url=url, sleep_interval=interval
            )
        return len(result.video_embedding.segments)  # type: ignore[union-attr, arg-type]

    return sum(await asyncio.gather(*(one(u) for u in urls)))


async def _ours_bulk(
    client: AsyncTwelveLabs, urls: list[str], concurrency: int, interval: float
) -> int:
    job = BulkEmbedJob(
        client,
        urls,
        model_name=MODEL,
        api="v1",
        concurrency=concurrency,
        wait_concurrency=concurrency,
        poll_interval=interval,
        journal=None,
        output=None,
    )
    segments = 0
    async for item in job:
        if item.error is not None:
            raise item.error
        segments += len(item.segments)
    return segments


async def _official(sdk: Any, urls: list[str], concurrency: int, interval: float) -> int:
    gate = asyncio.Semaphore(concurrency)

    async def one(url: str) -> int:
        async with gate:
            task = await sdk.embed.tasks.create(model_name=MODEL, video_url=url)
            done = await sdk.embed.tasks.wait_for_done(task.id, sleep_interval=interval)
            if done.status != "ready":
                raise RuntimeError(f"task {task.id} ended {done.status}")
            result = await sdk.embed.tasks.retrieve(task.id)
        return len(result.video_embedding.segments)

    return sum(await asyncio.gather(*(one(u) for u in urls)))


async def _measure(
    base_url: str,
    tasks: int,
    concurrency: int,
    runs: tuple[int, int],
    processing: float,
    interval: float,
) -> list[Row]:
    rtt = await _round_trip(base_url)
    waves = math.ceil(tasks / concurrency)
    bound = waves * (processing + rtt)
    async with AsyncTwelveLabs(API_KEY, base_url=base_url) as ours:
        sdk, http = official_client(base_url, concurrency)
        contenders: dict[str, Callable[[list[str]], Awaitable[int]]] = {
            "ours (gather)": lambda urls: _ours_gather(ours, urls, concurrency, interval),
            "ours (BulkEmbedJob)": lambda urls: _ours_bulk(ours, urls, concurrency, interval),
            "official": lambda urls: _official(sdk, urls, concurrency, interval),
        }
        wall = {name: Sample() for name in contenders}
        cpu = {name: Sample() for name in contenders}
        # Warm-up: a few tasks each, so connections and lazy imports are in place.
        for name, func in contenders.items():
            await func(_urls(min(tasks, concurrency, 10), f"warm-{name}"))
        for i in range(runs[0]):
            for name in rotate(list(contenders), i):
                if name == "official" and i >= runs[1]:
                    continue
                urls = _urls(tasks, f"r{i}-{name}")
                gc.collect()
                cpu0 = time.process_time()
                wall0 = time.perf_counter()
                segments = await contenders[name](urls)
                wall[name].add(time.perf_counter() - wall0)
                cpu[name].add(time.process_time() - cpu0)
                if segments != tasks * 3:
                    raise RuntimeError(f"{name}: {segments} segments, expected {tasks * 3}")
        await http.aclose()
    label = f"{tasks} tasks, concurrency {concurrency}, {processing:g} s tasks"
    rows = []
    for name in ("ours (gather)", "ours (BulkEmbedJob)"):
        over = wall[name].median / bound
        rows.append(
            Row(
                "bulk",
                f"{name}: wall s ({label})",
                wall[name],
                wall["official"],
                Sample([bound]),
                "bound",
                over,
                f"ours/bound {over:.2f}; official/bound {wall['official'].median / bound:.2f}",
                "ours <= 1.10x bound",
                over <= 1.10,
            )
        )
        saving = cpu["official"].median / cpu[name].median
        rows.append(
            Row(
                "bulk",
                f"{name}: client CPU s",
                cpu[name],
                cpu["official"],
                ratio=saving,
                ratio_text=f"official/ours {saving:.2f}",
                goal="ours < official",
                met=cpu[name].median < cpu["official"].median,
            )
        )
    rows[0].note = (
        f"bound = {waves} waves x ({processing:g} s processing + {rtt * 1e3:.1f} ms create+"
        f"retrieve round trip); polling every {interval:g} s adds up to one interval per wave"
        + (f"; official timed {runs[1]} time(s) (slow)" if runs[1] < runs[0] else "")
    )
    return rows


def run(
    tasks: int | None = None,
    concurrency: int | None = None,
    runs: int | None = None,
    processing: float | None = None,
    interval: float | None = None,
    official_runs: int | None = None,
) -> list[Row]:
    """Measure and return the table rows (sizes default to the full or quick set).

    At full size one official run takes about a minute (most of it its own CPU), so it is
    timed once by default; in quick mode every round.
    """
    quick = quick_mode()
    tasks = tasks or (200 if quick else 1000)
    concurrency = concurrency or 100
    runs = runs or (2 if quick else 3)
    official_runs = min(runs, official_runs or (runs if quick else 1))
    processing = processing if processing is not None else 2.0
    interval = interval or 0.25
    counts = (runs, official_runs)
    with fake_server(processing_time=processing, default_duration=DURATION) as base_url:
        return asyncio.run(_measure(base_url, tasks, concurrency, counts, processing, interval))


def main() -> None:
    """Parse arguments, measure and print the table."""
    parser = argparse.ArgumentParser(description="bulk create/wait/retrieve benchmark")
    parser.add_argument("--tasks", type=int, default=None)
    parser.add_argument("--concurrency", type=int, default=None)
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--processing-time", type=float, default=None)
    parser.add_argument("--sleep-interval", type=float, default=None)
    parser.add_argument("--official-runs", type=int, default=None)
    args = parser.parse_args()
    rows = run(
        args.tasks,
        args.concurrency,
        args.runs,
        args.processing_time,
        args.sleep_interval,
        args.official_runs,
    )
    print(render(rows))


if __name__ == "__main__":
    main()
