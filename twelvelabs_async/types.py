"""Public hand-written types: timeouts, per-call request options, file inputs, callbacks.

File inputs
-----------
Wherever the API takes a file (``video_file``, ``image_file``, ``audio_file``), any
:data:`FileInput` is accepted:

* a path, as ``str`` or ``os.PathLike`` (``pathlib.Path``). **A ``str`` is always a path
  here**, never the file's content (the official SDK sends a ``str`` as content). The file
  is streamed from disk, never read whole into memory; a missing path, a directory or an
  unreadable file raises :class:`~twelvelabs_async.errors.InvalidRequestError` before any
  byte is sent;
* ``bytes`` (or ``bytearray`` / ``memoryview``): the content itself;
* a binary file object (``open(path, "rb")``, ``io.BytesIO``): read from its current
  position; it is rewound for a retry when it is seekable, and never closed by the SDK;
* an async iterable of ``bytes`` (e.g. an async generator reading from object storage):
  streamed once, so a request carrying one is not retried after its body was sent;
* a tuple ``(filename, content)`` or ``(filename, content, content_type)`` where
  ``content`` is any of the above: names the part, and sets its content type (guessed
  from the filename otherwise).
"""

from __future__ import annotations

import math
import os
from collections.abc import AsyncIterable, Callable, Mapping
from typing import IO, Any, TypeAlias, TypedDict

import attrs

from twelvelabs_async.errors import InvalidRequestError

__all__ = [
    "FileContent",
    "FileInput",
    "ProgressCallback",
    "RequestOptions",
    "RequestOptionsDict",
    "Timeout",
]

#: What a file part can be made of (see the module docstring).
FileContent: TypeAlias = (
    "str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes] | AsyncIterable[bytes]"
)

#: A file argument: content, or content named by a ``(filename, content[, content_type])`` tuple.
FileInput: TypeAlias = "FileContent | tuple[str, FileContent] | tuple[str, FileContent, str | None]"

#: Called as ``callback(bytes_sent, total)`` while a request body is uploaded, after every
#: chunk. ``bytes_sent`` counts file content only (not form fields or multipart framing);
#: ``total`` is the sum of the file sizes, or ``None`` when a part's size is unknown (an
#: async iterable or a non-seekable stream). It may be a plain function or a coroutine
#: function (an awaitable result is awaited). A retry uploads the body again, so
#: ``bytes_sent`` restarts from 0.
ProgressCallback: TypeAlias = Callable[[int, "int | None"], object]


def _positive_or_none(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not value > 0
    ):
        raise InvalidRequestError(
            f"{attribute.name} must be a positive, finite number of seconds, or None for no "
            f"limit; got {value!r}"
        )


@attrs.frozen
class Timeout:
    """Time limits of one HTTP attempt, in seconds (``None`` means no limit).

    Attributes:
        total: the whole attempt: connecting, sending the body and reading the response.
            Large uploads on slow links need more than the default.
        connect: opening the TCP/TLS connection only. A connect timeout is safe to retry
            even for a create call, because nothing was sent.
        read: the longest wait for the next byte of the response once the request was
            sent (inactivity, not the whole read), so that a stalled server is given up on
            long before ``total``. The client's does not apply to sync embeddings
            (``embed.create``, ``embed.v2.create``), whose answer can take minutes to
            compute; a ``Timeout`` passed in their ``request_options`` does.
    """

    total: float | None = attrs.field(default=600.0, validator=_positive_or_none)
    connect: float | None = attrs.field(default=10.0, validator=_positive_or_none)
    read: float | None = attrs.field(default=60.0, validator=_positive_or_none)


@attrs.frozen
class RequestOptions:
    """Per-call overrides of the client's defaults; every field left ``None`` keeps the default.

    Attributes:
        timeout: seconds for the whole attempt (the connect limit stays the client's) or a
            :class:`Timeout`.
        max_retries: how many times a failed attempt may be retried (0 disables retries).
        extra_headers: headers added to this call. They cannot replace ``x-api-key``.
        on_progress: a :data:`ProgressCallback` for the upload of this call's files.
        max_response_size: the largest response body this call reads, in bytes (the
            client's ``max_response_size`` otherwise).
    """

    timeout: float | Timeout | None = None
    max_retries: int | None = None
    extra_headers: Mapping[str, str] | None = None
    on_progress: ProgressCallback | None = None
    max_response_size: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.timeout is not None and not isinstance(self.timeout, Timeout):
            _positive_or_none(self, attrs.fields(RequestOptions).timeout, self.timeout)
        if self.max_retries is not None and (
            isinstance(self.max_retries, bool)
            or not isinstance(self.max_retries, int)
            or self.max_retries < 0
        ):
            raise InvalidRequestError(
                f"max_retries must be an integer >= 0, got {self.max_retries!r}"
            )
        if self.max_response_size is not None:
            _check_size("max_response_size", self.max_response_size)


def _check_size(name: str, value: object) -> None:
    """Refuse anything but a positive ``int`` byte count (no float, so no NaN or infinity).

    Raises:
        InvalidRequestError: naming ``name``.
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidRequestError(f"{name} must be a positive integer of bytes, got {value!r}")


class RequestOptionsDict(TypedDict, total=False):
    """The dict form of ``request_options``, as the official SDK takes it.

    The official keys are ``timeout_in_seconds``, ``max_retries`` and
    ``additional_headers``; this SDK's own :class:`RequestOptions` field names (``timeout``,
    ``extra_headers``, ``on_progress``, ``max_response_size``) are accepted too. Any other
    key raises
    :class:`~twelvelabs_async.errors.InvalidRequestError` before anything is sent::

        await client.embed.tasks.status(
            task_id, request_options={"timeout_in_seconds": 20, "max_retries": 0}
        )
    """

    timeout_in_seconds: float
    max_retries: int
    additional_headers: Mapping[str, str]
    timeout: float | Timeout
    extra_headers: Mapping[str, str]
    on_progress: ProgressCallback
    max_response_size: int
