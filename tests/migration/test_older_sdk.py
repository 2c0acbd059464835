"""Code written for the older hand-written SDK (0.4) runs with the import changed and awaited.

Each snippet is written the way that SDK's documentation wrote it, with ``await`` added
and ``marengo3.0`` for the retired ``Marengo-retrieval-2.7``; it runs against the fake
server over real sockets.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async.errors import InvalidRequestError, NotFoundError, WaitTimeoutError
from twelvelabs_async.legacy import EmbeddingsTask, SegmentEmbedding
from twelvelabs_async.resources import legacy_task
from twelvelabs_async.testing import FakeTwelveLabsServer

URL = "https://cdn.example.com/clips/match.mp4"


@pytest.fixture(autouse=True)
def _fresh_warnings() -> Iterator[None]:
    """Each test sees the once-per-process deprecation warnings afresh, and ignores them."""
    legacy_task._warned.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield
    legacy_task._warned.clear()


@pytest.fixture
async def server() -> AsyncIterator[FakeTwelveLabsServer]:
    """A fake server whose tasks take a moment to finish."""
    async with FakeTwelveLabsServer(processing_time=0.05, default_duration=20.0) as fake:
        yield fake


@pytest.fixture
async def client(server: FakeTwelveLabsServer) -> AsyncIterator[AsyncTwelveLabs]:
    """A client pointed at the fake server."""
    async with AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url) as c:
        yield c


def print_segments(segments: list[SegmentEmbedding], max_elements: int = 5) -> None:
    """The older docs' helper, unchanged."""
    for segment in segments:
        print(
            f"  embedding_scope={segment.embedding_scope} "
            f"start_offset_sec={segment.start_offset_sec} end_offset_sec={segment.end_offset_sec}"
        )
        print(f"  embeddings: {segment.embeddings_float[:max_elements]}")  # type: ignore[index]


async def test_create_wait_retrieve_print_segments_as_the_older_docs_wrote_it(
    client: AsyncTwelveLabs, capsys: pytest.CaptureFixture[str]
) -> None:
    """create -> task.wait_for_done(callback=...) -> task.retrieve() -> print_segments runs."""
    task = await client.embed.task.create(
        model_name="marengo3.0", video_url=URL, video_embedding_scopes=["clip", "video"]
    )
    print(f"Created task: id={task.id} model_name={task.model_name} status={task.status}")

    def on_task_update(task: EmbeddingsTask) -> None:
        print(f"  Status={task.status}")

    status = await task.wait_for_done(sleep_interval=0.02, callback=on_task_update)
    print(f"Embedding done: {status}")

    task = await task.retrieve()
    if task.video_embedding is not None and task.video_embedding.segments is not None:
        print_segments(task.video_embedding.segments)

    out = capsys.readouterr().out
    assert f"id={task.id} model_name=marengo3.0 status=processing" in out
    assert "Status=ready" in out
    assert "Embedding done: ready" in out
    # 20 s in 6 s clips (the 2 s tail kept) for each of the three 3.0 options.
    assert out.count("embedding_scope=clip") == 4 * 3
    assert out.count("embedding_scope=video") >= 1
    segments = task.video_embedding.segments
    assert all(s.embeddings_float is s.float_ and len(s.float_) == 512 for s in segments)


async def test_the_older_scope_argument_reaches_the_wire_as_the_singular_field(
    client: AsyncTwelveLabs, server: FakeTwelveLabsServer
) -> None:
    """video_embedding_scopes is sent as repeated video_embedding_scope fields."""
    await client.embed.task.create(
        "marengo3.0", video_url=URL, video_embedding_scopes=["clip", "video"]
    )
    (create,) = server.requests_to("embed.tasks.create")
    assert create.form["video_embedding_scope"] == ["clip", "video"]
    assert len(server.requests_to("embed.tasks.status")) == 1  # the handle's first read


