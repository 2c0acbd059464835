"""How one work item becomes API calls, per API flavour, and how results become segments.

* ``v1``: videos go through ``/embed/tasks`` (multipart upload or ``video_url``); audio,
  images and ``{"text": ...}`` through the synchronous ``/embed``.
* ``v2``: audio and video through ``/embed-v2/tasks`` (local files as base64, or as an
  uploaded asset when too large for base64); images and text through ``/embed-v2``.
* ``v2-sync``: everything through ``/embed-v2`` (short media only: up to 10 minutes).

Everything here reads models with ``getattr`` so that the engine does not depend on the
exact generated class of each response.
"""

from __future__ import annotations

import array
import asyncio
import os
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from twelvelabs_async._segments import iter_segments, modality_error_messages
from twelvelabs_async.errors import (
    AssetFailedError,
    EmbeddingError,
    InvalidRequestError,
    NotFoundError,
    ResponseValidationError,
)

from ._inputs import WorkItem
from ._types import Segment

if TYPE_CHECKING:
    from twelvelabs_async.client import AsyncTwelveLabs
    from twelvelabs_async.resources.multipart_upload import UploadProgress
    from twelvelabs_async.types import ProgressCallback, RequestOptions

    from ._journal import Journal

__all__ = ["API_NAMES", "ApiName", "Route", "extract_segments", "route"]

ApiName = Literal["v1", "v2", "v2-sync"]
API_NAMES: tuple[ApiName, ...] = ("v1", "v2", "v2-sync")

#: ``task``: create, wait, retrieve. ``sync``: one call returns the result.
Route = Literal["task", "sync"]

_V1_TASK_KEYS = frozenset({"video_file", "video_url"})
_V2_SYNC_TYPES = frozenset({"text", "image", "text_image", "multi_input"})


def route(api: ApiName, item: WorkItem) -> Route:
    """Say whether an item becomes a task or a synchronous call."""
    if api == "v2-sync":
        return "sync"
    if item.kind == "request":
        request = item.request or {}
        if api == "v1":
            return "task" if _V1_TASK_KEYS & set(request) else "sync"
        input_type = request.get("input_type")
        if input_type is None:
            input_type = next(
                (k for k in ("video", "audio", "image", "text") if k in request), None
            )
        return "sync" if input_type in _V2_SYNC_TYPES else "task"
    if item.kind == "video" or (api == "v2" and item.kind in ("audio", "document")):
        return "task"
    return "sync"


def match_name(api: ApiName, item: WorkItem) -> str | None:
    """What the task list shows for the item's task, or ``None`` when it cannot be told.

    v2 has no file upload: a local file travels as base64 and its task carries no name.
    """
    if item.url is not None:
        return item.url
    if api == "v1" and item.path is not None:
        return item.path.name
    if api == "v1" and item.request is not None:
        value = item.request.get("video_file")
        if isinstance(value, str):
            return value.replace("\\", "/").rsplit("/", 1)[-1]
    return None


def task_names(task: Any) -> set[str]:
    """The file names and URLs a listed task's metadata mentions."""
    names = set()
    for holder in ("video_embedding", "audio_embedding"):
        meta = getattr(getattr(task, holder, None), "metadata", None)
        for attr in ("input_filename", "input_url"):
            value = getattr(meta, attr, None)
            if isinstance(value, str) and value:
                names.add(value)
    return names


async def _v2_media(
    item: WorkItem,
    options: Mapping[str, Any],
    client: AsyncTwelveLabs,
    journal: Journal | None,
    on_progress: ProgressCallback | None = None,
) -> dict[str, Any]:
    from twelvelabs_async.resources.embed_v2 import (
        MAX_BASE64_SOURCE_BYTES,
        media_source_from_file,
    )

    if item.url is not None:
        source: dict[str, Any] = {"url": item.url}
    elif item.path is not None:
        size = await asyncio.to_thread(os.path.getsize, item.path)
        if size > MAX_BASE64_SOURCE_BYTES:
            source = {"asset_id": await _asset_for(client, item, journal, on_progress)}
        else:
            source = await asyncio.to_thread(media_source_from_file, item.path)
    else:  # pragma: no cover - text and requests are handled by the callers
        raise InvalidRequestError(f"{item.source}: no media to embed")
    return {"media_source": source, **options}


async def _asset_for(
    client: AsyncTwelveLabs,
    item: WorkItem,
    journal: Journal | None,
    on_progress: ProgressCallback | None,
) -> str:
    """The ready asset of a local file too large for base64, uploaded once per job.

    The asset id is journaled as soon as the upload ends, so a resumed job reuses it (unless
    it failed or is gone) instead of uploading the file again.
    """
    assert item.path is not None
    entry = journal.entry(item.key) if journal is not None else None
    if entry is not None and entry.asset_id is not None:
        try:
            ready = await client.assets.wait_for_ready(entry.asset_id)
            return str(ready.id or entry.asset_id)
        except (AssetFailedError, NotFoundError):
            pass  # upload again below

    def progress(p: UploadProgress) -> object:
        return on_progress(p.bytes_sent, p.total_bytes) if on_progress is not None else None

    asset = await client.assets.upload(item.path, wait=False, progress_callback=progress)
    asset_id = str(asset.id)
    if journal is not None:
        await journal.append(
            {"type": "asset", "key": item.key, "asset_id": asset_id, "at": time.time()}
        )
    await client.assets.wait_for_ready(asset_id)
    return asset_id


