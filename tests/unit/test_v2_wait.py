"""``client.embed.v2.tasks.wait_for_done`` and ``create_and_retrieve`` on the shared engine."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
from aioresponses import aioresponses

from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async.errors import (
    InvalidRequestError,
    NotFoundError,
    TaskFailedError,
    WaitTimeoutError,
)
from twelvelabs_async.models import EmbeddingTaskResponse

BASE = "http://127.0.0.1:9/v1.3"
TASKS = f"{BASE}/embed-v2/tasks"
TASK_ID = "6890f1e2a3b4c5d6e7f80912"
TASK_URL = f"{TASKS}/{TASK_ID}"
FAST = 0.001  # seconds between polls: the tests never really wait

PROCESSING = {"_id": TASK_ID, "status": "processing", "data": None}
READY = {
    "_id": TASK_ID,
    "status": "ready",
    "data": [
        {
            "embedding": [0.004, -0.018, 0.022],
            "embedding_option": "visual",
            "embedding_scope": "clip",
            "start_sec": 0.0,
            "end_sec": 5.1,
        }
    ],
    "metadata": {
        "input_type": "video",
        "embedding_options": ["visual"],
        "embedding_scopes": ["clip"],
        "duration": 5.1,
    },
}
FAILED = {
    "_id": TASK_ID,
    "status": "failed",
    "data": None,
    "error": {"message": "The embedding task failed. Please try again later."},
}
VIDEO = {"media_source": {"url": "https://cdn.example.com/long.mp4"}}


@pytest.fixture
async def client() -> AsyncIterator[AsyncTwelveLabs]:
    async with AsyncTwelveLabs(api_key="test-key", base_url=BASE, max_retries=0) as c:
        yield c


def count(mocked: aioresponses) -> int:
    """How many requests aioresponses saw."""
    return sum(len(calls) for calls in mocked.requests.values())


async def test_wait_returns_ready_task_with_data(client: AsyncTwelveLabs) -> None:
    """The wait polls retrieve until ready and returns that response, vectors included."""
    seen: list[str] = []
    with aioresponses() as mocked:
        mocked.get(TASK_URL, payload=PROCESSING)
        mocked.get(TASK_URL, payload=PROCESSING)
        mocked.get(TASK_URL, payload=READY)
        done = await client.embed.v2.tasks.wait_for_done(
            TASK_ID, sleep_interval=FAST, callback=lambda t: seen.append(t.status)
        )
        assert count(mocked) == 3
    assert isinstance(done, EmbeddingTaskResponse)
    assert done.status == "ready"
    assert done.data is not None
    assert done.data[0].embedding == [0.004, -0.018, 0.022]
    assert seen == ["processing", "processing", "ready"]


async def test_wait_awaits_a_coroutine_callback(client: AsyncTwelveLabs) -> None:
    """A coroutine-function callback is awaited after each read."""
    seen: list[str] = []

    async def record(task: EmbeddingTaskResponse) -> None:
        seen.append(str(task.status))

    with aioresponses() as mocked:
        mocked.get(TASK_URL, payload=PROCESSING)
        mocked.get(TASK_URL, payload=READY)
        await client.embed.v2.tasks.wait_for_done(TASK_ID, sleep_interval=FAST, callback=record)
    assert seen == ["processing", "ready"]


async def test_wait_returns_failed_task_by_default(client: AsyncTwelveLabs) -> None:
    """A failed task is returned (not raised) by default, with its error message."""
    with aioresponses() as mocked:
        mocked.get(TASK_URL, payload=PROCESSING)
        mocked.get(TASK_URL, payload=FAILED)
        done = await client.embed.v2.tasks.wait_for_done(TASK_ID, sleep_interval=FAST)
    assert done.status == "failed"
    assert done.error is not None
    assert done.error.message == "The embedding task failed. Please try again later."


async def test_wait_raises_on_failure_when_asked(client: AsyncTwelveLabs) -> None:
    """With raise_on_failure the failure raises TaskFailedError naming the task and reason."""
    with aioresponses() as mocked:
        mocked.get(TASK_URL, payload=FAILED)
        with pytest.raises(TaskFailedError, match="Please try again later") as info:
            await client.embed.v2.tasks.wait_for_done(
                TASK_ID, sleep_interval=FAST, raise_on_failure=True
            )
    assert info.value.task_id == TASK_ID
    assert info.value.status.status == "failed"


async def test_wait_times_out_with_last_status(client: AsyncTwelveLabs) -> None:
    """A task that stays processing past the timeout raises WaitTimeoutError with its last read."""
    with aioresponses() as mocked:
        mocked.get(TASK_URL, payload=PROCESSING, repeat=True)
        with pytest.raises(WaitTimeoutError) as info:
            await client.embed.v2.tasks.wait_for_done(TASK_ID, sleep_interval=0.01, timeout=0.05)
    assert isinstance(info.value, TimeoutError)
    assert info.value.task_id == TASK_ID
    assert info.value.last_status.status == "processing"


async def test_wait_stops_at_once_on_404(client: AsyncTwelveLabs) -> None:
    """A 404 in the middle of the wait raises NotFoundError and polls no more."""
    body = {"error": {"code": "resource_not_exist", "message": "Task not found"}}
    with aioresponses() as mocked:
        mocked.get(TASK_URL, payload=PROCESSING)
        mocked.get(TASK_URL, status=404, payload=body)
        mocked.get(TASK_URL, payload=READY)
        with pytest.raises(NotFoundError):
            await client.embed.v2.tasks.wait_for_done(TASK_ID, sleep_interval=FAST)
        assert count(mocked) == 2


@pytest.mark.parametrize("kwargs", [{"sleep_interval": 0}, {"sleep_interval": -1}, {"timeout": 0}])
async def test_wait_checks_arguments_before_reading(
    client: AsyncTwelveLabs, kwargs: dict[str, Any]
) -> None:
    """A non-positive interval or timeout raises InvalidRequestError with no request made."""
    with aioresponses() as mocked:
        with pytest.raises(InvalidRequestError):
            await client.embed.v2.tasks.wait_for_done(TASK_ID, **kwargs)
        assert count(mocked) == 0


async def test_create_and_retrieve_returns_ready_task(client: AsyncTwelveLabs) -> None:
    """create_and_retrieve creates the task, waits, and returns the ready task with data."""
    with aioresponses() as mocked:
        mocked.post(TASKS, status=202, payload=PROCESSING)
        mocked.get(TASK_URL, payload=PROCESSING)
        mocked.get(TASK_URL, payload=READY)
        done = await client.embed.v2.tasks.create_and_retrieve(
            input_type="video", model_name="marengo3.0", video=VIDEO, sleep_interval=FAST
        )
        post_calls = [c for (m, _), cs in mocked.requests.items() if m == "POST" for c in cs]
        assert count(mocked) == 3
    assert orjson.loads(post_calls[0].kwargs["data"]) == {
        "input_type": "video",
        "model_name": "marengo3.0",
        "video": VIDEO,
    }
    assert done.status == "ready"
    assert done.data is not None
    assert len(done.data) == 1


async def test_create_and_retrieve_raises_on_failure(client: AsyncTwelveLabs) -> None:
    """create_and_retrieve raises TaskFailedError when the task fails."""
    with aioresponses() as mocked:
        mocked.post(TASKS, status=202, payload=PROCESSING)
        mocked.get(TASK_URL, payload=FAILED)
        with pytest.raises(TaskFailedError) as info:
            await client.embed.v2.tasks.create_and_retrieve(
                model_name="marengo3.0", video=VIDEO, sleep_interval=FAST
            )
    assert info.value.task_id == TASK_ID


async def test_create_and_retrieve_checks_wait_args_before_creating(
    client: AsyncTwelveLabs,
) -> None:
    """A bad sleep_interval is refused before the (billable) task is created."""
    with aioresponses() as mocked:
        with pytest.raises(InvalidRequestError, match="sleep_interval"):
            await client.embed.v2.tasks.create_and_retrieve(
                model_name="marengo3.0", video=VIDEO, sleep_interval=0
            )
        assert count(mocked) == 0
