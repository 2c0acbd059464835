"""Decode cost of the converter against ``orjson.loads`` alone.

Builds a v1 retrieve payload of 3,600 segments x 1,024 floats (about 40 MB of JSON, an
hour of video at one vector per second) and a v2 retrieve payload of the same size, then
times ``loads(body, Model)`` and ``orjson.loads(body)`` in the same process, best of
several runs, and prints both and their ratio. Goal: ratio <= 1.25.

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


def best_of(runs: int, func: Callable[[], Any]) -> float:
    """Fastest wall time of ``runs`` calls, with the collector paused during each call."""
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            func()
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return best


def measure(label: str, body: bytes, model: type, runs: int) -> float:
    """Print and return the ratio of ``loads(body, model)`` to ``orjson.loads(body)``."""
    baseline = best_of(runs, lambda: orjson.loads(body))
    typed = best_of(runs, lambda: loads(body, model))
    ratio = typed / baseline
    print(
        f"{label}: {len(body) / 1e6:.1f} MB  orjson.loads {baseline * 1e3:.1f} ms  "
        f"loads({model.__name__}) {typed * 1e3:.1f} ms  ratio {ratio:.3f}"
    )
    return ratio


def main() -> None:
    """Build both payloads and print the figures."""
    parser = argparse.ArgumentParser(description="decode benchmark")
    parser.add_argument("--segments", type=int, default=3600)
    parser.add_argument("--dims", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    measure("v1 retrieve", v1_payload(args.segments, args.dims), TasksRetrieveResponse, args.runs)
    measure("v2 retrieve", v2_payload(args.segments, args.dims), EmbeddingTaskResponse, args.runs)


if __name__ == "__main__":
    main()
