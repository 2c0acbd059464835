"""The older SDK's task surface (``client.embed.task``, singular), awaited, on today's calls.

Code written for the hand-written 0.4 SDK runs with the import changed, ``await`` added and
the retired model name replaced::

    task = await client.embed.task.create(model_name="marengo3.0", video_url=url,
                                          video_embedding_scopes=["clip", "video"])
    status = await task.wait_for_done(sleep_interval=2, callback=on_task_update)
    task = await task.retrieve()
    for segment in task.video_embedding.segments:
        segment.embeddings_float

Each method maps to ``client.embed.tasks`` and warns once per process
(``DeprecationWarning``) with the current spelling. What ``create`` and ``retrieve``
return is an :class:`EmbeddingsTask`: a handle bound to the client that shows the fields
of the last read (``id``, ``model_name``, ``status``, ``video_embedding``, ...) and can
wait and retrieve. The models themselves stay free of I/O. Unlike the older SDK's,
``wait_for_done`` has a timeout and never swallows an error.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from twelvelabs_async import _polling
from twelvelabs_async.errors import InvalidRequestError
from twelvelabs_async.resources._base import Requester, Resource
from twelvelabs_async.resources.embed_tasks import EmbedTasks

if TYPE_CHECKING:
    from twelvelabs_async.models import (
        MediaEmbeddingTask,
        TasksRetrieveResponse,
        TasksStatusResponse,
    )
    from twelvelabs_async.types import FileInput, RequestOptions

__all__ = ["EmbeddingsTask", "LegacyEmbedTask", "TaskCallback"]

#: ``callback(task)`` receives the :class:`EmbeddingsTask` after every status read; a plain
#: function or a coroutine function.
TaskCallback = Callable[["EmbeddingsTask"], object]

# Which older spellings already warned in this process.
_warned: set[str] = set()

# The older SDK passed **kwargs to its HTTP layer; the one such option that has a meaning
# here is request_options.
_PASSED_THROUGH = frozenset({"request_options"})


def _deprecated(old: str, new: str) -> None:
    if old in _warned:
        return
    _warned.add(old)
    warnings.warn(
        f"{old} is the older SDK's spelling; use {new} instead",
        DeprecationWarning,
        stacklevel=3,
    )


def _options(method: str, kwargs: dict[str, Any]) -> RequestOptions | None:
    unknown = sorted(set(kwargs) - _PASSED_THROUGH)
    if unknown:
        raise InvalidRequestError(
            f"client.embed.task.{method}() got unexpected argument(s) {', '.join(unknown)}; "
            f"it takes the older SDK's arguments and request_options"
        )
    options: RequestOptions | None = kwargs.get("request_options")
    return options


def _task_id(data: object) -> str:
    """The task id a response carries; an error when the API's answer named none."""
    task_id = getattr(data, "id", None)
    if not isinstance(task_id, str) or not task_id:
        raise InvalidRequestError("this task has no id: the API's answer did not name one")
    return task_id


class EmbeddingsTask:
    """A v1 video task as the older SDK returned it: its fields plus ``wait_for_done``.

    Attribute reads (``id``, ``model_name``, ``status``, ``created_at``,
    ``video_embedding``, ...) answer from the last response read for the task; ``status``
    follows every status read.

    Args:
        tasks: the v1 tasks resource that reads the task.
        data: the last response read (status, retrieve or list item).
        task_id: the task's id, when ``data`` may not carry it.
    """

    def __init__(self, tasks: EmbedTasks, data: Any, task_id: str | None = None) -> None:
        self._tasks = tasks
        self._data = data
        self._id = task_id
        self._status: str | None = _polling.status_text(data)

    def __getattr__(self, name: str) -> Any:
        # Only called for names not found on the handle itself: the task's fields.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._data, name)

    def __repr__(self) -> str:
        return f"EmbeddingsTask(id={self.id!r}, status={self._status!r})"

    @property
    def id(self) -> str:
        """The task's id."""
        return self._id or _task_id(self._data)

    @property
    def status(self) -> str | None:
        """The status seen last: ``processing``, ``ready``, ``failed`` (or a newer value)."""
        return self._status

    @property
    def done(self) -> bool:
        """Whether the task reached ``ready`` or ``failed``."""
        return self._status in _polling.TERMINAL_STATUSES

    async def update_status(self, **kwargs: Any) -> str | None:
        """Read the task's status once and return it (``request_options`` accepted)."""
        read = await self._tasks.status(self.id, request_options=_options("status", kwargs))
        self._status = _polling.status_text(read)
        return self._status

    async def wait_for_done(
        self,
        *,
        sleep_interval: float = _polling.DEFAULT_SLEEP_INTERVAL,
        callback: TaskCallback | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - the engine's public name
        raise_on_failure: bool = False,
        **kwargs: Any,
    ) -> str | None:
        """Poll until the task is ``ready`` or ``failed``; return that status (a string).

        Args:
            sleep_interval: seconds between reads, greater than 0 (default 5).
            callback: ``callback(task)`` with this handle after every read, the first
                included; a plain function or a coroutine function. Its errors propagate.
            timeout: seconds before giving up with
                :class:`~twelvelabs_async.errors.WaitTimeoutError` (``None``: no limit,
                as in the older SDK; pass one in new code).
            raise_on_failure: raise :class:`~twelvelabs_async.errors.TaskFailedError`
                instead of returning ``"failed"``.
            **kwargs: ``request_options`` for each read.

        Returns:
            ``"ready"`` or ``"failed"``.

        Raises:
            WaitTimeoutError: not done within ``timeout``.
            APIError: a read failed for good (unlike the older SDK, errors are raised,
                not printed and retried forever).
        """
        options = _options("wait_for_done", kwargs)

        async def seen(read: TasksStatusResponse) -> None:
            self._status = _polling.status_text(read)
            if callback is not None:
                result = callback(self)
                if inspect.isawaitable(result):
                    await result

        _polling.check_wait_args(sleep_interval, timeout, callback)
        final = await self._tasks.wait_for_done(
            self.id,
            sleep_interval=sleep_interval,
            callback=seen,
            timeout=timeout,
            raise_on_failure=raise_on_failure,
            request_options=options,
        )
        self._status = _polling.status_text(final)
        return self._status

    async def retrieve(
        self, *, embedding_option: str | Sequence[str] | None = None, **kwargs: Any
    ) -> EmbeddingsTask:
        """Fetch the task with its vectors; a new handle whose ``video_embedding`` has them."""
        result = await self._tasks.retrieve(
            self.id,
            embedding_option=embedding_option,
            request_options=_options("retrieve", kwargs),
        )
        return EmbeddingsTask(self._tasks, result, self.id)


