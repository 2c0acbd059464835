"""Progress events of bulk jobs, and how a job ends when its consumer stops early."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from twelvelabs_async.bulk import BulkEmbedJob, BulkEvent, EventCallbackError
from twelvelabs_async.client import AsyncTwelveLabs
from twelvelabs_async.testing import FakeTwelveLabsServer


def _job_tasks() -> list[asyncio.Task[object]]:
    """The job's own tasks still alive (runner, items, journal writer)."""
    prefixes = ("bulk-", "journal-")
    return [t for t in asyncio.all_tasks() if t.get_name().startswith(prefixes)]


def _files(root: Path, n: int, size: int = 4096) -> list[Path]:
    out = []
    for i in range(n):
        path = root / f"e{i}.mp4"
        path.write_bytes(bytes([i]) * size)
        out.append(path)
    return out


async def test_events_report_each_stage_in_order(tmp_path: Path) -> None:
    """events() yields intent, uploaded, created, processing, then done for each input."""
    paths = _files(tmp_path, 2)
    async with (
        FakeTwelveLabsServer(processing_time=0.2) as server,
        AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url) as client,
    ):
        job = BulkEmbedJob(client, paths, model_name="marengo3.0", poll_interval=0.05)
        events = [event async for event in job.events()]
    for index in (0, 1):
        kinds = [e.kind for e in events if e.index == index]
        firsts = [kinds.index(k) for k in ("intent", "uploaded", "created", "processing", "done")]
        assert firsts == sorted(firsts)
        assert kinds[-1] == "done"
        uploads = [e for e in events if e.index == index and e.kind == "uploaded"]
        assert (uploads[-1].bytes_sent, uploads[-1].bytes_total) == (4096, 4096)
    done = [e for e in events if e.kind == "done"]
    assert all(e.item is not None and e.item.segments for e in done)


async def test_a_failing_event_callback_stops_the_job(tmp_path: Path) -> None:
    """An exception in on_event stops the job and surfaces as EventCallbackError."""
    paths = _files(tmp_path, 4)

    def explode(event: BulkEvent) -> None:
        if event.kind == "created":
            raise KeyError("boom")

    async with (
        FakeTwelveLabsServer(processing_time=0) as server,
        AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url) as client,
    ):
        job = BulkEmbedJob(client, paths, model_name="marengo3.0", on_event=explode)
        with pytest.raises(EventCallbackError, match="KeyError") as exc:
            await job.run()
    assert isinstance(exc.value.__cause__, KeyError)
    assert _job_tasks() == []


async def test_leaving_the_loop_inside_async_with_stops_every_worker(tmp_path: Path) -> None:
    """Breaking out of ``async for`` inside ``async with job`` cancels the rest at once."""
    paths = _files(tmp_path, 20)
    async with (
        FakeTwelveLabsServer(processing_time=0) as server,
        AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url) as client,
    ):
        job = BulkEmbedJob(client, paths, model_name="marengo3.0", concurrency=2,
                           poll_interval=0.05)  # fmt: skip
        async with job:
            async for item in job:
                assert item.ok
                break
        assert _job_tasks() == []
        assert job.summary.pending > 0
        with pytest.raises(RuntimeError, match="runs once"):
            await job.run()