async def test_status_and_retrieve_by_id_as_the_older_docs_wrote_them(
    client: AsyncTwelveLabs, tmp_path: Path
) -> None:
    """status(task_id) and retrieve(id) work with a file upload given as a str path."""
    video = tmp_path / "goal.mp4"
    video.write_bytes(b"\x00fake-video" * 100)
    task = await client.embed.task.create(model_name="marengo3.0", video_file=str(video))
    status = await client.embed.task.status(task_id=task.id)
    assert status.status in ("processing", "ready")
    await task.wait_for_done(sleep_interval=0.02)
    retrieved = await client.embed.task.retrieve(id=task.id)
    assert retrieved.id == task.id
    assert retrieved.status == "ready"
    assert retrieved.video_embedding.segments[0].embeddings_float


async def test_async_callbacks_and_list_work_too(client: AsyncTwelveLabs) -> None:
    """A coroutine callback is awaited, and task.list() returns handles of one page."""
    seen: list[str | None] = []

    async def on_update(task: EmbeddingsTask) -> None:
        seen.append(task.status)

    task = await client.embed.task.create("marengo3.0", video_url=URL)
    assert await task.wait_for_done(sleep_interval=0.02, callback=on_update) == "ready"
    assert seen[-1] == "ready"
    assert task.done
    listed = await client.embed.task.list(page_limit=5)
    assert [t.id for t in listed] == [task.id]


async def test_wait_for_done_raises_instead_of_swallowing_errors(
    client: AsyncTwelveLabs, server: FakeTwelveLabsServer
) -> None:
    """Unlike the older SDK's loop, a 404 mid-wait raises and a timeout ends the wait."""
    task = await client.embed.task.create("marengo3.0", video_url=URL)
    server.state.tasks.clear()
    with pytest.raises(NotFoundError):
        await task.wait_for_done(sleep_interval=0.02)
    server.state.processing_time = 60.0
    slow = await client.embed.task.create("marengo3.0", video_url=URL + "?slow")
    with pytest.raises(WaitTimeoutError):
        await slow.wait_for_done(sleep_interval=0.02, timeout=0.1)


async def test_the_retired_model_is_refused_before_any_byte(
    client: AsyncTwelveLabs, server: FakeTwelveLabsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Marengo-retrieval-2.7 in older code gets a clear error naming marengo3.0; nothing sent."""
    monkeypatch.delenv("TWELVELABS_ALLOW_RETIRED_MODELS", raising=False)
    with pytest.raises(InvalidRequestError, match=r"retired.*marengo3\.0"):
        await client.embed.task.create(model_name="Marengo-retrieval-2.7", video_url=URL)
    assert server.requests == []


async def test_unknown_keywords_are_refused_by_name(client: AsyncTwelveLabs) -> None:
    """A keyword the older SDK handed to its HTTP layer is refused, naming it."""
    with pytest.raises(InvalidRequestError, match="timeout_ms"):
        await client.embed.task.create("marengo3.0", video_url=URL, timeout_ms=5)


def test_embeddings_float_is_read_only() -> None:
    """embeddings_float answers with float_ and cannot be assigned."""
    segment = SegmentEmbedding(float_=[0.5, 0.25])
    assert segment.embeddings_float == [0.5, 0.25]
    with pytest.raises(AttributeError):
        segment.embeddings_float = [1.0]  # type: ignore[misc]


_ONCE = """
import asyncio, warnings
from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async.testing import FakeTwelveLabsServer

async def main():
    async with FakeTwelveLabsServer(processing_time=0) as s:
        async with AsyncTwelveLabs(api_key=s.api_key, base_url=s.base_url) as c:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                for _ in range(3):
                    t = await c.embed.task.create("marengo3.0", video_url="https://x.test/a.mp4")
                    await c.embed.task.status(t.id)
            for w in caught:
                print(w.category.__name__, w.message)

asyncio.run(main())
"""


def test_each_older_spelling_warns_once_per_process_naming_the_current_one() -> None:
    """Three creates and three status reads give one DeprecationWarning for each method."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}
    out = subprocess.run(
        [sys.executable, "-c", _ONCE], capture_output=True, text=True, check=True, env=env
    ).stdout.splitlines()
    assert out == [
        "DeprecationWarning client.embed.task.create is the older SDK's spelling; use "
        "client.embed.tasks.create(model_name=..., video_embedding_scope=[...]) instead",
        "DeprecationWarning client.embed.task.status is the older SDK's spelling; use "
        "client.embed.tasks.status(task_id) instead",
    ]
