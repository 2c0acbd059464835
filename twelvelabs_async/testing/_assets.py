"""The fake's assets and multipart-upload endpoints (API side).

Assets go ``processing`` -> ``ready`` (or ``failed``, for file names listed in
:attr:`AssetsFake.fail_filenames`) after :attr:`AssetsFake.processing_time` seconds.
Multipart sessions cut a file into chunks of :attr:`AssetsFake.chunk_size` bytes, hand out
presigned URLs on the storage host (:mod:`._storage_host`), accept chunk reports whose
ETag matches what the storage host received, and turn into an asset once every chunk is
reported. Faults: :attr:`StorageHost.fail_puts`, :meth:`StorageHost.expire_all`,
:attr:`AssetsFake.url_lifetime`, :meth:`AssetsFake.expire_session`.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiohttp import web

from twelvelabs_async.testing._http import ApiError, Call, Reply, invalid, json_reply, missing
from twelvelabs_async.testing._storage_host import StorageHost

__all__ = ["ASSETS_KEY", "ROUTES", "AssetRecord", "AssetsFake", "UploadSession", "attach"]

MAX_DIRECT_BYTES = 200 * 1000 * 1000
MAX_MULTIPART_BYTES = 10 * 1000**3
_MAX_PAGE = 50


def _iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat().replace("+00:00", "Z")


def _not_found(what: str) -> ApiError:
    return ApiError(404, "resource_not_exist", f"No {what} with this id exists.")


@dataclass
class AssetRecord:
    """One asset of the fake."""

    id: str
    method: str
    filename: str
    file_type: str
    created: float
    ready_at: float
    fails: bool
    user_metadata: dict[str, Any] | None = None
    size: int = 0
    sha256: str | None = None
    chunks: list[tuple[int, str]] = field(default_factory=list)

    def status(self) -> str:
        """``processing`` until ready_at, then ``ready`` or ``failed``."""
        if time.time() < self.ready_at:
            return "processing"
        return "failed" if self.fails else "ready"

    def body(self, detail: bool) -> dict[str, Any]:
        """The wire form (``Asset``, or ``AssetDetail`` when ``detail``)."""
        status = self.status()
        out: dict[str, Any] = {
            "_id": self.id,
            "method": self.method,
            "status": status,
            "filename": self.filename,
            "file_type": self.file_type,
            "created_at": _iso(self.created),
            "user_metadata": self.user_metadata,
        }
        if detail and status == "ready":
            out["technical_metadata"] = {"size": self.size, "mime_type": self.file_type}
        if detail and status == "failed":
            out["error"] = {
                "code": "asset_processing_failed",
                "message": "The file could not be processed; it may be corrupt.",
            }
        return out


@dataclass
class UploadSession:
    """One multipart session of the fake."""

    upload_id: str
    asset_id: str
    filename: str
    type: str
    total_size: int
    chunk_size: int
    upload_headers: dict[str, str]
    created: float
    expires_at: float
    user_metadata: dict[str, Any] | None = None
    reported: dict[int, tuple[str, int, float]] = field(default_factory=dict)
    received: dict[int, tuple[int, str, str]] = field(default_factory=dict)
    duplicates: int = 0
    completed: bool = False

    @property
    def total_chunks(self) -> int:
        """How many chunks the file is cut into."""
        return max(1, math.ceil(self.total_size / self.chunk_size))

    def chunk_length(self, index: int) -> int:
        """The exact size chunk ``index`` must have."""
        if index < self.total_chunks:
            return self.chunk_size
        return self.total_size - self.chunk_size * (self.total_chunks - 1)

    def expired(self) -> bool:
        """Whether the session can no longer be used."""
        return not self.completed and time.time() >= self.expires_at

    def status(self) -> str:
        """``active``, ``completed`` or ``expired``."""
        if self.completed:
            return "completed"
        return "expired" if self.expired() else "active"


@dataclass
class AssetsFake:
    """Assets and multipart sessions, plus the storage host serving chunk URLs.

    Attributes:
        processing_time: seconds an asset stays ``processing``.
        chunk_size: bytes per chunk of new sessions.
        initial_urls: how many URLs a new session hands out at once (the rest are asked for).
        url_lifetime: seconds a presigned URL stays valid.
        session_lifetime: seconds a session stays usable.
        upload_headers: headers every chunk PUT must carry.
        fail_filenames: assets with these file names end ``failed``.
    """

    processing_time: float = 0.2
    chunk_size: int = 8 * 1024 * 1024
    initial_urls: int = 10
    url_lifetime: float = 3600.0
    session_lifetime: float = 24 * 3600.0
    upload_headers: dict[str, str] = field(
        default_factory=lambda: {"Content-Type": "application/octet-stream"}
    )
    fail_filenames: set[str] = field(default_factory=set)
    assets: dict[str, AssetRecord] = field(default_factory=dict)
    sessions: dict[str, UploadSession] = field(default_factory=dict)
    storage: StorageHost = field(init=False)
    _serial: int = 0

    def __post_init__(self) -> None:
        self.storage = StorageHost(self)

    def _new_id(self) -> str:
        self._serial += 1
        return f"{0x66A0000000000000 + self._serial:016x}{self._serial:08x}"

    def expire_session(self, upload_id: str) -> None:
        """Make a session expire now (a session that expires)."""
        self.sessions[upload_id].expires_at = 0.0

    def new_asset(self, method: str, filename: str, file_type: str, **extra: Any) -> AssetRecord:
        """Create an asset that starts ``processing`` now."""
        now = time.time()
        record = AssetRecord(
            id=extra.pop("asset_id", None) or self._new_id(),
            method=method,
            filename=filename,
            file_type=file_type,
            created=now,
            ready_at=now + self.processing_time,
            fails=filename in self.fail_filenames,
            **extra,
        )
        self.assets[record.id] = record
        return record

    def _urls(self, session: UploadSession, start: int, count: int) -> list[dict[str, Any]]:
        out = []
        for index in range(start, min(start + count, session.total_chunks + 1)):
            url, expires = self.storage.mint(session.upload_id, index, self.url_lifetime)
            out.append({"chunk_index": index, "url": url, "expires_at": _iso(expires)})
        return out

    def session(self, upload_id: str) -> UploadSession:
        """The session, or the API's 404."""
        session = self.sessions.get(upload_id)
        if session is None:
            raise _not_found("upload session")
        return session


