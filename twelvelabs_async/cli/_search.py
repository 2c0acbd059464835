"""``python -m twelvelabs_async search``: rank the segments of an ``.npz`` index by a text query."""

from __future__ import annotations

import argparse
import math
import os
from typing import Any

from twelvelabs_async.bulk._calls import extract_segments

from ._common import EXIT_OK, UsageError, open_client
from ._embed import add_connection_args

__all__ = ["Index", "add_search_parser", "embed_text", "load_index", "rank", "run_search"]


def add_search_parser(sub: Any) -> None:
    """Add the ``search`` subcommand to ``sub`` (an argparse subparsers object)."""
    p = sub.add_parser(
        "search",
        help="find the segments of an .npz index closest to a text",
        description=(
            "Embed QUERY with the index's model (v1 /embed, or /embed-v2 for a v2 index)"
            " and print the segments with the highest cosine similarity."
        ),
    )
    p.add_argument("query", help="the text to look for")
    p.add_argument(
        "--index",
        required=True,
        help="an .npz written by embed, or a store: a .lance folder, lancedb://FOLDER,"
        " milvus://FILE.db or milvus://HOST:PORT",
    )
    p.add_argument("--top", type=int, default=5, help="how many segments to print (default 5)")
    p.add_argument("--option", help="only segments of this embedding option (e.g. visual)")
    p.add_argument("--model", help="model of the query (default: the index's model)")
    p.add_argument(
        "--where",
        help="a store's filter, e.g. \"scope = 'clip'\" (LanceDB SQL; Milvus: scope == 'clip')",
    )
    add_connection_args(p)


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:
        raise UsageError("search needs NumPy: pip install 'twelvelabs-async[numpy]'") from None
    return numpy


class Index:
    """The arrays of an ``.npz`` index (see :mod:`twelvelabs_async.bulk._writers`)."""

    def __init__(self, arrays: dict[str, Any]) -> None:
        self.vectors = arrays["vectors"]
        self.start = arrays["start_sec"]
        self.end = arrays["end_sec"]
        self.option = arrays["option"]
        self.scope = arrays["scope"]
        self.source = arrays["source"]
        self.model_name = str(arrays["model_name"]) if "model_name" in arrays else None
        self.api = str(arrays["api"]) if "api" in arrays else "v1"


def load_index(path: str) -> Index:
    """Load an index written by ``embed --out X.npz``.

    Raises:
        UsageError: the file is missing, not an ``.npz``, or lacks the expected arrays.
    """
    np = _numpy()
    if not os.path.isfile(path):
        raise UsageError(f"index {path!r} does not exist; write one with the embed subcommand")
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        return Index(arrays)
    except (OSError, ValueError) as exc:
        raise UsageError(f"index {path!r} is not a readable .npz file: {exc}") from None
    except KeyError as exc:
        raise UsageError(
            f"index {path!r} lacks the array {exc}; was it written by embed?"
        ) from None


def rank(index: Index, query: Any, top: int, option: str | None = None) -> list[tuple[int, float]]:
    """Return ``(row, cosine similarity)`` of the ``top`` best rows, best first."""
    np = _numpy()
    vectors = index.vectors.astype(np.float32, copy=False)
    if vectors.shape[0] == 0:
        return []
    q = np.asarray(query, dtype=np.float32)
    if vectors.shape[1] != q.shape[0]:
        raise UsageError(
            f"the index holds {vectors.shape[1]}-dimensional vectors but the query embedding has"
            f" {q.shape[0]}: embed the query with the index's model (--model)"
        )
    norms = np.linalg.norm(vectors, axis=1) * (np.linalg.norm(q) or 1.0)
    scores = (vectors @ q) / np.where(norms == 0, 1.0, norms)
    rows = np.arange(len(scores))
    if option is not None:
        keep = index.option == option
        rows, scores = rows[keep], scores[keep]
    order = np.argsort(-scores, kind="stable")[:top]
    return [(int(rows[i]), float(scores[i])) for i in order]


async def embed_text(client: Any, text: str, *, model_name: str, api: str) -> list[float]:
    """Embed one text with the synchronous endpoint of ``api`` (v1 ``/embed`` or ``/embed-v2``)."""
    if api == "v1":
        response = await client.embed.create(model_name=model_name, text=text)
    else:
        response = await client.embed.v2.create(
            input_type="text", model_name=model_name, text={"input_text": text}
        )
    segments = extract_segments(response, f"text:{text[:40]}")
    return list(segments[0].vector)


def _when(start: float, end: float) -> str:
    if math.isnan(start) and math.isnan(end):
        return "-"
    return f"{start:7.2f}-{end:.2f}s"


async def run_search(args: argparse.Namespace) -> int:
    """Run the ``search`` subcommand; return the exit code."""
    if args.top < 1:
        raise UsageError("--top must be at least 1")
    from twelvelabs_async.stores import is_store_address

    if is_store_address(args.index):
        from ._store_search import run_store_search

        return await run_store_search(args)
    if args.where:
        raise UsageError("--where filters a store (a .lance folder or milvus://); not an .npz")
    index = load_index(args.index)
    model = args.model or index.model_name
    if not model:
        raise UsageError(f"index {args.index!r} does not name its model: pass --model")
    async with open_client(fake=args.fake, base_url=args.base_url) as client:
        query = await embed_text(client, args.query, model_name=model, api=index.api)
    results = rank(index, query, args.top, args.option)
    print(f"Top {len(results)} of {len(index.vectors)} segments for {args.query!r} ({model}):")
    for n, (row, score) in enumerate(results, 1):
        source = os.path.basename(str(index.source[row])) or str(index.source[row])
        option = f"{index.option[row]}/{index.scope[row]}".strip("/")
        when = _when(index.start[row], index.end[row])
        print(f"{n:>3}. {score:+.4f}  {source:<32} {when:<16} {option}")
    return EXIT_OK
