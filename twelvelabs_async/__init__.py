"""An asyncio-native SDK for the Twelve Labs Embed API."""

import importlib
from typing import TYPE_CHECKING, Any

from twelvelabs_async._pagination import AsyncPager, Page
from twelvelabs_async._version import __version__
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
    InvalidStateError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    ResponseValidationError,
    TaskFailedError,
    TwelveLabsError,
    UnprocessableEntityError,
    WaitTimeoutError,
)
from twelvelabs_async.types import FileContent, FileInput, ProgressCallback, RequestOptions, Timeout

if TYPE_CHECKING:
    from twelvelabs_async.bulk import BulkEmbedJob, BulkItem, BulkSummary
    from twelvelabs_async.resources.embed_v2 import media_source_from_file

# Names whose modules are imported on first access (PEP 562), not by ``import
# twelvelabs_async``: the bulk engine and the generated models behind media_source_from_file
# are about a third of the import time, and most programs never touch them.
_LAZY = {
    "BulkEmbedJob": "twelvelabs_async.bulk",
    "BulkItem": "twelvelabs_async.bulk",
    "BulkSummary": "twelvelabs_async.bulk",
    "media_source_from_file": "twelvelabs_async.resources.embed_v2",
}

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
    "InvalidStateError",
    "NotFoundError",
    "Page",
    "PermissionDeniedError",
    "ProgressCallback",
    "RateLimitError",
    "RequestOptions",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "TaskFailedError",
    "Timeout",
    "TwelveLabsError",
    "UnprocessableEntityError",
    "WaitTimeoutError",
    "__version__",
    "media_source_from_file",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
