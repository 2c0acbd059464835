"""Vector stores: where a bulk job's segments go to be searched.

* :class:`LanceDBStore` (extra ``lancedb``): embedded, a folder on disk; the default.
* :class:`MilvusStore` (extra ``milvus``): Milvus Lite in a local file, or any Milvus
  server or cluster by URI and token.

Both take a bulk job's results as they arrive (``BulkEmbedJob(..., output=store)``), write
them in batches of ``batch_rows`` rows keyed by input and segment index (a resumed job
replaces rows, never duplicates them), and search by text or vector with a filter. The
database packages are imported only when a store is created.
"""

from __future__ import annotations

import os
from pathlib import Path

from ._base import SearchHit, StoreError, VectorStore, embed_query
from ._lancedb import LanceDBStore
from ._milvus import MilvusStore

__all__ = [
    "LanceDBStore",
    "MilvusStore",
    "SearchHit",
    "StoreError",
    "VectorStore",
    "embed_query",
    "is_store_address",
    "open_store",
]

_SCHEMES = ("lancedb://", "milvus://", "milvus+https://")


def is_store_address(address: str | os.PathLike[str]) -> bool:
    """Whether ``address`` names a vector store rather than a file.

    ``lancedb://FOLDER``, a ``*.lance`` folder name, ``milvus://FILE.db`` (Milvus Lite),
    ``milvus://HOST:PORT`` or ``milvus+https://HOST:PORT`` (a server).
    """
    text = os.fspath(address)
    return text.startswith(_SCHEMES) or Path(text).suffix.lower() == ".lance"


def open_store(
    address: str | os.PathLike[str],
    *,
    model_name: str | None = None,
    api: str | None = None,
    batch_rows: int | None = None,
) -> VectorStore:
    """Open the store an address names (see :func:`is_store_address`).

    A Milvus server address takes its token from ``$MILVUS_TOKEN``; build a
    :class:`MilvusStore` yourself to pass it, a database or a collection name.

    Args:
        address: the store's address.
        model_name: the model of the vectors to be written.
        api: their API family.
        batch_rows: rows held in memory before a write (default 1,024).

    Raises:
        InvalidRequestError: the address is not a store address.
    """
    from twelvelabs_async.bulk._rows import DEFAULT_BATCH_ROWS
    from twelvelabs_async.errors import InvalidRequestError

    text = os.fspath(address)
    rows = DEFAULT_BATCH_ROWS if batch_rows is None else batch_rows
    if text.startswith("lancedb://") or (
        not text.startswith(_SCHEMES) and Path(text).suffix.lower() == ".lance"
    ):
        path = text.removeprefix("lancedb://")
        if not path:
            raise InvalidRequestError("lancedb:// needs a folder, e.g. lancedb://vectors")
        return LanceDBStore(path, model_name=model_name, api=api, batch_rows=rows)
    if text.startswith(("milvus://", "milvus+https://")):
        secure = text.startswith("milvus+https://")
        rest = text.split("://", 1)[1]
        if not rest:
            raise InvalidRequestError("milvus:// needs a file (vectors.db) or HOST:PORT")
        # a file is Milvus Lite; anything else is a server's host and port
        uri = rest if rest.endswith(".db") else f"{'https' if secure else 'http'}://{rest}"
        return MilvusStore(uri, model_name=model_name, api=api, batch_rows=rows)
    raise InvalidRequestError(
        f"{text!r} is not a store address: use lancedb://FOLDER, FOLDER.lance,"
        " milvus://FILE.db or milvus://HOST:PORT"
    )
