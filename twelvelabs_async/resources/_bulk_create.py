"""``client.embed.tasks.create_bulk``: the official SDK's helper, on the bulk engine's parts.

The official helper creates the tasks one after another, prints and drops the ones that
fail, and returns a shorter list. This one keeps the signature but creates up to
``concurrency`` tasks at once, holds every create back while the API answers 429 (the bulk
engine's :class:`~twelvelabs_async.bulk.RateGate`), and returns **one result per input, in
input order**, each with the created task or the error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from twelvelabs_async.errors import InvalidRequestError, RateLimitError, TwelveLabsError

if TYPE_CHECKING:
    from twelvelabs_async.models import TasksCreateResponse

__all__ = ["VIDEO_KEYS", "BulkCreateResult", "create_bulk"]

#: The keys of one video, as in the official ``CreateEmbeddingsTaskVideoParams``.
VIDEO_KEYS = (
    "video_file",
    "video_url",
    "video_start_offset_sec",
    "video_end_offset_sec",
    "video_clip_length",
    "video_embedding_scope",
)

#: The official docstring's example spells the scope in the plural, which the official
#: code ignores; here it means what the example meant.
_ALIASES = {"video_embedding_scopes": "video_embedding_scope"}


@attrs.frozen
class BulkCreateResult:
    """The outcome of one video of :meth:`~.embed_tasks.EmbedTasks.create_bulk`.

    Attributes:
        index: the video's position in ``videos``.
        input: the video parameters exactly as given.
        task: the create response (``None`` when the create failed).
        error: the error that made this video fail (``None`` on success).
    """

    index: int
    input: Any
    task: TasksCreateResponse | None = None
    error: TwelveLabsError | None = None

    @property
    def id(self) -> str | None:
        """The created task's id, as ``TasksCreateResponse.id`` (``None`` on failure)."""
        return None if self.task is None else self.task.id

    @property
    def ok(self) -> bool:
        """Whether the task was created."""
        return self.error is None


def video_kwargs(video: object) -> dict[str, Any]:
    """Read one video's create keywords from a dict or an object with those attributes.

    Raises:
        InvalidRequestError: an unknown key (named), or neither a dict nor an object.
    """
    if isinstance(video, Mapping):
        out: dict[str, Any] = {}
        for key, value in video.items():
            name = _ALIASES.get(key, key)
            if name not in VIDEO_KEYS:
                raise InvalidRequestError(
                    f"videos: unknown key {key!r}; a video takes {', '.join(VIDEO_KEYS)}"
                )
            if value is not None:
                out[name] = value
        return out
    if isinstance(video, str | bytes) or not any(hasattr(video, k) for k in VIDEO_KEYS):
        raise InvalidRequestError(
            "videos: each item must be a dict of create keywords such as "
            f"{{'video_url': ...}}, got {type(video).__name__}"
        )
    return {k: getattr(video, k) for k in VIDEO_KEYS if getattr(video, k, None) is not None}


async def create_bulk(
    create: Callable[..., Awaitable[TasksCreateResponse]],
    videos: Sequence[Any],
    *,
    concurrency: int,
    max_rate_limit_waits: int,
) -> list[BulkCreateResult]:
    """Create one task per video, ``concurrency`` at a time; never raise for one video.

    Args:
        create: ``create(**video_keywords)``: the task create call, model and options bound.
        videos: the video parameters.
        concurrency: creates in flight at once.
        max_rate_limit_waits: 429s one video may meet before it fails with the last one.

    Returns:
        One :class:`BulkCreateResult` per video, in input order.
    """
    from twelvelabs_async.bulk import RateGate

    gate = RateGate()
    results: list[BulkCreateResult | None] = [None] * len(videos)
    indexes = iter(range(len(videos)))

    async def one(index: int) -> BulkCreateResult:
        video = videos[index]
        waits = 0
        try:
            kwargs = video_kwargs(video)
            while True:
                await gate.wait()
                try:
                    task = await create(**kwargs)
                except RateLimitError as exc:
                    waits += 1
                    if waits > max_rate_limit_waits:
                        raise
                    gate.trip(exc.retry_after)
                    continue
                gate.success()
                return BulkCreateResult(index=index, input=video, task=task)
        except TwelveLabsError as exc:
            return BulkCreateResult(index=index, input=video, error=exc)

    async def worker() -> None:
        for index in indexes:
            results[index] = await one(index)

    async with asyncio.TaskGroup() as group:
        for _ in range(min(concurrency, len(videos))):
            group.create_task(worker())
    return [r for r in results if r is not None]
