"""What the fake server remembers: requests received, tasks and their lifecycle, durations."""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from twelvelabs_async.errors import InvalidRequestError
from twelvelabs_async.testing._embeddings import name_stem


@dataclass(frozen=True)
class UploadedFile:
    """A file part received in a multipart body (its content is not kept).

    Attributes:
        field: The form field name (``video_file``, ``image_file``, ``audio_file``).
        filename: The file name the client sent, if any.
        content_type: The part's content type, if any.
        size: Bytes received.
        sha256: Hex digest of the content, or ``None`` when hashing is off.
        head: The first bytes of the content (to tell its format, as the API does).
    """

    field: str
    filename: str | None
    content_type: str | None
    size: int
    sha256: str | None
    head: bytes = b""


@dataclass
class RequestRecord:
    """One request as the server saw it; the API key value is never stored.

    Attributes:
        method: HTTP method.
        path: Request path, including the base path (``/v1.3/embed/tasks``).
        endpoint: Endpoint name (see ``ENDPOINTS``), or ``None`` for an unknown path.
        query: Query parameters; repeated keys keep every value in order.
        headers: Request headers without ``x-api-key``.
        api_key_sent: Whether an ``x-api-key`` header was present.
        api_key_matched: Whether it equalled the server's key.
        form: Multipart text fields; repeated fields keep every value in order.
        files: Multipart file parts (name, size, hash; no content).
        json: The parsed JSON body, if one was sent.
        body_size: Bytes of body received.
        status: Status answered; ``None`` when the connection was dropped or the answer
            was cut short before completion.
        task_created: Whether this request created a task (also when its answer was lost).
        task_id: The created task's id.
        faults: Kinds of the injected faults that fired for this request.
        received_at: Wall-clock time (epoch seconds) the request arrived.
    """

    method: str
    path: str
    endpoint: str | None
    query: dict[str, list[str]]
    headers: dict[str, str]
    api_key_sent: bool
    api_key_matched: bool
    form: dict[str, list[str]] = field(default_factory=dict)
    files: list[UploadedFile] = field(default_factory=list)
    json: Any = None
    body_size: int = 0
    status: int | None = None
    task_created: bool = False
    task_id: str | None = None
    faults: list[str] = field(default_factory=list)
    received_at: float = 0.0


#: Bytes of serialized retrieve bodies a fake server keeps across all its tasks. Vectors are
#: derived from the task's settings on every miss, so memory stays flat however many tasks
#: a test creates; the most recent body is kept even when it alone is larger.
BODY_CACHE_BYTES = 64 * 1024 * 1024


class BodyCache:
    """Recently served bodies, least recently used dropped first, within a byte budget."""

    def __init__(self, budget: int = BODY_CACHE_BYTES) -> None:
        self.budget = budget
        self.size = 0
        self._bodies: OrderedDict[Hashable, bytes] = OrderedDict()

    def get(self, key: Hashable) -> bytes | None:
        """Return a kept body (now the most recently used), or ``None``."""
        body = self._bodies.get(key)
        if body is not None:
            self._bodies.move_to_end(key)
        return body

    def put(self, key: Hashable, body: bytes) -> None:
        """Keep ``body``, dropping the least recently used ones past the budget."""
        self.drop(key)
        self._bodies[key] = body
        self.size += len(body)
        while self.size > self.budget and len(self._bodies) > 1:
            _old, dropped = self._bodies.popitem(last=False)
            self.size -= len(dropped)

    def drop(self, key: Hashable) -> None:
        """Forget one body, if kept."""
        body = self._bodies.pop(key, None)
        if body is not None:
            self.size -= len(body)

    def kept(self) -> list[Hashable]:
        """The keys kept, least recently used first."""
        return list(self._bodies)


class TaskBodies:
    """One task's view of a :class:`BodyCache` (its own one until the task is stored)."""

    def __init__(self, task_id: str = "", cache: BodyCache | None = None) -> None:
        self._id = task_id
        self._cache = cache if cache is not None else BodyCache()

    def get(self, variant: Hashable) -> bytes | None:
        """The body kept for one request variant of this task, or ``None``."""
        return self._cache.get((self._id, variant))

    def __setitem__(self, variant: Hashable, body: bytes) -> None:
        self._cache.put((self._id, variant), body)

    def _keys(self) -> list[Hashable]:
        return [k for k in self._cache.kept() if isinstance(k, tuple) and k[0] == self._id]

    def __len__(self) -> int:
        return len(self._keys())

    def clear(self) -> None:
        """Forget every body of this task."""
        for key in self._keys():
            self._cache.drop(key)


@dataclass
class Task:
    """A v1 or v2 embedding task held by the fake.

    Attributes:
        id: The task id (24 hex characters, like the real ones).
        version: 1 for ``/embed/tasks``, 2 for ``/embed-v2/tasks``.
        model_name: The model requested.
        input_type: ``video`` or ``audio`` (v1 tasks are always ``video``).
        spec: Normalized request settings the embeddings are computed from.
        identity: What identifies the input (URL or file hash) for the vectors.
        input_url: The media URL, if the input was a URL.
        input_filename: The uploaded file name, if the input was a file.
        duration: Media duration in seconds.
        created_mono: Creation time on the server clock.
        created_at: Creation wall-clock time.
        processing_time: Seconds from creation until the task ends.
        failure: Error message when the task is meant to fail, else ``None``.
        forced: ``ready`` or ``failed`` when a test ended the task early.
        forced_mono: Server-clock time at which it was forced.
        cache: Serialized retrieve bodies, keyed by request variant; a view of the
            server's bounded :class:`BodyCache` once the task is stored.
    """

    id: str
    version: int
    model_name: str
    input_type: str
    spec: dict[str, Any]
    identity: str
    input_url: str | None
    input_filename: str | None
    duration: float
    created_mono: float
    created_at: datetime
    processing_time: float
    failure: str | None = None
    forced: str | None = None
    forced_mono: float = 0.0
    cache: TaskBodies = field(default_factory=TaskBodies, repr=False)

    @property
    def anchor(self) -> str | None:
        """The name whose stem steers this task's vectors."""
        return self.input_filename or self.input_url

    def status_at(self, now: float) -> str:
        """Return the task status at server-clock time ``now``."""
        if self.forced is not None:
            return self.forced
        if now - self.created_mono >= self.processing_time:
            return "failed" if self.failure else "ready"
        return "processing"

    def updated_at(self, now: float) -> datetime:
        """Return the last change time as seen at ``now``."""
        if self.forced is not None:
            return self.created_at + timedelta(seconds=self.forced_mono - self.created_mono)
        if self.status_at(now) == "processing":
            return self.created_at
        return self.created_at + timedelta(seconds=self.processing_time)


