"""Progress display of the command line: a tqdm bar, or plain lines, or nothing."""

from __future__ import annotations

import os
import sys
from typing import Any, TextIO

from twelvelabs_async.bulk import BulkEvent

__all__ = ["Progress", "make_progress"]


def _short(source: str, width: int = 48) -> str:
    name = source if "://" in source else os.path.basename(source) or source
    return name if len(name) <= width else "..." + name[-(width - 3) :]


class Progress:
    """Prints one line per noteworthy event (the fallback without tqdm or a terminal)."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.finished = 0
        self.stream = stream or sys.stderr

    def _line(self, text: str) -> None:
        width = len(str(self.total))
        print(f"[{self.finished:>{width}}/{self.total}] {text}", file=self.stream, flush=True)

    def __call__(self, event: BulkEvent) -> None:
        kind, name = event.kind, _short(event.source)
        if kind in ("done", "failed"):
            self.finished += 1
        if kind == "done" and event.item is not None:
            again = " (from an earlier run)" if event.item.resumed else ""
            self._line(f"done      {name}: {len(event.item.segments)} segments{again}")
        elif kind == "failed":
            self._line(f"FAILED    {name}: {event.error}")
        elif kind in ("created", "recovered"):
            self._line(f"{kind:<9} {name}: task {event.task_id}")
        elif kind == "rate_limited":
            self._line(f"rate limit: every create paused for {event.delay or 0:.1f} s")
        elif kind == "retry":
            self._line(f"retry     {name} in {event.delay or 0:.1f} s: {event.error}")

    def close(self) -> None:
        """Nothing to tidy up for plain lines."""


class BarProgress(Progress):
    """A tqdm bar over the inputs; retries, rate limits and failures print above it."""

    def __init__(self, total: int, tqdm: Any, stream: TextIO | None = None) -> None:
        super().__init__(total, stream)
        self._bar = tqdm(total=total, unit="input", file=self.stream, dynamic_ncols=True)
        self._tqdm = tqdm
        self._counts = {"created": 0, "failed": 0, "uploaded": 0}

    def _line(self, text: str) -> None:
        self._tqdm.write(text, file=self.stream)

    def __call__(self, event: BulkEvent) -> None:
        kind = event.kind
        if kind in ("done", "failed"):
            self._bar.update(1)
        if kind in ("created", "recovered"):
            self._counts["created"] += 1
        if kind == "failed":
            self._counts["failed"] += 1
            self._line(f"FAILED {_short(event.source)}: {event.error}")
        elif kind == "uploaded" and event.bytes_sent is not None:
            self._counts["uploaded"] += 1 if event.bytes_sent == event.bytes_total else 0
        elif kind == "rate_limited":
            self._line(f"rate limit: every create paused for {event.delay or 0:.1f} s")
        if kind in ("done", "failed", "created", "recovered"):
            self._bar.set_postfix(tasks=self._counts["created"], failed=self._counts["failed"])

    def close(self) -> None:
        """Close the bar."""
        self._bar.close()


class _Silent(Progress):
    def __call__(self, event: BulkEvent) -> None:
        return None


def terminal_width(stream: TextIO) -> int | None:
    """The width of the terminal behind ``stream``; ``None`` when it is not one or says 0."""
    try:
        if not stream.isatty():
            return None
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return None
    return columns or None


def make_progress(mode: str, total: int, stream: TextIO | None = None) -> Progress:
    """Pick the display: ``bar`` (tqdm), ``plain`` lines, ``none``, or ``auto``.

    ``auto`` shows a bar when tqdm is installed and the stream is a terminal, plain lines
    otherwise (a log file gets no carriage-return noise). A terminal that reports no width
    (0 columns, as some containers and serial consoles do) gets plain lines for ``bar``
    too: a bar sized to nothing draws nothing at all.
    """
    stream = stream or sys.stderr
    if mode == "none":
        return _Silent(total, stream)
    if mode in ("auto", "bar"):
        try:
            from tqdm import tqdm
        except ImportError:
            if mode == "bar":
                print(
                    "tqdm is not installed (pip install 'twelvelabs-async[progress]');"
                    " showing plain progress lines",
                    file=stream,
                )
            return Progress(total, stream)
        on_terminal = stream.isatty()
        if on_terminal and terminal_width(stream) is None:
            return Progress(total, stream)
        if mode == "bar" or on_terminal:
            return BarProgress(total, tqdm, stream)
    return Progress(total, stream)
