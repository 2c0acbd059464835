"""Resuming bulk jobs from their journal against the fake server."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import numpy as np
import orjson
import pytest

from twelvelabs_async.bulk import BulkEmbedJob, JournalError, PreviousRunError
from twelvelabs_async.client import AsyncTwelveLabs
from twelvelabs_async.testing import FakeTwelveLabsServer


def _files(root: Path, names: list[str]) -> list[Path]:
    out = []
    for name in names:
        path = root / name
        path.write_bytes(name.encode() * 100)
        out.append(path)
    return out


def _records(journal: Path) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in journal.read_bytes().splitlines()]


async def test_intent_without_task_id_adopts_the_listed_task(tmp_path: Path) -> None:
    """A journaled intent whose create answer was never recorded adopts the task the list shows."""
    (path,) = _files(tmp_path, ["match.mp4"])
    journal = tmp_path / "job.jsonl"
    async with (
        FakeTwelveLabsServer(processing_time=0) as server,
        AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url) as client,
    ):
        # First run: records the intent, then "dies" (we only keep the header + intent).
        first = BulkEmbedJob(client, [path], model_name="marengo3.0", journal=journal)
        key = first.items[0].key
        journal.write_bytes(
                orjson.dumps({"type": "job", "version": 1, "api": "v1", "model_name": "marengo3.0"})
                + b"\n"
                + orjson.dumps({"type": "intent", "key": key, "at": time.time() - 1}) + b"\n"
            )  # fmt: skip
        # ...while the API did create the task.
        lost = await client.embed.tasks.create(model_name="marengo3.0", video_file=path)
        summary = await BulkEmbedJob(
            client, [path], model_name="marengo3.0", journal=journal, poll_interval=0.05
        ).run()
    assert summary.succeeded == 1
    assert summary.recovered == 1
    assert server.created_task_ids == [lost.id]
    created = [r for r in _records(journal) if r["type"] == "created"]
    assert created == [created[0]]
    assert created[0]["task_id"] == lost.id
    assert created[0]["recovered"] is True


async def test_resume_refetches_results_and_creates_nothing(tmp_path: Path) -> None:
    """A finished job run again re-reads results by task id: no create, same output."""
    paths = _files(tmp_path, ["a.mp4", "b.mp4", "c.wav"])
    journal = tmp_path / "job.jsonl"
    async with (
        FakeTwelveLabsServer(processing_time=0) as server,
        AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url) as client,
    ):
        await BulkEmbedJob(
                client, paths, model_name="marengo3.0", journal=journal,
                output=tmp_path / "first.npz", poll_interval=0.05,
            ).run()  # fmt: skip
        before = Counter(r.endpoint for r in server.requests)
        again = await BulkEmbedJob(
                client, paths, model_name="marengo3.0", journal=journal,
                output=tmp_path / "second.npz", poll_interval=0.05,
            ).run()  # fmt: skip
        after = Counter(r.endpoint for r in server.requests) - before
    assert again.resumed == 3
    assert again.succeeded == 3
    assert set(after) == {"embed.tasks.retrieve"}  # the audio result came from the journal
    first, second = np.load(tmp_path / "first.npz"), np.load(tmp_path / "second.npz")
    np.testing.assert_array_equal(first["vectors"], second["vectors"])
    np.testing.assert_array_equal(first["source"], second["source"])


async def test_sync_results_come_back_from_the_journal_without_requests(tmp_path: Path) -> None:
    """v2-sync results live in the journal: a resumed job sends no request for them."""
    inputs = [{"text": "a goal"}, {"text": "a red card"}]
    journal = tmp_path / "job.jsonl"
    async with (
        FakeTwelveLabsServer(processing_time=0) as server,
        AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url) as client,
    ):

        def job() -> BulkEmbedJob:
            return BulkEmbedJob(
                client, inputs, model_name="marengo3.0", api="v2-sync", journal=journal
            )

        first = [i async for i in job()]
        sent = len(server.requests)
        again = [i async for i in job()]
    assert len(server.requests) == sent == 2
    by_index = {i.index: i for i in first}
    for item in again:
        assert item.resumed
        assert list(item.segments[0].vector) == list(by_index[item.index].segments[0].vector)


async def test_failed_tasks_are_not_retried_unless_asked(tmp_path: Path) -> None:
    """A task that failed stays failed on resume; retry_failed creates a new one."""
    paths = _files(tmp_path, ["ok.mp4", "broken.mp4"])
    journal = tmp_path / "job.jsonl"
    async with FakeTwelveLabsServer(processing_time=0) as server:
        rule = server.faults.fail_tasks(names=["broken.mp4"], times=1)
        async with AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url) as client:

            def job(**kw: object) -> BulkEmbedJob:
                return BulkEmbedJob(
                    client, paths, model_name="marengo3.0", journal=journal, poll_interval=0.05,
                    **kw,  # type: ignore[arg-type]
                )  # fmt: skip

            first = await job().run()
            second = await job().run()
            creates_before_retry = len(server.created_task_ids)
            third = await job(retry_failed=True).run()
    assert rule.fired == 1
    assert (first.failed, second.failed, third.failed) == (1, 1, 0)
    assert isinstance(second.failures[0].error, PreviousRunError)
    assert creates_before_retry == 2
    assert len(server.created_task_ids) == 3


async def test_journal_of_another_model_is_refused(tmp_path: Path) -> None:
    """Resuming with a different model or API raises JournalError before any request."""
    journal = tmp_path / "job.jsonl"
    journal.write_bytes(b'{"type":"job","version":1,"api":"v2","model_name":"marengo3.0"}\n')
    (path,) = _files(tmp_path, ["a.mp4"])
    async with (
        FakeTwelveLabsServer(processing_time=0) as server,
        AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url) as client,
    ):
        job = BulkEmbedJob(client, [path], model_name="marengo3.0", api="v1", journal=journal)
        with pytest.raises(JournalError, match="api='v2'"):
            await job.run()
    assert server.requests == []


async def test_v2_url_inputs_with_lost_answers_get_one_task_each(tmp_path: Path) -> None:
    """v2 tasks for URLs whose create answers are lost are found by URL, not created twice."""
    urls = [f"https://cdn.example.com/v/{i}.mp4" for i in range(40)]
    async with FakeTwelveLabsServer(processing_time=0.05, seed=3) as server:
        server.faults.drop_connection(
            endpoints=["embed.v2.tasks.create"], rate=0.1, task_created=True
        )
        server.faults.server_error(
            500, endpoints=["embed.v2.tasks.create"], rate=0.1, task_created=True
        )
        async with AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url) as client:
            summary = await BulkEmbedJob(
                client, urls, model_name="marengo3.0", api="v2", concurrency=8,
                poll_interval=0.05, reconcile_delay=0.0, journal=tmp_path / "j.jsonl",
            ).run()  # fmt: skip
    per_url = Counter(
        r.json["video"]["media_source"]["url"]
        for r in server.requests_to("embed.v2.tasks.create")
        if r.task_created
    )
    assert summary.succeeded == 40
    assert summary.recovered > 0
    assert set(per_url.values()) == {1}
    assert len(per_url) == 40


async def test_inputs_sharing_a_file_name_are_never_matched_by_name(tmp_path: Path) -> None:
    """Two files named alike in two folders never take each other's task after a lost answer."""
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    paths = _files(tmp_path / "x", ["same.mp4"]) + _files(tmp_path / "y", ["same.mp4"])
    async with (
        FakeTwelveLabsServer(processing_time=0) as server,
        AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url) as client,
    ):
        server.faults.drop_connection(endpoints=["embed.tasks.create"], times=1, task_created=True)
        job = BulkEmbedJob(client, paths, model_name="marengo3.0", poll_interval=0.05)
        items = [i async for i in job]
    assert all(item.ok for item in items)
    assert len({item.task_id for item in items}) == 2
    assert server.requests_to("embed.tasks.list") == []
    # The chosen trade-off: the lost task is left behind (a duplicate) rather than risking
    # the other file's result being taken for this one.
    assert len(server.created_task_ids) == 3
