"""Bulk jobs against the fake server with injected faults: every input counted, no duplicates."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest

from twelvelabs_async.bulk import BulkEmbedJob, BulkEvent
from twelvelabs_async.client import AsyncTwelveLabs
from twelvelabs_async.testing import FakeTwelveLabsServer


def _job_tasks() -> list[asyncio.Task[object]]:
    """The job's own tasks still alive (runner, items, journal writer)."""
    prefixes = ("bulk-", "journal-")
    return [t for t in asyncio.all_tasks() if t.get_name().startswith(prefixes)]


CREATE = ["embed.tasks.create"]
READS = ["embed.tasks.status", "embed.tasks.retrieve"]


def _make_files(root: Path, n: int) -> list[Path]:
    paths = []
    for i in range(n):
        path = root / f"clip{i:03d}.mp4"
        path.write_bytes(b"\0\0\0\x18ftypisom" + i.to_bytes(4, "big") * 64)
        paths.append(path)
    return paths


def _creates_per_file(server: FakeTwelveLabsServer) -> Counter[str]:
    counts: Counter[str] = Counter()
    for record in server.requests_to("embed.tasks.create"):
        if record.task_created:
            counts[record.files[0].filename or "?"] += 1
    return counts


def _inject_faults(server: FakeTwelveLabsServer) -> None:
    faults = server.faults
    # Creates: lost answers (task exists), failures before processing, drops, 429s.
    faults.server_error(500, endpoints=CREATE, rate=0.05, task_created=True)
    faults.server_error(502, endpoints=CREATE, rate=0.03, task_created=False)
    faults.drop_connection(endpoints=CREATE, rate=0.05, task_created=True)
    faults.drop_connection(endpoints=CREATE, rate=0.03, task_created=False)
    faults.rate_limit(endpoints=CREATE, rate=0.05, retry_after=0.05)
    # Reads: the transport retries these.
    faults.server_error(503, endpoints=READS, rate=0.05)
    faults.drop_connection(endpoints=READS, rate=0.05)


@pytest.mark.slow
async def test_200_inputs_with_faults_end_with_one_task_each(tmp_path: Path) -> None:
    """200 inputs under 5 % 5xx, dropped connections and 429s all end embedded, one task each."""
    paths = _make_files(tmp_path, 200)
    events: Counter[str] = Counter()

    def count(event: BulkEvent) -> None:
        events[event.kind] += 1

    async with FakeTwelveLabsServer(processing_time=0.05, seed=7) as server:
        _inject_faults(server)
        async with AsyncTwelveLabs(
            api_key=server.api_key, base_url=server.base_url, max_retries=4
        ) as client:
            job = BulkEmbedJob(
                client, paths, model_name="marengo3.0", concurrency=16,
                journal=tmp_path / "job.jsonl", output=tmp_path / "out.npz",
                poll_interval=0.05, reconcile_delay=0.0, max_attempts=6, on_event=count,
            )  # fmt: skip
            seen = [item async for item in job]

    fired = {rule.kind: rule.fired for rule in server.faults.rules if rule.fired}
    assert fired.get("server_error")
    assert fired.get("drop_connection")
    assert fired.get("rate_limit")
    assert sorted(item.index for item in seen) == list(range(200))
    assert all(item.ok for item in seen), [str(i.error) for i in seen if not i.ok]
    per_file = _creates_per_file(server)
    assert max(per_file.values()) == 1
    assert len(per_file) == 200
    # Lost answers were adopted through the task list instead of creating again.
    assert job.summary.recovered > 0
    assert events["rate_limited"] == job.summary.rate_limited > 0
    assert {item.task_id for item in seen} == set(server.created_task_ids)


