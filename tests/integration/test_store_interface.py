"""The store interface: addresses, argument checks, batching and what a failure keeps."""

from __future__ import annotations

import array
import asyncio
from pathlib import Path
from typing import Any

import pytest

from twelvelabs_async.bulk import BulkItem, Segment
from twelvelabs_async.bulk._rows import RowBatch
from twelvelabs_async.bulk._writers import open_output
from twelvelabs_async.errors import InvalidRequestError, TwelveLabsError
from twelvelabs_async.stores import (
    LanceDBStore,
    MilvusStore,
    SearchHit,
    StoreError,
    VectorStore,
    embed_query,
    is_store_address,
    open_store,
)

pytest.importorskip("lancedb")
pytest.importorskip("pymilvus")


def _item(index: int, n: int = 3, dim: int = 4) -> BulkItem:
    segments = [Segment(array.array("f", [float(index)] * dim), k * 6.0, k * 6.0 + 6, "visual",
                        "clip") for k in range(n)]  # fmt: skip
    return BulkItem(index, f"v{index}.mp4", f"k{index}", f"v{index}.mp4", task_id=f"t{index}",
                    segments=segments)  # fmt: skip


class MemoryStore(VectorStore):
    """A store keeping rows in a dict, to watch the base class's batching."""

    kind = "memory"

    def __init__(self, *, delay: float = 0.0, fail_on: int | None = None, **kw: Any) -> None:
        self.rows: dict[str, int] = {}
        self.batches: list[int] = []
        self.delay = delay
        self.fail_on = fail_on
        super().__init__(**kw)

    @property
    def where(self) -> str:
        return "memory"

    async def _write(self, batch: RowBatch) -> None:
        if self.fail_on is not None and len(self.batches) == self.fail_on:
            raise OSError(28, "No space left on device")
        await asyncio.sleep(self.delay)
        self.batches.append(len(batch))
        for key, index in zip(batch.keys(), batch.input_index, strict=True):
            self.rows[key] = index

    async def _close(self) -> None:
        pass

    async def _vector_search(
        self, vector: list[float], top_k: int, where: str | None
    ) -> list[SearchHit]:
        return []

    async def _read_model(self) -> tuple[str, str]:
        return "marengo3.0", "v1"

    async def count(self, where: str | None = None) -> int:
        return len(self.rows)


@pytest.mark.parametrize(
    ("address", "kind", "where"),
    [
        ("lancedb://vectors", LanceDBStore, "vectors"),
        ("out/vectors.lance", LanceDBStore, "out/vectors.lance"),
        ("milvus://vectors.db", MilvusStore, "vectors.db"),
        ("milvus://milvus.internal:19530", MilvusStore, "http://milvus.internal:19530"),
        (
            "milvus+https://in01.zillizcloud.com:443",
            MilvusStore,
            "https://in01.zillizcloud.com:443",
        ),
    ],
)
def test_addresses_open_the_store_they_name(address: str, kind: type, where: str) -> None:
    """Each documented address form opens its store at the place it names."""
    assert is_store_address(address)
    store = open_store(address, model_name="marengo3.0", api="v1")
    assert isinstance(store, kind)
    assert store.where.startswith(where)
    assert store.model_name == "marengo3.0"


@pytest.mark.parametrize("address", ["lancedb://", "milvus://", "out.npz"])
def test_bad_store_addresses_are_clear_errors(address: str) -> None:
    """An address without a place, or a file name, is refused by open_store."""
    with pytest.raises(InvalidRequestError, match=r"(lancedb|milvus)://"):
        open_store(address)


def test_file_names_stay_files() -> None:
    """Output file names are not mistaken for stores."""
    assert not any(is_store_address(p) for p in ("a.npz", "a.parquet", "a.jsonl", "lance.txt"))


def test_milvus_token_never_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Milvus token, given or read from MILVUS_TOKEN, is in no repr or address."""
    monkeypatch.setenv("MILVUS_TOKEN", "root:s3cret-env")
    from_env = MilvusStore("http://milvus:19530")
    given = MilvusStore("http://milvus:19530", token="root:s3cret-arg")
    for store in (from_env, given):
        assert "s3cret" not in repr(store)
        assert "s3cret" not in store.where
    assert from_env._token == "root:s3cret-env"


def test_store_error_is_in_the_error_tree() -> None:
    """StoreError is a TwelveLabsError, so one except clause catches every SDK failure."""
    assert issubclass(StoreError, TwelveLabsError)


@pytest.mark.parametrize("rows", [0, -1, True, 1.5])
def test_batch_rows_must_be_positive(rows: Any) -> None:
    """A batch size that is not a positive integer is refused at construction."""
    with pytest.raises(InvalidRequestError, match="batch_rows"):
        MemoryStore(batch_rows=rows)


async def test_search_arguments_are_checked_before_any_work() -> None:
    """top_k must be positive and a text needs a client, said before anything is embedded."""
    store = MemoryStore()
    with pytest.raises(InvalidRequestError, match="top_k"):
        await store.search([1.0], 0)
    with pytest.raises(InvalidRequestError, match="client="):
        await store.search("a goal", 5)


async def test_rows_are_written_in_batches_bounded_by_batch_rows() -> None:
    """No write holds more than batch_rows plus one input's rows; every row arrives once."""
    store = MemoryStore(batch_rows=10)
    for i in range(20):
        await store.add(_item(i))
    await store.close()
    assert max(store.batches) <= 10 + 3 - 1
    assert sum(store.batches) == len(store.rows) == 60


