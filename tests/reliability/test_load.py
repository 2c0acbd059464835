"""Load under faults: 100 concurrent waits and a bulk job share one client and one server.

Faults are injected on every endpoint at a steady rate; with retries to absorb them, no
call may fail, no result may go missing, and no input may create two tasks.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest
from relkit import client_for

from twelvelabs_async.bulk import BulkEmbedJob
from twelvelabs_async.testing import FakeTwelveLabsServer

WAITERS = 100
BULK_INPUTS = 40
HANG_GUARD = 60.0

_GETS = [
    "embed.tasks.status",
    "embed.tasks.retrieve",
    "embed.tasks.list",
    "embed.v2.tasks.retrieve",
]


def arm_faults(server: FakeTwelveLabsServer) -> None:
    """Transient faults on reads and on creates; lost creates (task made, answer lost) too."""
    f = server.faults
    f.server_error(503, endpoints=_GETS, rate=0.05, retry_after=0)
    f.server_error(502, endpoints=_GETS, rate=0.03)
    f.drop_connection(endpoints=_GETS, rate=0.03)
    f.truncate_body(endpoints=_GETS, rate=0.02)
    f.rate_limit(rate=0.03, retry_after=0)
    f.server_error(500, endpoints=["embed.tasks.create"], rate=0.1, task_created=True)


@pytest.mark.slow
async def test_waits_and_bulk_job_under_faults_lose_nothing(tmp_path: Path) -> None:
    """100 waits plus a 40-input bulk job under faults: all finish, none lost, none doubled."""
    async with (
        FakeTwelveLabsServer(processing_time=0.3, seed=7) as server,
        client_for(server, max_retries=8, timeout=10) as client,
    ):
        ids = []
        for i in range(WAITERS):
            video = {"media_source": {"url": f"https://cdn.example.com/w{i}.mp4"}}
            task = await client.embed.v2.tasks.create(
                input_type="video", model_name="marengo3.0", video=video
            )
            ids.append(task.id)
        arm_faults(server)
        urls = [f"https://cdn.example.com/bulk{i}.mp4" for i in range(BULK_INPUTS)]
        job = BulkEmbedJob(
            client,
            urls,
            model_name="marengo3.0",
            api="v1",
            concurrency=8,
            journal=tmp_path / "job.jsonl",
            output=tmp_path / "out.jsonl",
            poll_interval=0.05,
            reconcile_delay=0.05,
            fsync=False,
        )
        async with asyncio.timeout(HANG_GUARD):
            waits, summary = await asyncio.gather(
                asyncio.gather(
                    *(
                        client.embed.v2.tasks.wait_for_done(t, sleep_interval=0.05, timeout=30)
                        for t in ids
                    )
                ),
                job.run(),
            )

    assert [w.status for w in waits] == ["ready"] * WAITERS
    assert all(w.data for w in waits), "a ready task came back without its embeddings"
    assert summary.failed == 0, [str(i.error) for i in summary.failures]
    assert summary.succeeded == BULK_INPUTS
    fired = Counter(kind for r in server.requests for kind in r.faults)
    print(f"faults fired: {dict(fired)}; summary: {summary}")
    assert sum(fired.values()) > 20, "the faults did not fire: the test proves nothing"
    # One task per bulk input, even when the create's answer was lost.
    created = Counter(
        r.form.get("video_url", [""])[0]
        for r in server.requests_to("embed.tasks.create")
        if r.task_created
    )
    assert set(created) == set(urls)
    assert max(created.values()) == 1, created.most_common(3)
    rows = (tmp_path / "out.jsonl").read_text().splitlines()
    assert {row.split('"source":')[1].split('"')[1] for row in rows} == set(urls)
