"""v1 video embedding tasks (``client.embed.tasks``).

::

    task = await client.embed.tasks.create(model_name="marengo3.0", video_file="match.mp4")
    status = await client.embed.tasks.wait_for_done(task.id, timeout=3600)
    if status.status == "ready":
        result = await client.embed.tasks.retrieve(task.id)

    # or all three in one call (raises TaskFailedError if the task fails):
    result = await client.embed.tasks.create_and_retrieve(
        model_name="marengo3.0", video_url="https://cdn.example.com/match.mp4")

    async for task in client.embed.tasks.list(status="ready"):
        ...
    pager = await client.embed.tasks.list(page_limit=50)  # the first page, loaded
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from twelvelabs_async import _polling
from twelvelabs_async._pagination import DEFAULT_MAX_PAGES, AsyncPager
from twelvelabs_async._validate_v1 import (
    build_retrieve_query,
    build_task_fields,
    check_task_id,
)
from twelvelabs_async.errors import InvalidRequestError, ResponseValidationError
from twelvelabs_async.models import (
    TasksCreateResponse,
    TasksRetrieveResponse,
    TasksStatusResponse,
)
from twelvelabs_async.resources._base import Resource
from twelvelabs_async.resources._task_list import task_pager

if TYPE_CHECKING:
    from twelvelabs_async._uploads import UploadFile
    from twelvelabs_async.models import MediaEmbeddingTask
    from twelvelabs_async.resources._bulk_create import BulkCreateResult
    from twelvelabs_async.types import (
        FileInput,
        ProgressCallback,
        RequestOptions,
        RequestOptionsDict,
    )

__all__ = ["EmbedTasks"]


class EmbedTasks(Resource):
    """Create, inspect, list and wait for v1 video embedding tasks.

    Args:
        requester: sends the requests (the client's transport).
    """

    async def create(
        self,
        *,
        model_name: str,
        video_file: FileInput | None = None,
        video_url: str | None = None,
        video_start_offset_sec: float | None = None,
        video_end_offset_sec: float | None = None,
        video_clip_length: float | None = None,
        video_embedding_scope: str | Sequence[str] | None = None,
        on_upload_progress: ProgressCallback | None = None,
        request_options: RequestOptions | RequestOptionsDict | None = None,
    ) -> TasksCreateResponse:
        """Start a video embedding task (v1 ``POST /embed/tasks``).

        Args:
            model_name: ``"marengo3.0"`` (``"Marengo-retrieval-2.7"`` is retired: refused).
            video_file: a local video: a path (streamed from disk), bytes, a binary file
                object or a ``(filename, content[, content_type])`` tuple.
            video_url: public URL of a raw video file. Give exactly one of ``video_file``
                and ``video_url`` (the API would silently prefer the URL; we refuse both).
            video_start_offset_sec: where to start, seconds (>= 0). Give both offsets or
                neither.
            video_end_offset_sec: where to stop, seconds; greater than the start by at
                least ``video_clip_length`` (6 by default).
            video_clip_length: seconds per clip, 2 to 10 (the API's default is 6).
            video_embedding_scope: ``"clip"`` and/or ``"video"``; one string or a list.
                Sent as a repeated form field. Unknown values are sent as given.
            on_upload_progress: ``callback(bytes_sent, total)`` during the upload.
            request_options: per-call timeout, retries, headers.

        Returns:
            The ``TasksCreateResponse``; its ``.id`` names the task.

        Raises:
            InvalidRequestError: a rule above is broken or the file is missing; raised
                before any byte is sent.
            APIError: the API call failed. A create is retried only when the task surely
                was not created, so no duplicate is billed.
        """
        fields, files = build_task_fields(
            model_name=model_name,
            video_file=video_file,
            video_url=video_url,
            video_start_offset_sec=video_start_offset_sec,
            video_end_offset_sec=video_end_offset_sec,
            video_clip_length=video_clip_length,
            video_embedding_scope=video_embedding_scope,
        )
        multipart: list[tuple[str, str | UploadFile]] = [*fields, *files.items()]
        return await self._call(
            "POST",
            "embed/tasks",
            TasksCreateResponse,
            multipart=multipart,
            options=request_options,
            create=True,
            on_progress=on_upload_progress,
        )

    async def status(
        self, task_id: str, *, request_options: RequestOptions | RequestOptionsDict | None = None
    ) -> TasksStatusResponse:
        """Read a task's status (v1 ``GET /embed/tasks/{task_id}/status``); no vectors.

        Args:
            task_id: the id from :meth:`create`.
            request_options: per-call timeout, retries, headers.

        Returns:
            The ``TasksStatusResponse``; ``.status`` is ``processing``, ``ready`` or
            ``failed`` (or a newer value, kept as a plain string).

        Raises:
            InvalidRequestError: ``task_id`` is empty or not an id.
            NotFoundError: no such task (or it expired after 7 days).
        """
        tid = check_task_id(task_id)
        return await self._call(
            "GET", ("embed", "tasks", tid, "status"), TasksStatusResponse, options=request_options
        )

    async def retrieve(
        self,
        task_id: str,
        *,
        embedding_option: str | Sequence[str] | None = None,
        request_options: RequestOptions | RequestOptionsDict | None = None,
    ) -> TasksRetrieveResponse:
        """Fetch a task's vectors (v1 ``GET /embed/tasks/{task_id}``).

        Args:
            task_id: the id from :meth:`create`.
            embedding_option: only these kinds (``"visual"``, ``"audio"``,
                ``"transcription"``; ``"visual-text"`` for 2.7); one string or a list, sent as
                a repeated query key. ``None`` returns every kind available.
            request_options: per-call timeout, retries, headers.

        Returns:
            The ``TasksRetrieveResponse``; vectors are in ``.video_embedding.segments``
            (``float_``, ``start_offset_sec``, ``end_offset_sec``, ``embedding_option``,
            ``embedding_scope``).

        Raises:
            InvalidRequestError: ``task_id`` or ``embedding_option`` is invalid.
            NotFoundError: no such task (or it expired after 7 days).
        """
        tid = check_task_id(task_id)
        query = build_retrieve_query(embedding_option)
        return await self._call(
            "GET",
            ("embed", "tasks", tid),
            TasksRetrieveResponse,
            params=query,
            options=request_options,
        )

    def list(
        self,
        *,
        started_at: dt.datetime | str | None = None,
        ended_at: dt.datetime | str | None = None,
        status: str | None = None,
        page: int | None = None,
        page_limit: int | None = None,
        request_options: RequestOptions | RequestOptionsDict | None = None,
        max_pages: int = DEFAULT_MAX_PAGES,
    ) -> AsyncPager[MediaEmbeddingTask]:
        """List v1 tasks, newest first (v1 ``GET /embed/tasks``).

        Returns a pager at once (no request yet). Await it, as official code does, to load
        the first page; or iterate it directly for every item::

            pager = await client.embed.tasks.list(page_limit=50)   # one request
            pager.items, pager.has_next, pager.response.headers
            async for task in client.embed.tasks.list(status="ready"):
                ...

        Args:
            started_at: tasks created after this time: a timezone-aware ``datetime`` or an
                RFC 3339 string; sent as UTC ``YYYY-MM-DDTHH:MM:SSZ``.
            ended_at: tasks created before this time (same forms).
            status: ``"processing"``, ``"ready"`` or ``"failed"``.
            page: the page to start at (1-based, default 1).
            page_limit: tasks per page, 1 to 50 (the API's default is 10).
            request_options: per-call timeout, retries, headers (applied to every page).
            max_pages: the most pages one walk reads; a server still offering pages after
                that raises :class:`~twelvelabs_async.errors.TooManyPagesError`.

        Returns:
            An :class:`~twelvelabs_async._pagination.AsyncPager` of ``MediaEmbeddingTask``.
            It stops after ``page_info.total_page`` without an extra request, and on a
            repeated page.

        Raises:
            InvalidRequestError: a filter is of the wrong type or out of range (raised
                here, by ``list()`` itself).
        """
        return task_pager(
            self._requester,
            "embed/tasks",
            started_at=started_at,
            ended_at=ended_at,
            status=status,
            page=page,
            page_limit=page_limit,
            request_options=request_options,
            max_pages=max_pages,
        )

    async def create_bulk(
        self,
        *,
        model_name: str,
        videos: Sequence[Any],
        request_options: RequestOptions | RequestOptionsDict | None = None,
        concurrency: int = 4,
        max_rate_limit_waits: int = 20,
    ) -> builtins.list[BulkCreateResult]:
        """Create one task per video, concurrently (the official SDK's ``create_bulk``).

        Unlike the official helper, which creates one task after another and prints and
        drops the ones that fail, this returns one result per video in input order, each
        with ``.task`` (and ``.id``) or ``.error``; a 429 pauses every create (shared
        gate) instead of failing the video. For a job that also waits for the tasks and
        collects their vectors, resumable after a crash, use
        :class:`~twelvelabs_async.bulk.BulkEmbedJob`.

        Args:
            model_name: ``"marengo3.0"`` (any name is sent as given).
            videos: dicts (or objects) with the keywords of :meth:`create`:
                ``video_file`` or ``video_url``, ``video_start_offset_sec``,
                ``video_end_offset_sec``, ``video_clip_length``, ``video_embedding_scope``
                (also spelled ``video_embedding_scopes``, as in the official docstring).
            request_options: per-call timeout, retries, headers for each create.
            concurrency: creates in flight at once (default 4).
            max_rate_limit_waits: 429s one video may meet before it fails.

        Returns:
            A :class:`~twelvelabs_async.resources._bulk_create.BulkCreateResult` per video:
            ``.index``, ``.input``, ``.task``, ``.id``, ``.error``, ``.ok``.

        Raises:
            InvalidRequestError: ``videos`` is not a list, or a count is not an integer
                >= 1. A bad video fails alone, in its result, before any byte is sent.
        """
        from twelvelabs_async.resources._bulk_create import create_bulk

        if isinstance(videos, str | bytes) or not isinstance(videos, Sequence):
            raise InvalidRequestError("videos must be a list of dicts of create keywords")
        for name, value in (
            ("concurrency", concurrency),
            ("max_rate_limit_waits", max_rate_limit_waits),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidRequestError(f"{name} must be an integer >= 1, got {value!r}")

        async def create(**kwargs: Any) -> TasksCreateResponse:
            return await self.create(
                model_name=model_name, **kwargs, request_options=request_options
            )

        return await create_bulk(
            create, videos, concurrency=concurrency, max_rate_limit_waits=max_rate_limit_waits
        )

    async def wait_for_done(
        self,
        task_id: str,
        *,
        sleep_interval: float = _polling.DEFAULT_SLEEP_INTERVAL,
        callback: _polling.StatusCallback | None = None,
        # The public name is fixed by the official SDK's signature.
        timeout: float | None = None,  # noqa: ASYNC109
        raise_on_failure: bool = False,
        request_options: RequestOptions | RequestOptionsDict | None = None,
    ) -> TasksStatusResponse:
        """Poll a task's status until it is ``ready`` or ``failed``.

        Reads ``GET /embed/tasks/{task_id}/status`` every ``sleep_interval`` seconds (±10 %
        jitter). Transient errors are retried by the transport on each read; an error that
        remains (401, 404, ...) is raised at once rather than polled forever. Any status
        other than ``ready`` and ``failed``, including values the API may add, means "keep
        waiting". Cancelling the awaiting task stops the wait cleanly.

        Args:
            task_id: the id from :meth:`create`.
            sleep_interval: seconds between reads; must be greater than 0 (default 5).
            callback: called with each ``TasksStatusResponse`` read, the first included; a
                plain function or a coroutine function. Its exceptions propagate.
            timeout: seconds before giving up (``None``: no limit).
            raise_on_failure: ``False`` (default, as in the official SDK): a failed task is
                returned and the caller checks ``.status``. ``True``: raise
                :class:`~twelvelabs_async.errors.TaskFailedError` instead.
            request_options: per-call timeout, retries, headers for each read.

        Returns:
            The last ``TasksStatusResponse`` (status ``ready`` or ``failed``). It carries
            no vectors: call :meth:`retrieve`.

        Raises:
            InvalidRequestError: a bad ``task_id``, ``sleep_interval`` or ``timeout``.
            WaitTimeoutError: still not done after ``timeout``; ``.last_status`` holds the
                last read (it is also a ``TimeoutError``).
            TaskFailedError: the task failed and ``raise_on_failure`` is true.
            APIError: a status read failed for good.
        """
        tid = check_task_id(task_id)

        async def fetch() -> TasksStatusResponse:
            return await self.status(tid, request_options=request_options)

        return await _polling.wait_for_done(
            fetch,
            task_id=tid,
            sleep_interval=sleep_interval,
            callback=callback,
            timeout=timeout,
            raise_on_failure=raise_on_failure,
        )

    async def create_and_retrieve(
        self,
        *,
        model_name: str,
        video_file: FileInput | None = None,
        video_url: str | None = None,
        video_start_offset_sec: float | None = None,
        video_end_offset_sec: float | None = None,
        video_clip_length: float | None = None,
        video_embedding_scope: str | Sequence[str] | None = None,
        embedding_option: str | Sequence[str] | None = None,
        sleep_interval: float = _polling.DEFAULT_SLEEP_INTERVAL,
        callback: _polling.StatusCallback | None = None,
        timeout: float | None = None,  # noqa: ASYNC109
        on_upload_progress: ProgressCallback | None = None,
        request_options: RequestOptions | RequestOptionsDict | None = None,
    ) -> TasksRetrieveResponse:
        """Create a task, wait until it is done, and return its vectors: one call.

        The arguments are those of :meth:`create`, :meth:`wait_for_done` and
        :meth:`retrieve`; all of them are checked before the task is created.

        Returns:
            The ``TasksRetrieveResponse`` of the ready task.

        Raises:
            InvalidRequestError: an argument is invalid (nothing was created).
            TaskFailedError: the task ended ``failed``; ``.task_id`` names it.
            WaitTimeoutError: not done within ``timeout``; the task keeps running and
                ``.task_id`` lets you wait again or retrieve it later.
            APIError: an API call failed.
        """
        _polling.check_wait_args(sleep_interval, timeout, callback)
        build_retrieve_query(embedding_option)
        task = await self.create(
            model_name=model_name,
            video_file=video_file,
            video_url=video_url,
            video_start_offset_sec=video_start_offset_sec,
            video_end_offset_sec=video_end_offset_sec,
            video_clip_length=video_clip_length,
            video_embedding_scope=video_embedding_scope,
            on_upload_progress=on_upload_progress,
            request_options=request_options,
        )
        if not task.id:
            raise ResponseValidationError("the task create response has no _id", path="$._id")
        # raise_on_failure=True: this helper promises vectors, so a failed task is an error.
        await self.wait_for_done(
            task.id,
            sleep_interval=sleep_interval,
            callback=callback,
            timeout=timeout,
            raise_on_failure=True,
            request_options=request_options,
        )
        return await self.retrieve(
            task.id, embedding_option=embedding_option, request_options=request_options
        )
