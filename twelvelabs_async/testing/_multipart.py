"""The fake's multipart-upload endpoints: sessions, presigned URLs, chunk reports.

A session cuts a file into chunks of ``AssetsFake.chunk_size`` bytes and hands out URLs on
the storage host; a report is accepted only when its ETag and size match what the storage
host received, and the session turns into an asset once every chunk is reported.
"""

from __future__ import annotations

import time
from typing import Any

from twelvelabs_async.testing._assets import (
    _MAX_PAGE,
    MAX_MULTIPART_BYTES,
    UploadSession,
    _fake,
    _iso,
    _page,
    _page_info,
)
from twelvelabs_async.testing._http import ApiError, Call, Reply, invalid, json_reply, missing

__all__ = ["ROUTES"]


async def uploads_create(call: Call) -> Reply:
    """``POST /assets/multipart-uploads``."""
    fake = _fake(call)
    body = call.body.json if isinstance(call.body.json, dict) else {}
    for name in ("filename", "type", "total_size"):
        if body.get(name) is None:
            raise missing(name)
    size = body["total_size"]
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise invalid("total_size must be a positive integer", "total_size")
    if size > MAX_MULTIPART_BYTES:
        raise invalid("multipart uploads are limited to 10 GB", "total_size")
    if body["type"] not in ("video", "audio", "image"):
        raise invalid("type must be video, audio or image", "type")
    now = time.time()
    session = UploadSession(
        upload_id=fake._new_id(),
        asset_id=fake._new_id(),
        filename=str(body["filename"]),
        type=str(body["type"]),
        total_size=size,
        chunk_size=fake.chunk_size,
        upload_headers=dict(fake.upload_headers),
        created=now,
        expires_at=now + fake.session_lifetime,
        user_metadata=body.get("user_metadata"),
    )
    fake.sessions[session.upload_id] = session
    return json_reply(
        {
            "upload_id": session.upload_id,
            "asset_id": session.asset_id,
            "upload_urls": fake._urls(session, 1, fake.initial_urls),
            "upload_headers": session.upload_headers,
            "chunk_size": session.chunk_size,
            "total_chunks": session.total_chunks,
            "expires_at": _iso(session.expires_at),
        },
        status=201,
    )


def _usable(call: Call) -> UploadSession:
    session = _fake(call).session(call.request.match_info["upload_id"])
    if session.expired():
        raise ApiError(400, "upload_expired", "The upload session expired; start a new one.")
    return session


async def uploads_presigned(call: Call) -> Reply:
    """``POST /assets/multipart-uploads/{upload_id}/presigned-urls``."""
    session = _usable(call)
    body = call.body.json if isinstance(call.body.json, dict) else {}
    start, count = body.get("start"), body.get("count")
    if not isinstance(start, int) or not isinstance(count, int):
        raise invalid("start and count are required integers")
    if not 1 <= start <= session.total_chunks or not 1 <= count <= _MAX_PAGE:
        raise invalid(f"start must be 1 to {session.total_chunks} and count 1 to 50")
    urls = _fake(call)._urls(session, start, count)
    now = time.time()
    return json_reply(
        {
            "upload_id": session.upload_id,
            "start_index": start,
            "count": len(urls),
            "upload_urls": urls,
            "generated_at": _iso(now),
            "expires_at": _iso(now + _fake(call).url_lifetime),
        }
    )


