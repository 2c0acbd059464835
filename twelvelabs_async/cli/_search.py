"""``python -m twelvelabs_async search``: rank the segments of an index by a text query.

An index is any file ``embed --out`` writes; :data:`FORMATS` maps each file extension to
the one function that reads it into an :class:`Index`.
"""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Callable, Mapping
from typing import Any

from twelvelabs_async.bulk._calls import extract_segments

from ._common import EXIT_OK, DefaultsHelpFormatter, UsageError, open_client
from ._embed import add_connection_args

__all__ = [
    "FORMATS",
    "Index",
    "add_search_parser",
    "embed_text",
    "load_index",
    "rank",
    "run_search",
]


def add_search_parser(sub: Any) -> None:
    """Add the ``search`` subcommand to ``sub`` (an argparse subparsers object)."""
    p = sub.add_parser(
        "search",
        help="find the segments of an index (.npz, .jsonl, .parquet) closest to a text",
        description=(
            "Embed QUERY with the index's model (v1 /embed, or /embed-v2 for a v2 index)"
            " and print the segments with the highest cosine similarity."
        ),
        formatter_class=DefaultsHelpFormatter,
    )
    p.add_argument("query", help="the text to look for")
    p.add_argument(
        "--index",
        required=True,
        help="a .npz, .jsonl or .parquet written by embed --out, or a store: a .lance folder,"
        " lancedb://FOLDER, milvus://FILE.db or milvus://HOST:PORT",
    )
    p.add_argument("--top", type=int, default=5, help="how many segments to print")
    p.add_argument(
        "--option", help="only segments of this embedding option, e.g. visual (default: all)"
    )
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
    """The rows of an index as arrays, whatever file they came from.

    Attributes (NumPy arrays, one row per segment): ``vectors`` ``(n, d)``, ``start``,
    ``end`` (NaN when the segment has no time), ``option``, ``scope``, ``source``; and
    ``model_name`` and ``api`` of the job that wrote it.
    """

    def __init__(self, arrays: Mapping[str, Any]) -> None:
        self.vectors = arrays["vectors"]
        self.start = arrays["start_sec"]
        self.end = arrays["end_sec"]
        self.option = arrays["option"]
        self.scope = arrays["scope"]
        self.source = arrays["source"]
        model = arrays.get("model_name")
        self.model_name = str(model) if model is not None and str(model) else None
        api = arrays.get("api")
        self.api = str(api) if api is not None and str(api) else "v1"


def _read_npz(path: str) -> Index:
    np = _numpy()
    with np.load(path, allow_pickle=False) as data:
        return Index({name: data[name] for name in data.files})


def _columns(rows: list[Mapping[str, Any]], vectors: Any, meta: Mapping[str, Any]) -> Index:
    """An :class:`Index` from row dicts (the ``.jsonl`` and Parquet column names)."""
    np = _numpy()

    def times(name: str) -> Any:
        return np.array(
            [np.nan if r.get(name) is None else r[name] for r in rows], dtype=np.float64
        )

    def text(name: str) -> Any:
        return np.array([r.get(name) or "" for r in rows], dtype=str)

    return Index(
        {
            "vectors": vectors,
            "start_sec": times("start_sec"),
            "end_sec": times("end_sec"),
            "option": text("option"),
            "scope": text("scope"),
            "source": text("source"),
            **meta,
        }
    )


def _read_jsonl(path: str) -> Index:
    import orjson

    np = _numpy()
    rows: list[Mapping[str, Any]] = []
    vectors: list[Any] = []
    with open(path, "rb") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = orjson.loads(line)
                vectors.append(np.asarray(row.pop("embedding"), dtype=np.float32))
            except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError):
                raise UsageError(
                    f"index {path!r} line {lineno} is not a row written by embed"
                ) from None
            rows.append(row)
    meta = {k: rows[0][k] for k in ("model_name", "api") if rows and k in rows[0]}
    matrix = np.stack(vectors) if vectors else np.zeros((0, 0), dtype=np.float32)
    return _columns(rows, matrix, meta)


def _read_parquet(path: str) -> Index:
    np = _numpy()
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise UsageError(
            "searching a .parquet index needs pyarrow: pip install 'twelvelabs-async[parquet]'"
        ) from None
    table = pq.read_table(path)
    meta = {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()}
    column = table.column("embedding").combine_chunks()
    dim = column.type.list_size if hasattr(column.type, "list_size") else 0
    flat = column.flatten().to_numpy(zero_copy_only=False).astype(np.float32)
    matrix = flat.reshape(len(table), dim) if len(table) else np.zeros((0, dim), np.float32)
    rows = table.drop_columns(["embedding"]).to_pylist()
    return _columns(rows, matrix, {k: meta[k] for k in ("model_name", "api") if k in meta})


#: How to read each format ``embed --out`` writes: one function per file extension.
FORMATS: dict[str, Callable[[str], Index]] = {
    ".npz": _read_npz,
    ".jsonl": _read_jsonl,
    ".ndjson": _read_jsonl,
    ".parquet": _read_parquet,
}


def load_index(path: str) -> Index:
    """Load an index written by ``embed --out`` (``.npz``, ``.jsonl`` or ``.parquet``).

    Raises:
        UsageError: the file is missing, of another format, or not written by ``embed``.
    """
    reader = FORMATS.get(os.path.splitext(path)[1].lower())
    if reader is None:
        raise UsageError(
            f"cannot search {path!r}: an index is a file written by embed --out, ending in"
            f" {', '.join(FORMATS)}"
        )
    if not os.path.isfile(path):
        raise UsageError(f"index {path!r} does not exist; write one with the embed subcommand")
    try:
        return reader(path)
    except UsageError:
        raise
    except KeyError as exc:
        raise UsageError(
            f"index {path!r} lacks the array {exc}; was it written by embed?"
        ) from None
    except Exception as exc:  # each reader's library has its own errors for a damaged file
        raise UsageError(
            f"index {path!r} cannot be read as {os.path.splitext(path)[1]} written by embed: {exc}"
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
        raise UsageError(
            "--where filters a store (a .lance folder or milvus://), not an index file"
        )
    index = load_index(args.index)
    if len(index.vectors) == 0:
        raise UsageError(
            f"index {args.index!r} holds no segments: no input of the embed job that wrote it"
            " succeeded (see that job's summary); nothing to search"
        )
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
