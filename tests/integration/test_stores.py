"""Bulk jobs writing to real LanceDB tables and real Milvus Lite files, then searched."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import textwrap
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import orjson
import pytest

from twelvelabs_async.bulk import BulkEmbedJob, BulkEvent
from twelvelabs_async.client import AsyncTwelveLabs
from twelvelabs_async.stores import LanceDBStore, MilvusStore, StoreError, VectorStore
from twelvelabs_async.testing import FakeTwelveLabsServer

lancedb = pytest.importorskip("lancedb")
pytest.importorskip("pymilvus")
pytest.importorskip("milvus_lite")

# A label per input: the fake server makes each file's vectors lean towards its name's words.
WORDS = ("goal", "crowd", "kickoff", "penalty", "corner", "header")
URLS = [f"https://cdn.example.com/match/{w}_{i}.mp4" for i in range(2) for w in WORDS]

StoreFactory = Callable[..., VectorStore]


def _lance(tmp_path: Path) -> StoreFactory:
    return lambda **kw: LanceDBStore(tmp_path / "vectors.lance", **kw)


def _milvus(tmp_path: Path) -> StoreFactory:
    return lambda **kw: MilvusStore(str(tmp_path / "vectors.db"), **kw)


@pytest.fixture(params=["lancedb", "milvus"])
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> StoreFactory:
    """A factory of stores of one kind, all at the same place in ``tmp_path``."""
    return _lance(tmp_path) if request.param == "lancedb" else _milvus(tmp_path)


def _clip_filter(store: VectorStore) -> str:
    return "scope = 'clip'" if isinstance(store, LanceDBStore) else "scope == 'clip'"


@pytest.fixture
async def client() -> AsyncIterator[AsyncTwelveLabs]:
    """A client of a fake server whose tasks finish at once."""
    async with (
        FakeTwelveLabsServer(processing_time=0) as server,
        AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url) as c,
    ):
        yield c


OPTIONS = {"video_clip_length": 6, "video_embedding_scope": ["clip", "video"]}


def _job(
    client: AsyncTwelveLabs,
    output: VectorStore,
    journal: Path | None = None,
    on_event: Callable[[BulkEvent], Awaitable[None] | None] | None = None,
) -> BulkEmbedJob:
    return BulkEmbedJob(
        client, URLS, model_name="marengo3.0", output=output, journal=journal,
        poll_interval=0.02, options=OPTIONS, fsync=False, on_event=on_event,
    )  # fmt: skip


def _journal_rows(journal: Path) -> int:
    lines = [orjson.loads(line) for line in journal.read_bytes().splitlines()]
    done = {r["key"]: r["rows"] for r in lines if r["type"] == "done"}
    return sum(done.values())


async def test_job_writes_one_row_per_segment_with_its_origin(
    client: AsyncTwelveLabs, make_store: StoreFactory, tmp_path: Path
) -> None:
    """Every segment lands as a row with its source, task id, model, scope and offsets."""
    journal = tmp_path / "job.jsonl"
    summary = await _job(client, make_store(batch_rows=50), journal).run()
    assert summary.succeeded == len(URLS)
    async with make_store() as store:
        assert await store.count() == _journal_rows(journal)
        hits = await store.search("goal", 200, where=_clip_filter(store), client=client)
    assert {h.scope for h in hits} == {"clip"}
    first = hits[0]
    assert first.source.rsplit("/", 1)[1].startswith("goal_")
    assert first.model_name == "marengo3.0"
    assert first.task_id
    assert first.start_sec is not None
    assert first.end_sec == pytest.approx(first.start_sec + 6)
    assert first.input_index in (0, len(WORDS))


async def test_search_by_text_ranks_the_labelled_file_first(
    client: AsyncTwelveLabs, make_store: StoreFactory
) -> None:
    """A query sharing a word with a file's name finds that file's clips, filter honoured."""
    await _job(client, make_store()).run()
    async with make_store() as store:
        hits = await store.search(
            "a penalty in the last minute", 5, where=_clip_filter(store), client=client
        )
        video = "scope = 'video'" if isinstance(store, LanceDBStore) else "scope == 'video'"
        whole = await store.search("penalty", 3, where=video, client=client)
    assert len(hits) == 5
    assert all("penalty_" in h.source and h.scope == "clip" for h in hits)
    assert hits[0].score > 0.2  # about 0.3 by construction, against about 0.05 unrelated
    assert {h.scope for h in whole} == {"video"}
    assert all("penalty_" in h.source for h in whole[:2])


async def test_resumed_job_replaces_rows_instead_of_adding(
    client: AsyncTwelveLabs, make_store: StoreFactory, tmp_path: Path
) -> None:
    """Run twice with the same journal, the store holds every segment exactly once."""
    journal = tmp_path / "job.jsonl"
    await _job(client, make_store(batch_rows=40), journal).run()
    again = await _job(client, make_store(batch_rows=40), journal).run()
    assert again.resumed == len(URLS)
    async with make_store() as store:
        assert await store.count() == _journal_rows(journal)
        hits = await store.search([1.0] + [0.0] * 511, 10_000)
    keys = [(h.input_index, h.segment_index) for h in hits]
    assert len(keys) == len(set(keys)) == _journal_rows(journal)


async def test_store_closed_mid_job_is_the_jobs_error_and_keeps_its_rows(
    client: AsyncTwelveLabs, make_store: StoreFactory, tmp_path: Path
) -> None:
    """A store closed under a running job fails it; rows written stay, a rerun completes."""
    journal = tmp_path / "job.jsonl"
    store = make_store(batch_rows=20)

    async def close_after_first_write(event: BulkEvent) -> None:
        if event.kind == "done" and store.rows_written and not getattr(store, "_shut", False):
            setattr(store, "_shut", True)  # noqa: B010 - a marker on this test's store
            await store.aclose()

    with pytest.raises(StoreError, match="is closed"):
        await _job(client, store, journal, on_event=close_after_first_write).run()
    written = store.rows_written
    assert written >= 20
    async with make_store() as reopened:
        assert await reopened.count() == written
    await _job(client, make_store(batch_rows=20), journal).run()
    async with make_store() as final:
        assert await final.count() == _journal_rows(journal)


async def test_lancedb_table_failing_under_the_store_is_reported(
    client: AsyncTwelveLabs, tmp_path: Path
) -> None:
    """When LanceDB itself refuses a write, the job raises StoreError naming the rows kept."""
    store = LanceDBStore(tmp_path / "vectors.lance", batch_rows=20)

    def break_table(event: BulkEvent) -> None:
        table = store._table  # the real LanceDB table, closed as a dying disk would leave it
        if event.kind == "done" and store.rows_written and table is not None and table.is_open():
            table.close()

    with pytest.raises(StoreError, match="rows written before stay") as caught:
        await _job(client, store, on_event=break_table).run()
    assert caught.value.__cause__ is not None
    table = lancedb.connect(tmp_path / "vectors.lance").open_table("segments")
    assert table.count_rows() == store.rows_written > 0


async def test_milvus_client_failing_under_the_store_is_reported(
    client: AsyncTwelveLabs, tmp_path: Path
) -> None:
    """When Milvus refuses a write (its connection closed), the job raises StoreError."""
    store = MilvusStore(str(tmp_path / "vectors.db"), batch_rows=20)

    def break_client(event: BulkEvent) -> None:
        milvus = store._client  # the real pymilvus client, closed under the store
        if event.kind == "done" and store.rows_written and milvus is not None:
            milvus.close()
            store._client = milvus

    with pytest.raises(StoreError, match="rows written before stay"):
        await _job(client, store, on_event=break_client).run()
    async with MilvusStore(str(tmp_path / "vectors.db")) as reopened:
        assert await reopened.count() == store.rows_written > 0


_CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from twelvelabs_async import AsyncTwelveLabs
    from twelvelabs_async.bulk import BulkEmbedJob
    from twelvelabs_async.stores import open_store

    async def main() -> None:
        urls = [f"https://cdn.example.com/m/take{i:02d}.mp4" for i in range(40)]
        async with AsyncTwelveLabs() as client:
            store = open_store(sys.argv[1], batch_rows=30)
            await BulkEmbedJob(client, urls, model_name="marengo3.0", output=store,
                               journal=sys.argv[2], concurrency=2, poll_interval=0.05).run()

    asyncio.run(main())
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("address", ["vectors.lance", "milvus://vectors.db"])
async def test_sigkilled_job_resumed_ends_with_every_segment_once(
    tmp_path: Path, address: str
) -> None:
    """A job SIGKILLed while writing to a store, run again, leaves each segment exactly once."""
    journal = tmp_path / "job.jsonl"
    async with FakeTwelveLabsServer(processing_time=0.2) as server:
        env = dict(os.environ)
        env.update(TWELVELABS_API_KEY=server.api_key, TWELVELABS_BASE_URL=server.base_url)

        async def start() -> asyncio.subprocess.Process:
            return await asyncio.create_subprocess_exec(
                sys.executable, "-c", _CHILD, address, str(journal), cwd=tmp_path, env=env,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )  # fmt: skip

        proc = await start()
        for _ in range(1200):  # a guard against hanging, not a speed requirement
            done = journal.read_bytes().count(b'"type":"done"') if journal.exists() else 0
            if done >= 8 or proc.returncode is not None:
                break
            await asyncio.sleep(0.05)
        assert proc.returncode is None, (await proc.communicate())[1].decode()
        proc.send_signal(signal.SIGKILL)
        await proc.communicate()
        proc = await start()
        _, stderr = await proc.communicate()
    assert proc.returncode == 0, stderr.decode()
    expected = _journal_rows(journal)
    if address.endswith(".lance"):
        table = lancedb.connect(tmp_path / address).open_table("segments").to_arrow()
        keys = table.column("row_key").to_pylist()
    else:
        from pymilvus import MilvusClient

        milvus = MilvusClient(str(tmp_path / "vectors.db"))
        try:
            milvus.load_collection("segments")
            rows = milvus.query(
                "segments", filter="", output_fields=["row_key"], limit=16_384,
                consistency_level="Strong",
            )  # fmt: skip
        finally:
            milvus.close()
        keys = [r["row_key"] for r in rows]
    assert len(keys) == len(set(keys)) == expected
    assert expected >= 40 * 5


async def test_vectors_of_another_model_are_refused(
    client: AsyncTwelveLabs, make_store: StoreFactory
) -> None:
    """Rows of another model (same dimension) cannot join a table: StoreError, no row added."""
    import array

    from twelvelabs_async.bulk import BulkItem, Segment

    await _job(client, make_store()).run()
    async with make_store() as store:
        before = await store.count()
    other = make_store(model_name="marengo3.5", api="v1")
    item = BulkItem(0, "x.mp4", "k", "x.mp4", segments=[Segment(array.array("f", [0.1] * 512))])
    await other.add(item)
    with pytest.raises(StoreError, match=r"holds marengo3\.0 vectors, not marengo3\.5"):
        await other.flush()
    await other.abort()
    async with make_store() as store:
        assert await store.count() == before
