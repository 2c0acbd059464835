"""Milvus: the same store on a Milvus server, a cluster, Zilliz Cloud or a Milvus Lite file.

Needs the ``milvus`` extra (``pip install 'twelvelabs-async[milvus]'``: ``pymilvus`` and
Milvus Lite). The address decides where the rows go, nothing else changes:

* ``MilvusStore("vectors.db")``: Milvus Lite, a real Milvus engine in a local file (no
  server to run; Linux and macOS);
* ``MilvusStore("http://milvus.internal:19530", token="root:Milvus")``: a server or a
  cluster (``token`` is ``user:password`` or an API key; also read from ``MILVUS_TOKEN``).

Rows are written with ``upsert`` on the ``row_key`` primary key, so a resumed job replaces
the rows it writes again. The collection gets an ``AUTOINDEX`` cosine index when it is
created; it is not flushed on close: Milvus persists every acknowledged write, and a flush
makes Milvus Lite seal and index in this process at once (several times the table's size
in memory). Searches and counts read with ``Strong`` consistency, so they see every write
made before them (an upsert's replaced row included). pymilvus is a blocking client: every
call runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from twelvelabs_async.bulk._rows import DEFAULT_BATCH_ROWS, RowBatch

from ._base import SearchHit, StoreError, VectorStore, hit_from_row

__all__ = ["DEFAULT_COLLECTION", "MilvusStore"]

#: The collection's name.
DEFAULT_COLLECTION = "segments"
_OUTPUT = ["source", "start_sec", "end_sec", "scope", "option", "input_index",
           "segment_index", "task_id", "model_name"]  # fmt: skip
# VARCHAR fields need a maximum length; a source longer than this is cut (the row key,
# not the source, identifies the row).
_MAX_SOURCE = 4096
_MAX_SHORT = 256


def _pymilvus() -> Any:
    try:
        import pymilvus
    except ImportError:
        raise ImportError(
            "the Milvus store needs pymilvus: pip install 'twelvelabs-async[milvus]'"
        ) from None
    return pymilvus


class MilvusStore(VectorStore):
    """Segments in a Milvus collection (created at the first write when missing).

    Args:
        uri: a local ``*.db`` file (Milvus Lite) or ``http(s)://host:port`` of a server
            or cluster.
        token: credentials for a server (``user:password`` or an API key); default
            ``$MILVUS_TOKEN``. Never shown in a repr or a message.
        collection: the collection's name.
        db_name: the database on a server (default: Milvus's ``default``).
        batch_rows: rows held in memory before a write.
        model_name: the model of the vectors written (set by a bulk job).
        api: their API family (set by a bulk job).
    """

    kind = "Milvus"

    def __init__(
        self,
        uri: str | os.PathLike[str],
        *,
        token: str | None = None,
        collection: str = DEFAULT_COLLECTION,
        db_name: str = "",
        batch_rows: int = DEFAULT_BATCH_ROWS,
        model_name: str | None = None,
        api: str | None = None,
    ) -> None:
        _pymilvus()
        self.uri = os.fspath(uri)
        self._token = token if token is not None else os.environ.get("MILVUS_TOKEN", "")
        self.collection = collection
        self._db_name = db_name
        self._client: Any = None
        self._ready = False
        super().__init__(batch_rows=batch_rows, model_name=model_name, api=api)

    @property
    def where(self) -> str:
        """The URI and collection (never the token)."""
        return f"{self.uri} (collection {self.collection!r})"

    def __repr__(self) -> str:
        return f"MilvusStore({self.uri!r}, collection={self.collection!r})"

    async def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        client = await self._connect()
        return await asyncio.to_thread(getattr(client, method), *args, **kwargs)

    async def _connect(self) -> Any:
        if self._client is None:
            cls = _pymilvus().MilvusClient
            kwargs: dict[str, Any] = {"uri": self.uri, "token": self._token}
            if self._db_name:
                kwargs["db_name"] = self._db_name
            self._client = await asyncio.to_thread(cls, **kwargs)
        return self._client

    async def _create(self, dim: int) -> None:
        pm = _pymilvus()
        dt = pm.DataType
        schema = pm.MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("row_key", dt.VARCHAR, is_primary=True, max_length=64)
        schema.add_field("vector", dt.FLOAT_VECTOR, dim=dim)
        schema.add_field("input_index", dt.INT64)
        schema.add_field("segment_index", dt.INT64)
        schema.add_field("start_sec", dt.DOUBLE, nullable=True)
        schema.add_field("end_sec", dt.DOUBLE, nullable=True)
        for name, length in (("source", _MAX_SOURCE), ("task_id", _MAX_SHORT),
                             ("model_name", _MAX_SHORT), ("api", _MAX_SHORT),
                             ("scope", _MAX_SHORT), ("option", _MAX_SHORT)):  # fmt: skip
            schema.add_field(name, dt.VARCHAR, max_length=length)
        client = await self._connect()
        index = client.prepare_index_params()
        index.add_index("vector", index_type="AUTOINDEX", metric_type="COSINE")
        await self._call("create_collection", self.collection, schema=schema, index_params=index)

    async def _ensure(self, dim: int) -> None:
        if self._ready:
            return
        if not await self._call("has_collection", self.collection):
            await self._create(dim)
        else:
            info = await self._call("describe_collection", self.collection)
            for field in info.get("fields", ()):
                stored = field.get("params", {}).get("dim")
                if field.get("name") == "vector" and stored is not None and int(stored) != dim:
                    raise StoreError(
                        f"the collection at {self.where} holds {stored}-dimensional vectors,"
                        f" not {dim}: write vectors of another model or dimension elsewhere"
                    )
            await self._check_model()
        self._ready = True

    async def _write(self, batch: RowBatch) -> None:
        dim = batch.dim or 0
        await self._ensure(dim)
        model, api = self.model_name or "", self.api or ""
        vectors = memoryview(batch.vectors)
        rows = [
            {
                "row_key": key,
                "vector": vectors[n * dim : (n + 1) * dim].tolist(),
                "input_index": batch.input_index[n],
                "segment_index": batch.segment_index[n],
                "start_sec": batch.start_sec[n],
                "end_sec": batch.end_sec[n],
                "source": batch.source[n][:_MAX_SOURCE],
                "task_id": batch.task_id[n][:_MAX_SHORT],
                "model_name": model,
                "api": api,
                "scope": batch.scope[n][:_MAX_SHORT],
                "option": batch.option[n][:_MAX_SHORT],
            }
            for n, key in enumerate(batch.keys())
        ]
        await self._call("upsert", self.collection, rows)

    async def _close(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await asyncio.to_thread(client.close)

    async def _loaded(self) -> None:
        if not await self._call("has_collection", self.collection):
            raise StoreError(f"no collection {self.collection!r} at {self.uri}: nothing written")
        await self._call("load_collection", self.collection)

    async def _vector_search(
        self, vector: list[float], top_k: int, where: str | None
    ) -> list[SearchHit]:
        await self._loaded()
        result = await self._call(
            "search", self.collection, [vector], limit=top_k, filter=where or "",
            output_fields=_OUTPUT, search_params={"metric_type": "COSINE"},
            consistency_level="Strong",
        )  # fmt: skip
        return [hit_from_row(hit["entity"], float(hit["distance"])) for hit in result[0]]

    async def _read_model(self) -> tuple[str, str]:
        await self._loaded()
        rows = await self._call(
            "query", self.collection, filter="", output_fields=["model_name", "api"], limit=1
        )
        if not rows or not rows[0].get("model_name"):
            raise StoreError(f"the collection at {self.where} does not name its model")
        return str(rows[0]["model_name"]), str(rows[0].get("api") or "v1")

    async def count(self, where: str | None = None) -> int:
        """Rows in the collection (matching the Milvus filter ``where``)."""
        await self._loaded()
        rows = await self._call(
            "query", self.collection, filter=where or "", output_fields=["count(*)"],
            consistency_level="Strong",
        )  # fmt: skip
        return int(rows[0]["count(*)"])
