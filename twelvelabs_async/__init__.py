"""An asyncio-native SDK for the Twelve Labs Embed API."""

from twelvelabs_async._pagination import AsyncPager, Page
from twelvelabs_async._version import __version__
from twelvelabs_async.bulk import BulkEmbedJob, BulkItem, BulkSummary
from twelvelabs_async.client import AsyncTwelveLabs
from twelvelabs_async.errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConflictError,
    EmbeddingError,
    InternalServerError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    TaskFailedError,
    TwelveLabsError,
    UnprocessableEntityError,
    WaitTimeoutError,
)
from twelvelabs_async.resources.embed_v2 import media_source_from_file
from twelvelabs_async.types import FileContent, FileInput, ProgressCallback, RequestOptions, Timeout

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncPager",
    "AsyncTwelveLabs",
    "AuthenticationError",
    "BadRequestError",
    "BulkEmbedJob",
    "BulkItem",
    "BulkSummary",
    "ClientClosedError",
    "ConflictError",
    "EmbeddingError",
    "FileContent",
    "FileInput",
    "InternalServerError",
    "InvalidRequestError",
    "NotFoundError",
    "Page",
    "PermissionDeniedError",
    "ProgressCallback",
    "RateLimitError",
    "RequestOptions",
    "ResponseValidationError",
    "TaskFailedError",
    "Timeout",
    "TwelveLabsError",
    "UnprocessableEntityError",
    "WaitTimeoutError",
    "__version__",
    "media_source_from_file",
]
