"""Embed API v2 async tasks: long audio and video (up to 4 h), plus images and documents on 3.5.

Reached as ``client.embed.v2.tasks``::

    task = await client.embed.v2.tasks.create(
        input_type="video", model_name="marengo3.0",
        video={"media_source": {"url": "https://cdn.example.com/long.mp4"}})
    done = await client.embed.v2.tasks.wait_for_done(task.id, timeout=3600)
    if done.status == "ready":
        vectors = [d.embedding for d in done.data]

v2 has a single read endpoint returning status and data together, so ``wait_for_done``
returns the final task including its embeddings (the official SDK has no v2 wait).
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

from twelvelabs_async import _polling
from twelvelabs_async._pagination import DEFAULT_MAX_PAGES, AsyncPager
from twelvelabs_async._validate_v1 import check_task_id
from twelvelabs_async._validate_v2 import build_task_body
from twelvelabs_async.models import (
    EmbeddingTaskResponse,
    MediaEmbeddingTask,
    V2TasksCreateResponse,
)
from twelvelabs_async.resources._base import Resource
from twelvelabs_async.resources._task_list import task_pager
from twelvelabs_async.resources._v2_local import find_local_sources, resolve_local_sources
from twelvelabs_async.resources.embed_v2 import WireDict, to_wire

if TYPE_CHECKING:
    from twelvelabs_async.models import (
        AsyncAudioInputRequest,
        AsyncDocumentInputRequest,
        AsyncImageInputRequest,
        AsyncVideoInputRequest,
    )
    from twelvelabs_async.types import RequestOptions, RequestOptionsDict

__all__ = ["EmbedV2Tasks"]


def _task_path(task_id: str) -> tuple[str, ...]:
    # Segments are quoted by the transport, so an id cannot address another endpoint.
    return ("embed-v2", "tasks", check_task_id(task_id))


class EmbedV2Tasks(Resource):
    """``/embed-v2/tasks``: create, list, retrieve, and wait for async embedding tasks.

    Args:
        requester: sends the requests (the client's transport).
    """

    async def create(
        self,
        *,
        model_name: str,
        input_type: str | None = None,
        audio: AsyncAudioInputRequest | WireDict | None = None,
        video: AsyncVideoInputRequest | WireDict | None = None,
        image: AsyncImageInputRequest | WireDict | None = None,
        document: AsyncDocumentInputRequest | WireDict | None = None,
        embedding_dimension: int | None = None,
        embedding_uncertainty: bool | None = None,
        upload_large_files: bool = True,
        request_options: RequestOptions | RequestOptionsDict | None = None,
    ) -> V2TasksCreateResponse:
        """Start an async embedding task (``POST /embed-v2/tasks``, answered with 202).

        Args:
            model_name: ``"marengo3.0"`` or ``"marengo3.5"``; unknown names are sent as is.
            input_type: ``audio`` or ``video`` (3.5 adds ``image`` and ``document``); may be
                left out when exactly one input argument is given.
            audio: ``{"media_source": {...}, "start_sec", "end_sec", "segmentation", ...}``
                as a dict shaped like the wire JSON or a generated request class. On 3.5
                segmentation goes inside ``{"temporal": {...}}``; on 3.0 it must not.
            video: like ``audio``.
            image: ``{"media_source": {...}, ...}`` (3.5 only).
            document: ``{"media_source": {...}, ...}`` (3.5 only).
            embedding_dimension: 128, 256 or 512 (3.5 only).
            embedding_uncertainty: also return per-value uncertainty (3.5 only; with audio
                or video, leave ``asset`` out of ``embedding_scope``).
            upload_large_files: a ``media_source`` given as a local path
                (``pathlib.Path``) too large for base64 is uploaded as an asset (waited for
                until ready) and sent as ``asset_id``; ``False`` refuses such files.
            request_options: per-call timeout, retries and headers.

        Returns:
            The new task (``.id``, ``.status`` which is ``processing``).

        Raises:
            InvalidRequestError: the input breaks a documented rule (nothing was sent).
            APIError: the API refused the request or could not be reached.
        """
        parts = {
            "audio": to_wire(audio),
            "video": to_wire(video),
            "image": to_wire(image),
            "document": to_wire(document),
        }
        found = find_local_sources(parts)
        body = build_task_body(
            input_type=input_type,
            model_name=model_name,
            embedding_dimension=embedding_dimension,
            embedding_uncertainty=embedding_uncertainty,
            **parts,
        )
        if found:
            await resolve_local_sources(
                body, found, self._requester, upload_large_files=upload_large_files
            )
        return await self._call(
            "POST",
            "embed-v2/tasks",
            V2TasksCreateResponse,
            json=body,
            options=request_options,
            create=True,
        )

    def list(
        self,
        *,
        started_at: str | _dt.datetime | None = None,
        ended_at: str | _dt.datetime | None = None,
        status: str | None = None,
        page: int | None = None,
        page_limit: int | None = None,
        request_options: RequestOptions | RequestOptionsDict | None = None,
        max_pages: int = DEFAULT_MAX_PAGES,
    ) -> AsyncPager[MediaEmbeddingTask]:
        """List v2 tasks, newest first (``GET /embed-v2/tasks``).

        Returns a pager at once; await it to load the first page (one request), or
        iterate it for every item::

            pager = await client.embed.v2.tasks.list(page_limit=50)
            async for task in client.embed.v2.tasks.list(status="ready"):
                ...

        Without date filters the API returns only the last seven days.

        Args:
            started_at: tasks created after this time (RFC 3339 string or datetime).
            ended_at: tasks created before this time.
            status: ``processing``, ``ready`` or ``failed`` (other values are sent as is).
            page: first page to read (1-based).
            page_limit: items per page, 1 to 50.
            request_options: per-call timeout, retries and headers.
            max_pages: the most pages one walk reads before raising
                :class:`~twelvelabs_async.errors.TooManyPagesError`.

        Returns:
            An :class:`~twelvelabs_async._pagination.AsyncPager` of ``MediaEmbeddingTask``.

        Raises:
            InvalidRequestError: a filter has the wrong type or range (raised here, before
                any request).
        """
        return task_pager(
            self._requester,
            "embed-v2/tasks",
            started_at=started_at,
            ended_at=ended_at,
            status=status,
            page=page,
            page_limit=page_limit,
            request_options=request_options,
            max_pages=max_pages,
        )

    async def retrieve(
        self, task_id: str, *, request_options: RequestOptions | RequestOptionsDict | None = None
    ) -> EmbeddingTaskResponse:
        """Read a task's status and, once ready, its embeddings (``GET /embed-v2/tasks/{id}``).

        Args:
            task_id: the id returned by :meth:`create`.
            request_options: per-call timeout, retries and headers.

        Returns:
            The task: ``.status``; ``.data`` is ``None`` unless the status is ``ready``;
            ``.error.message`` says why when it is ``failed``.

        Raises:
            NotFoundError: no such task (or it expired after seven days).
            APIError: any other failure.
        """
        path = _task_path(task_id)
        return await self._call("GET", path, EmbeddingTaskResponse, options=request_options)

    async def wait_for_done(
        self,
        task_id: str,
        *,
        sleep_interval: float = _polling.DEFAULT_SLEEP_INTERVAL,
        callback: _polling.StatusCallback | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - the public name follows the contract
        raise_on_failure: bool = False,
        request_options: RequestOptions | RequestOptionsDict | None = None,
    ) -> EmbeddingTaskResponse:
        """Poll a task until it is ``ready`` or ``failed`` and return its final state.

        Args:
            task_id: the id returned by :meth:`create`.
            sleep_interval: seconds between reads (with a little jitter); must be > 0.
            callback: called with every task read, the first included; a plain function or
                a coroutine function. Its exceptions propagate.
            timeout: seconds before giving up (``None``: no limit).
            raise_on_failure: raise :class:`~twelvelabs_async.errors.TaskFailedError`
                instead of returning a ``failed`` task.
            request_options: per-call timeout, retries and headers for each read.

        Returns:
            The final retrieve response; when ``ready`` its ``data`` holds the embeddings.

        Raises:
            InvalidRequestError: ``sleep_interval`` or ``timeout`` is not positive.
            WaitTimeoutError: the timeout passed first (``last_status`` holds the last read).
            TaskFailedError: the task failed and ``raise_on_failure`` is true.
            APIError: a read failed for good (401, 404, ...), raised at once.
        """
        _task_path(task_id)  # a bad id fails here, not after the first sleep

        async def fetch() -> EmbeddingTaskResponse:
            return await self.retrieve(task_id, request_options=request_options)

        return await _polling.wait_for_done(
            fetch,
            task_id=task_id,
            sleep_interval=sleep_interval,
            callback=callback,
            timeout=timeout,
            raise_on_failure=raise_on_failure,
        )

    async def create_and_retrieve(
        self,
        *,
        model_name: str,
        input_type: str | None = None,
        audio: AsyncAudioInputRequest | WireDict | None = None,
        video: AsyncVideoInputRequest | WireDict | None = None,
        image: AsyncImageInputRequest | WireDict | None = None,
        document: AsyncDocumentInputRequest | WireDict | None = None,
        embedding_dimension: int | None = None,
        embedding_uncertainty: bool | None = None,
        sleep_interval: float = _polling.DEFAULT_SLEEP_INTERVAL,
        callback: _polling.StatusCallback | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - the public name follows the contract
        request_options: RequestOptions | RequestOptionsDict | None = None,
    ) -> EmbeddingTaskResponse:
        """Create a task, wait for it, and return it with its embeddings: one call.

        The arguments are those of :meth:`create` and :meth:`wait_for_done`; all are
        checked before the task is created, so a bad ``sleep_interval`` costs nothing.

        Returns:
            The ready task; ``.data`` holds the embeddings.

        Raises:
            InvalidRequestError: an argument breaks a documented rule (nothing was sent).
            TaskFailedError: the task failed (``.status.error.message`` says why).
            WaitTimeoutError: ``timeout`` passed first; the task keeps running and its id
                is on the exception (``task_id``).
            APIError: a request failed for good.
        """
        _polling.check_wait_args(sleep_interval, timeout, callback)
        task = await self.create(
            model_name=model_name,
            input_type=input_type,
            audio=audio,
            video=video,
            image=image,
            document=document,
            embedding_dimension=embedding_dimension,
            embedding_uncertainty=embedding_uncertainty,
            request_options=request_options,
        )
        return await self.wait_for_done(
            task.id,
            sleep_interval=sleep_interval,
            callback=callback,
            timeout=timeout,
            raise_on_failure=True,
            request_options=request_options,
        )
