"""Decode cost of the converter against ``orjson.loads`` alone.

Builds a v1 retrieve payload of 3,600 segments x 1,024 floats (about 40 MB of JSON, an
hour of video at one vector per second) and a v2 retrieve payload of the same size, then
times ``loads(body, Model)`` and ``orjson.loads(body)`` in the same process (the collector
paused during each call), and reports the medians and their ratio. Goal: ratio <= 1.25.
``make bench BENCH_ONLY=decode`` runs it; ``BENCH_QUICK=1`` uses 600 segments.

Run: ``.venv/bin/python benchmarks/decode.py [--segments N] [--dims N] [--runs N]``
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from collections.abc import Callable
from typing import Any

import orjson
from _harness import Row, Sample, quick_mode, render

from twelvelabs_async._convert import loads
from twelvelabs_async.models import EmbeddingTaskResponse, TasksRetrieveResponse


def _vector(rng: random.Random, dims: int) -> list[float]:
    return [round(rng.uniform(-0.1, 0.1), 7) for _ in range(dims)]


def v1_payload(segments: int, dims: int) -> bytes:
    """A v1 ``GET /embed/tasks/{id}`` body with ``segments`` clip segments."""
    rng = random.Random(7)
    options = ("visual", "audio", "transcription")
    return orjson.dumps(
        {
            "_id": "6655a1b2c3d4e5f601234567",
            "model_name": "marengo3.0",
            "status": "ready",
            "created_at": "2026-07-20T08:15:30Z",
            "updated_at": "2026-07-20T08:17:02Z",
            "video_embedding": {
                "metadata": {"video_clip_length": 6, "video_embedding_scope": ["clip"]},
                "segments": [
                    {
                        "float": _vector(rng, dims),
                        "start_offset_sec": i // 3 * 6.0,
                        "end_offset_sec": i // 3 * 6.0 + 6.0,
                        "embedding_option": options[i % 3],
                        "embedding_scope": "clip",
                    }
                    for i in range(segments)
                ],
            },
        }
    )


def v2_payload(segments: int, dims: int) -> bytes:
    """A v2 ``GET /embed-v2/tasks/{id}`` body with ``segments`` entries in ``data``."""
    rng = random.Random(11)
    options = ("visual", "audio", "transcription")
    return orjson.dumps(
        {
            "_id": "6890f1e2a3b4c5d6e7f80912",
            "status": "ready",
            "created_at": "2026-07-21T10:00:00Z",
            "updated_at": "2026-07-21T10:06:41Z",
            "data": [
                {
                    "embedding": _vector(rng, dims),
                    "embedding_option": options[i % 3],
                    "embedding_scope": "clip",
                    "start_sec": i // 3 * 6.0,
                    "end_sec": i // 3 * 6.0 + 6.0,
                }
                for i in range(segments)
            ],
            "metadata": {
                "input_type": "video",
                "embedding_options": list(options),
                "embedding_scopes": ["clip"],
                "duration": segments // 3 * 6.0,
            },
        }
    )


def _timed(func: Callable[[], Any]) -> float:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        func()
        return time.perf_counter() - start
    finally:
        gc.enable()


def run(segments: int | None = None, dims: int = 1024, runs: int | None = None) -> list[Row]:
    """Measure v1 and v2 retrieve decoding against ``orjson.loads``; return the table rows."""
    segments = segments or (600 if quick_mode() else 3600)
    runs = runs or (3 if quick_mode() else 7)
    rows = []
    for label, body, model in (
        ("v1 retrieve", v1_payload(segments, dims), TasksRetrieveResponse),
        ("v2 retrieve", v2_payload(segments, dims), EmbeddingTaskResponse),
    ):
        ours, plain = Sample(), Sample()
        for _ in range(runs):
            plain.add(_timed(lambda body=body: orjson.loads(body)))
            ours.add(_timed(lambda body=body, model=model: loads(body, model)))
        ratio = ours.median / plain.median
        rows.append(
            Row(
                "decode",
                f"{label} s ({segments} x {dims}, {len(body) / 1e6:.0f} MB)",
                ours,
                baseline=plain,
                baseline_name="orjson.loads",
                ratio=ratio,
                ratio_text=f"ours/orjson {ratio:.2f}",
                goal="ours <= 1.25x orjson",
                met=ratio <= 1.25,
            )
        )
    return rows


def main() -> None:
    """Parse arguments, measure and print the table."""
    parser = argparse.ArgumentParser(description="decode benchmark")
    parser.add_argument("--segments", type=int, default=None)
    parser.add_argument("--dims", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=None)
    args = parser.parse_args()
    print(render(run(args.segments, args.dims, args.runs)))


if __name__ == "__main__":
    main()
