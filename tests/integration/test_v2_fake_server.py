"""``client.embed.v2`` over real sockets against the fake server (sync create and tasks)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from twelvelabs_async import AsyncTwelveLabs, TaskFailedError, media_source_from_file
from twelvelabs_async.testing import FakeTwelveLabsServer

VIDEO_URL = "https://cdn.example.com/clips/match.mp4"


@pytest.fixture
async def client(server: FakeTwelveLabsServer) -> AsyncIterator[AsyncTwelveLabs]:
    async with AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url) as c:
        yield c


async def test_sync_text(server: FakeTwelveLabsServer, client: AsyncTwelveLabs) -> None:
    """A text embedding returns one 512-value vector and the server saw the exact body."""
    result = await client.embed.v2.create(model_name="marengo3.0", text="a goal in a match")
    assert len(result.data) == 1
    assert len(result.data[0].embedding) == 512
    (record,) = server.requests_to("embed.v2.create")
    assert record.path == "/v1.3/embed-v2"
    assert record.json == {
        "input_type": "text",
        "model_name": "marengo3.0",
        "text": {"input_text": "a goal in a match"},
    }


async def test_sync_video_url(server: FakeTwelveLabsServer, client: AsyncTwelveLabs) -> None:
    """A video URL with fixed segmentation gives clip vectors covering the set duration."""
    server.state.set_duration("match.mp4", 12.0)
    result = await client.embed.v2.create(
        input_type="video",
        model_name="marengo3.0",
        video={
            "media_source": {"url": VIDEO_URL},
            "segmentation": {"strategy": "fixed", "fixed": {"duration_sec": 6}},
            "embedding_option": ["visual"],
            "embedding_scope": ["clip"],
        },
    )
    clips = [d for d in result.data if d.embedding_scope == "clip"]
    assert len(clips) == 2
    assert [(d.start_sec, d.end_sec) for d in clips] == [(0.0, 6.0), (6.0, 12.0)]
    assert all(d.embedding_option == "visual" for d in clips)
    assert result.metadata is not None
    assert result.metadata.input_type == "video"


async def test_sync_multi_input_with_base64(
    server: FakeTwelveLabsServer, client: AsyncTwelveLabs
) -> None:
    """multi_input with a named base64 image gives a single vector; the wire uses base64_string."""
    source = {"media_type": "image", "name": "pet", **media_source_from_file(b"\x89PNG fake")}
    result = await client.embed.v2.create(
        model_name="marengo3.0",
        multi_input={"input_text": "the dog <@pet> on grass", "media_sources": [source]},
    )
    assert len(result.data) == 1
    (record,) = server.requests_to("embed.v2.create")
    assert record.json is not None
    sent = record.json["multi_input"]["media_sources"][0]
    assert set(sent) == {"media_type", "name", "base64_string"}


async def test_task_create_wait_and_list(
    server: FakeTwelveLabsServer, client: AsyncTwelveLabs
) -> None:
    """A task is created (202), waited on until ready with data, and then shows in the list."""
    server.state.set_duration("match.mp4", 20.0)
    task = await client.embed.v2.tasks.create(
        input_type="video", model_name="marengo3.0", video={"media_source": {"url": VIDEO_URL}}
    )
    assert task.status == "processing"
    statuses: list[str] = []
    done = await client.embed.v2.tasks.wait_for_done(
        task.id, sleep_interval=0.01, timeout=30, callback=lambda t: statuses.append(t.status)
    )
    assert done.id == task.id
    assert done.status == "ready"
    assert statuses[-1] == "ready"
    assert done.data
    assert all(len(d.embedding) == 512 for d in done.data)
    listed = [t.id async for t in client.embed.v2.tasks.list(page_limit=10)]
    assert task.id in listed


async def test_list_pages_through_many_tasks(
    server: FakeTwelveLabsServer, client: AsyncTwelveLabs
) -> None:
    """Listing five tasks two per page reads exactly three pages and yields each task once."""
    created = [
        (
            await client.embed.v2.tasks.create(
                model_name="marengo3.0",
                audio={"media_source": {"url": f"https://x.example/{i}.mp3"}},
            )
        ).id
        for i in range(5)
    ]
    listed = [t.id async for t in client.embed.v2.tasks.list(page_limit=2)]
    assert sorted(listed, key=str) == sorted(created)

    assert len(server.requests_to("embed.v2.tasks.list")) == 3


async def test_create_and_retrieve_failure(
    server: FakeTwelveLabsServer, client: AsyncTwelveLabs
) -> None:
    """A task the server fails makes create_and_retrieve raise TaskFailedError with its reason."""
    server.faults.fail_tasks(names=["broken"])
    with pytest.raises(TaskFailedError) as info:
        await client.embed.v2.tasks.create_and_retrieve(
            model_name="marengo3.0",
            video={"media_source": {"url": "https://cdn.example.com/broken.mp4"}},
            sleep_interval=0.01,
            timeout=30,
        )
    assert info.value.status.error.message
    assert info.value.task_id


async def test_marengo35_task_with_temporal_segmentation(
    server: FakeTwelveLabsServer, client: AsyncTwelveLabs
) -> None:
    """A 3.5 task with the temporal wrapper and embedding_dimension 256 yields 256-value vectors."""
    server.state.set_duration("match.mp4", 20.0)
    done = await client.embed.v2.tasks.create_and_retrieve(
        model_name="marengo3.5",
        video={
            "media_source": {"url": VIDEO_URL},
            "segmentation": {"temporal": {"strategy": "fixed", "fixed": {"duration_sec": 10}}},
        },
        embedding_dimension=256,
        sleep_interval=0.01,
        timeout=30,
    )
    assert done.status == "ready"
    assert done.data
    assert {len(d.embedding) for d in done.data} == {256}
