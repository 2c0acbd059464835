"""Errors survive pickling (multiprocessing, error trackers); damaged journals fail typed."""

from __future__ import annotations

import inspect
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from twelvelabs_async import AsyncTwelveLabs, errors
from twelvelabs_async.bulk._journal import Journal, JournalError

KEY = "tlk-hostile-errors-0123456789"

#: Keyword fields each exception class with any takes, with sample values.
FIELDS: dict[str, dict[str, Any]] = {
    "ResponseValidationError": {"path": "$.data[0].float", "body": b"{}"},
    "ResponseTooLargeError": {"limit": 10, "size": 20, "declared": True},
    "TooManyPagesError": {"max_pages": 3, "items_read": 30},
    "APIStatusError": {
        "status_code": 418,
        "code": "teapot",
        "api_message": "short and stout",
        "request_id": "req-1",
        "headers": {"X-Request-Id": "req-1"},
        "body": {"code": "teapot"},
        "raw_body": b'{"code": "teapot"}',
        "details": {"why": "tea"},
    },
    "EmbeddingError": {"errors": {"image": "bad image"}, "response": {"text": None}},
    "AssetFailedError": {"asset_id": "a1", "status": "failed"},
    "UploadError": {"upload_id": "u1", "asset_id": "a1"},
    "TaskFailedError": {"task_id": "t1", "status": "failed"},
    "WaitTimeoutError": {"task_id": "t1", "last_status": "processing"},
}


def _classes() -> list[type[errors.TwelveLabsError]]:
    found = [
        cls
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, errors.TwelveLabsError)
    ]
    return found


def _make(cls: type[errors.TwelveLabsError]) -> errors.TwelveLabsError:
    for klass in cls.__mro__:
        if klass.__name__ in FIELDS:
            return cls(f"{cls.__name__} happened", **FIELDS[klass.__name__])
    return cls(f"{cls.__name__} happened")


def _fields(error: BaseException) -> dict[str, Any]:
    return {k: (dict(v) if k == "headers" else v) for k, v in vars(error).items()}


@pytest.mark.parametrize("cls", _classes(), ids=lambda c: c.__name__)
def test_every_error_pickles_to_the_same_type_and_fields(cls: type[errors.TwelveLabsError]) -> None:
    """Each exception class round-trips through pickle with its type, message and fields."""
    error = _make(cls)
    error.add_note("a note")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is cls
    assert copy.args == error.args
    assert _fields(copy) == _fields(error)
    assert str(copy) == str(error)


async def _api_error() -> errors.APIStatusError:
    async def teapot(_request: web.Request) -> web.Response:
        return web.json_response(
            {"code": "teapot", "message": "no"}, status=418, headers={"X-Request-Id": "req-9"}
        )

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", teapot)
    async with (
        TestServer(app, host="127.0.0.1") as server,
        AsyncTwelveLabs(KEY, base_url=str(server.make_url("/v1.3"))) as client,
    ):
        try:
            await client.embed.tasks.status("t1")
        except errors.APIStatusError as exc:
            return exc
    raise AssertionError("no error raised")


async def test_a_real_status_error_pickles_with_its_headers_and_no_key() -> None:
    """An error built from a real response (read-only multidict headers) pickles, key-free."""
    error = await _api_error()
    data = pickle.dumps(error)
    assert KEY.encode() not in data
    copy = pickle.loads(data)
    assert type(copy) is type(error)
    assert copy.headers["x-request-id"] == "req-9"  # still case-insensitive
    assert (copy.status_code, copy.code, copy.request_id) == (418, "teapot", "req-9")


def raise_in_worker(name: str) -> None:
    """Raise one SDK exception in a worker process (module level, so it can be pickled)."""
    raise _make(getattr(errors, name))


def test_errors_cross_a_process_pool() -> None:
    """SDK errors raised in ProcessPoolExecutor workers arrive with their types and fields."""
    names = ["APIStatusError", "RateLimitError", "TaskFailedError", "ResponseTooLargeError"]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        futures = [pool.submit(raise_in_worker, name) for name in names]
        for name, future in zip(names, futures, strict=True):
            with pytest.raises(getattr(errors, name)) as info:
                future.result(timeout=60)
            assert type(info.value) is getattr(errors, name)
            assert _fields(info.value) == _fields(_make(getattr(errors, name)))


@pytest.mark.parametrize(
    "created",
    [
        {"type": "created", "key": "a.mp4", "at": 1.0},
        {"type": "created", "key": "a.mp4", "at": 1.0, "task_id": None},
        {"type": "created", "key": "a.mp4", "at": 1.0, "task_id": ""},
        {"type": "created", "key": "a.mp4", "at": 1.0, "task_id": 7},
    ],
)
def test_created_record_without_task_id_is_a_journal_error(
    tmp_path: Path, created: dict[str, Any]
) -> None:
    """A damaged 'created' line raises JournalError naming the line, not a bare KeyError."""
    path = tmp_path / "job.jsonl"
    lines = [{"type": "intent", "key": "a.mp4", "at": 0.5}, created]
    path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    with pytest.raises(JournalError, match="line 2: a 'created' record without a task_id"):
        Journal.open(path, sync=False)
