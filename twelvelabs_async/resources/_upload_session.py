"""Opening or resuming the session behind ``upload_file``: a new one, a saved one, or by id."""

from __future__ import annotations

import asyncio
import logging
import math
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from twelvelabs_async.errors import UploadError
from twelvelabs_async.resources._chunked import ChunkPlan, check_plan
from twelvelabs_async.resources._upload_state import UploadState, save_state, urls_of

if TYPE_CHECKING:
    from twelvelabs_async._transport._storage import FileSlices
    from twelvelabs_async.resources.multipart_upload import MultipartUpload

__all__ = ["open_session"]

_log = logging.getLogger("twelvelabs_async.uploads")
_STATUS_PAGE = 50


async def open_session(
    uploads: MultipartUpload,
    state: str | UploadState | None,
    source: FileSlices,
    name: str,
    kind: str,
    state_file: str | os.PathLike[str] | None,
    on_session: Callable[[UploadState], object] | None,
    **create: Any,
) -> tuple[ChunkPlan, str]:
    """Resume the given session, or open a new one; return its plan and asset id."""
    options = create.get("request_options")
    if state is not None:
        if isinstance(state, str):
            state = await _state_by_id(uploads, state, source, options)
        if state.total_size != source.size:
            raise UploadError(
                f"session {state.upload_id} is for {state.total_size} bytes but the file "
                f"has {source.size}: the file changed; start a new upload",
                upload_id=state.upload_id,
                asset_id=state.asset_id,
            )
        plan = ChunkPlan(
            state.upload_id, state.chunk_size, state.total_chunks, dict(state.upload_headers)
        )
        check_plan(plan, source.size, asset_id=state.asset_id)
        usable = await _completed_chunks(uploads, plan, state.asset_id, options)
        if usable or state_file is None:
            _log.info("resuming upload %s: %d chunks stored", plan.upload_id, len(plan.done))
            return plan, state.asset_id
        _log.info("upload %s can no longer be used: starting a new one", state.upload_id)
    session = await uploads.create(filename=name, type=kind, total_size=source.size, **create)
    if not session.upload_id or not session.asset_id or not session.chunk_size:
        raise UploadError("the upload session answer lacks upload_id, asset_id or chunk_size")
    total = session.total_chunks or max(1, math.ceil(source.size / session.chunk_size))
    plan = ChunkPlan(
        session.upload_id, session.chunk_size, total, dict(session.upload_headers or {})
    )
    for index, url, expires in urls_of(session.upload_urls):
        plan.urls[index] = (url, expires)
    check_plan(plan, source.size, asset_id=session.asset_id)
    saved = UploadState(
        plan.upload_id, session.asset_id, plan.chunk_size, total, source.size,
        dict(plan.upload_headers), source.mtime_ns,
    )  # fmt: skip
    if state_file is not None:
        await asyncio.to_thread(save_state, state_file, saved)
    if on_session is not None:
        result = on_session(saved)
        if asyncio.iscoroutine(result):
            await result
    return plan, session.asset_id


async def _state_by_id(
    uploads: MultipartUpload, upload_id: str, source: FileSlices, options: Any
) -> UploadState:
    async for item in uploads.list_incomplete_uploads(page_limit=50, request_options=options):
        if item.upload_id == upload_id:
            return UploadState(upload_id, "", item.chunk_size, item.total_chunks, item.total_size)
    raise UploadError(
        f"no incomplete upload {upload_id!r} (it completed, expired or never existed)",
        upload_id=upload_id,
    )


async def _completed_chunks(
    uploads: MultipartUpload, plan: ChunkPlan, asset_id: str, options: Any
) -> bool:
    """Fill ``plan.done`` from the session's status; whether the session is usable."""
    pages = math.ceil(plan.total_chunks / _STATUS_PAGE)
    for number in range(1, pages + 1):
        status = await uploads.get_status(
            plan.upload_id, page=number, page_limit=_STATUS_PAGE, request_options=options
        )
        value = str(getattr(status.status, "value", status.status) or "active")
        if value in ("failed", "expired"):
            return False
        for chunk in status.uploaded_chunks or ():
            if chunk.index is not None and chunk.status == "completed":
                plan.done.add(chunk.index)
        if not status.uploaded_chunks:
            break
    return True
