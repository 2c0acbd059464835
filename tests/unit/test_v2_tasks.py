"""``client.embed.v2.tasks``: exact requests and typed results of create, list and retrieve."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
from aioresponses import aioresponses
from yarl import URL

from twelvelabs_async import AsyncTwelveLabs, RequestOptions
from twelvelabs_async.errors import InternalServerError, InvalidRequestError, NotFoundError
from twelvelabs_async.models import (
    AsyncTemporalSegmentation,
    AsyncVideoInputRequest,
    EmbeddingTaskResponse,
    EmbeddingVideoMetadata,
    MediaEmbeddingTask,
    MediaSource,
    TemporalSegmentationFixed,
    TemporalSegmentationFixedFixed,
    V2TasksCreateResponse,
)

BASE = "http://127.0.0.1:9/v1.3"
TASKS = f"{BASE}/embed-v2/tasks"
TASK_ID = "6890f1e2a3b4c5d6e7f80912"

CREATED = {"_id": TASK_ID, "status": "processing", "data": None}
PROCESSING = {
    "_id": TASK_ID,
    "status": "processing",
    "created_at": "2026-07-21T10:00:00Z",
    "updated_at": "2026-07-21T10:00:00Z",
    "data": None,
}
READY = {
    "_id": TASK_ID,
    "status": "ready",
    "created_at": "2026-07-21T10:00:00Z",
    "updated_at": "2026-07-21T10:06:41Z",
    "data": [
        {
            "embedding": [0.004, -0.018, 0.022],
            "embedding_option": "visual",
            "embedding_scope": "clip",
            "start_sec": 0.0,
            "end_sec": 5.1,
        },
        {
            "embedding": [0.015, 0.002, -0.009],
            "embedding_option": "transcription",
            "embedding_scope": "clip",
            "start_sec": 0.0,
            "end_sec": 5.1,
        },
    ],
    "metadata": {
        "input_type": "video",
        "input_url": "https://cdn.example.com/long.mp4",
        "embedding_options": ["visual", "audio", "transcription"],
        "embedding_scopes": ["clip", "asset"],
        "duration": 3540.0,
    },
}
FAILED = {
    "_id": TASK_ID,
    "status": "failed",
    "data": None,
    "error": {
        "message": "We could not process your media for embedding. "
        "Please verify the input file and try again."
    },
}


def list_page(page: int, total_page: int, ids: list[str]) -> dict[str, Any]:
    """A task list page shaped like the facts file's example."""
    return {
        "data": [
            {
                "_id": task_id,
                "model_name": "marengo3.0",
                "status": "ready",
                "created_at": "2026-07-20T08:15:30Z",
                "updated_at": "2026-07-20T08:17:02Z",
                "video_embedding": {
                    "metadata": {
                        "input_url": "https://cdn.example.com/clips/match.mp4",
                        "video_clip_length": 6,
                        "video_embedding_scope": ["clip", "video"],
                        "duration": 31.2,
                    }
                },
            }
            for task_id in ids
        ],
        "page_info": {
            "limit_per_page": 2,
            "page": page,
            "total_page": total_page,
            "total_results": 3,
        },
    }


@pytest.fixture
async def client() -> AsyncIterator[AsyncTwelveLabs]:
    async with AsyncTwelveLabs(api_key="test-key", base_url=BASE, max_retries=0) as c:
        yield c


def sent(mocked: aioresponses) -> list[tuple[str, URL, dict[str, Any]]]:
    """Every request aioresponses saw, as (method, url, kwargs)."""
    return [
        (method, url, call.kwargs)
        for (method, url), calls in mocked.requests.items()
        for call in calls
    ]


