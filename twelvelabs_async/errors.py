"""Exceptions raised by twelvelabs-async.

Every exception the SDK raises on purpose derives from :class:`TwelveLabsError`, and every one
pickles (for ``multiprocessing`` and error trackers) to the same type with the same fields::

    TwelveLabsError
    ├── InvalidRequestError (also ValueError)      bad input, raised before any byte is sent
    ├── APIError                                   something went wrong talking to the API
    │   ├── APIConnectionError                     no usable HTTP response (refused, reset, DNS)
    │   │   └── APITimeoutError (also TimeoutError) the request ran past its timeout
    │   ├── APIStatusError (alias ApiError)        the API answered with a non-2xx status
    │   │   ├── BadRequestError                    400
    │   │   ├── AuthenticationError                401
    │   │   ├── PermissionDeniedError              403
    │   │   ├── NotFoundError                      404
    │   │   ├── ConflictError                      409
    │   │   ├── UnprocessableEntityError           422
    │   │   ├── RateLimitError                     429
    │   │   └── InternalServerError                500 and above
    │   ├── ResponseValidationError                a 2xx body that does not fit the model
    │   ├── ResponseTooLargeError                  a body past max_response_size (not read)
    │   ├── UploadError                            a multipart upload could not finish
    │   ├── TooManyPagesError                      a list still offered pages after max_pages
    │   └── EmbeddingError                         a 200 from POST /embed where a modality failed
    ├── ClientClosedError (also RuntimeError)      the client was used after aclose()
    ├── InvalidStateError (also RuntimeError)      an object used in a state that forbids the call
    ├── TaskFailedError                            an embedding task ended with status "failed"
    │   └── AssetFailedError                       an asset ended with status "failed"
    ├── WaitTimeoutError (also TimeoutError)       wait_for_done gave up; carries the last status
    ├── JournalError                               a bulk journal that cannot serve this job
    ├── JobAbortedError                            a bulk input not tried: the job had to stop
    ├── PreviousRunError                           a bulk input that failed in an earlier run
    ├── EventCallbackError                         a bulk job's on_event callback raised
    └── StoreError                                 a vector store refused a write or a search
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from multidict import CIMultiDict, CIMultiDictProxy, MultiDict, MultiDictProxy

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "ApiError",
    "AssetFailedError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConflictError",
    "EmbeddingError",
    "EventCallbackError",
    "InternalServerError",
    "InvalidRequestError",
    "InvalidStateError",
    "JobAbortedError",
    "JournalError",
    "NotFoundError",
    "PermissionDeniedError",
    "PreviousRunError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "StoreError",
    "TaskFailedError",
    "TooManyPagesError",
    "TwelveLabsError",
    "UnprocessableEntityError",
    "UploadError",
    "WaitTimeoutError",
]


class TwelveLabsError(Exception):
    """Root of every exception raised by twelvelabs-async."""

    def __reduce__(self) -> tuple[Any, ...]:
        # The default reduction calls ``cls(*args)``, which fails for keyword-only fields,
        # and response headers arrive as read-only proxies that cannot be pickled.
        state = {name: _picklable(value) for name, value in self.__dict__.items()}
        return _restore, (type(self), self.args, state)


def _picklable(value: Any) -> Any:
    if isinstance(value, CIMultiDictProxy):
        return CIMultiDict(value)
    if isinstance(value, MultiDictProxy):
        return MultiDict(value)
    return value


def _restore(cls: type[TwelveLabsError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class InvalidRequestError(TwelveLabsError, ValueError):
    """The arguments of a call are invalid; raised before any request is sent."""


class ClientClosedError(TwelveLabsError, RuntimeError):
    """The client was used after ``aclose()``; create a new client instead."""


class APIError(TwelveLabsError):
    """Something went wrong while talking to the Twelve Labs API."""


class APIConnectionError(APIError):
    """No usable HTTP response arrived (connection refused, reset, DNS failure, ...)."""


class APITimeoutError(APIConnectionError, TimeoutError):
    """The request did not complete within its timeout."""


def _json_or_none(raw: bytes | None) -> Any:
    if not raw:
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None


def _split_body(body: Any, raw_body: bytes | None) -> tuple[Any, bytes | None]:
    """Return ``(parsed body, raw bytes)``; bytes given as ``body`` are the raw body."""
    if raw_body is None and isinstance(body, bytes | bytearray | memoryview):
        raw_body = bytes(body)
        return _json_or_none(raw_body), raw_body
    if body is None:
        return _json_or_none(raw_body), raw_body
    return body, raw_body


class ResponseValidationError(APIError):
    """A successful response body could not be turned into the expected model.

    Attributes:
        path: JSON path of the offending value, e.g. ``$.video_embedding.segments[3].float``.
        body: the body parsed as JSON (``None`` when it is not JSON).
        raw_body: the raw response bytes, kept so that nothing the server said is lost.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str = "$",
        body: Any = None,
        raw_body: bytes | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.body, self.raw_body = _split_body(body, raw_body)


