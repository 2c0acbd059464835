"""File inputs -> neutral descriptions of multipart parts, re-openable for every attempt.

This module knows nothing about HTTP: :func:`to_upload` validates and normalises one
:data:`~twelvelabs_async.types.FileInput` into an :class:`UploadFile`, and the transport
calls :meth:`UploadFile.open` once per attempt to get a fresh :class:`PartReader` that it
streams into the multipart body. Rebuilding per attempt matters because a failed send
leaves a stream at an unknown position (and the HTTP library closes files it was given).

* Paths are opened anew for each attempt and read in chunks in a worker thread, so a
  large video never sits in memory and the event loop never blocks on disk.
* Seekable file objects are rewound to the position they had when the call was made; the
  SDK never closes a file object it did not open.
* Non-seekable streams and async iterables can be read once only: :meth:`UploadFile.open`
  raises :class:`NotReplayableError` on a second attempt and the transport reports the
  first failure instead of retrying.
"""

from __future__ import annotations

import asyncio
import io
import mimetypes
import os
import stat
from collections.abc import AsyncIterable, AsyncIterator
from typing import IO, Any

import attrs

from twelvelabs_async.errors import InvalidRequestError

__all__ = ["CHUNK_SIZE", "NotReplayableError", "PartReader", "UploadFile", "to_upload"]

#: Bytes read from a file per chunk: large enough to keep thread hops rare, small enough
#: that memory stays flat whatever the file size.
CHUNK_SIZE = 512 * 1024

_ACCEPTED = (
    "a path (str or os.PathLike), bytes, a binary file object, an async iterable of bytes, "
    "or a (filename, content[, content_type]) tuple"
)


class NotReplayableError(InvalidRequestError):
    """A one-shot body (non-seekable stream, async iterable) was already sent once."""


class PartReader:
    """One attempt's view of a file part: :meth:`read` chunks until ``b""``, then :meth:`aclose`.

    Attributes:
        size: the exact number of bytes this reader yields, or ``None`` if unknown.
    """

    size: int | None = None

    async def read(self) -> bytes:
        """Return the next chunk, or ``b""`` at the end."""
        raise NotImplementedError

    async def aclose(self) -> None:
        """Release what this reader opened (idempotent)."""


class _BytesReader(PartReader):
    def __init__(self, data: bytes) -> None:
        self._view = memoryview(data)
        self.size = len(data)
        self._pos = 0

    async def read(self) -> bytes:
        chunk = self._view[self._pos : self._pos + CHUNK_SIZE]
        self._pos += len(chunk)
        return bytes(chunk)


class _FileReader(PartReader):
    """Reads exactly ``size`` bytes (when known) from a binary file, in a worker thread."""

    def __init__(self, fileobj: IO[bytes], size: int | None, *, owned: bool, label: str) -> None:
        self._file = fileobj
        self.size = size
        self._remaining = size
        self._owned = owned
        self._label = label

    async def read(self) -> bytes:
        want = CHUNK_SIZE if self._remaining is None else min(CHUNK_SIZE, self._remaining)
        if want == 0:
            return b""
        # A non-blocking raw stream may return None (nothing ready): treat it as the end.
        chunk: bytes = await asyncio.to_thread(self._file.read, want) or b""
        if self._remaining is not None:
            if not chunk:
                # Content-Length is already promised: a short body would hang the server.
                raise InvalidRequestError(
                    f"{self._label} shrank while it was being uploaded "
                    f"({self._remaining} bytes missing); do not modify a file during upload"
                )
            self._remaining -= len(chunk)
        return bytes(chunk)

    async def aclose(self) -> None:
        if self._owned and not self._file.closed:
            self._file.close()


class _AsyncIterReader(PartReader):
    def __init__(self, iterable: AsyncIterable[bytes], label: str) -> None:
        self._iter: AsyncIterator[bytes] = aiter(iterable)
        self._label = label

    async def read(self) -> bytes:
        while True:
            try:
                chunk = await anext(self._iter)
            except StopAsyncIteration:
                return b""
            if not isinstance(chunk, bytes | bytearray | memoryview):
                raise InvalidRequestError(
                    f"{self._label}: the async iterable yielded {type(chunk).__name__}, not bytes"
                )
            if chunk:
                return bytes(chunk)


@attrs.define(eq=False)
class UploadFile:
    """A validated file part, ready to be opened once per attempt.

    Attributes:
        field: the form field name (used in messages).
        filename: the filename sent in the part's ``Content-Disposition``.
        content_type: the part's ``Content-Type``.
        size: the content size in bytes as known now, or ``None`` for one-shot streams.
        replayable: whether the content can be sent again for a retry.
    """

    field: str
    filename: str
    content_type: str
    size: int | None
    replayable: bool
    _source: Any = attrs.field(alias="source", repr=False)
    _start: int = attrs.field(default=0, alias="start", repr=False)
    _opened: bool = attrs.field(default=False, init=False, repr=False)

    def open(self) -> PartReader:
        """Return a fresh reader positioned at the start of the content.

        Raises:
            NotReplayableError: the content is a one-shot stream that was already opened.
            InvalidRequestError: the path can no longer be opened.
        """
        if self._opened and not self.replayable:
            raise NotReplayableError(
                f"the content of {self.field!r} is a one-shot stream (an async iterable or a "
                "non-seekable file) that was already sent once, so it cannot be resent; pass "
                "a path, bytes or a seekable file to allow retries"
            )
        self._opened = True
        src = self._source
        if isinstance(src, bytes):
            return _BytesReader(src)
        if isinstance(src, _Path):
            try:
                fileobj = open(src.path, "rb")  # noqa: SIM115 - closed by the reader's aclose
            except OSError as exc:
                raise InvalidRequestError(
                    f"{self.field}: cannot open {src.path!r}: {exc.strerror}"
                ) from None
            size = os.fstat(fileobj.fileno()).st_size
            return _FileReader(fileobj, size, owned=True, label=f"{src.path!r}")
        if isinstance(src, AsyncIterable):
            return _AsyncIterReader(src, self.field)
        if self.replayable:
            src.seek(self._start)
        return _FileReader(src, self.size, owned=False, label=f"the file object of {self.field!r}")