async def test_create_sends_json_and_reads_202(client: AsyncTwelveLabs) -> None:
    """tasks.create POSTs the exact JSON body to /v1.3/embed-v2/tasks and reads the 202 reply."""
    video = {
        "media_source": {"url": "https://cdn.example.com/long.mp4"},
        "segmentation": {"strategy": "dynamic", "dynamic": {"min_duration_sec": 4}},
        "embedding_option": ["visual", "audio", "transcription"],
    }
    with aioresponses() as mocked:
        mocked.post(TASKS, status=202, payload=CREATED)
        task = await client.embed.v2.tasks.create(
            input_type="video", model_name="marengo3.0", video=video
        )
        calls = sent(mocked)
    assert len(calls) == 1
    method, url, kwargs = calls[0]
    assert (method, url.path, url.query_string) == ("POST", "/v1.3/embed-v2/tasks", "")
    assert orjson.loads(kwargs["data"]) == {
        "input_type": "video",
        "model_name": "marengo3.0",
        "video": video,
    }
    assert isinstance(task, V2TasksCreateResponse)
    assert (task.id, task.status, task.data) == (TASK_ID, "processing", None)


async def test_create_marengo35_with_request_classes(client: AsyncTwelveLabs) -> None:
    """A 3.5 task built from generated classes sends the temporal wrapper and 3.5 fields."""
    video = AsyncVideoInputRequest(
        media_source=MediaSource(asset_id="asset-7"),
        segmentation=AsyncTemporalSegmentation(
            temporal=TemporalSegmentationFixed(fixed=TemporalSegmentationFixedFixed(duration_sec=8))
        ),
        embedding_scope=["clip"],
    )
    with aioresponses() as mocked:
        mocked.post(
            TASKS,
            status=202,
            payload={**CREATED, "metadata": {"embedding_dimension": 512}},
        )
        task = await client.embed.v2.tasks.create(
            input_type="video",
            model_name="marengo3.5",
            video=video,
            embedding_dimension=512,
            embedding_uncertainty=True,
        )
        ((_, _, kwargs),) = sent(mocked)
    assert orjson.loads(kwargs["data"]) == {
        "input_type": "video",
        "model_name": "marengo3.5",
        "video": {
            "media_source": {"asset_id": "asset-7"},
            "segmentation": {"temporal": {"strategy": "fixed", "fixed": {"duration_sec": 8}}},
            "embedding_scope": ["clip"],
        },
        "embedding_dimension": 512,
        "embedding_uncertainty": True,
    }
    assert task.metadata is not None
    assert task.metadata.embedding_dimension == 512


async def test_retrieve_processing_has_no_data(client: AsyncTwelveLabs) -> None:
    """retrieve GETs /v1.3/embed-v2/tasks/{id}; a processing task has ``data`` None."""
    with aioresponses() as mocked:
        mocked.get(f"{TASKS}/{TASK_ID}", payload=PROCESSING)
        task = await client.embed.v2.tasks.retrieve(TASK_ID)
        ((method, url, _),) = sent(mocked)
    assert (method, url.path, url.query_string) == ("GET", f"/v1.3/embed-v2/tasks/{TASK_ID}", "")
    assert isinstance(task, EmbeddingTaskResponse)
    assert (task.id, task.status, task.data, task.error) == (TASK_ID, "processing", None, None)
    assert task.created_at is not None
    assert task.created_at.year == 2026


async def test_retrieve_ready_has_data_and_metadata(client: AsyncTwelveLabs) -> None:
    """A ready task carries its vectors and the video metadata."""
    with aioresponses() as mocked:
        mocked.get(f"{TASKS}/{TASK_ID}", payload=READY)
        task = await client.embed.v2.tasks.retrieve(TASK_ID)
    assert task.data is not None
    assert [d.embedding_option for d in task.data] == ["visual", "transcription"]
    assert task.data[1].embedding == [0.015, 0.002, -0.009]
    assert task.metadata is not None
    assert isinstance(task.metadata, EmbeddingVideoMetadata)

    assert task.metadata.duration == 3540.0


async def test_retrieve_failed_has_error_message(client: AsyncTwelveLabs) -> None:
    """A failed task exposes ``error.message`` and no data."""
    with aioresponses() as mocked:
        mocked.get(f"{TASKS}/{TASK_ID}", payload=FAILED)
        task = await client.embed.v2.tasks.retrieve(TASK_ID)
    assert task.status == "failed"
    assert task.data is None
    assert task.error is not None
    assert task.error.message.startswith("We could not process your media")


