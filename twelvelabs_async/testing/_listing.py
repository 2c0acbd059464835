"""Task listing and the v1-style task metadata shared by both API versions."""

from __future__ import annotations

import math
from typing import Any

from twelvelabs_async import limits
from twelvelabs_async.testing._http import (
    ApiError,
    Call,
    Reply,
    compact_number,
    invalid,
    json_reply,
)
from twelvelabs_async.testing._state import Task, format_time, parse_time

MAX_PAGE_LIMIT = limits.MAX_PAGE_LIMIT


def not_found(task_id: str, collection: str) -> ApiError:
    """Return the 404 ``resource_not_exist`` error for an unknown task id."""
    return ApiError(
        404,
        "resource_not_exist",
        f"Resource with id {task_id} does not exist in {collection}.",
        {"task_id": task_id},
    )


def media_metadata(url: str | None, filename: str | None) -> dict[str, Any]:
    """Return ``{input_url}`` or ``{input_filename}``, whichever named the input."""
    return {"input_url": url} if url else {"input_filename": filename}


def video_metadata(task: Task) -> dict[str, Any]:
    """Return a task's v1-style ``VideoEmbeddingMetadata``."""
    spec = task.spec
    meta = media_metadata(task.input_url, task.input_filename)
    if task.version == 1:
        meta["video_clip_length"] = compact_number(spec["clip_length"])
        meta["video_embedding_scope"] = spec["scopes"]
    else:
        if spec.get("strategy") == "fixed":
            meta["video_clip_length"] = compact_number(spec["seg_param"])
        meta["video_embedding_scope"] = spec["scopes"]
    meta["duration"] = compact_number(task.duration)
    return meta


def audio_metadata(task: Task) -> dict[str, Any]:
    """Return a v2 audio task's v1-style ``AudioEmbeddingMetadata``."""
    spec = task.spec
    meta = media_metadata(task.input_url, task.input_filename)
    meta["audio_embedding_options"] = spec["options"]
    meta["audio_embedding_scopes"] = spec["scopes"]
    meta["duration"] = compact_number(task.duration)
    meta["start_offset_sec"] = compact_number(spec["start"])
    meta["end_offset_sec"] = compact_number(spec["end"])
    return meta


def _page_number(call: Call, name: str, default: int, maximum: int | None) -> int:
    raw = call.query_one(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid(f"The {name} parameter must be an integer, got {raw!r}.", name) from None
    if value < 1 or (maximum is not None and value > maximum):
        limit = f" and at most {maximum}" if maximum is not None else ""
        raise invalid(f"The {name} parameter must be at least 1{limit}, got {value}.", name)
    return value


def _time_filter(call: Call, name: str) -> Any:
    raw = call.query_one(name)
    if not raw:
        return None
    try:
        return parse_time(raw)
    except ValueError:
        raise invalid(
            f"The {name} parameter must be an RFC 3339 date-time, got {raw!r}.", name
        ) from None


def list_item(task: Task, now: float) -> dict[str, Any]:
    """Return a task as a ``MediaEmbeddingTask`` list item."""
    item: dict[str, Any] = {
        "_id": task.id,
        "model_name": task.model_name,
        "status": task.status_at(now),
        "created_at": format_time(task.created_at),
        "updated_at": format_time(task.updated_at(now)),
    }
    if task.input_type == "audio":
        item["audio_embedding"] = {"metadata": audio_metadata(task)}
    elif task.input_type in ("image", "document"):
        # Marengo 3.5 kinds, in the official SDK's singular spelling.
        kind = task.input_type
        meta = media_metadata(task.input_url, task.input_filename)
        meta[f"{kind}_embedding_option"] = task.spec.get("options", ["visual"])
        meta[f"{kind}_embedding_scope"] = task.spec.get("scopes", ["asset"])
        item[f"{kind}_embedding"] = {"metadata": meta}
    else:
        item["video_embedding"] = {"metadata": video_metadata(task)}
    return item


def list_tasks(call: Call, version: int) -> Reply:
    """Answer a task list request: filters, newest first, page-based pagination."""
    page = _page_number(call, "page", 1, None)
    limit = _page_number(call, "page_limit", 10, MAX_PAGE_LIMIT)
    status = call.query_one("status") or None
    started = _time_filter(call, "started_at")
    ended = _time_filter(call, "ended_at")
    tasks = call.state.listing(version, status, started, ended)
    now = call.state.now()
    chunk = tasks[(page - 1) * limit : page * limit]
    return json_reply(
        {
            "data": [list_item(t, now) for t in chunk],
            "page_info": {
                "limit_per_page": limit,
                "page": page,
                "total_page": math.ceil(len(tasks) / limit),
                "total_results": len(tasks),
            },
        }
    )