async def uploads_report(call: Call) -> Reply:
    """``POST /assets/multipart-uploads/{upload_id}``: ETags checked against the storage."""
    fake = _fake(call)
    session = _usable(call)
    body = call.body.json if isinstance(call.body.json, dict) else {}
    chunks = body.get("completed_chunks")
    if not isinstance(chunks, list):
        raise missing("completed_chunks")
    processed = duplicates = 0
    for item in chunks:
        index = item.get("chunk_index") if isinstance(item, dict) else None
        if not isinstance(index, int) or not 1 <= index <= session.total_chunks:
            raise invalid(f"chunk_index {index!r} is out of range")
        got = session.received.get(index)
        proof = str(item.get("proof", "")).strip('"')
        if got is None or got[2] != proof or item.get("chunk_size") != got[0]:
            raise invalid(f"chunk {index}: the proof or size does not match what was stored")
        if index in session.reported:
            duplicates += 1
            continue
        session.reported[index] = (proof, got[0], time.time())
        processed += 1
    session.duplicates += duplicates
    out: dict[str, Any] = {
        "asset_id": session.asset_id,
        "processed_chunks": processed,
        "duplicate_chunks": duplicates,
        "total_completed": len(session.reported),
    }
    if len(session.reported) == session.total_chunks:
        if not session.completed:
            session.completed = True
            order = [(i, session.received[i][1]) for i in range(1, session.total_chunks + 1)]
            fake.new_asset(
                "multipart",
                session.filename,
                f"{session.type}/mp4" if session.type != "image" else "image/jpeg",
                asset_id=session.asset_id,
                user_metadata=session.user_metadata,
                size=session.total_size,
                chunks=order,
            )
        out["url"] = f"{fake.storage.root_url}/assets/{session.asset_id}"
    return json_reply(out)


async def uploads_status(call: Call) -> Reply:
    """``GET /assets/multipart-uploads/{upload_id}``: the chunk list, page by page."""
    session = _fake(call).session(call.request.match_info["upload_id"])
    page, limit = _page(call)
    first = (page - 1) * limit + 1
    chunks = []
    for index in range(first, min(first + limit, session.total_chunks + 1)):
        done = session.reported.get(index)
        chunks.append(
            {
                "index": index,
                "status": "completed" if done else "pending",
                "uploaded_at": _iso(done[2]) if done else None,
            }
        )
    uploaded = sum(size for _, size, _ in session.reported.values())
    return json_reply(
        {
            "upload_id": session.upload_id,
            "status": session.status(),
            "uploaded_chunks": chunks,
            "chunks_completed": len(session.reported),
            "chunks_failed": 0,
            "chunks_pending": session.total_chunks - len(session.reported),
            "total_size": session.total_size,
            "uploaded_size": uploaded,
            "created_at": _iso(session.created),
            "updated_at": _iso(time.time()),
            "page_info": _page_info(page, limit, session.total_chunks),
        }
    )


async def uploads_list(call: Call) -> Reply:
    """``GET /assets/multipart-uploads``: sessions that are not complete."""
    page, limit = _page(call)
    items = [s for s in reversed(_fake(call).sessions.values()) if not s.completed]
    chunk = items[(page - 1) * limit : page * limit]
    return json_reply(
        {
            "data": [
                {
                    "upload_id": s.upload_id,
                    "status": s.status(),
                    "total_size": s.total_size,
                    "chunk_size": s.chunk_size,
                    "total_chunks": s.total_chunks,
                    "created_at": _iso(s.created),
                    "expires_at": _iso(s.expires_at),
                }
                for s in chunk
            ],
            "page_info": _page_info(page, limit, len(items)),
        }
    )


#: (method, path, endpoint name, handler), registered before the asset routes (whose
#: ``/assets/{asset_id}`` would otherwise match ``/assets/multipart-uploads``).
ROUTES = (
    ("POST", "/assets/multipart-uploads", "multipart_upload.create", uploads_create),
    ("GET", "/assets/multipart-uploads", "multipart_upload.list_incomplete", uploads_list),
    (
        "POST",
        "/assets/multipart-uploads/{upload_id}/presigned-urls",
        "multipart_upload.get_additional_presigned_urls",
        uploads_presigned,
    ),
    ("GET", "/assets/multipart-uploads/{upload_id}", "multipart_upload.get_status", uploads_status),
    (
        "POST",
        "/assets/multipart-uploads/{upload_id}",
        "multipart_upload.report_chunk_batch",
        uploads_report,
    ),
)
