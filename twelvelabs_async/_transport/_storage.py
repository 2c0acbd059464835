"""PUTs of file slices to presigned storage URLs (multipart uploads).

A presigned URL points at a storage host, not at the API, so a chunk PUT carries only the
headers the upload session asked for (``upload_headers``): never ``x-api-key``, never the
client's default headers, not even aiohttp's automatic ``User-Agent``/``Accept``. It
shares the client's connection pool.

Each chunk is streamed from its slice of the file: the body is a payload that reads the
slice in blocks of :data:`BLOCK_SIZE` with ``os.pread`` in a worker thread, so nothing is
copied to disk, no chunk is held whole in memory, and the event loop never blocks on the
disk. The exact ``Content-Length`` is known up front (storage services require it). Before
every block the file's size and modification time are compared with those seen when the
upload started, so a file that changes during the upload fails the chunk instead of
producing a corrupt asset.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Mapping
from typing import Any

import aiohttp
from aiohttp import payload as aiohttp_payload
from multidict import CIMultiDict
from yarl import URL

from twelvelabs_async._transport._session import SessionPool
from twelvelabs_async.errors import InvalidRequestError, UploadError
from twelvelabs_async.types import Timeout

__all__ = ["BLOCK_SIZE", "ChunkPutError", "FileSlices", "Storage"]

#: Bytes read from the file per block of a chunk body.
BLOCK_SIZE = 1024 * 1024
# What a failed PUT's body may add to an error message (storage answers in XML).
_EXCERPT = 300
# aiohttp adds these by itself; a presigned request must carry only what the session said.
_AUTO_HEADERS = ("User-Agent", "Accept", "Accept-Encoding", "Content-Type")


class ChunkPutError(UploadError):
    """One chunk PUT failed; the upload retries it on a fresh presigned URL.

    Attributes:
        status: the storage's HTTP status, or 0 when no response arrived.
    """

    def __init__(self, message: str, *, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


class FileSlices:
    """A file opened once for an upload, read by offset from worker threads.

    ``os.pread`` does not move a shared file position, so any number of chunks may read
    the same descriptor at once.

    Args:
        path: the file.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        st = os.fstat(self._fd)
        self.size = st.st_size
        self.mtime_ns = st.st_mtime_ns

    def check_unchanged(self) -> None:
        """Raise if the file's size or modification time differs from the start's.

        Raises:
            UploadError: the file changed since the upload started.
        """
        st = os.fstat(self._fd)
        if st.st_size != self.size or st.st_mtime_ns != self.mtime_ns:
            raise UploadError(
                f"{self.path!r} changed during the upload (size {self.size} -> {st.st_size}"
                " bytes, or a new modification time); do not modify a file while it is "
                "uploaded, and start a new upload of the final file"
            )

    def read(self, offset: int, size: int) -> bytes:
        """Read exactly ``size`` bytes at ``offset`` (blocking: call from a thread).

        Raises:
            UploadError: the file changed or is shorter than expected.
        """
        self.check_unchanged()
        data = os.pread(self._fd, size, offset)
        if len(data) != size:
            raise UploadError(
                f"{self.path!r} shrank during the upload ({size - len(data)} bytes missing "
                f"at offset {offset}); do not modify a file while it is uploaded"
            )
        return data

    def close(self) -> None:
        """Close the descriptor (idempotent)."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


class _SlicePayload(aiohttp_payload.Payload):
    """Streams ``length`` bytes of a file from ``offset``, block by block."""

    def __init__(
        self,
        source: FileSlices,
        offset: int,
        length: int,
        on_bytes: Callable[[int], None] | None,
        errors: list[BaseException],
    ) -> None:
        super().__init__(None, content_type=None)
        self._size = length
        self._source = source
        self._offset = offset
        self._on_bytes = on_bytes
        self._errors = errors

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        # aiohttp's Payload contract; aiohttp never calls it for a streamed body.
        raise TypeError("a streamed chunk cannot be decoded")

    async def write(self, writer: Any) -> None:
        await self.write_with_length(writer, None)

    async def write_with_length(self, writer: Any, content_length: int | None) -> None:
        remaining = self._size or 0
        if content_length is not None:
            remaining = min(remaining, content_length)
        offset = self._offset
        # One block is read ahead while the previous one is written, so the disk and the
        # socket work at the same time: two blocks per chunk in memory at most.
        ahead: asyncio.Future[bytes] | None = None
        try:
            if remaining > 0:
                ahead = self._read(offset, min(BLOCK_SIZE, remaining))
            while ahead is not None:
                block = await ahead
                n = len(block)
                offset += n
                remaining -= n
                ahead = self._read(offset, min(BLOCK_SIZE, remaining)) if remaining > 0 else None
                await writer.write(block)
                if self._on_bytes is not None:
                    self._on_bytes(n)
        except UploadError as exc:
            # aiohttp wraps what a payload raises; keep ours to raise it unchanged.
            self._errors.append(exc)
            raise
        finally:
            if ahead is not None and not ahead.done():
                ahead.cancel()

    def _read(self, offset: int, size: int) -> asyncio.Future[bytes]:
        future = asyncio.get_running_loop().run_in_executor(None, self._source.read, offset, size)
        # A read left behind by a failed write must not log "exception never retrieved".
        future.add_done_callback(_consume)
        return future


def _consume(future: asyncio.Future[bytes]) -> None:
    if not future.cancelled():
        future.exception()


class Storage:
    """Sends chunk PUTs to presigned URLs through the client's connection pool.

    Args:
        pool: the client's session pool (shared with the API calls).
        timeout: the limits of one chunk PUT.
    """

    def __init__(self, pool: SessionPool, timeout: Timeout) -> None:
        self._pool = pool
        self._timeout = aiohttp.ClientTimeout(total=timeout.total, sock_connect=timeout.connect)

    def __repr__(self) -> str:
        return "Storage()"

    def _session(self) -> aiohttp.ClientSession:
        session = self._pool.get()
        if session.headers:
            # A borrowed session's default headers are merged into every request, where
            # they would reach a host that is not the API.
            raise InvalidRequestError(
                "the aiohttp session given to the client has default headers "
                f"({', '.join(sorted(session.headers))}); chunk uploads go to a storage host "
                "that must not receive them: pass headers=... to AsyncTwelveLabs instead"
            )
        return session

    async def put(
        self,
        url: str,
        upload_headers: Mapping[str, str],
        source: FileSlices,
        offset: int,
        length: int,
        *,
        on_bytes: Callable[[int], None] | None = None,
    ) -> str:
        """PUT ``length`` bytes of ``source`` from ``offset`` to ``url``; return the ETag.

        Args:
            url: the presigned URL (http or https).
            upload_headers: the session's headers for chunk PUTs, sent as given.
            source: the file.
            offset: where the chunk starts in the file.
            length: the chunk's size in bytes.
            on_bytes: called with the size of each block as it is handed to the socket.

        Raises:
            ChunkPutError: no response, a non-2xx answer, or no ETag (worth a retry).
            UploadError: the file changed while the chunk was sent.
            InvalidRequestError: the URL is not http(s).
        """
        target = URL(url, encoded=True)
        if target.scheme not in ("http", "https") or not target.host:
            raise InvalidRequestError(f"the upload session gave an unusable chunk URL {url!r}")
        headers: CIMultiDict[str] = CIMultiDict(upload_headers)
        skip = [h for h in _AUTO_HEADERS if h not in headers]
        errors: list[BaseException] = []
        body = _SlicePayload(source, offset, length, on_bytes, errors)
        where = f"PUT to {target.host}"
        try:
            async with self._session().put(
                target,
                data=body,
                headers=headers,
                skip_auto_headers=skip,
                timeout=self._timeout,
                allow_redirects=False,
            ) as resp:
                if not 200 <= resp.status < 300:
                    text = (await resp.content.read(_EXCERPT)).decode("utf-8", "replace")
                    raise ChunkPutError(
                        f"{where} answered {resp.status}: {text.strip()[:_EXCERPT]}",
                        status=resp.status,
                    )
                await resp.content.read(_EXCERPT)
                etag = resp.headers.get("ETag", "").strip().strip('"')
        except (aiohttp.ClientError, TimeoutError) as exc:
            if errors:
                raise errors[0] from None
            raise ChunkPutError(f"{where} failed: {type(exc).__name__}: {exc}") from None
        if errors:
            raise errors[0]
        if not etag:
            raise ChunkPutError(f"{where} answered {resp.status} without an ETag")
        return etag