@attrs.frozen
class _Path:
    path: str


def to_upload(value: object, *, field: str) -> UploadFile:
    """Validate a file input and describe it as a multipart part.

    Args:
        value: any :data:`~twelvelabs_async.types.FileInput`; a ``str`` is a path.
        field: the form field name, used for the default filename and in messages.

    Returns:
        An :class:`UploadFile`. Nothing is read yet (a path is only checked).

    Raises:
        InvalidRequestError: the value is of no accepted form, the path does not exist, is
            a directory or cannot be read, or a file object is in text mode.
    """
    if isinstance(value, UploadFile):
        return value
    filename: str | None = None
    content_type: str | None = None
    if isinstance(value, tuple):
        if len(value) not in (2, 3) or not isinstance(value[0], str):
            raise InvalidRequestError(
                f"{field}: a tuple must be (filename, content) or (filename, content, "
                f"content_type) with a str filename, got a {len(value)}-tuple"
            )
        filename = value[0]
        if len(value) == 3:
            if value[2] is not None and not isinstance(value[2], str):
                raise InvalidRequestError(f"{field}: the content type must be a str or None")
            content_type = value[2]
        value = value[1]
        if isinstance(value, tuple):
            raise InvalidRequestError(f"{field}: the content of a tuple cannot be a tuple")
    upload = _content_to_upload(value, field=field, filename=filename)
    if content_type:
        upload = attrs.evolve(upload, content_type=content_type)
    return upload


def _content_to_upload(value: object, *, field: str, filename: str | None) -> UploadFile:
    upload = _make_upload(value, field=field, filename=filename)
    if upload.size == 0:
        # An empty part is always a mistake (a truncated download, the wrong file); the API
        # would reject it after the upload, and a task may already cost a request.
        raise InvalidRequestError(
            f"{field}: {upload.filename!r} is empty (0 bytes); there is nothing to embed"
        )
    return upload


def _make_upload(value: object, *, field: str, filename: str | None) -> UploadFile:
    def guess(name: str) -> str:
        return mimetypes.guess_type(name)[0] or "application/octet-stream"

    if isinstance(value, str | os.PathLike):
        path = os.fspath(value)
        if not isinstance(path, str):
            path = os.fsdecode(path)
        size = _check_path(path, field)
        name = filename or os.path.basename(path) or field
        return UploadFile(field, name, guess(name), size, True, source=_Path(path))
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        name = filename or field
        return UploadFile(field, name, guess(name), len(data), True, source=data)
    if isinstance(value, io.TextIOBase):
        raise InvalidRequestError(
            f"{field}: the file object is open in text mode; open it with mode 'rb'"
        )
    if hasattr(value, "read"):
        return _fileobj_to_upload(value, field=field, filename=filename, guess=guess)
    if isinstance(value, AsyncIterable):
        name = filename or field
        return UploadFile(field, name, guess(name), None, False, source=value)
    raise InvalidRequestError(f"{field}: expected {_ACCEPTED}, got {type(value).__name__}")


def _fileobj_to_upload(value: Any, *, field: str, filename: str | None, guess: Any) -> UploadFile:
    own_name = getattr(value, "name", None)
    name = filename or (os.path.basename(own_name) if isinstance(own_name, str) else "") or field
    if getattr(value, "closed", False):
        raise InvalidRequestError(f"{field}: the file object is closed")
    seekable = False
    start = 0
    size: int | None = None
    try:
        if value.seekable():
            start = value.tell()
            size = value.seek(0, io.SEEK_END) - start
            value.seek(start)
            seekable = True
    except (AttributeError, OSError, ValueError):
        seekable = False
        size = None
    return UploadFile(field, name, guess(name), size, seekable, source=value, start=start)


def _check_path(path: str, field: str) -> int:
    if not os.path.exists(path):
        raise InvalidRequestError(
            f"{field}: no such file {path!r} (a str is read as a path; pass bytes or a "
            "(filename, content) tuple to send content)"
        )
    if os.path.isdir(path):
        raise InvalidRequestError(f"{field}: {path!r} is a directory, not a file")
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise InvalidRequestError(f"{field}: cannot read {path!r}: {exc.strerror}") from None
    if not stat.S_ISREG(mode):
        # Opening a FIFO blocks the whole event loop until a writer appears, and a pipe or
        # device has no size and cannot be re-read for a retry.
        raise InvalidRequestError(
            f"{field}: {path!r} is not a regular file (a pipe, socket or device); pass its "
            "content as bytes or as an open binary file object instead"
        )
    try:
        with open(path, "rb") as probe:
            return os.fstat(probe.fileno()).st_size
    except OSError as exc:
        raise InvalidRequestError(f"{field}: cannot read {path!r}: {exc.strerror}") from None
