"""``python -m twelvelabs_async embed``: embed files, directories and URLs into one output."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from twelvelabs_async.bulk import BulkEmbedJob, BulkSummary
from twelvelabs_async.bulk._inputs import MEDIA_EXTENSIONS
from twelvelabs_async.errors import AuthenticationError, PermissionDeniedError

from ._common import EXIT_ABORTED, EXIT_OK, EXIT_SOME_FAILED, UsageError, open_client
from ._progress import make_progress

__all__ = ["add_embed_parser", "expand_inputs", "run_embed"]


def add_embed_parser(sub: Any) -> None:
    """Add the ``embed`` subcommand to ``sub`` (an argparse subparsers object)."""
    p = sub.add_parser(
        "embed",
        help="embed many media files or URLs (concurrent, resumable)",
        description=(
            "Embed media files, directories (walked for media files) and URLs. Results go"
            " to --out; the journal makes the job resumable: after a crash or Ctrl-C, run"
            " the same command again and nothing is created twice."
        ),
    )
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="file, directory or http(s) URL")
    p.add_argument("--from-file", metavar="FILE", help="read more inputs from FILE, one a line")
    p.add_argument("--model", default="marengo3.0", help="model name (default marengo3.0)")
    p.add_argument(
        "--api",
        choices=("v1", "v2", "v2-sync"),
        default="v1",
        help="v1: video tasks with uploads (default); v2: v2 tasks (files sent as base64);"
        " v2-sync: /embed-v2 for short media",
    )
    p.add_argument(
        "--out",
        default="embeddings.npz",
        help=".npz, .jsonl, .parquet, or a store: X.lance, lancedb://X, milvus://X.db,"
        " milvus://HOST:PORT",
    )
    p.add_argument("--journal", help="journal file (default: OUT.journal.jsonl)")
    p.add_argument("--no-journal", action="store_true", help="run without a journal")
    p.add_argument("--concurrency", type=int, default=8, help="uploads at once (default 8)")
    p.add_argument("--wait-concurrency", type=int, help="tasks polled at once (4x concurrency)")
    p.add_argument("--poll-interval", type=float, help="seconds between status reads")
    p.add_argument("--task-timeout", type=float, help="give up on one task after N seconds")
    p.add_argument("--clip-length", type=int, help="segment length in seconds (2-10)")
    p.add_argument(
        "--scope",
        action="append",
        help="embedding scope, repeatable (v1: clip, video; v2: clip, asset)",
    )
    p.add_argument(
        "--option",
        action="append",
        help="embedding option, repeatable (visual, audio, transcription)",
    )
    p.add_argument("--retry-failed", action="store_true", help="retry inputs that failed before")
    p.add_argument(
        "--progress", choices=("auto", "bar", "plain", "none"), default="auto", help="display"
    )
    add_connection_args(p)


def add_connection_args(p: argparse.ArgumentParser) -> None:
    """Add ``--fake`` and ``--base-url``."""
    p.add_argument("--fake", action="store_true", help="use a fake server started in-process")
    p.add_argument("--base-url", help="API base URL (default $TWELVELABS_BASE_URL or the API)")


def expand_inputs(values: Sequence[str], from_file: str | None) -> list[str]:
    """Turn command-line inputs into a list: directories become their media files, sorted.

    Raises:
        UsageError: no input at all, or the --from-file list cannot be read.
    """
    raw = list(values)
    if from_file:
        try:
            text = Path(from_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot read --from-file {from_file!r}: {exc.strerror}") from None
        raw += [
            line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
        ]
    out: list[str] = []
    for value in raw:
        if not value.startswith(("http://", "https://")) and os.path.isdir(value):
            found = sorted(
                str(p) for p in Path(value).rglob("*")
                if p.is_file() and p.suffix.lower() in MEDIA_EXTENSIONS
            )  # fmt: skip
            if not found:
                print(f"note: directory {value} holds no media files", file=sys.stderr)
            out.extend(found)
        else:
            out.append(value)
    if not out:
        raise UsageError("nothing to embed: give files, directories or URLs (or --from-file)")
    return out


def _options(args: argparse.Namespace) -> dict[str, Any]:
    opts: dict[str, Any] = {}
    if args.api == "v1":
        if args.clip_length is not None:
            opts["video_clip_length"] = args.clip_length
        if args.scope:
            opts["video_embedding_scope"] = args.scope
    else:
        if args.clip_length is not None:
            opts["segmentation"] = {
                "strategy": "fixed",
                "fixed": {"duration_sec": args.clip_length},
            }
        if args.scope:
            opts["embedding_scope"] = args.scope
    return opts


def default_journal(out: str) -> str:
    """The journal beside ``--out``: ``X.journal.jsonl`` for a file, a folder or a local store.

    A store on a server (``milvus://HOST:PORT``) gets a journal named after it in the
    current directory.
    """
    if "://" not in out:
        return f"{out}.journal.jsonl"
    rest = out.split("://", 1)[1]
    if out.startswith("lancedb://") or rest.endswith(".db"):
        return f"{rest}.journal.jsonl"
    return f"{re.sub(r'[^A-Za-z0-9.-]+', '_', rest).strip('_')}.journal.jsonl"


def print_summary(summary: BulkSummary, out: str, journal: str | None) -> None:
    """Print the job's summary and every failure to stdout."""
    print(f"\nSummary: {summary}")
    for item in sorted(summary.failures, key=lambda i: i.index):
        print(f"  failed #{item.index} {item.source}: {type(item.error).__name__}: {item.error}")
    if summary.succeeded:
        print(f"Output: {out}")
    if journal and (summary.failed or summary.pending):
        print(f"Journal: {journal} (run the same command again to resume or retry)")


async def run_embed(args: argparse.Namespace) -> int:
    """Run the ``embed`` subcommand; return the exit code."""
    inputs = expand_inputs(args.inputs, args.from_file)
    journal = None if args.no_journal else (args.journal or default_journal(args.out))
    poll = args.poll_interval or (0.2 if args.fake else 5.0)
    progress = make_progress(args.progress, len(inputs))
    async with open_client(fake=args.fake, base_url=args.base_url) as client:
        job = BulkEmbedJob(
            client, inputs, model_name=args.model, api=args.api, concurrency=args.concurrency,
            wait_concurrency=args.wait_concurrency, journal=journal, output=args.out,
            options=_options(args), embedding_option=args.option, poll_interval=poll,
            task_timeout=args.task_timeout, retry_failed=args.retry_failed, on_event=progress,
            reconcile_delay=0.2 if args.fake else 1.0,
        )  # fmt: skip
        try:
            summary = await job.run()
        finally:
            progress.close()
    print_summary(summary, args.out, journal)
    if isinstance(summary.aborted_by, AuthenticationError | PermissionDeniedError):
        print(f"Stopped: the API refused the request: {summary.aborted_by}", file=sys.stderr)
        return EXIT_ABORTED
    return EXIT_SOME_FAILED if summary.failed else EXIT_OK