ASSETS_KEY: web.AppKey[AssetsFake] = web.AppKey("twelvelabs_assets_fake", AssetsFake)


def _fake(call: Call) -> AssetsFake:
    return call.request.app[ASSETS_KEY]


def _page(call: Call) -> tuple[int, int]:
    try:
        page = int(call.query_one("page") or 1)
        limit = int(call.query_one("page_limit") or 10)
    except ValueError:
        raise invalid("page and page_limit must be integers") from None
    if page < 1 or not 1 <= limit <= _MAX_PAGE:
        raise invalid(f"page must be >= 1 and page_limit 1 to {_MAX_PAGE}")
    return page, limit


def _page_info(page: int, limit: int, total: int) -> dict[str, Any]:
    return {
        "page": page,
        "limit_per_page": limit,
        "total_page": max(1, math.ceil(total / limit)),
        "total_results": total,
    }


async def assets_create(call: Call) -> Reply:
    """``POST /assets``: direct upload or by URL."""
    fake = _fake(call)
    method = call.form_one("method")
    if method not in ("direct", "url"):
        raise missing("method", "method must be direct or url")
    metadata = None
    if (raw := call.form_one("user_metadata")) is not None:
        try:
            metadata = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise invalid("user_metadata must be a JSON-encoded object") from None
        if not isinstance(metadata, dict):
            raise invalid("user_metadata must be a JSON-encoded object")
    if method == "direct":
        upload = call.body.files.get("file")
        if upload is None:
            raise missing("file", "file is required when method is direct")
        if upload.size > MAX_DIRECT_BYTES:
            raise invalid("direct uploads are limited to 200 MB; use a multipart upload")
        name = call.form_one("filename") or upload.filename or "file"
        record = fake.new_asset(
            "direct",
            name,
            upload.content_type or "application/octet-stream",
            user_metadata=metadata,
            size=upload.size,
            sha256=upload.sha256,
        )
    else:
        url = call.form_one("url")
        if not url:
            raise missing("url", "url is required when method is url")
        name = call.form_one("filename") or url.rsplit("/", 1)[-1]
        record = fake.new_asset("url", name, "video/mp4", user_metadata=metadata)
    return json_reply(record.body(detail=False), status=201)


async def assets_list(call: Call) -> Reply:
    """``GET /assets``: newest first, with the documented filters."""
    page, limit = _page(call)
    query = call.request.query
    ids = set(query.getall("asset_ids", []))
    types = set(query.getall("asset_types", []))
    name = (call.query_one("filename") or "").lower()
    items = [
        a
        for a in reversed(_fake(call).assets.values())
        if (not ids or a.id in ids)
        and (not types or a.file_type.split("/", 1)[0] in types)
        and name in a.filename.lower()
    ]
    chunk = items[(page - 1) * limit : page * limit]
    return json_reply(
        {
            "data": [a.body(detail=False) for a in chunk],
            "page_info": _page_info(page, limit, len(items)),
        }
    )


async def assets_retrieve(call: Call) -> Reply:
    """``GET /assets/{asset_id}``."""
    record = _fake(call).assets.get(call.request.match_info["asset_id"])
    if record is None:
        raise _not_found("asset")
    return json_reply(record.body(detail=True))


async def assets_delete(call: Call) -> Reply:
    """``DELETE /assets/{asset_id}``."""
    if _fake(call).assets.pop(call.request.match_info["asset_id"], None) is None:
        raise _not_found("asset")
    return Reply(status=204, body=b"")


#: (method, path, endpoint name, handler) of the asset routes, registered by the app.
ROUTES = (
    ("POST", "/assets", "assets.create", assets_create),
    ("GET", "/assets", "assets.list", assets_list),
    ("GET", "/assets/{asset_id}", "assets.retrieve", assets_retrieve),
    ("DELETE", "/assets/{asset_id}", "assets.delete", assets_delete),
)


def attach(app: web.Application, fake: AssetsFake) -> None:
    """Give the app's handlers the fake, and run its storage host with the app."""
    app[ASSETS_KEY] = fake

    async def start(_app: web.Application) -> None:
        await fake.storage.start()

    async def stop(_app: web.Application) -> None:
        await fake.storage.close()

    app.on_startup.append(start)
    app.on_cleanup.append(stop)
