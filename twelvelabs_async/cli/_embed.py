"""``python -m twelvelabs_async embed``: embed files, directories and URLs into one output."""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from twelvelabs_async import limits
from twelvelabs_async.bulk import BulkEmbedJob, BulkSummary, JournalError
from twelvelabs_async.bulk._inputs import DOCUMENT_EXTENSIONS, MEDIA_EXTENSIONS
from twelvelabs_async.bulk._temporaries import cleanup_stale_temporaries
from twelvelabs_async.bulk._writers import open_output, settle
from twelvelabs_async.errors import AuthenticationError, PermissionDeniedError

from ._checks import check_inputs, check_job_options
from ._common import (
    EXIT_ABORTED,
    EXIT_OK,
    EXIT_SOME_FAILED,
    DefaultsHelpFormatter,
    UsageError,
    open_client,
)
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
        formatter_class=DefaultsHelpFormatter,
    )
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="file, directory or http(s) URL")
    p.add_argument("--from-file", metavar="FILE", help="read more inputs from FILE, one a line")
    p.add_argument("--model", default="marengo3.0", help="model name")
    p.add_argument(
        "--api",
        choices=("v1", "v2", "v2-sync"),
        default="v1",
        help="v1: video tasks with uploads; v2: v2 tasks (files sent as base64);"
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
    p.add_argument(
        "--new-journal",
        action="store_true",
        help="start afresh: move an existing journal aside (to JOURNAL.TIME.old) and resume"
        " nothing",
    )
    p.add_argument("--concurrency", type=int, default=8, help="uploads at once")
    p.add_argument(
        "--wait-concurrency", type=int, help="tasks polled at once (default: 4 x --concurrency)"
    )
    p.add_argument(
        "--poll-interval",
        type=float,
        help="seconds between status reads (default: 5, or 0.2 with --fake)",
    )
    p.add_argument(
        "--task-timeout", type=float, help="give up on one task after N seconds (default: never)"
    )
    p.add_argument(
        "--clip-length", type=int, help="segment length in seconds, 2-10 (default: the API's, 6)"
    )
    p.add_argument(
        "--scope",
        action="append",
        help="embedding scope, repeatable: v1 clip, video; v2 clip, asset (default: the API's)",
    )
    p.add_argument(
        "--option",
        action="append",
        help="embedding option, repeatable: visual, audio, transcription (default: all)",
    )
    p.add_argument("--retry-failed", action="store_true", help="retry inputs that failed before")
    p.add_argument(
        "--progress",
        choices=("auto", "bar", "plain", "none"),
        default="auto",
        help="display: auto is a bar on a terminal, plain lines otherwise",
    )
    add_connection_args(p)


def add_connection_args(p: argparse.ArgumentParser) -> None:
    """Add ``--fake`` and ``--base-url``."""
    p.add_argument("--fake", action="store_true", help="use a fake server started in-process")
    p.add_argument(
        "--base-url",
        help="API base URL (default: $TWELVELABS_BASE_URL, else https://api.twelvelabs.io/v1.3)",
    )


def expand_inputs(
    values: Sequence[str], from_file: str | None, *, documents: bool = False
) -> list[str]:
    """Turn command-line inputs into a list: directories become their media files, sorted.

    With ``documents`` (Marengo 3.5 on v2), ``.pdf``, ``.txt`` and ``.md`` files count too.

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
    kinds = MEDIA_EXTENSIONS | DOCUMENT_EXTENSIONS if documents else MEDIA_EXTENSIONS
    out: list[str] = []
    for value in raw:
        if not value.startswith(("http://", "https://")) and os.path.isdir(value):
            found = sorted(
                str(p) for p in Path(value).rglob("*")
                if p.is_file() and p.suffix.lower() in kinds
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


def print_summary(
    summary: BulkSummary, out: str, journal: str | None, given: Sequence[object] = ()
) -> None:
    """Print the job's summary and every failure to stdout.

    ``given`` holds the inputs as the user wrote them: a failure is named that way, not by
    the resolved path.
    """
    print(f"\nSummary: {summary}")
    for item in sorted(summary.failures, key=lambda i: i.index):
        source = given[item.index] if item.index < len(given) else item.source
        print(f"  failed #{item.index} {source}: {type(item.error).__name__}: {item.error}")
    if summary.succeeded:
        print(f"Output: {out}")
    if journal and (summary.failed or summary.pending):
        print(f"Journal: {journal} (run the same command again to resume or retry)")


def _in_use(path: Path) -> bool:
    """Whether a running job holds the journal's lock (the journal's own advisory lock)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no advisory locks on this platform
        return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing releases a lock taken here
    return False