def _v1_task_kwargs(item: WorkItem, options: Mapping[str, Any]) -> dict[str, Any]:
    if item.request is not None:
        return {**options, **item.request}
    if item.url is not None:
        return {**options, "video_url": item.url}
    return {**options, "video_file": item.path}


def _v1_sync_kwargs(item: WorkItem) -> dict[str, Any]:
    if item.request is not None:
        return dict(item.request)
    if item.text is not None:
        return {"text": item.text}
    if item.kind == "document":
        raise InvalidRequestError(
            f"{item.source}: documents need Marengo 3.5 on the v2 API (api='v2', "
            "model_name='marengo3.5')"
        )
    kind = item.kind if item.kind in ("audio", "image") else "audio"
    if item.url is not None:
        return {f"{kind}_url": item.url}
    return {f"{kind}_file": item.path}


async def _v2_kwargs(
    item: WorkItem,
    options: Mapping[str, Any],
    *,
    sync: bool,
    client: AsyncTwelveLabs,
    journal: Journal | None,
    on_progress: ProgressCallback | None = None,
) -> dict[str, Any]:
    if item.request is not None:
        return dict(item.request)
    if item.text is not None:
        return {"input_type": "text", "text": {"input_text": item.text}}
    kind = item.kind
    if kind == "document" and sync:
        # The sync endpoint takes a document as the single source of a 3.5 multi_input.
        media = await _v2_media(item, {}, client, journal, on_progress)
        source = media["media_source"]
        return {
            "input_type": "multi_input",
            "multi_input": {"media_sources": [{"media_type": "document", **source}]},
        }
    media_opts = options if kind in ("audio", "video") else {}
    if sync and kind == "image":
        media_opts = {}
    media = await _v2_media(item, media_opts, client, journal, on_progress)
    return {"input_type": kind, kind: media}


async def create_task(
    client: AsyncTwelveLabs,
    api: ApiName,
    item: WorkItem,
    *,
    model_name: str,
    options: Mapping[str, Any],
    top_level: Mapping[str, Any],
    on_progress: ProgressCallback | None,
    request_options: RequestOptions,
    journal: Journal | None = None,
) -> str:
    """Create the item's task and return its id."""
    created: Any
    if api == "v1":
        kwargs = _v1_task_kwargs(item, options)
        created = await client.embed.tasks.create(
            model_name=model_name,
            **kwargs,
            on_upload_progress=on_progress,
            request_options=request_options,
        )
    else:
        v2 = await _v2_kwargs(
            item, options, sync=False, client=client, journal=journal, on_progress=on_progress
        )
        kwargs = {**top_level, **v2}
        created = await client.embed.v2.tasks.create(
            model_name=model_name, **kwargs, request_options=request_options
        )
    task_id = getattr(created, "id", None)
    if not isinstance(task_id, str) or not task_id:
        raise ResponseValidationError(f"{item.source}: the create answer carried no task id")
    return task_id


async def embed_sync(
    client: AsyncTwelveLabs,
    api: ApiName,
    item: WorkItem,
    *,
    model_name: str,
    options: Mapping[str, Any],
    top_level: Mapping[str, Any],
    request_options: RequestOptions,
    journal: Journal | None = None,
) -> Any:
    """Embed the item with one synchronous call and return the response."""
    if api == "v1":
        return await client.embed.create(
            model_name=model_name, **_v1_sync_kwargs(item), request_options=request_options
        )
    v2 = await _v2_kwargs(item, options, sync=True, client=client, journal=journal)
    kwargs = {**top_level, **v2}
    return await client.embed.v2.create(
        model_name=model_name, **kwargs, request_options=request_options
    )


def _vector(values: Any) -> array.array[float]:
    if hasattr(values, "astype") and hasattr(values, "tobytes"):  # a NumPy array
        vec: array.array[float] = array.array("f")
        vec.frombytes(values.astype("=f4").tobytes())
        return vec
    return array.array("f", values)


def extract_segments(response: Any, source: str = "") -> list[Segment]:
    """Turn any embedding response (v1 task, v1 sync, v2 sync or task) into segments.

    Segments without a vector are skipped. The reading itself is
    :func:`twelvelabs_async._segments.iter_segments`, shared with ``vectors`` and the stores.

    Raises:
        EmbeddingError: a v1 ``/embed`` answer carries an ``error_message``.
        ResponseValidationError: the response holds no embeddings at all.
    """
    errors = modality_error_messages(response)
    if errors:
        text = "; ".join(f"{k}: {v}" for k, v in errors.items())
        raise EmbeddingError(
            f"{source}: the API could not embed it ({text})", errors=errors, response=response
        )
    out = [
        Segment(_vector(r.vector), r.start_sec, r.end_sec, r.option, r.scope)
        for r in iter_segments(response)
        if r.vector is not None
    ]
    if not out and getattr(response, "data", None) is None and not _has_video(response):
        raise ResponseValidationError(f"{source}: the answer holds no embeddings")
    return out


def _has_video(response: Any) -> bool:
    return getattr(response, "video_embedding", None) is not None
