"""The life of one input: create (or resume), wait, fetch, record; errors become outcomes."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from twelvelabs_async import _timing
from twelvelabs_async._retry import backoff
from twelvelabs_async.errors import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    EmbeddingError,
    EventCallbackError,
    InternalServerError,
    InvalidRequestError,
    JobAbortedError,
    NotFoundError,
    PermissionDeniedError,
    PreviousRunError,
    RateLimitError,
    TaskFailedError,
)
from twelvelabs_async.types import RequestOptions

from . import _calls
from ._gate import RateGate, Reconciler
from ._inputs import WorkItem
from ._journal import Journal, decode_segments, encode_segments
from ._options import BulkOptions
from ._types import BulkEvent, BulkItem, EventKind, Segment

if TYPE_CHECKING:
    from twelvelabs_async.client import AsyncTwelveLabs

__all__ = ["EventCallbackError", "JobAbortedError", "PreviousRunError", "Worker"]


# Creates get no transport retries: the engine retries them itself, so that every 429
# reaches the shared gate and an unknown outcome is checked against the task list first.
_CREATE_OPTIONS = RequestOptions(max_retries=0)
_TRANSIENT = (APIConnectionError, InternalServerError, RateLimitError)


def _is_final(exc: BaseException) -> bool:
    """Whether trying the input again (on resume) cannot help."""
    if isinstance(exc, TaskFailedError | InvalidRequestError | EmbeddingError):
        return True
    return (
        isinstance(exc, APIStatusError)
        and 400 <= exc.status_code < 500
        and (exc.status_code not in (401, 403, 404, 408, 409, 429))
    )


def _error_record(exc: BaseException) -> dict[str, Any]:
    record: dict[str, Any] = {"type": type(exc).__name__, "message": str(exc)}
    if isinstance(exc, APIStatusError):
        record["status"] = exc.status_code
    return record


@attrs.define
class Worker:
    """Shared state and settings of a running job; :meth:`process` handles one input."""

    client: AsyncTwelveLabs
    config: BulkOptions
    journal: Journal
    gate: RateGate
    reconciler: Reconciler
    upload_slots: asyncio.Semaphore
    wait_slots: asyncio.Semaphore
    emit: Callable[[BulkEvent], Awaitable[None]]
    sleep: Callable[[float], Awaitable[Any]] = _timing.sleep
    fatal: BaseException | None = None
    created: int = 0
    #: File names or URLs shared by several inputs: a listed task bearing one of them
    #: cannot be told apart, so such inputs are never matched through the task list.
    ambiguous_names: frozenset[str] = frozenset()
    # Derived from config once: every create and wait reads them.
    api: _calls.ApiName = attrs.field(init=False)
    options: Mapping[str, Any] = attrs.field(init=False)
    top_level: Mapping[str, Any] = attrs.field(init=False)
    embedding_option: list[str] | None = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.api = self.config.api
        self.options = self.config.create_keywords
        self.top_level = self.config.top_level
        self.embedding_option = self.config.retrieve_option

    def match_name(self, w: WorkItem) -> str | None:
        """The name a listed task must show to be this input's, or ``None`` (no lookup)."""
        name = _calls.match_name(self.api, w)
        return None if name in self.ambiguous_names else name

    async def _event(self, kind: EventKind, w: WorkItem, **fields: Any) -> None:
        await self.emit(BulkEvent(kind, w.index, w.source, **fields))

    def _backoff(self, attempt: int) -> float:
        return backoff(attempt, random.random(), base=1.0, cap=30.0)

    def _check_fatal(self) -> None:
        if self.fatal is not None:
            raise JobAbortedError(f"not tried: the job stopped after {self.fatal}")

    def _note_fatal(self, exc: BaseException) -> None:
        if isinstance(exc, AuthenticationError | PermissionDeniedError) and self.fatal is None:
            self.fatal = exc

    async def process(self, w: WorkItem) -> BulkItem:
        """Bring one input to an outcome; only cancellation and callback errors escape."""
        entry = self.journal.entry(w.key)
        task_id = entry.task_id
        stage = "create"
        try:
            if w.error is not None:
                raise w.error
            if entry.done is not None:
                stage = "fetch"
                return await self._rebuild(w, entry.done)
            failure = entry.failure
            if failure is not None and failure.get("final"):
                if not self.config.retry_failed:
                    err = failure.get("error") or {}
                    raise PreviousRunError(
                        f"failed in an earlier run ({err.get('type')}: {err.get('message')});"
                        " retry it with retry_failed=True (--retry-failed)"
                    )
                if failure.get("stage") == "wait":
                    task_id = None  # the task itself failed: a new one is needed
            if _calls.route(self.api, w) == "sync":
                return await self._sync(w)
            resumed = task_id is not None
            if task_id is None:
                task_id = await self._create(w)
            stage = "wait"
            return await self._wait(w, task_id, resumed=resumed)
        except (EventCallbackError, asyncio.CancelledError):
            raise
        except Exception as exc:
            self._note_fatal(exc)
            if not isinstance(exc, InvalidRequestError | PreviousRunError) or stage != "create":
                record = {"type": "failed", "key": w.key, "stage": stage, "at": time.time()}
                record.update(task_id=task_id, final=_is_final(exc), error=_error_record(exc))
                await self.journal.append(record)
            return BulkItem(
                w.index, w.input, w.key, w.source, task_id=task_id, error=exc,
                resumed=entry.task_id is not None or isinstance(exc, PreviousRunError),
            )  # fmt: skip

    async def _progress_callback(self, w: WorkItem) -> Callable[[int, int | None], Any]:
        last = [-1]

        async def on_progress(sent: int, total: int | None) -> None:
            step = max((total or 0) // 50, 1 << 20)
            if sent == total or sent - last[0] >= step or sent < last[0]:
                last[0] = sent
                await self._event("uploaded", w, bytes_sent=sent, bytes_total=total)

        return on_progress

    async def _create(self, w: WorkItem) -> str:
        name = self.match_name(w)
        attempts = rate_waits = 0
        async with self.upload_slots:
            while True:
                self._check_fatal()
                await self.gate.wait()
                self._check_fatal()
                intent_at = time.time()
                await self.journal.append(
                    {"type": "intent", "key": w.key, "source": w.source, "at": intent_at}
                )
                await self._event("intent", w)
                try:
                    task_id = await _calls.create_task(
                        self.client, self.api, w, model_name=self.config.model_name,
                        options=self.options, top_level=self.top_level,
                        on_progress=await self._progress_callback(w),
                        request_options=_CREATE_OPTIONS, journal=self.journal,
                    )  # fmt: skip
                except RateLimitError as exc:
                    await self._record(w, "rejected", exc)
                    rate_waits += 1
                    if rate_waits > self.config.max_rate_limit_waits:
                        raise
                    delay = self.gate.trip(exc.retry_after)
                    await self._event("rate_limited", w, delay=delay, error=exc)
                    continue
                except InternalServerError as exc:
                    # Even a 503 with Retry-After may follow a create: look before retrying.
                    await self._record(w, "unknown", exc)
                    if (found := await self._adopt(w, name)) is not None:
                        return found
                    attempts += 1
                    if attempts >= self.config.max_attempts:
                        raise
                    await self._retry(w, exc, exc.retry_after or self._backoff(attempts))
                    continue
                except APIConnectionError as exc:
                    await self._record(w, "unknown", exc)
                    if (found := await self._adopt(w, name)) is not None:
                        return found
                    attempts += 1
                    if attempts >= self.config.max_attempts:
                        raise
                    await self._retry(w, exc, self._backoff(attempts))
                    continue
                except Exception as exc:
                    await self._record(w, "rejected", exc)
                    raise
                self.gate.success()
                self.created += 1
                await self.journal.append(
                    {"type": "created", "key": w.key, "task_id": task_id, "at": time.time()}
                )
                await self._event("created", w, task_id=task_id)
                return task_id

    async def _record(self, w: WorkItem, kind: str, exc: BaseException) -> None:
        record = {"type": kind, "key": w.key, "at": time.time(), "error": _error_record(exc)}
        await self.journal.append(record)

    async def _retry(self, w: WorkItem, exc: BaseException, delay: float) -> None:
        await self._event("retry", w, delay=delay, error=exc)
        await self.sleep(delay)

    async def _adopt(self, w: WorkItem, name: str | None) -> str | None:
        """After a create with an unknown outcome, adopt its task if the list shows one."""
        since = self.journal.entry(w.key).orphan_since
        if name is None or since is None:
            return None
        await self.sleep(self.config.reconcile_delay)  # let the list catch up with the create
        try:
            found = await self.reconciler.find([(w.key, name, since)])
        except _TRANSIENT:
            return None
        task_id = found.get(w.key)
        if task_id is not None:
            await self.record_adoption(w, task_id)
        return task_id

    async def record_adoption(self, w: WorkItem, task_id: str) -> None:
        """Journal a task found in the list as this input's task."""
        await self.journal.append(
            {"type": "created", "key": w.key, "task_id": task_id, "at": time.time(),
             "recovered": True}
        )  # fmt: skip
        await self._event("recovered", w, task_id=task_id)

    async def _wait(self, w: WorkItem, task_id: str, *, resumed: bool) -> BulkItem:
        async def on_status(status: Any) -> None:
            text = getattr(status, "status", None)
            text = None if text is None else str(getattr(text, "value", text))
            if text not in ("ready", "failed"):
                await self._event("processing", w, task_id=task_id, status=text)

        async with self.wait_slots:
            response = await self._transient_retries(w, lambda: self._wait_once(task_id, on_status))
        segments = _calls.extract_segments(response, w.source)
        await self._done(w, task_id, segments)
        return BulkItem(
            w.index, w.input, w.key, w.source, task_id=task_id, segments=segments,
            resumed=resumed, response=response,
        )  # fmt: skip

    async def _wait_once(self, task_id: str, on_status: Callable[[Any], Any]) -> Any:
        if self.api == "v1":
            tasks = self.client.embed.tasks
            status = await tasks.wait_for_done(
                task_id, sleep_interval=self.config.poll_interval, callback=on_status,
                timeout=self.config.task_timeout,
            )  # fmt: skip
            value = getattr(status, "status", None)
            if str(getattr(value, "value", value)) == "failed":
                raise TaskFailedError(f"task {task_id} failed", task_id=task_id, status=status)
            return await tasks.retrieve(task_id, embedding_option=self.embedding_option)
        return await self.client.embed.v2.tasks.wait_for_done(
            task_id, sleep_interval=self.config.poll_interval, callback=on_status,
            timeout=self.config.task_timeout, raise_on_failure=True,
        )  # fmt: skip

    async def _transient_retries(self, w: WorkItem, call: Callable[[], Awaitable[Any]]) -> Any:
        attempts = 0
        while True:
            try:
                return await call()
            except _TRANSIENT as exc:
                attempts += 1
                if attempts >= self.config.max_attempts:
                    raise
                await self._retry(w, exc, self._backoff(attempts))

    async def _sync(self, w: WorkItem) -> BulkItem:
        attempts = rate_waits = 0
        async with self.upload_slots:
            while True:
                self._check_fatal()
                await self.gate.wait()
                try:
                    response = await _calls.embed_sync(
                        self.client, self.api, w, model_name=self.config.model_name,
                        options=self.options, top_level=self.top_level,
                        request_options=_CREATE_OPTIONS, journal=self.journal,
                    )  # fmt: skip
                    break
                except RateLimitError as exc:
                    rate_waits += 1
                    if rate_waits > self.config.max_rate_limit_waits:
                        raise
                    delay = self.gate.trip(exc.retry_after)
                    await self._event("rate_limited", w, delay=delay, error=exc)
                except (APIConnectionError, InternalServerError) as exc:
                    attempts += 1
                    if attempts >= self.config.max_attempts:
                        raise
                    await self._retry(w, exc, self._backoff(attempts))
            self.gate.success()
        segments = _calls.extract_segments(response, w.source)
        await self._done(w, None, segments)
        return BulkItem(w.index, w.input, w.key, w.source, segments=segments, response=response)

    async def _done(self, w: WorkItem, task_id: str | None, segments: list[Segment]) -> None:
        record: dict[str, Any] = {"type": "done", "key": w.key, "task_id": task_id}
        record.update(rows=len(segments), dim=len(segments[0].vector) if segments else 0)
        if task_id is None:
            record["segments"] = encode_segments(segments)
        record["at"] = time.time()
        await self.journal.append(record)

    async def _rebuild(self, w: WorkItem, done: Mapping[str, Any]) -> BulkItem:
        """The result of an input finished by an earlier run: from the journal or the API."""
        task_id = done.get("task_id")
        if not isinstance(task_id, str):
            segments = decode_segments(done.get("segments") or [])
            return BulkItem(w.index, w.input, w.key, w.source, segments=segments, resumed=True)
        async with self.wait_slots:
            try:
                response = await self._transient_retries(w, lambda: self._retrieve(task_id))
            except NotFoundError as exc:
                exc.add_note(
                    "the task's results are gone (the API keeps them 7 days); embed this"
                    " input again with a new journal file"
                )
                raise
        segments = _calls.extract_segments(response, w.source)
        return BulkItem(
            w.index, w.input, w.key, w.source, task_id=task_id, segments=segments,
            resumed=True, response=response,
        )  # fmt: skip

    async def _retrieve(self, task_id: str) -> Any:
        if self.api == "v1":
            return await self.client.embed.tasks.retrieve(
                task_id, embedding_option=self.embedding_option
            )
        return await self.client.embed.v2.tasks.retrieve(task_id)