def _start_afresh(journal: str) -> None:
    """Move an existing journal aside, so that the job resumes nothing (``--new-journal``)."""
    path = Path(journal)
    if not path.exists():
        return
    if _in_use(path):
        raise UsageError(
            f"journal {journal!r} is in use by another running job: it cannot be replaced;"
            " wait for that job to end or choose another file with --journal"
        )
    aside = path.with_name(f"{path.name}.{time.strftime('%Y%m%dT%H%M%S')}.old")
    os.replace(path, aside)
    print(f"note: moved the old journal to {aside}; starting afresh", file=sys.stderr)


async def run_embed(args: argparse.Namespace) -> int:
    """Run the ``embed`` subcommand; return the exit code.

    Everything that can be checked without the API is checked before anything is created:
    options, inputs, the output's format. Only then are the journal and output opened.
    """
    options = _options(args)
    check_job_options(args.api, args.model, options, args.option)
    for name in ("concurrency", "wait_concurrency"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise UsageError(f"--{name.replace('_', '-')} must be at least 1, got {value}")
    for name in ("poll_interval", "task_timeout"):
        value = getattr(args, name)
        if value is not None and not value > 0:
            raise UsageError(f"--{name.replace('_', '-')} must be more than 0 seconds, got {value}")
    if args.no_journal and (args.new_journal or args.journal):
        raise UsageError("--no-journal cannot be combined with --journal or --new-journal")
    documents = args.model == limits.MARENGO_35 and args.api != "v1"
    inputs = expand_inputs(args.inputs, args.from_file, documents=documents)
    check_inputs(inputs)
    journal = None if args.no_journal else (args.journal or default_journal(args.out))
    poll = args.poll_interval or (0.2 if args.fake else 5.0)
    async with open_client(fake=args.fake, base_url=args.base_url) as client:
        cleanup_stale_temporaries(args.out)
        writer = open_output(args.out, {"model_name": args.model, "api": args.api})
        try:
            if journal is not None and args.new_journal:
                _start_afresh(journal)
            progress = make_progress(args.progress, len(inputs))
            job = BulkEmbedJob(
                client, inputs, model_name=args.model, api=args.api,
                concurrency=args.concurrency, wait_concurrency=args.wait_concurrency,
                journal=journal, output=writer, options=options, embedding_option=args.option,
                poll_interval=poll, task_timeout=args.task_timeout,
                retry_failed=args.retry_failed, on_event=progress,
                reconcile_delay=0.2 if args.fake else 1.0,
            )  # fmt: skip
            try:
                summary = await job.run()
            except JournalError as exc:
                if journal is None or _in_use(Path(journal)):
                    raise
                raise UsageError(
                    f"{exc}. To start afresh, run the same command with --new-journal (the old"
                    f" journal is kept as {journal}.TIME.old), or choose another --journal"
                ) from None
            finally:
                progress.close()
        except BaseException:
            await settle(writer.abort())
            raise
    print_summary(summary, args.out, journal, inputs)
    if isinstance(summary.aborted_by, AuthenticationError | PermissionDeniedError):
        print(f"Stopped: the API refused the request: {summary.aborted_by}", file=sys.stderr)
        return EXIT_ABORTED
    return EXIT_SOME_FAILED if summary.failed else EXIT_OK
