"""The resumable journal of a bulk job: an append-only JSON Lines file.

Why JSON Lines rather than SQLite: every change is one appended line, made durable with
one ``fsync``; a process killed in the middle of a write leaves at most a torn last line,
which was never acknowledged and is cut off when the journal is opened again. Nothing
is ever rewritten, so no earlier record can be damaged; the file is readable with
``jq``/``grep`` when something needs explaining; concurrent appenders are batched into
one write and one ``fsync`` (group commit). SQLite would give the same durability but
adds write-ahead-log files next to the journal and makes the history opaque.

Records (one JSON object a line; ``key`` is the input's stable key, ``at`` Unix time):

* ``{"type": "job", "api", "model_name", "options", "version", "at"}``: the first line;
  a journal only serves the job (API version and model) that started it.
* ``{"type": "run", "at", "inputs"}``: one line per start, for the record.
* ``{"type": "intent", "key", "source", "at"}``: written and synced **before** a create
  request is sent.
* ``{"type": "created", "key", "task_id", "at", "recovered"?}``: written and synced as soon
  as the API returns a task id, **before** waiting for it.
* ``{"type": "asset", "key", "asset_id", "at"}``: a v2 local file too large for base64
  was uploaded as this asset; a resumed job reuses it instead of uploading again.
* ``{"type": "rejected", "key", "at", "error"}``: the create was answered with an error
  (4xx, 429): the API created nothing for that intent.
* ``{"type": "unknown", "key", "at", "error"}``: the create's outcome is unknown (the
  connection dropped, a 5xx, a timeout): the API may have created a task.
* ``{"type": "done", "key", "task_id", "rows", "dim", "segments"?}``: the result arrived.
  Task results are fetched again by ``task_id`` on resume (free, within the API's 7-day
  retention); synchronous results have no task to fetch, so their vectors are stored
  inline (``segments``: base64 of little-endian float32).
* ``{"type": "failed", "key", "task_id"?, "stage", "final", "error"}``: the input failed in
  this run. ``final`` is true when trying again cannot help (the task itself failed, the
  request was rejected); a resumed job reports those without a new request unless told
  to retry them, and tries the others again.

The window no journal can close: a process killed after the API created a task but
before the ``created`` line was synced. Its ``intent`` has no outcome; on resume the
engine looks for such tasks in the task list (created since the intent, same file name
or URL, not claimed by any other entry) and adopts what it finds before creating anew.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import orjson

from twelvelabs_async.errors import JournalError

from ._types import Segment

__all__ = ["EntryState", "Journal", "JournalError", "decode_segments", "encode_segments"]

_log = logging.getLogger("twelvelabs_async.bulk")

JOURNAL_VERSION = 1


@attrs.define
class EntryState:
    """What the journal knows about one input key.

    Attributes:
        key: the input's stable key.
        task_id: the id of the task created for it, if any.
        orphan_since: time of the earliest create whose outcome is unknown (a task may
            exist that the journal does not name); ``None`` when there is none.
        done: the ``done`` record when the result arrived.
        failure: the last ``failed`` record (cleared by a later attempt).
        open_intent: time of the last intent not followed by an outcome yet.
        asset_id: the asset a large local file was uploaded as (v2), if any.
    """

    key: str
    task_id: str | None = None
    orphan_since: float | None = None
    done: dict[str, Any] | None = None
    failure: dict[str, Any] | None = None
    open_intent: float | None = None
    asset_id: str | None = None

    def _mark_unknown(self, at: float | None) -> None:
        if at is not None:
            self.orphan_since = at if self.orphan_since is None else min(self.orphan_since, at)

    def apply(self, record: Mapping[str, Any]) -> None:
        """Update the state with one record of this key."""
        kind = record.get("type")
        at = record.get("at")
        if kind == "intent":
            self._mark_unknown(self.open_intent)
            self.open_intent = float(at) if isinstance(at, int | float) else 0.0
            self.failure = None
        elif kind == "created":
            self.task_id = str(record["task_id"])
            self.orphan_since = self.open_intent = None
            self.failure = None
        elif kind == "rejected":
            self.open_intent = None
        elif kind == "unknown":
            self._mark_unknown(self.open_intent)
            self.open_intent = None
        elif kind == "done":
            self.done = dict(record)
            self.failure = None
        elif kind == "failed":
            self.failure = dict(record)
        elif kind == "asset":
            self.asset_id = str(record["asset_id"])

    def settle(self) -> None:
        """Treat an intent left without an outcome (the run was killed) as unknown."""
        self._mark_unknown(self.open_intent)
        self.open_intent = None


def encode_segments(segments: Sequence[Segment]) -> list[dict[str, Any]]:
    """Encode segments compactly for a ``done`` record."""
    out = []
    for seg in segments:
        data = seg.vector
        if sys.byteorder != "little":  # pragma: no cover - big-endian hosts are rare
            data = type(data)(data.typecode, data)
            data.byteswap()
        out.append(
            {
                "b64": base64.b64encode(data.tobytes()).decode("ascii"),
                "start": seg.start_sec,
                "end": seg.end_sec,
                "option": seg.option,
                "scope": seg.scope,
            }
        )
    return out


def decode_segments(rows: Sequence[Mapping[str, Any]]) -> list[Segment]:
    """Rebuild the segments stored by :func:`encode_segments`."""
    import array

    out = []
    for row in rows:
        vec: array.array[float] = array.array("f")
        vec.frombytes(base64.b64decode(row["b64"]))
        if sys.byteorder != "little":  # pragma: no cover
            vec.byteswap()
        out.append(
            Segment(vec, row.get("start"), row.get("end"), row.get("option"), row.get("scope"))
        )
    return out


def _check_record(record: Mapping[str, Any], path: Path, lineno: int) -> None:
    # A created record that names no task would lose track of a billed task on resume.
    if record.get("type") == "created":
        task_id = record.get("task_id")
        if not isinstance(task_id, str) or not task_id:
            raise JournalError(
                f"journal {str(path)!r} line {lineno}: a 'created' record without a task_id; "
                "it was edited or damaged. Repair that line (the task id is in the task "
                "list), or remove it to have the job look the task up by listing"
            )


def _lock(fd: int, path: Path) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no advisory locks on this platform
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise JournalError(
            f"journal {str(path)!r} is in use by another running job; wait for it to end"
            " or use another journal file"
        ) from None


def _sync_directory(directory: Path) -> None:
    # A new file's name is durable only once its directory is synced.
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows cannot open directories
        return
    try:
        os.fsync(dir_fd)
    except OSError:  # pragma: no cover - some file systems refuse it
        pass
    finally:
        os.close(dir_fd)


class Journal:
    """An open journal: its replayed state plus a durable, batched appender.

    Open it with :meth:`open`; close it with :meth:`aclose`. One process at a time may
    hold a journal (an advisory lock, released by the kernel even on SIGKILL).
    """

    def __init__(self, path: Path, fd: int, records: list[dict[str, Any]], *, sync: bool) -> None:
        self.path = path
        self._fd: int | None = fd
        self._sync = sync
        self.header: dict[str, Any] | None = None
        self.entries: dict[str, EntryState] = {}
        self._pending: list[tuple[bytes, asyncio.Future[None]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self._claimed: set[str] = set()
        for record in records:
            self._apply(record)
        for entry in self.entries.values():
            entry.settle()

    def _apply(self, record: dict[str, Any]) -> None:
        kind = record.get("type")
        if kind == "job":
            if self.header is None:
                self.header = record
            return
        key = record.get("key")
        if isinstance(key, str):
            self.entry(key).apply(record)
            if kind == "created":
                self._claimed.add(str(record["task_id"]))

    def entry(self, key: str) -> EntryState:
        """The state of ``key`` (an empty one for a key never seen)."""
        state = self.entries.get(key)
        if state is None:
            state = self.entries[key] = EntryState(key)
        return state

    @property
    def claimed_ids(self) -> set[str]:
        """Every task id the journal names (never adopted for another input).

        The same set object for the journal's lifetime, kept up to date by every
        ``created`` record, so a reconciler holding it sees ids created meanwhile.
        """
        return self._claimed

    @classmethod
    def memory(cls) -> Journal:
        """A journal that keeps its state in memory only (a job run without a journal file)."""
        return cls(Path(os.devnull), -1, [], sync=False)

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, sync: bool = True) -> Journal:
        """Open (or create) a journal, replay it, and cut off a torn last line.

        Args:
            path: the journal file.
            sync: ``fsync`` after every batch of lines (turn off only in tests).

        Returns:
            The open journal.

        Raises:
            JournalError: the file is locked by another job or is corrupt.
        """
        jpath = Path(path)
        existed = jpath.exists()
        fd = os.open(jpath, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        _lock(fd, jpath)
        if not existed and sync:
            _sync_directory(jpath.parent)
        try:
            data = b""
            while chunk := os.read(fd, 1 << 20):
                data += chunk
            complete = data.rfind(b"\n") + 1
            if complete < len(data):
                # A torn tail was never acknowledged (its fsync did not return): drop it
                # so that the next line does not get glued to it.
                _log.warning(
                    "journal %s: dropping a torn last line (%d bytes)", jpath, len(data) - complete
                )
                os.ftruncate(fd, complete)
                if sync:
                    os.fsync(fd)
            records = []
            for lineno, line in enumerate(data[:complete].splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    record = orjson.loads(line)
                except orjson.JSONDecodeError:
                    raise JournalError(
                        f"journal {str(jpath)!r} line {lineno} is not valid JSON; it was"
                        " edited or damaged. Repair or remove that line, or start a new journal"
                    ) from None
                if isinstance(record, dict):
                    _check_record(record, jpath, lineno)
                    records.append(record)
            return cls(jpath, fd, records, sync=sync)
        except BaseException:
            os.close(fd)
            raise

    def check_header(self, header: Mapping[str, Any]) -> bool:
        """Check that this journal belongs to a job with ``header``'s API and model.

        Returns:
            ``True`` when the journal is new and ``header`` must be written.

        Raises:
            JournalError: the journal was started by a job with another API or model.
        """
        if self.header is None:
            return True
        for name in ("api", "model_name"):
            if self.header.get(name) != header.get(name):
                raise JournalError(
                    f"journal {str(self.path)!r} belongs to a job with {name}="
                    f"{self.header.get(name)!r}, not {header.get(name)!r}; use the same"
                    " settings to resume it, or another journal file for a new job"
                )
        return False

    def _write(self, data: bytes) -> None:
        fd = self._fd
        if fd is None:
            raise JournalError(f"journal {str(self.path)!r} is closed")
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        if self._sync:
            os.fsync(fd)

    async def append(self, record: Mapping[str, Any]) -> None:
        """Append one record and return once it is on disk; the in-memory state follows.

        Lines appended while a write is in progress are written together with one
        ``fsync``. Cancelling the caller does not withdraw the line.
        """
        self._apply(dict(record))
        if self._fd == -1:
            return
        line = orjson.dumps(record) + b"\n"
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((line, fut))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush(), name="journal-flush")
        await fut

    async def _flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                await asyncio.to_thread(self._write, b"".join(line for line, _ in batch))
            except BaseException as exc:
                for _, fut in batch + self._pending:
                    if not fut.done():
                        fut.set_exception(
                            exc
                            if isinstance(exc, Exception)
                            else JournalError("journal write aborted")
                        )
                        fut.exception()  # an abandoned waiter must not log "never retrieved"
                self._pending = []
                if isinstance(exc, Exception):
                    return
                raise
            for _, fut in batch:
                if not fut.done():
                    fut.set_result(None)

    async def aclose(self) -> None:
        """Wait for pending lines to reach the disk, then release the file and its lock."""
        flusher = self._flusher
        if flusher is not None and not flusher.done():
            try:
                await asyncio.shield(flusher)
            except asyncio.CancelledError:
                # The write thread cannot be stopped: close the file once it is done.
                flusher.add_done_callback(lambda _: self._close_fd())
                raise
            except Exception:  # already reported to the appenders
                pass
        self._close_fd()

    def _close_fd(self) -> None:
        if self._fd is not None:
            if self._fd != -1:
                os.close(self._fd)
            self._fd = None
