"""Embed a folder of videos with the bulk API: concurrent, resumable, written to one ``.npz``.

::

    TWELVELABS_API_KEY=... python examples/bulk_embed.py videos/ --out videos.npz

Every video becomes one v1 embedding task; at most ``--concurrency`` uploads run at once
and a 429 slows the whole job down together. Progress shows as a tqdm bar when tqdm is
installed (``pip install 'twelvelabs-async[progress]'``), as plain lines otherwise.

The journal (``OUT.journal.jsonl`` unless ``--journal`` says otherwise) records every task
as it is created. Run the same command again, after a crash, a Ctrl-C or a finished run,
and no video is uploaded or created twice: tasks of the earlier run are fetched again by
id (free within the API's 7-day retention) and the ``.npz`` is written complete.

The ``.npz`` holds one row per segment: ``vectors`` (n, d) float32, ``start_sec``,
``end_sec``, ``option``, ``scope``, ``source`` (the file), ``task_id``, and the
``model_name``; ``examples/web_app.py --index OUT.npz`` serves searches over it.

To try it without an API key in one command, ``--fake`` starts a fake server in this
process (``python -m twelvelabs_async demo --samples samples`` writes a few sample files)::

    python examples/bulk_embed.py samples --out videos.npz --fake

To see a second run resume, start a fake server in another terminal instead (it keeps its
tasks while it runs)::

    python -m twelvelabs_async.testing --port 8765 --processing-time 1
    export TWELVELABS_API_KEY=tlk_fake_test_key TWELVELABS_BASE_URL=http://127.0.0.1:8765/v1.3
    python examples/bulk_embed.py videos/ --out videos.npz --poll-interval 0.5
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from twelvelabs_async import AsyncTwelveLabs, BulkEmbedJob, TwelveLabsError
from twelvelabs_async.bulk import BulkEvent

VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".mkv", ".webm", ".avi", ".m4v", ".mpg", ".mpeg"})


class Progress:
    """Shows the job's progress: a tqdm bar when tqdm is installed, plain lines otherwise."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.finished = 0
        self.created = 0
        self._bar: Any = None
        try:
            from tqdm import tqdm
        except ImportError:
            print(f"embedding {total} videos (install tqdm for a progress bar)", flush=True)
        else:
            self._bar = tqdm(total=total, unit="video", desc="embedding")

    def _say(self, text: str) -> None:
        if self._bar is not None:
            self._bar.write(text)
        else:
            print(f"[{self.finished}/{self.total}] {text}", flush=True)

    def __call__(self, event: BulkEvent) -> None:
        """Take one event of the job (passed as ``on_event``)."""
        name = Path(event.source).name
        if event.kind == "created":
            self.created += 1
            if self._bar is None:
                self._say(f"created  {name}: task {event.task_id}")
        elif event.kind in ("done", "failed"):
            self.finished += 1
            if event.kind == "failed":
                self._say(f"FAILED   {name}: {event.error}")
            elif self._bar is None:
                segments = len(event.item.segments) if event.item else 0
                again = " (task of an earlier run)" if event.item and event.item.resumed else ""
                self._say(f"done     {name}: {segments} segments{again}")
            if self._bar is not None:
                self._bar.update(1)
                self._bar.set_postfix(created=self.created)
        elif event.kind == "rate_limited":
            self._say(f"rate limited: every create waits {event.delay or 0:.1f} s")

    def close(self) -> None:
        """Close the bar, if any."""
        if self._bar is not None:
            self._bar.close()


def find_videos(folder: Path) -> list[Path]:
    """Return the video files under ``folder`` (recursively), sorted by path."""
    return sorted(
        p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in VIDEO_SUFFIXES
    )


async def embed_folder(args: argparse.Namespace) -> int:
    """Run the bulk job; return 0 when every video was embedded, 1 otherwise."""
    videos = find_videos(args.folder)
    if not videos:
        print(f"no video files under {args.folder}", file=sys.stderr)
        return 2
    # A fake server started here forgets its tasks when the job ends: a journal naming
    # them would only make the next run fail, so --fake journals only when asked to.
    journal = args.journal or (None if args.fake else Path(f"{args.out}.journal.jsonl"))
    poll = args.poll_interval or (0.2 if args.fake else 5.0)
    async with contextlib.AsyncExitStack() as stack:
        if args.fake:
            from twelvelabs_async.testing import FakeTwelveLabsServer

            server = await stack.enter_async_context(FakeTwelveLabsServer(processing_time=0.5))
            print(f"FAKE Twelve Labs API at {server.base_url}: the vectors are made up")
            client = AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url)
        else:
            client = AsyncTwelveLabs()  # raises at once without TWELVELABS_API_KEY
        await stack.enter_async_context(client)
        # Drawn only once the client exists: a missing key is reported without a bar.
        progress = Progress(len(videos))
        job = BulkEmbedJob(
            client,
            videos,
            model_name=args.model,
            api="v1",
            concurrency=args.concurrency,
            journal=journal,
            output=args.out,
            options={"video_clip_length": args.clip_length, "video_embedding_scope": ["clip"]},
            poll_interval=poll,
            on_event=progress,
        )
        try:
            summary = await job.run()
        finally:
            progress.close()
    print(f"\n{summary}")
    for item in summary.failures:
        print(f"  failed: {item.source}: {item.error}")
    if summary.succeeded:
        print(f"vectors: {args.out}")
    if journal is not None:
        print(f"journal: {journal} (run the same command again to resume; nothing is made twice)")
    return 0 if summary.failed == 0 and summary.pending == 0 else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the job."""
    p = argparse.ArgumentParser(description="Embed a folder of videos into one .npz file.")
    p.add_argument("folder", type=Path, help="folder of video files (searched recursively)")
    p.add_argument("--out", type=Path, default=Path("embeddings.npz"), help="the .npz to write")
    p.add_argument("--journal", type=Path, help="journal file (default OUT.journal.jsonl)")
    p.add_argument("--model", default="marengo3.0", help="model name (default marengo3.0)")
    p.add_argument("--concurrency", type=int, default=8, help="uploads at once (default 8)")
    p.add_argument("--clip-length", type=int, default=6, help="seconds per segment, 2-10")
    p.add_argument(
        "--poll-interval", type=float, help="seconds between polls (default 5; 0.2 with --fake)"
    )
    p.add_argument(
        "--fake",
        action="store_true",
        help="use a fake server started in this process: no key, made-up vectors, no journal"
        " unless --journal is given",
    )
    args = p.parse_args(argv)
    try:
        return asyncio.run(embed_folder(args))
    except TwelveLabsError as exc:  # no key, a bad option, a journal of another job
        print(f"error: {exc}", file=sys.stderr)
        if not args.fake:
            print("(to try it without a key, add --fake)", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted: run the same command again to resume", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