class LegacyEmbedTask(Resource):
    """``client.embed.task``: the older SDK's names for ``client.embed.tasks``.

    Args:
        requester: sends the requests (the client's transport).
        tasks: the current tasks resource the calls map to.
    """

    def __init__(self, requester: Requester, tasks: EmbedTasks) -> None:
        super().__init__(requester)
        self._tasks = tasks

    async def create(
        self,
        model_name: str,
        *,
        video_file: FileInput | None = None,
        video_url: str | None = None,
        video_start_offset_sec: float | None = None,
        video_end_offset_sec: float | None = None,
        video_clip_length: float | None = None,
        video_embedding_scopes: str | Sequence[str] | None = None,
        **kwargs: Any,
    ) -> EmbeddingsTask:
        """Start a v1 video task; the older SDK's form of ``client.embed.tasks.create``.

        As in the older SDK, the task is read once after it is created, so the handle
        shows its ``model_name`` and ``status``: one create costs two requests.

        Args:
            model_name: ``"marengo3.0"`` (``Marengo-retrieval-2.7`` is retired).
            video_file: a local video (a ``str`` is a path, as in the older SDK).
            video_url: public URL of a raw video file; give this or ``video_file``.
            video_start_offset_sec: where to start, seconds; both offsets or neither.
            video_end_offset_sec: where to stop, seconds.
            video_clip_length: seconds per clip, 2 to 10.
            video_embedding_scopes: ``"clip"`` and/or ``"video"`` (sent as the wire's
                ``video_embedding_scope``).
            **kwargs: ``request_options``.

        Returns:
            An :class:`EmbeddingsTask` handle.

        Raises:
            InvalidRequestError: invalid arguments (nothing was sent), or a retired model.
            APIError: the API call failed.
        """
        _deprecated(
            "client.embed.task.create",
            "client.embed.tasks.create(model_name=..., video_embedding_scope=[...])",
        )
        options = _options("create", kwargs)
        created = await self._tasks.create(
            model_name=model_name,
            video_file=video_file,
            video_url=video_url,
            video_start_offset_sec=video_start_offset_sec,
            video_end_offset_sec=video_end_offset_sec,
            video_clip_length=video_clip_length,
            video_embedding_scope=video_embedding_scopes,
            request_options=options,
        )
        task_id = _task_id(created)
        status = await self._tasks.status(task_id, request_options=options)
        return EmbeddingsTask(self._tasks, status, task_id)

    async def status(self, task_id: str, **kwargs: Any) -> TasksStatusResponse:
        """Read a task's status; the older SDK's form of ``client.embed.tasks.status``.

        The metadata is under ``.video_embedding.metadata`` (API v1.3), not at the top level
        as in the older SDK's v1.2-era model.
        """
        _deprecated("client.embed.task.status", "client.embed.tasks.status(task_id)")
        return await self._tasks.status(task_id, request_options=_options("status", kwargs))

    async def retrieve(
        self,
        id: str,  # the older SDK's argument name
        embedding_option: str | Sequence[str] | None = None,
        **kwargs: Any,
    ) -> EmbeddingsTask:
        """Fetch a task with its vectors; the older SDK's form of ``tasks.retrieve``."""
        _deprecated("client.embed.task.retrieve", "client.embed.tasks.retrieve(task_id)")
        result: TasksRetrieveResponse = await self._tasks.retrieve(
            id, embedding_option=embedding_option, request_options=_options("retrieve", kwargs)
        )
        return EmbeddingsTask(self._tasks, result)

    async def list(
        self,
        *,
        started_at: str | None = None,
        ended_at: str | None = None,
        page: int | None = None,
        page_limit: int | None = None,
        status: str | None = None,
        **kwargs: Any,
    ) -> list[EmbeddingsTask]:
        """One page of tasks as handles, newest first (the older SDK read one page).

        Use ``client.embed.tasks.list(...)`` for a pager over every page.
        """
        _deprecated("client.embed.task.list", "client.embed.tasks.list(...)")
        pager = self._tasks.list(
            started_at=started_at,
            ended_at=ended_at,
            status=status,
            page=page,
            page_limit=page_limit,
            request_options=_options("list", kwargs),
        )
        first = await pager.first_page()
        items: list[MediaEmbeddingTask] = first.items
        return [EmbeddingsTask(self._tasks, task) for task in items]
