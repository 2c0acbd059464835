"""The fake's storage host: presigned chunk URLs served on a second port.

A real multipart upload PUTs its chunks to a storage service, not to the API. This host
plays that part on its own port of 127.0.0.1, so a test can see what reached which host.
It checks what a presigned URL guarantees (used once, not expired, the session's
``upload_headers`` present and equal, an exact ``Content-Length``), records every header
of every request, and keeps only the size and SHA-256 of each chunk it received.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from twelvelabs_async.testing._assets import AssetsFake

__all__ = ["StorageHost", "StoragePut"]

_READ = 256 * 1024


@dataclass
class StoragePut:
    """One request received by the storage host.

    Attributes:
        upload_id: the session the URL belonged to ('' when the URL was unknown).
        chunk_index: the chunk number (0 when unknown).
        headers: every header received, as sent.
        status: the status answered.
        size: bytes of body received.
        sha256: hex digest of the body received.
    """

    upload_id: str
    chunk_index: int
    headers: dict[str, str]
    status: int = 0
    size: int = 0
    sha256: str = ""


@dataclass
class _Url:
    upload_id: str
    chunk_index: int
    expires_at: float
    used: bool = False


@dataclass
class StorageHost:
    """The second host: mints presigned URLs and receives chunk PUTs.

    Attributes:
        host: interface bound.
        port: port bound (known once started).
        puts: every request received, in order.
        fail_puts: the next this-many chunk PUTs are answered 500 (after reading them).
        put_delay: seconds each PUT waits before answering (to cut an upload short).
    """

    fake: AssetsFake
    host: str = "127.0.0.1"
    port: int = 0
    puts: list[StoragePut] = field(default_factory=list)
    fail_puts: int = 0
    put_delay: float = 0.0
    _urls: dict[str, _Url] = field(default_factory=dict)
    _runner: web.AppRunner | None = None

    @property
    def root_url(self) -> str:
        """``http://host:port`` of the storage host."""
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        """Bind the second port and serve chunk PUTs."""
        if self._runner is not None:
            return
        app = web.Application(client_max_size=1024**3)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port, backlog=1024)
        await site.start()
        self._runner = runner
        self.port = int(runner.addresses[0][1])

    async def close(self) -> None:
        """Stop serving (idempotent); the port is kept for a restart."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    def mint(self, upload_id: str, chunk_index: int, lifetime: float) -> tuple[str, float]:
        """Return a new single-use URL for one chunk and its expiry (Unix time)."""
        token = secrets.token_urlsafe(16)
        expires = time.time() + lifetime
        self._urls[token] = _Url(upload_id, chunk_index, expires)
        return f"{self.root_url}/chunks/{upload_id}/{chunk_index}?token={token}", expires

    def expire_all(self) -> None:
        """Make every URL minted so far expired (URLs that expire early)."""
        for url in self._urls.values():
            url.expires_at = 0.0

    def puts_of(self, upload_id: str, chunk_index: int | None = None) -> list[StoragePut]:
        """The successful PUTs of one session (optionally one chunk)."""
        return [
            p
            for p in self.puts
            if p.upload_id == upload_id
            and p.status == 200
            and (chunk_index is None or p.chunk_index == chunk_index)
        ]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        record = StoragePut("", 0, dict(request.headers))
        self.puts.append(record)
        token = request.query.get("token", "")
        url = self._urls.get(token)
        if request.method != "PUT" or url is None:
            return await self._answer(request, record, 403, "InvalidAccessKeyId")
        record.upload_id, record.chunk_index = url.upload_id, url.chunk_index
        session = self.fake.sessions.get(url.upload_id)
        if session is None or session.expired():
            return await self._answer(request, record, 403, "NoSuchUpload")
        if url.used:
            return await self._answer(request, record, 403, "AccessDenied: URL already used")
        if time.time() >= url.expires_at:
            return await self._answer(request, record, 403, "AccessDenied: Request has expired")
        for name, value in session.upload_headers.items():
            if request.headers.get(name) != value:
                return await self._answer(request, record, 403, f"SignatureDoesNotMatch: {name}")
        expected = session.chunk_length(url.chunk_index)
        length = request.content_length
        if length is None or length != expected:
            return await self._answer(
                request, record, 400, f"BadDigest: Content-Length {length}, expected {expected}"
            )
        url.used = True
        digest = hashlib.sha256()
        size = 0
        while block := await request.content.read(_READ):
            size += len(block)
            digest.update(block)
        record.size, record.sha256 = size, digest.hexdigest()
        if self.put_delay:
            await asyncio.sleep(self.put_delay)
        if self.fail_puts > 0:
            self.fail_puts -= 1
            record.status = 500
            return web.Response(status=500, text="InternalError")
        etag = record.sha256[:32]
        session.received[url.chunk_index] = (size, record.sha256, etag)
        record.status = 200
        return web.Response(status=200, headers={"ETag": f'"{etag}"'})

    async def _answer(
        self, request: web.Request, record: StoragePut, status: int, code: str
    ) -> web.Response:
        # Drain what the client sends, so that it reads the answer instead of a reset.
        while await request.content.read(_READ):
            pass
        record.status = status
        return web.Response(status=status, text=f"<Error><Code>{code}</Code></Error>")
