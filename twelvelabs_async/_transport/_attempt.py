"""One attempt's pieces: the prepared call, its outcome, and the streamed multipart body."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Mapping
from typing import Any

import aiohttp
import attrs
from aiohttp import payload as aiohttp_payload
from yarl import URL

from twelvelabs_async._uploads import PartReader, UploadFile
from twelvelabs_async._wire import MultipartField
from twelvelabs_async.errors import APIConnectionError, APIError, APITimeoutError
from twelvelabs_async.types import ProgressCallback

__all__ = ["Attempt", "Call", "Outcome", "body_size", "build_form", "map_error"]


@attrs.define(eq=False)
class Attempt:
    """What one attempt's upload did, so that its errors are reported as ours."""

    readers: list[PartReader] = attrs.Factory(list)
    user_error: BaseException | None = None


@attrs.define(eq=False)
class Call:
    """One call's prepared request; ``url``/``query`` change when a redirect is followed."""

    method: str
    rel: str
    url: URL
    query: list[tuple[str, str]]
    # Kept out of the repr: it holds x-api-key, and a Call is a local of every frame of a
    # failed request (error trackers and debuggers print frame locals).
    headers: Mapping[str, str] = attrs.field(repr=False)
    timeout: aiohttp.ClientTimeout
    body: bytes | None
    fields: list[MultipartField] | None
    on_progress: ProgressCallback | None


@attrs.define(eq=False)
class Outcome:
    """One attempt's result: a status with headers and body, or an error."""

    status: int = 0
    headers: Mapping[str, str] = attrs.Factory(dict)
    raw: bytes = b""
    error: APIError | None = None
    nothing_sent: bool = False
    retry_ok: bool = True


class _Progress:
    def __init__(self, callback: ProgressCallback | None, total: int | None) -> None:
        self._callback = callback
        self._total = total
        self._sent = 0

    async def advance(self, n: int) -> None:
        self._sent += n
        if self._callback is not None:
            result = self._callback(self._sent, self._total)
            if inspect.isawaitable(result):
                await result


class _StreamPayload(aiohttp_payload.Payload):
    """Streams a :class:`PartReader` chunk by chunk, with an exact size when it is known."""

    def __init__(
        self, reader: PartReader, upload: UploadFile, progress: _Progress, attempt: Attempt
    ) -> None:
        super().__init__(None, content_type=upload.content_type, filename=upload.filename)
        self._size = reader.size
        self._reader = reader
        self._progress = progress
        self._attempt = attempt

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        raise TypeError("a streamed upload cannot be decoded")

    async def write(self, writer: Any) -> None:
        try:
            while chunk := await self._reader.read():
                await writer.write(chunk)
                await self._progress.advance(len(chunk))
        except (asyncio.CancelledError, OSError):
            raise
        except Exception as exc:
            # aiohttp wraps anything raised here; keep the original to re-raise it unchanged.
            self._attempt.user_error = exc
            raise

    async def close(self) -> None:
        await self._reader.aclose()


def build_form(call: Call, state: Attempt) -> aiohttp.MultipartWriter:
    """Build a fresh multipart body for one attempt, opening every file part anew."""
    fields = call.fields or []
    uploads = [v for _, v in fields if isinstance(v, UploadFile)]
    readers = []
    for upload in uploads:
        readers.append(upload.open())
        state.readers.append(readers[-1])
    sizes = [r.size for r in readers]
    total = None if any(s is None for s in sizes) else sum(s or 0 for s in sizes)
    progress = _Progress(call.on_progress, total)
    writer = aiohttp.MultipartWriter("form-data")
    it = iter(readers)
    for name, value in fields:
        if isinstance(value, UploadFile):
            part: aiohttp_payload.Payload = _StreamPayload(next(it), value, progress, state)
            part.set_content_disposition("form-data", name=name, filename=value.filename)
        else:
            part = aiohttp_payload.StringPayload(value)
            part.set_content_disposition("form-data", name=name)
        writer.append_payload(part)
    return writer


def map_error(exc: BaseException, call: Call) -> tuple[APIError, bool, bool]:
    """Map an aiohttp error or a bare timeout to ours.

    Returns:
        ``(error, nothing_sent, retry_ok)``: ``nothing_sent`` is true only when the request
        surely never left this machine (so even a create may be retried).
    """
    where = f"{call.method} {call.rel}"
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return APITimeoutError(f"{where}: timed out while connecting"), True, True
    if isinstance(exc, aiohttp.ServerTimeoutError):
        read = call.timeout.sock_read
        return (
            APITimeoutError(
                f"{where}: timed out waiting for the server: no byte for {read} s "
                "(the read timeout; raise it with Timeout(read=...))"
            ),
            False,
            True,
        )
    if isinstance(exc, aiohttp.ClientConnectorCertificateError | aiohttp.ClientSSLError):
        return APIConnectionError(f"{where}: TLS failure: {exc}"), True, False
    if isinstance(exc, aiohttp.ClientConnectorError):
        # Refused, unreachable, DNS: the request never left this machine.
        return APIConnectionError(f"{where}: cannot connect: {exc}"), True, True
    if isinstance(exc, aiohttp.InvalidURL):
        return APIConnectionError(f"{where}: invalid URL: {exc}"), True, False
    if isinstance(exc, aiohttp.ClientError):
        return (
            APIConnectionError(f"{where}: connection failed: {type(exc).__name__}: {exc}"),
            False,
            True,
        )
    # aiohttp's total timeout is a bare TimeoutError; it may have struck at any stage.
    hint = "raise the timeout for large uploads or slow links"
    return APITimeoutError(f"{where}: timed out after {call.timeout.total} s ({hint})"), False, True


def body_size(data: object) -> int | None:
    """The size of a request body in bytes, if known (for DEBUG logs)."""
    if data is None:
        return 0
    if isinstance(data, bytes):
        return len(data)
    size = getattr(data, "size", None)
    return size if isinstance(size, int) else None
