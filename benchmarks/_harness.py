"""Shared pieces of the side-by-side benchmarks: the fake server process, statistics, rows.

The fake server always runs in its own process (``python -m twelvelabs_async.testing``) so
that its CPU time is never charged to the client being measured; client CPU is read with
``time.process_time()`` in the measuring process. Every figure is a median over repeated
runs with its spread (min-max), and every goal is a ratio between runs made in the same
process at the same time, because the machines these run on are shared and noisy.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
API_KEY = "tlk_bench_key"
"""The fake server's accepted key in every benchmark (not a real key)."""


@dataclass
class Sample:
    """Repeated measurements of one quantity (seconds, MiB, calls/s...)."""

    values: list[float] = field(default_factory=list)

    def add(self, value: float) -> None:
        """Record one measurement."""
        self.values.append(value)

    @property
    def median(self) -> float:
        """The median of the measurements."""
        return statistics.median(self.values)

    def spread(self) -> str:
        """Min-max of the measurements as text, for the tables."""
        if len(self.values) < 2:
            return "n=1"
        return f"{fmt(min(self.values))}-{fmt(max(self.values))} (n={len(self.values)})"


@dataclass
class Row:
    """One line of a results table: a figure for each contender and the goal's verdict.

    ``ratio`` is computed from medians by the benchmark; ``met`` is ``None`` for rows that
    carry information without a goal.
    """

    bench: str
    metric: str
    ours: Sample
    official: Sample | None = None
    baseline: Sample | None = None
    baseline_name: str = ""
    ratio: float | None = None
    ratio_text: str = ""
    goal: str = ""
    met: bool | None = None
    note: str = ""


def fmt(value: float) -> str:
    """A number with about three significant digits."""
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def cell(sample: Sample | None) -> str:
    """``median (min-max)`` of a sample, or an empty cell."""
    if sample is None:
        return ""
    return f"{fmt(sample.median)} [{sample.spread()}]"


def render(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table."""
    lines = [
        "| benchmark | metric | ours | official | baseline | ratio | goal | met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        base = f"{r.baseline_name}: {cell(r.baseline)}" if r.baseline is not None else ""
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        ratio = r.ratio_text or ("" if r.ratio is None else f"{r.ratio:.2f}")
        lines.append(
            f"| {r.bench} | {r.metric} | {cell(r.ours)} | {cell(r.official)} | {base} "
            f"| {ratio} | {r.goal} | {met} |"
        )
    notes = [f"- {r.bench} / {r.metric}: {r.note}" for r in rows if r.note]
    if notes:
        lines += ["", *notes]
    return "\n".join(lines)


def rotate(names: Sequence[str], round_index: int) -> list[str]:
    """The contenders in a different order each round, so drift hits them all alike."""
    k = round_index % len(names)
    return [*names[k:], *names[:k]]


def cpu_and_wall(func: Callable[[], object]) -> tuple[float, float, object]:
    """Run ``func`` and return ``(wall seconds, CPU seconds of this process, result)``."""
    cpu0 = time.process_time()
    wall0 = time.perf_counter()
    result = func()
    return time.perf_counter() - wall0, time.process_time() - cpu0, result


class FakeProcess:
    """A fake Twelve Labs server running in a child process; ``base_url`` once started."""

    def __init__(self, *, processing_time: float = 0.0, default_duration: float = 30.0) -> None:
        self.args = [
            sys.executable,
            "-m",
            "twelvelabs_async.testing",
            "--port",
            "0",
            "--api-key",
            API_KEY,
            "--processing-time",
            str(processing_time),
            "--default-duration",
            str(default_duration),
        ]
        self.proc: subprocess.Popen[str] | None = None
        self.base_url = ""

    def start(self) -> FakeProcess:
        """Start the child and wait for the base URL it prints."""
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line.startswith("http"):
            self.stop()
            raise RuntimeError(f"the fake server did not start (printed {line!r})")
        self.base_url = line
        return self

    def stop(self) -> None:
        """Interrupt the child (it exits cleanly on SIGINT) and reap it."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


@contextmanager
def fake_server(*, processing_time: float = 0.0, default_duration: float = 30.0) -> Iterator[str]:
    """Run a fake server process for the ``with`` block; yields its base URL."""
    server = FakeProcess(processing_time=processing_time, default_duration=default_duration)
    server.start()
    try:
        yield server.base_url
    finally:
        server.stop()


def quick_mode() -> bool:
    """Whether ``BENCH_QUICK=1`` asks for the smaller sizes."""
    return os.environ.get("BENCH_QUICK", "") not in ("", "0")


def python_env() -> dict[str, str]:
    """The environment for child interpreters: the official SDK must not see a base URL."""
    env = dict(os.environ)
    env.pop("TWELVELABS_BASE_URL", None)
    return env


def official_client(base_url: str, connections: int) -> tuple[object, object]:
    """The official async client on an httpx client allowed ``connections`` connections.

    httpx keeps only 100 connections (20 idle) by default; the limits are raised to the
    benchmark's concurrency so that the official client is measured at its best.

    Returns:
        ``(client, httpx_client)``; close the second with ``await http.aclose()``.
    """
    import httpx
    import twelvelabs

    http = httpx.AsyncClient(
        timeout=120,
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
    )
    return twelvelabs.AsyncTwelveLabs(api_key=API_KEY, base_url=base_url, httpx_client=http), http