async def test_retrieve_unknown_task_raises_not_found(client: AsyncTwelveLabs) -> None:
    """A 404 with the nested v2 error body raises NotFoundError carrying the API's code."""
    body = {"error": {"code": "resource_not_exist", "message": "Task not found"}}
    with aioresponses() as mocked:
        mocked.get(f"{TASKS}/nope", status=404, payload=body)
        with pytest.raises(NotFoundError) as info:
            await client.embed.v2.tasks.retrieve("nope")
    assert info.value.code == "resource_not_exist"


@pytest.mark.parametrize("task_id", ["", "a/b", ".."])
async def test_retrieve_refuses_bad_ids(client: AsyncTwelveLabs, task_id: str) -> None:
    """An empty id or one that would address another path raises before any request."""
    with aioresponses() as mocked:
        with pytest.raises(InvalidRequestError):
            await client.embed.v2.tasks.retrieve(task_id)
        assert not mocked.requests


async def test_list_walks_pages_with_filters(client: AsyncTwelveLabs) -> None:
    """list sends the filters on every page and stops at page_info.total_page."""
    pattern = re.compile(r"^http://127\.0\.0\.1:9/v1\.3/embed-v2/tasks\?.*$")
    with aioresponses() as mocked:
        mocked.get(pattern, payload=list_page(1, 2, ["t1", "t2"]))
        mocked.get(pattern, payload=list_page(2, 2, ["t3"]))
        pager = client.embed.v2.tasks.list(
            status="ready", page_limit=2, started_at="2026-07-20T00:00:00Z"
        )
        tasks = [task async for task in pager]
        calls = sent(mocked)
    assert [t.id for t in tasks] == ["t1", "t2", "t3"]
    assert all(isinstance(t, MediaEmbeddingTask) for t in tasks)
    assert tasks[0].video_embedding is not None
    assert len(calls) == 2
    for number, (method, url, _) in enumerate(calls, start=1):
        assert (method, url.path) == ("GET", "/v1.3/embed-v2/tasks")
        assert dict(url.query) == {
            "started_at": "2026-07-20T00:00:00Z",
            "status": "ready",
            "page_limit": "2",
            "page": str(number),
        }


async def test_list_first_page_only(client: AsyncTwelveLabs) -> None:
    """``first_page()`` reads exactly the requested page, once."""
    with aioresponses() as mocked:
        mocked.get(f"{TASKS}?page=3", payload=list_page(3, 5, ["t9"]))
        page = await client.embed.v2.tasks.list(page=3).first_page()
        calls = sent(mocked)
    assert [t.id for t in page.items] == ["t9"]
    assert page.page_info.total_page == 5
    assert len(calls) == 1


@pytest.mark.parametrize(
    "kwargs",
    [{"page_limit": 51}, {"page": 0}, {"started_at": "yesterday"}, {"status": ""}],
)
def test_list_checks_filters_at_once(client: AsyncTwelveLabs, kwargs: dict[str, Any]) -> None:
    """Bad list filters raise when list() is called, before anything is iterated."""
    with pytest.raises(InvalidRequestError):
        client.embed.v2.tasks.list(**kwargs)


async def test_create_is_not_retried_after_a_server_error(client: AsyncTwelveLabs) -> None:
    """A 500 on tasks.create may have created a (billable) task, so it is not retried."""
    with aioresponses() as mocked:
        mocked.post(TASKS, status=500, payload={"error": {"code": "x", "message": "boom"}})
        mocked.post(TASKS, status=202, payload=CREATED)
        with pytest.raises(InternalServerError):
            await client.embed.v2.tasks.create(
                model_name="marengo3.0",
                audio={"media_source": {"url": "https://x.example/a.mp3"}},
                request_options=RequestOptions(max_retries=2),
            )
        assert len(sent(mocked)) == 1
