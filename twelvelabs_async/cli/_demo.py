"""``python -m twelvelabs_async demo``: samples, a bulk job, its summary and a search.

Without ``TWELVELABS_API_KEY`` everything runs against the fake server started in this
process (free, offline); with it, the real API embeds the sample tones (the placeholder
videos are left out: the real API would reject them as undecodable).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from twelvelabs_async._samples import make_samples
from twelvelabs_async.bulk import BulkEmbedJob

from ._common import EXIT_OK, EXIT_SOME_FAILED, DefaultsHelpFormatter, open_client
from ._embed import print_summary
from ._progress import make_progress
from ._search import embed_text, load_index, rank

__all__ = ["FAKE_NOTE", "add_demo_parser", "run_demo"]

#: Said wherever the demo shows search results from the fake server.
FAKE_NOTE = (
    "Note: the fake server's vectors are deterministic, not semantic. A text is close to the"
    " media whose file name shares one of its words (goal.mp4 has the label 'goal'), by"
    " construction; the scores say nothing about a real model."
)


def _demo_store(out: Path) -> Any:
    """A LanceDB table in ``out`` when lancedb is installed (``make demo`` installs it)."""
    try:
        from twelvelabs_async.stores import LanceDBStore

        return LanceDBStore(out / "vectors.lance")
    except ImportError:
        return None


async def _search_store(path: Path, query: str, client: Any) -> None:
    from twelvelabs_async.stores import LanceDBStore

    from ._store_search import print_hits

    async with LanceDBStore(path) as store:
        hits = await store.search(query, 5, where="scope = 'clip'", client=client)
        total = await store.count()
    print(f"\nSearch {query!r} over the clips in the LanceDB table {path} ({total} segments):")
    print_hits(hits)


def add_demo_parser(sub: Any) -> None:
    """Add the ``demo`` subcommand to ``sub`` (an argparse subparsers object)."""
    p = sub.add_parser(
        "demo",
        help="embed generated samples and search them (fake server unless a key is set)",
        description=__doc__,
        formatter_class=DefaultsHelpFormatter,
    )
    p.add_argument("--out", default="demo-out", help="output folder")
    p.add_argument("--query", default="goal", help="the search text")
    p.add_argument("--model", default="marengo3.0", help="model name")
    p.add_argument(
        "--progress", choices=("auto", "bar", "plain", "none"), default="plain", help="display"
    )
    p.add_argument(
        "--samples",
        metavar="DIR",
        help="only write the sample media (4 placeholder videos, 2 real tones) into DIR and"
        " exit: files for the README's snippets",
    )


async def run_demo(args: argparse.Namespace) -> int:
    """Run the demo; return the exit code of its bulk job."""
    if args.samples is not None:
        written = make_samples(args.samples)
        print(f"Wrote {len(written)} sample files to {args.samples}:")
        for path in written:
            print(f"  {path}")
        print(
            "The .mp4 files are placeholders only the fake server accepts (--fake);"
            " the .wav tones are real audio."
        )
        return EXIT_OK
    fake = not os.environ.get("TWELVELABS_API_KEY")
    out = Path(args.out)
    samples = make_samples(out / "samples", videos=fake)
    index_path, journal = out / "embeddings.npz", out / "job.jsonl"
    store = _demo_store(out)
    if fake:
        # A fake server forgets its tasks when it stops: a journal of an earlier demo run
        # names tasks this one cannot fetch, so every fake demo starts afresh.
        journal.unlink(missing_ok=True)
        print("Using the built-in fake server (set TWELVELABS_API_KEY to use the real API).")
    else:
        print("Using the Twelve Labs API (TWELVELABS_API_KEY is set).")
    print(f"Embedding {len(samples)} sample files from {out / 'samples'} ...")
    progress = make_progress(args.progress, len(samples))
    async with open_client(fake=fake, base_url=None) as client:
        job = BulkEmbedJob(
            client, samples, model_name=args.model, api="v1", concurrency=4, journal=journal,
            output=index_path if store is None else store, poll_interval=0.2 if fake else 5.0,
            on_event=progress,
            reconcile_delay=0.2 if fake else 1.0,
        )  # fmt: skip
        try:
            summary = await job.run()
        finally:
            progress.close()
        print_summary(summary, str(index_path if store is None else store.path), str(journal))
        sync = summary.succeeded + summary.failed - summary.created - summary.recovered
        print(
            f"{len(samples)} inputs gave {summary.created + summary.recovered} tasks: each video"
            f" is a v1 embedding task, the {max(sync, 0)} audio files are embedded at once by"
            " the synchronous /embed call (no task)."
        )
        if not summary.succeeded:
            return EXIT_SOME_FAILED
        if fake:
            print(f"\n{FAKE_NOTE}")
        if store is not None:
            await _search_store(store.path, args.query, client)
            return EXIT_SOME_FAILED if summary.failed else EXIT_OK
        index = load_index(str(index_path))
        query = await embed_text(client, args.query, model_name=args.model, api="v1")
    print(f"\nSearch {args.query!r}: the closest segments by cosine similarity")
    for n, (row, score) in enumerate(rank(index, query, 5), 1):
        name = os.path.basename(str(index.source[row]))
        start, end = float(index.start[row]), float(index.end[row])
        when = "-" if start != start else f"{start:.1f}-{end:.1f}s"
        print(f"{n:>3}. {score:+.4f}  {name:<14} {when:<12} {index.option[row]}/{index.scope[row]}")
    return EXIT_SOME_FAILED if summary.failed else EXIT_OK
