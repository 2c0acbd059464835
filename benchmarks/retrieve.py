"""``tasks.retrieve`` of a 3,600 x 1,024 segment task: ours, the official client, orjson.

The fake server (its own process) holds one ready ``Marengo-retrieval-2.7`` task whose
video lasts ``segments / 2 * 6`` seconds: 6-second clips, two options (``visual-text``,
``audio``), 1,024 floats each, about 75 MB of JSON served from the fake's cache.

Two measurements, each repeated with the contenders in rotating order:

* end to end, ``await client.embed.tasks.retrieve(task_id)`` over loopback, against a bare
  aiohttp GET + ``orjson.loads`` (the floor for any typed client);
* decode only, on the same bytes: ``twelvelabs_async._convert.loads(body, Model)`` against
  ``orjson.loads`` alone.

The official client is timed end to end only, and fewer times (``--official-runs``, default
1 at full size): it spends about 10 microseconds of Python per float walking the decoded
JSON (``twelvelabs.core.serialization.convert_and_respect_annotation_metadata``), so one
full-size retrieve takes tens of seconds.

Goals: decode <= 1.25x ``orjson.loads``; retrieve at least 2x faster than the official
client.

Run: ``.venv/bin/python benchmarks/retrieve.py [--segments N] [--runs N] [--official-runs N]``
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import orjson
from _harness import API_KEY, Row, Sample, fake_server, official_client, quick_mode, render, rotate

from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async._convert import loads
from twelvelabs_async.models import TasksRetrieveResponse

# The retired 2.7 model gives the largest real retrieve (1,024 floats a segment); the fake
# still serves it, so the SDK is told to send it.
MODEL = "Marengo-retrieval-2.7"
os.environ["TWELVELABS_ALLOW_RETIRED_MODELS"] = "1"
CLIP = 6


async def _timed(func: Callable[[], Awaitable[Any]]) -> float:
    gc.collect()
    start = time.perf_counter()
    result = await func()
    elapsed = time.perf_counter() - start
    del result
    return elapsed


async def _measure(base_url: str, segments: int, runs: int, official_runs: int) -> list[Row]:
    async with AsyncTwelveLabs(API_KEY, base_url=base_url) as ours:
        task = await ours.embed.tasks.create(
            model_name=MODEL, video_url="https://cdn.example.com/long.mp4", video_clip_length=CLIP
        )
        await ours.embed.tasks.wait_for_done(task.id, sleep_interval=0.05)
        sdk, http = official_client(base_url, 4)
        url = f"{base_url}/embed/tasks/{task.id}"
        async with aiohttp.ClientSession(headers={"x-api-key": API_KEY}) as session:

            async def bare() -> Any:
                async with session.get(url) as resp:
                    return orjson.loads(await resp.read())

            body = orjson.dumps(await bare())
            got = len(loads(body, TasksRetrieveResponse).video_embedding.segments)  # type: ignore[union-attr]
            if got != segments:
                raise RuntimeError(f"the fake produced {got} segments, expected {segments}")
            e2e: dict[str, Callable[[], Awaitable[Any]]] = {
                "ours": lambda: ours.embed.tasks.retrieve(task.id),
                "official": lambda: sdk.embed.tasks.retrieve(task.id),  # type: ignore[attr-defined]
                "aiohttp+orjson": bare,
            }
            decoders: dict[str, Callable[[], Any]] = {
                "ours": lambda: loads(body, TasksRetrieveResponse),
                "orjson": lambda: orjson.loads(body),
            }
            wall = {name: Sample() for name in e2e}
            decode = {name: Sample() for name in decoders}
            # Warm-up: connections, caches, lazy imports (the official client's first
            # full-size retrieve is one of its timed runs: it costs too much to waste).
            await e2e["ours"]()
            await bare()
            for i in range(runs):
                for name in rotate(list(e2e), i):
                    if name != "official" or i < official_runs:
                        wall[name].add(await _timed(e2e[name]))
                for name in rotate(list(decoders), i):
                    gc.collect()
                    start = time.perf_counter()
                    decoders[name]()
                    decode[name].add(time.perf_counter() - start)
        await http.aclose()
    size = f"{segments} x 1024, {len(body) / 1e6:.0f} MB"
    dec_ratio = decode["ours"].median / decode["orjson"].median
    e2e_speedup = wall["official"].median / wall["ours"].median
    return [
        Row(
            "retrieve decode",
            f"decode s ({size})",
            decode["ours"],
            None,
            decode["orjson"],
            "orjson.loads",
            dec_ratio,
            f"ours/orjson {dec_ratio:.2f}",
            "ours <= 1.25x orjson",
            dec_ratio <= 1.25,
        ),
        Row(
            "retrieve e2e",
            "tasks.retrieve wall s",
            wall["ours"],
            wall["official"],
            wall["aiohttp+orjson"],
            "aiohttp+orjson",
            e2e_speedup,
            f"official/ours {e2e_speedup:.1f}x; ours/bare "
            f"{wall['ours'].median / wall['aiohttp+orjson'].median:.2f}",
            "official/ours >= 2x",
            e2e_speedup >= 2.0,
            "official timed fewer times (see --official-runs)" if official_runs < runs else "",
        ),
    ]


def run(
    segments: int | None = None, runs: int | None = None, official_runs: int | None = None
) -> list[Row]:
    """Measure and return the table rows (sizes default to the full or quick set)."""
    quick = quick_mode()
    segments = segments or (600 if quick else 3600)
    runs = runs or (3 if quick else 9)
    official_runs = min(runs, official_runs or (runs if segments <= 600 else 1))
    duration = segments // 2 * CLIP
    with fake_server(processing_time=0.0, default_duration=duration) as base_url:
        return asyncio.run(_measure(base_url, segments, runs, official_runs))


def main() -> None:
    """Parse arguments, measure and print the table."""
    parser = argparse.ArgumentParser(description="retrieve / decode benchmark")
    parser.add_argument("--segments", type=int, default=None, help="even number of segments")
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--official-runs", type=int, default=None)
    args = parser.parse_args()
    print(render(run(args.segments, args.runs, args.official_runs)))


if __name__ == "__main__":
    main()
