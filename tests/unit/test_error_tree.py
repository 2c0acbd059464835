"""The public error tree: errors.__all__, every exception class of the package in it."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import twelvelabs_async
from twelvelabs_async import bulk, errors
from twelvelabs_async.errors import TwelveLabsError

PACKAGE = Path(twelvelabs_async.__file__).parent

#: Exception classes that never leave the package, with the reason.
INTERNAL = {
    # The fake server's own error answers: turned into an HTTP response by its handler.
    "twelvelabs_async.testing._http.ApiError",
    # A converter hook's error (a TypeError naming the vector index), re-raised as
    # ResponseValidationError by _convert.structure.
    "twelvelabs_async._convert_scalars.VectorElementError",
}

#: ``raise <builtin>(...)`` sites that never reach a user, by file name: count.
BUILTIN_RAISES = {
    # cattrs structure hooks: every failure is re-raised as ResponseValidationError.
    "_convert.py": 1,
    "_convert_unions.py": 2,
    "_convert_scalars.py": 6,
    # aiohttp's Payload.decode contract; aiohttp never calls it for a streamed upload.
    "_attempt.py": 1,
    "_storage.py": 1,
    # caught by the fake server's body reader and answered as a 400.
    "_http.py": 1,
}

_BUILTINS = {"Exception", "RuntimeError", "ValueError", "TypeError", "KeyError", "LookupError"}


def _modules() -> list[str]:
    names = ["twelvelabs_async"]
    for info in pkgutil.walk_packages([str(PACKAGE)], prefix="twelvelabs_async."):
        if info.name.endswith("__main__"):
            continue
        names.append(info.name)
    return names


def test_all_is_pinned() -> None:
    """errors.__all__ names exactly the exception classes (and aliases), each documented."""
    assert errors.__all__ == sorted(errors.__all__)
    classes = {
        name
        for name, obj in vars(errors).items()
        if inspect.isclass(obj)
        and issubclass(obj, BaseException)
        and obj.__module__ == errors.__name__
    }
    assert set(errors.__all__) == classes
    assert errors.__all__ == [
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
    for name in errors.__all__:
        assert name in (errors.__doc__ or ""), f"{name} is missing from the tree in the docstring"


def test_every_exception_class_of_the_package_is_in_the_tree() -> None:
    """Each exception class any module defines derives from TwelveLabsError."""
    found: list[str] = []
    outside: list[str] = []
    for name in _modules():
        module = importlib.import_module(name)
        for obj in vars(module).values():
            if not (inspect.isclass(obj) and issubclass(obj, BaseException)):
                continue
            if obj.__module__ != name:
                continue
            qualified = f"{name}.{obj.__qualname__}"
            found.append(qualified)
            if not issubclass(obj, TwelveLabsError) and qualified not in INTERNAL:
                outside.append(qualified)
    assert outside == []
    assert len(found) >= 25  # the walk saw the package, not an empty folder


@pytest.mark.parametrize("name", ["JobAbortedError", "PreviousRunError", "EventCallbackError"])
def test_bulk_errors_keep_their_old_homes(name: str) -> None:
    """The bulk errors live in errors.py and are still importable from bulk and its modules."""
    from twelvelabs_async.bulk import _worker

    cls = getattr(errors, name)
    assert getattr(bulk, name) is cls
    assert getattr(_worker, name) is cls
    assert cls.__module__ == "twelvelabs_async.errors"


def test_journal_error_keeps_its_old_homes() -> None:
    """JournalError lives in errors.py and is still importable from bulk."""
    from twelvelabs_async.bulk import _journal

    assert bulk.JournalError is _journal.JournalError is errors.JournalError


def test_builtin_raises_are_only_internal() -> None:
    """The package raises bare builtin exceptions only where no user can receive them."""
    counts: dict[str, int] = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.name
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Raise) or node.exc is None:
                continue
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id in _BUILTINS:
                counts[rel] = counts.get(rel, 0) + 1
    assert counts == BUILTIN_RAISES


def test_shared_meanings_keep_their_builtin_base() -> None:
    """Errors with a builtin meaning stay catchable by it (ValueError, RuntimeError, ...)."""
    assert issubclass(errors.InvalidRequestError, ValueError)
    assert issubclass(errors.InvalidStateError, RuntimeError)
    assert issubclass(errors.ClientClosedError, RuntimeError)
    assert issubclass(errors.WaitTimeoutError, TimeoutError)