class TooManyPagesError(APIError):
    """A list walk read ``max_pages`` pages and the server still offered another one.

    Raised instead of paging for ever when a server keeps claiming more pages. Pass a
    larger ``max_pages`` to ``list()`` if the list really is that long.

    Attributes:
        max_pages: the limit that was reached.
        items_read: how many items the walk had yielded.
    """

    def __init__(self, message: str, *, max_pages: int, items_read: int) -> None:
        super().__init__(message)
        self.max_pages = max_pages
        self.items_read = items_read


class ResponseTooLargeError(APIError):
    """A response body is larger than the ``max_response_size`` of the call; it was not read.

    Raised on the declared ``Content-Length`` before reading, or as soon as the bytes read
    (on the wire or after decompression) pass the limit. Not retried: the answer would be
    the same.

    Attributes:
        limit: the limit in bytes.
        size: the declared length, or the bytes read when the limit was passed.
        declared: whether ``size`` is the declared ``Content-Length``.
    """

    def __init__(self, message: str, *, limit: int, size: int, declared: bool) -> None:
        super().__init__(message)
        self.limit = limit
        self.size = size
        self.declared = declared


class APIStatusError(APIError):
    """The API answered with a non-success HTTP status. Subclasses name the status.

    Attributes:
        status_code: the HTTP status.
        code: the API's error code (``parameter_invalid``, ``resource_not_exist``, ...), if any.
        api_message: the API's own message, if any.
        request_id: the response's request id header, if any (quote it to support).
        headers: the response headers.
        body: the error body parsed as JSON (a dict, or a list), as the official SDK's
            ``ApiError.body``; ``None`` when the body is empty or not JSON.
        raw_body: the raw response bytes (an HTML page from a proxy stays readable here).
        details: the ``details`` object of a nested error body, if any.
        retry_after: seconds the server asked to wait before retrying (from its headers),
            if it said so.
    """

    status_code: int
    retry_after: float | None = None

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        code: str | None = None,
        api_message: str | None = None,
        request_id: str | None = None,
        headers: Any = None,
        body: Any = None,
        details: Any = None,
        raw_body: bytes | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.api_message = api_message
        self.request_id = request_id
        self.headers = headers
        self.body, self.raw_body = _split_body(body, raw_body)
        self.details = details


#: The official SDK's name for the HTTP error base, so that ``except ApiError`` keeps working
#: with only the import changed (``status_code``, ``headers`` and ``body`` read the same).
ApiError = APIStatusError


class BadRequestError(APIStatusError):
    """HTTP 400: the API rejected the request's parameters."""


class AuthenticationError(APIStatusError):
    """HTTP 401: the API key is missing, invalid or expired."""


class PermissionDeniedError(APIStatusError):
    """HTTP 403: the key's plan or region does not allow this call."""


class NotFoundError(APIStatusError):
    """HTTP 404: the task or resource does not exist (or has expired after 7 days)."""


class ConflictError(APIStatusError):
    """HTTP 409: the request conflicts with the resource's current state."""


class UnprocessableEntityError(APIStatusError):
    """HTTP 422: the request was well formed but could not be processed."""


class RateLimitError(APIStatusError):
    """HTTP 429: a rate limit of the organization was exceeded."""


class InternalServerError(APIStatusError):
    """HTTP 5xx: the API (or a proxy in front of it) failed."""


class EmbeddingError(APIError):
    """``POST /embed`` answered 200 but one or more modalities carry an ``error_message``.

    Attributes:
        errors: the failed modalities and their messages, e.g. ``{"image": "..."}``.
        response: the parsed response; the modalities that succeeded are usable.
    """

    def __init__(self, message: str, *, errors: dict[str, str], response: Any = None) -> None:
        super().__init__(message)
        self.errors = errors
        self.response = response


class TaskFailedError(TwelveLabsError):
    """An embedding task ended with status ``failed``.

    Attributes:
        task_id: the task's id.
        status: the last status object read from the API.
    """

    def __init__(self, message: str, *, task_id: str, status: Any = None) -> None:
        super().__init__(message)
        self.task_id = task_id
        self.status = status


class WaitTimeoutError(TwelveLabsError, TimeoutError):
    """``wait_for_done`` gave up before the task reached a terminal status.

    Attributes:
        task_id: the task's id.
        last_status: the last status object read before giving up (``None`` if none).
    """

    def __init__(self, message: str, *, task_id: str, last_status: Any = None) -> None:
        super().__init__(message)
        self.task_id = task_id
        self.last_status = last_status


class UploadError(APIError):
    """A multipart upload could not finish: storage kept refusing a chunk, the session
    failed or expired, or the file changed while it was being sent.

    Attributes:
        upload_id: the session's id, to resume with ``upload_file(..., resume=upload_id)``
            (``None`` when no session was opened).
        asset_id: the asset the file was to become, if known.
    """

    def __init__(
        self, message: str, *, upload_id: str | None = None, asset_id: str | None = None
    ) -> None:
        super().__init__(message)
        self.upload_id = upload_id
        self.asset_id = asset_id