async def test_rows_arriving_during_a_write_go_to_the_next_batch() -> None:
    """Many tasks adding at once while a write is slow: no row is written twice or dropped."""
    store = MemoryStore(batch_rows=7, delay=0.01)
    await asyncio.gather(*(store.add(_item(i)) for i in range(50)))
    await store.close()
    assert sum(store.batches) == len(store.rows) == 150
    assert max(store.batches) <= 7 + 3 * 50  # bounded by the writers waiting, never the job


async def test_a_failed_write_keeps_earlier_batches_and_stops_later_ones() -> None:
    """A write that fails (disk full) is a StoreError; batches before it stay, later adds fail."""
    store = MemoryStore(batch_rows=3, fail_on=2)
    await store.add(_item(0))
    await store.add(_item(1))
    with pytest.raises(StoreError, match="No space left") as caught:
        await store.add(_item(2))
    assert isinstance(caught.value.__cause__, OSError)
    assert "6 rows written before stay" in str(caught.value)
    with pytest.raises(StoreError, match="failed earlier"):
        await store.add(_item(3))
    await store.abort()  # never raises: the job reports the first error
    assert len(store.rows) == 6


async def test_abort_writes_the_rows_already_buffered() -> None:
    """An interrupted job's finished inputs are written by abort, not dropped."""
    store = MemoryStore(batch_rows=100)
    await store.add(_item(0))
    await store.abort()
    assert len(store.rows) == 3
    with pytest.raises(StoreError, match="closed"):
        await store.add(_item(1))


def test_a_store_given_to_a_job_learns_its_model() -> None:
    """A store object passed as output= gets the job's model and API for text searches."""
    store = MemoryStore()
    assert open_output(store, {"model_name": "marengo3.0", "api": "v2"}) is store
    assert (store.model_name, store.api) == ("marengo3.0", "v2")


class _Recorder:
    """A client stand-in whose embed calls record their arguments."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.embed = self
        self.v2 = _V2(self.calls)

    async def create(self, **kw: Any) -> Any:
        self.calls.append(("v1", kw))
        seg = type("S", (), {"float_": [0.5, 0.5]})()
        part = type("P", (), {"segments": [seg], "error_message": None})()
        return type("R", (), {"text_embedding": part})()


class _V2:
    def __init__(self, calls: list[tuple[str, dict[str, Any]]]) -> None:
        self.calls = calls

    async def create(self, **kw: Any) -> Any:
        self.calls.append(("v2", kw))
        return type("R", (), {"data": [type("D", (), {"embedding": [1.0, 0.0]})()]})()


async def test_query_text_is_embedded_by_the_stored_vectors_api() -> None:
    """v1 stores embed a query through embed.create(text=), v2 ones through embed.v2 text."""
    client = _Recorder()
    assert await embed_query(client, "goal", model_name="marengo3.0", api="v1") == [0.5, 0.5]
    assert await embed_query(client, "goal", model_name="marengo3.0", api="v2") == [1.0, 0.0]
    assert client.calls == [
        ("v1", {"model_name": "marengo3.0", "text": "goal"}),
        ("v2", {"input_type": "text", "model_name": "marengo3.0",
                "text": {"input_text": "goal"}}),
    ]  # fmt: skip


def test_lancedb_store_is_a_folder(tmp_path: Path) -> None:
    """Creating a LanceDB store touches nothing on disk until the first write."""
    LanceDBStore(tmp_path / "v.lance")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("out", "journal"),
    [
        ("out.npz", "out.npz.journal.jsonl"),
        ("vectors.lance", "vectors.lance.journal.jsonl"),
        ("lancedb:///data/vectors", "/data/vectors.journal.jsonl"),
        ("milvus://vectors.db", "vectors.db.journal.jsonl"),
        ("milvus://milvus.internal:19530", "milvus.internal_19530.journal.jsonl"),
    ],
)
def test_embed_journal_sits_beside_its_output(out: str, journal: str) -> None:
    """The embed command's default journal is a plain file path for every kind of --out."""
    from twelvelabs_async.cli._embed import default_journal

    assert default_journal(out) == journal


def test_importing_the_stores_loads_no_database() -> None:
    """import twelvelabs_async (and .stores, .bulk) loads neither LanceDB, pymilvus nor pyarrow."""
    import subprocess
    import sys

    code = (
        "import sys, twelvelabs_async, twelvelabs_async.bulk, twelvelabs_async.stores\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'lancedb', 'pymilvus',"
        " 'milvus_lite', 'pyarrow', 'numpy'}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