async def test_failed_tasks_are_reported_not_dropped(tmp_path: Path) -> None:
    """A task that ends ``failed`` comes back as an item with TaskFailedError next to the others."""
    from twelvelabs_async.errors import TaskFailedError

    paths = _make_files(tmp_path, 5)
    async with FakeTwelveLabsServer(processing_time=0) as server:
        server.faults.fail_tasks(names=["clip002.mp4"])
        async with AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url) as client:
            summary = await BulkEmbedJob(
                client, paths, model_name="marengo3.0", poll_interval=0.05
            ).run()
    assert (summary.succeeded, summary.failed) == (4, 1)
    (failure,) = summary.failures
    assert failure.index == 2
    assert isinstance(failure.error, TaskFailedError)
    assert failure.task_id is not None


async def test_rate_limits_close_the_gate_for_every_worker(tmp_path: Path) -> None:
    """While a 429's Retry-After runs, no worker sends a create (the gate is shared)."""
    paths = _make_files(tmp_path, 12)
    async with FakeTwelveLabsServer(processing_time=0) as server:
        server.faults.rate_limit(endpoints=CREATE, times=1, skip=2, retry_after=0.3)
        async with AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url) as client:
            summary = await BulkEmbedJob(
                client, paths, model_name="marengo3.0", concurrency=4, poll_interval=0.05
            ).run()
        creates = server.requests_to("embed.tasks.create")
    assert summary.succeeded == 12
    assert summary.rate_limited == 1
    limited = next(i for i, r in enumerate(creates) if r.status == 429)
    # Every create that arrived after the 429 waited at least its Retry-After, measured on
    # the server's own clock (an order relation, not a speed assertion).
    later = [r.received_at for r in creates[limited + 1 :]]
    waited_out = [t for t in later if t >= creates[limited].received_at + 0.3]
    in_flight_before = [t for t in later if t < creates[limited].received_at + 0.3]
    # At most the creates already past the gate when the 429 arrived may land early.
    assert len(in_flight_before) <= 3
    assert len(waited_out) >= 12 - 3 - limited - 1


async def test_auth_failure_stops_the_job_and_reports_every_input(tmp_path: Path) -> None:
    """A refused key fails every input (none dropped) and the job stops creating."""
    from twelvelabs_async.errors import AuthenticationError

    paths = _make_files(tmp_path, 20)
    async with (
        FakeTwelveLabsServer(processing_time=0) as server,
        AsyncTwelveLabs(api_key="tlk_wrong", base_url=server.base_url) as client,
    ):
        summary = await BulkEmbedJob(client, paths, model_name="marengo3.0", concurrency=2).run()
        creates = server.requests_to("embed.tasks.create")
    assert summary.failed == 20
    assert isinstance(summary.aborted_by, AuthenticationError)
    assert len(creates) <= 2
    assert "tlk_wrong" not in repr([str(f.error) for f in summary.failures])


async def test_cancelling_the_consumer_leaves_no_task_and_a_reusable_journal(
    tmp_path: Path,
) -> None:
    """Cancelling the iterating task mid-job cancels every worker and releases the journal."""
    paths = _make_files(tmp_path, 30)
    journal = tmp_path / "job.jsonl"
    async with (
        FakeTwelveLabsServer(processing_time=5) as server,
        AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url) as client,
    ):
        created = asyncio.Event()

        def on_event(event: BulkEvent) -> None:
            if event.kind == "created":
                created.set()

        job = BulkEmbedJob(
            client, paths, model_name="marengo3.0", journal=journal, output=tmp_path / "o.npz",
            poll_interval=0.05, on_event=on_event,
        )  # fmt: skip
        consumer = asyncio.create_task(job.run())
        await created.wait()
        consumer.cancel()
        with pytest.raises(asyncio.CancelledError):
            await consumer
        assert _job_tasks() == []
        # The lock is released: a new job opens the same journal and finishes the work.
        server.state.advance(10)
        resumed = await BulkEmbedJob(
            client, paths, model_name="marengo3.0", journal=journal, poll_interval=0.05
        ).run()
    assert resumed.succeeded == 30
    assert resumed.resumed > 0
    assert len(server.created_task_ids) == 30
    assert not (tmp_path / "o.npz").exists()
