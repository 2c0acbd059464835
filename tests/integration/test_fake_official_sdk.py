"""The official ``twelvelabs`` SDK, pointed at the fake, cannot tell it from the real API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from twelvelabs_async.testing import FakeTwelveLabsServer

twelvelabs = pytest.importorskip("twelvelabs")


@pytest.fixture
async def fake() -> AsyncIterator[FakeTwelveLabsServer]:
    """A fake server whose tasks take a little while, so polling is exercised."""
    async with FakeTwelveLabsServer(processing_time=0.3) as server:
        yield server


# The official client is typed Any on purpose: its declared types have neither the wait_for_done
# that its wrapper classes add nor the plain-dict request form its docs show, and these tests
# send exactly what its users write, to prove that the fake answers it.
@pytest.fixture
async def sdk(fake: FakeTwelveLabsServer) -> AsyncIterator[Any]:
    """An official AsyncTwelveLabs client on our own httpx client, closed afterwards."""
    async with httpx.AsyncClient(timeout=10) as http:
        yield twelvelabs.AsyncTwelveLabs(
            api_key=fake.api_key, base_url=fake.base_url, httpx_client=http
        )


@pytest.mark.parametrize("source", ["file", "url"])
async def test_v1_task_create_wait_retrieve(
    sdk: Any, fake: FakeTwelveLabsServer, source: str
) -> None:
    """v1 create (file or URL) -> wait_for_done -> retrieve gives typed 512-float segments."""
    fake.state.set_duration("match.mp4", 20.0)
    media = (
        {"video_file": ("match.mp4", b"\x00" * 2048)}
        if source == "file"
        else {"video_url": "https://cdn.example.com/match.mp4"}
    )
    task = await sdk.embed.tasks.create(
        model_name="marengo3.0",
        video_clip_length=5,
        video_embedding_scope=["clip", "video"],
        **media,
    )
    seen: list[str] = []
    done = await sdk.embed.tasks.wait_for_done(
        task.id, sleep_interval=0.05, callback=_collect(seen)
    )
    assert done.status == "ready"
    assert "processing" in seen
    assert done.video_embedding.metadata.duration == 20.0
    result = await sdk.embed.tasks.retrieve(task.id, embedding_option=["visual", "audio"])
    segments = result.video_embedding.segments
    assert len(segments) == 4 * 2 + 2
    assert all(len(s.float_) == 512 for s in segments)
    assert {s.embedding_scope for s in segments} == {"clip", "video"}
    assert segments[0].start_offset_sec == 0.0
    assert segments[0].end_offset_sec == 5.0
    assert fake.requests_to("embed.tasks.retrieve")[0].query["embedding_option"] == [
        "visual",
        "audio",
    ]


def _collect(seen: list[str]) -> Callable[[Any], Awaitable[None]]:
    async def callback(status: Any) -> None:
        seen.append(status.status)

    return callback


async def test_v1_sync_text_and_image_file(sdk: Any) -> None:
    """v1 embed.create returns typed text and image results."""
    text = await sdk.embed.create(model_name="marengo3.0", text="a red car")
    assert len(text.text_embedding.segments[0].float_) == 512
    image = await sdk.embed.create(model_name="marengo3.0", image_file=("car.png", b"\x89PNG"))
    assert image.image_embedding.metadata.input_filename == "car.png"
    assert len(image.image_embedding.segments[0].float_) == 512


async def test_v2_task_create_then_retrieve(sdk: Any, fake: FakeTwelveLabsServer) -> None:
    """v2 tasks.create answers processing; retrieve later returns typed data and metadata."""
    task = await sdk.embed.v_2.tasks.create(
        input_type="video",
        model_name="marengo3.0",
        video={
            "media_source": {"url": "https://cdn.example.com/long.mp4"},
            "embedding_option": ["visual"],
        },
    )
    assert task.status == "processing"
    fake.state.complete(task.id)
    result = await sdk.embed.v_2.tasks.retrieve(task.id)
    assert result.status == "ready"
    assert result.data
    assert all(len(d.embedding) == 512 for d in result.data)
    assert result.metadata.input_type == "video"


async def test_v2_sync_create(sdk: Any) -> None:
    """v2 embed.v_2.create returns typed data for text and for audio."""
    text = await sdk.embed.v_2.create(
        input_type="text", model_name="marengo3.0", text={"input_text": "hi"}
    )
    assert len(text.data[0].embedding) == 512
    audio = await sdk.embed.v_2.create(
        input_type="audio",
        model_name="marengo3.0",
        audio={"media_source": {"url": "https://x/a.mp3"}},
    )
    assert audio.metadata.duration == 30.0
    assert {d.embedding_option for d in audio.data} == {"audio", "transcription"}


async def test_list_pagers_walk_every_page(sdk: Any) -> None:
    """The official v1 and v2 pagers walk every task, newest first."""
    v1_ids = [
        (await sdk.embed.tasks.create(model_name="marengo3.0", video_url=f"https://x/{i}.mp4")).id
        for i in range(3)
    ]
    pager = await sdk.embed.tasks.list(page_limit=2)
    assert [t.id async for t in pager] == v1_ids[::-1]
    v2 = await sdk.embed.v_2.tasks.create(
        input_type="audio",
        model_name="marengo3.0",
        audio={"media_source": {"url": "https://x/a.mp3"}},
    )
    pager = await sdk.embed.v_2.tasks.list()
    assert [t.id async for t in pager] == [v2.id]


async def test_sdk_errors_map_from_our_status_codes(sdk: Any) -> None:
    """The SDK raises its NotFoundError for an unknown v2 task and BadRequestError on 400."""
    from twelvelabs.errors import BadRequestError, NotFoundError

    with pytest.raises(NotFoundError):
        await sdk.embed.v_2.tasks.retrieve("000000000000000000000000")
    with pytest.raises(BadRequestError):
        await sdk.embed.tasks.create(
            model_name="marengo3.0", video_url="https://x/v.mp4", video_clip_length=12
        )