class AssetFailedError(TaskFailedError):
    """An asset ended with status ``failed``; it cannot be used for embedding.

    Attributes:
        asset_id: the asset's id (also ``task_id``, for code written for tasks).
        status: the last asset read from the API (its ``error`` says why, when given).
    """

    def __init__(self, message: str, *, asset_id: str, status: Any = None) -> None:
        super().__init__(message, task_id=asset_id, status=status)
        self.asset_id = asset_id


class InvalidStateError(TwelveLabsError, RuntimeError):
    """An object was used in a state that forbids the call (a bulk job run twice, a closed
    output writer, a fake server started twice); make a new one instead."""


class StoreError(TwelveLabsError):
    """A vector store (:mod:`twelvelabs_async.stores`) could not be opened, written or searched.

    Rows of batches written before the failure stay in the store; a bulk job with a
    journal, run again, writes the rest (replacing, never duplicating, rows it writes again).
    """


class JournalError(TwelveLabsError):
    """The journal file cannot serve this job (corrupt, locked, or written by another job)."""


class JobAbortedError(TwelveLabsError):
    """The input was not tried: the job stopped after an error that no input can get past."""


class PreviousRunError(TwelveLabsError):
    """The input failed in an earlier run of the job and was not tried again."""


class EventCallbackError(TwelveLabsError):
    """The job's ``on_event`` callback raised; the job stops (the cause is attached)."""


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}

#: Response headers that may carry a request id, most specific first.
REQUEST_ID_HEADERS = ("x-request-id", "x-amzn-requestid", "x-amz-request-id", "request-id")

_EXCERPT_CHARS = 200


def status_error_class(status: int) -> type[APIStatusError]:
    """Return the exception class for an HTTP error status.

    Args:
        status: the HTTP status code.

    Returns:
        The named subclass for 400, 401, 403, 404, 409, 422, 429 and 5xx; plain
        :class:`APIStatusError` for any other status.
    """
    if status >= 500:
        return InternalServerError
    return _STATUS_CLASSES.get(status, APIStatusError)


def find_request_id(headers: Mapping[str, str] | None) -> str | None:
    """Return the request id a response carries, if any.

    Args:
        headers: response headers; looked up case-insensitively.

    Returns:
        The first of :data:`REQUEST_ID_HEADERS` present, or ``None``.
    """
    if not headers:
        return None
    lowered = {k.lower(): v for k, v in headers.items()}
    for name in REQUEST_ID_HEADERS:
        if lowered.get(name):
            return lowered[name]
    return None


def parse_error_body(body: bytes | None) -> tuple[str | None, str | None, Any]:
    """Read the API's error code, message and details out of an error body.

    Both documented shapes are understood: flat ``{"code", "message", "docs_url"}`` and
    nested ``{"error": {"code", "message", "details"}}``. Anything else (an HTML page from
    a proxy, plain text) yields no code and a short, single-line excerpt as the message.

    Args:
        body: the raw response body.

    Returns:
        ``(code, message, details)``; each may be ``None``.
    """
    if not body:
        return None, None, None
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None, _excerpt(body.decode("utf-8", "replace")), None
    if isinstance(data, dict):
        source: Any = data
        nested = data.get("error")
        if isinstance(nested, dict) and ("code" in nested or "message" in nested):
            source = nested
        code = source.get("code")
        message = source.get("message")
        if isinstance(nested, str) and message is None:
            message = nested
        details = source.get("details")
        if code is not None or message is not None:
            return (
                None if code is None else str(code),
                None if message is None else str(message),
                details,
            )
    return None, _excerpt(body.decode("utf-8", "replace")), None


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) > _EXCERPT_CHARS:
        return flat[: _EXCERPT_CHARS - 3] + "..."
    return flat


def make_status_error(
    status: int,
    headers: Mapping[str, str] | None,
    body: bytes | None,
    method: str,
    path: str,
) -> APIStatusError:
    """Build the exception for an error response.

    The message reads like ``404 resource_not_exist: Task 123 does not exist (GET
    embed-v2/tasks/123)``; a request id, when the response has one, is appended.

    Args:
        status: the HTTP status.
        headers: the response headers.
        body: the raw response body.
        method: the request's HTTP method.
        path: the request's path relative to the base URL.

    Returns:
        An instance of the class :func:`status_error_class` picks for ``status``.
    """
    code, api_message, details = parse_error_body(body)
    request_id = find_request_id(headers)
    head = f"{status} {code}" if code else str(status)
    text = api_message or _default_reason(status)
    message = f"{head}: {text} ({method} {path})"
    if request_id:
        message += f" [request id {request_id}]"
    cls = status_error_class(status)
    return cls(
        message,
        status_code=status,
        code=code,
        api_message=api_message,
        request_id=request_id,
        headers=headers,
        raw_body=body,
        details=details,
    )


def _default_reason(status: int) -> str:
    if status == 401:
        return "the API key was rejected; check TWELVELABS_API_KEY"
    if status == 429:
        return "rate limit exceeded"
    if status >= 500:
        return "the server failed"
    return "the request failed"
