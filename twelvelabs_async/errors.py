"""Exceptions raised by twelvelabs-async.

Every exception the SDK raises on purpose derives from :class:`TwelveLabsError`::

    TwelveLabsError
    ├── InvalidRequestError (also ValueError)      bad input, raised before any byte is sent
    ├── APIError                                   something went wrong talking to the API
    │   ├── APIConnectionError                     no usable HTTP response (refused, reset, DNS)
    │   │   └── APITimeoutError (also TimeoutError) the request ran past its timeout
    │   ├── APIStatusError                         the API answered with a non-2xx status
    │   │   ├── BadRequestError                    400
    │   │   ├── AuthenticationError                401
    │   │   ├── PermissionDeniedError              403
    │   │   ├── NotFoundError                      404
    │   │   ├── ConflictError                      409
    │   │   ├── UnprocessableEntityError           422
    │   │   ├── RateLimitError                     429
    │   │   └── InternalServerError                500 and above
    │   └── ResponseValidationError                a 2xx body that does not fit the model
    ├── TaskFailedError                            an embedding task ended with status "failed"
    └── WaitTimeoutError (also TimeoutError)       wait_for_done gave up; carries the last status
"""

from __future__ import annotations

from typing import Any


class TwelveLabsError(Exception):
    """Root of every exception raised by twelvelabs-async."""


class InvalidRequestError(TwelveLabsError, ValueError):
    """The arguments of a call are invalid; raised before any request is sent."""


class APIError(TwelveLabsError):
    """Something went wrong while talking to the Twelve Labs API."""


class APIConnectionError(APIError):
    """No usable HTTP response arrived (connection refused, reset, DNS failure, ...)."""


class APITimeoutError(APIConnectionError, TimeoutError):
    """The request did not complete within its timeout."""


class ResponseValidationError(APIError):
    """A successful response body could not be turned into the expected model.

    Attributes:
        path: JSON path of the offending value, e.g. ``$.video_embedding.segments[3].float``.
        body: the raw response body, kept so that nothing the server said is lost.
    """

    def __init__(self, message: str, *, path: str = "$", body: bytes | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.body = body


class APIStatusError(APIError):
    """The API answered with a non-success HTTP status. Subclasses name the status."""

    status_code: int

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        code: str | None = None,
        api_message: str | None = None,
        request_id: str | None = None,
        headers: Any = None,
        body: bytes | None = None,
        details: Any = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.api_message = api_message
        self.request_id = request_id
        self.headers = headers
        self.body = body
        self.details = details


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