def format_time(value: datetime) -> str:
    """Format a timestamp the way the documentation shows it (``2026-07-20T08:15:30Z``)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: str) -> datetime:
    """Parse an RFC 3339 timestamp (``Z`` or an offset; naive values count as UTC).

    Raises:
        ValueError: When the text is not a timestamp.
    """
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class ServerState:
    """Tasks, media durations and the server clock of one fake server.

    Args:
        processing_time: Seconds a new task stays ``processing``; 0 makes tasks ready at
            once.
        default_duration: Duration in seconds of media without a hint.
        seed: Seed for task ids.
    """

    def __init__(
        self, processing_time: float = 2.0, default_duration: float = 30.0, seed: int = 0
    ) -> None:
        self.processing_time = processing_time
        self.default_duration = default_duration
        self.tasks: dict[str, Task] = {}
        self.bodies = BodyCache(BODY_CACHE_BYTES)
        self._durations: dict[str, float] = {}
        self._offset = 0.0
        self._mono0 = time.monotonic()
        self._wall0 = datetime.now(UTC)
        self._seed = seed
        self._counter = 0

    def now(self) -> float:
        """Return the server clock (monotonic seconds plus any :meth:`advance`)."""
        return time.monotonic() + self._offset

    def wall(self) -> datetime:
        """Return the wall-clock time matching :meth:`now`."""
        return self._wall0 + timedelta(seconds=self.now() - self._mono0)

    def advance(self, seconds: float) -> None:
        """Move the server clock forward, as if ``seconds`` had passed."""
        if seconds < 0:
            raise InvalidRequestError("the server clock only moves forward")
        self._offset += seconds

    def set_duration(self, name_or_url: str, seconds: float) -> None:
        """Set the duration of media known by file name, URL or stem.

        Args:
            name_or_url: ``"match.mp4"``, ``"https://cdn.example.com/match.mp4"`` or
                ``"match"``.
            seconds: The duration the fake will report and segment.
        """
        if seconds <= 0:
            raise InvalidRequestError("a media duration must be positive")
        self._durations[name_or_url] = float(seconds)

    def duration_for(self, *names: str | None) -> float:
        """Return the duration hint for the first matching name, else the default."""
        for name in names:
            if not name:
                continue
            for key in (name, name.rsplit("/", 1)[-1], name_stem(name)):
                if key in self._durations:
                    return self._durations[key]
        return self.default_duration

    def new_id(self) -> str:
        """Return a fresh 24-hex-character id, reproducible for a given seed."""
        self._counter += 1
        digest = hashlib.sha1(f"{self._seed}:{self._counter}".encode()).hexdigest()
        return digest[:24]

    def add(self, task: Task) -> Task:
        """Store a new task."""
        task.cache = TaskBodies(task.id, self.bodies)
        self.tasks[task.id] = task
        return task

    def get(self, task_id: str, version: int) -> Task | None:
        """Return a task of the given API version, or ``None``."""
        task = self.tasks.get(task_id)
        return task if task is not None and task.version == version else None

    def status(self, task_id: str) -> str:
        """Return the current status of a task (handy in tests).

        Raises:
            KeyError: For an unknown id.
        """
        return self.tasks[task_id].status_at(self.now())

    def complete(self, task_id: str | None = None) -> None:
        """End a task now (or every processing task): ``failed`` if it was meant to fail.

        Args:
            task_id: The task, or ``None`` for all still-processing tasks.
        """
        now = self.now()
        for task in self._select(task_id):
            if task.status_at(now) == "processing":
                task.forced = "failed" if task.failure else "ready"
                task.forced_mono = now

    def fail(self, task_id: str, message: str | None = None) -> None:
        """Make a task end ``failed`` now with ``message`` (a documented text by default)."""
        from twelvelabs_async.testing._faults import TASK_ERROR_MESSAGES

        task = self.tasks[task_id]
        task.failure = message or TASK_ERROR_MESSAGES[1]
        task.forced = "failed"
        task.forced_mono = self.now()
        task.cache.clear()

    def _select(self, task_id: str | None) -> Iterable[Task]:
        if task_id is None:
            return list(self.tasks.values())
        return [self.tasks[task_id]]

    def listing(
        self,
        version: int,
        status: str | None,
        started_at: datetime | None,
        ended_at: datetime | None,
    ) -> list[Task]:
        """Return the tasks of one API version matching the filters, newest first."""
        now = self.now()
        found = [
            t
            for t in self.tasks.values()
            if t.version == version
            and (status is None or t.status_at(now) == status)
            and (started_at is None or t.created_at >= started_at)
            and (ended_at is None or t.created_at <= ended_at)
        ]
        found.reverse()  # dicts keep insertion order, so this is newest first
        return found
