"""``search --index vectors.lance``: search a vector store instead of an ``.npz``."""

from __future__ import annotations

import argparse
import os

from twelvelabs_async.errors import InvalidRequestError
from twelvelabs_async.stores import SearchHit, StoreError, VectorStore, open_store

from ._common import EXIT_OK, UsageError, open_client

__all__ = ["print_hits", "run_store_search"]


def _when(hit: SearchHit) -> str:
    if hit.start_sec is None and hit.end_sec is None:
        return "-"
    return f"{hit.start_sec or 0.0:7.2f}-{hit.end_sec or 0.0:.2f}s"


def print_hits(hits: list[SearchHit]) -> None:
    """Print search hits, best first, one a line."""
    for n, hit in enumerate(hits, 1):
        source = os.path.basename(hit.source) or hit.source
        option = f"{hit.option}/{hit.scope}".strip("/")
        print(f"{n:>3}. {hit.score:+.4f}  {source:<32} {_when(hit):<16} {option}")


def _lance_folder(address: str) -> str | None:
    """The folder of a LanceDB address (``None`` for Milvus); it must exist to be searched."""
    if address.startswith("lancedb://"):
        path = address.removeprefix("lancedb://")
    elif address.lower().endswith(".lance"):
        path = address
    else:
        return None
    if not os.path.isdir(path):
        raise UsageError(f"store {address!r} does not exist; write one with embed --out {address}")
    return path


async def run_store_search(args: argparse.Namespace) -> int:
    """Embed the query with the store's model and print its closest rows."""
    path = _lance_folder(args.index)
    where = args.where
    if args.option:
        quoted = args.option.replace("'", "''")
        clause = f"option = '{quoted}'" if path is not None else f"option == '{quoted}'"
        where = f"({where}) and {clause}" if where else clause
    store: VectorStore = open_store(args.index)
    try:
        async with open_client(fake=args.fake, base_url=args.base_url) as client:
            if args.model:
                store.model_name, store.api = args.model, store.api or "v1"
            hits = await store.search(args.query, args.top, where=where, client=client)
            total = await store.count()
    except (StoreError, InvalidRequestError) as exc:
        raise UsageError(str(exc)) from None
    finally:
        await store.aclose()
    model = hits[0].model_name if hits else args.model or "?"
    print(f"Top {len(hits)} of {total} segments for {args.query!r} ({model}):")
    print_hits(hits)
    return EXIT_OK
