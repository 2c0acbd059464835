"""v1 embed and task flows over real sockets against the fake Twelve Labs server."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async.errors import EmbeddingError, NotFoundError, TaskFailedError
from twelvelabs_async.testing import FakeTwelveLabsServer
from twelvelabs_async.vectors import to_segment_array

pytestmark = pytest.mark.fake_twelvelabs(processing_time=0.05, default_duration=30.0)


async def test_file_upload_create_wait_retrieve(
    fake_twelvelabs_client: AsyncTwelveLabs, fake_twelvelabs: FakeTwelveLabsServer, tmp_path: Path
) -> None:
    """A real file upload becomes a task that is waited for and retrieved with 512-d vectors."""
    video = tmp_path / "match.mp4"
    content = b"\x00\x01fake-video" * 5000
    video.write_bytes(content)
    fake_twelvelabs.state.set_duration("match.mp4", 31.0)
    tasks = fake_twelvelabs_client.embed.tasks

    task = await tasks.create(
        model_name="marengo3.0", video_file=video, video_clip_length=6, video_embedding_scope="clip"
    )
    assert task.id
    reads: list[object] = []
    status = await tasks.wait_for_done(task.id, sleep_interval=0.02, callback=reads.append)
    assert status.status == "ready"
    assert len(reads) >= 1
    result = await tasks.retrieve(task.id, embedding_option="visual")

    (create,) = fake_twelvelabs.requests_to("embed.tasks.create")
    (upload,) = create.files
    assert (upload.field, upload.filename, upload.size) == ("video_file", "match.mp4", len(content))
    assert upload.sha256 == hashlib.sha256(content).hexdigest()
    assert create.form["video_clip_length"] == ["6.0"]
    assert create.form["video_embedding_scope"] == ["clip"]
    (retrieve,) = fake_twelvelabs.requests_to("embed.tasks.retrieve")
    assert retrieve.query == {"embedding_option": ["visual"]}

    assert result.video_embedding is not None
    segments = result.video_embedding.segments
    assert segments is not None
    # 31 s in 6 s clips: five full clips; the final 1 s clip is dropped.
    assert len(segments) == 5
    assert {s.embedding_option for s in segments} == {"visual"}
    array = to_segment_array(result)
    assert array.vectors.shape == (5, 512)
    assert array.vectors.dtype == np.float32
    assert array.start.tolist() == [0.0, 6.0, 12.0, 18.0, 24.0]


async def test_url_create_and_retrieve_with_both_scopes(
    fake_twelvelabs_client: AsyncTwelveLabs, fake_twelvelabs: FakeTwelveLabsServer
) -> None:
    """create_and_retrieve with a URL returns clip and whole-video segments in one call."""
    url = "https://cdn.example.com/clips/goal.mp4"
    fake_twelvelabs.state.set_duration(url, 12.0)
    result = await fake_twelvelabs_client.embed.tasks.create_and_retrieve(
        model_name="marengo3.0",
        video_url=url,
        video_embedding_scope=["clip", "video"],
        sleep_interval=0.02,
        timeout=30,
    )
    assert result.status == "ready"
    assert result.video_embedding is not None
    segments = result.video_embedding.segments or []
    scopes = {s.embedding_scope for s in segments}
    assert scopes == {"clip", "video"}
    whole = [s for s in segments if s.embedding_scope == "video"]
    assert all((s.start_offset_sec, s.end_offset_sec) == (0.0, 12.0) for s in whole)
    (create,) = fake_twelvelabs.requests_to("embed.tasks.create")
    assert create.form["video_url"] == [url]
    assert create.form["video_embedding_scope"] == ["clip", "video"]
    assert create.files == []


async def test_embed_create_text_image_audio(
    fake_twelvelabs_client: AsyncTwelveLabs, fake_twelvelabs: FakeTwelveLabsServer
) -> None:
    """One /embed call with text, an image upload and an audio URL returns all three results."""
    result = await fake_twelvelabs_client.embed.create(
        model_name="marengo3.0",
        text="a goal in the last minute",
        image_file=("goal.png", b"\x89PNG\r\n\x1a\n-image"),
        audio_url="https://cdn.example.com/crowd.mp3",
    )
    assert result.model_name == "marengo3.0"
    for part in (result.text_embedding, result.image_embedding, result.audio_embedding):
        assert part is not None
        assert part.error_message is None
        assert part.segments
        assert len(part.segments[0].float_ or []) == 512
    (call,) = fake_twelvelabs.requests_to("embed.create")
    assert call.form["text"] == ["a goal in the last minute"]
    assert call.form["audio_url"] == ["https://cdn.example.com/crowd.mp3"]
    assert [f.filename for f in call.files] == ["goal.png"]
    stacked = to_segment_array(result)
    assert stacked.option[:2] == ("text", "image")


async def test_embed_create_modality_error_surfaces(
    fake_twelvelabs_client: AsyncTwelveLabs, fake_twelvelabs: FakeTwelveLabsServer
) -> None:
    """An error_message on one modality raises EmbeddingError; raise_on_error=False returns it."""
    fake_twelvelabs.faults.embed_error("image")
    with pytest.raises(EmbeddingError) as info:
        await fake_twelvelabs_client.embed.create(
            model_name="marengo3.0", text="x", image_url="https://cdn.example.com/i.png"
        )
    assert list(info.value.errors) == ["image"]
    result = await fake_twelvelabs_client.embed.create(
        model_name="marengo3.0",
        text="x",
        image_url="https://cdn.example.com/i.png",
        raise_on_error=False,
    )
    assert result.image_embedding is not None
    assert result.image_embedding.error_message
    assert result.text_embedding is not None
    assert result.text_embedding.segments


async def test_list_across_pages(
    fake_twelvelabs_client: AsyncTwelveLabs, fake_twelvelabs: FakeTwelveLabsServer
) -> None:
    """Five tasks listed two per page come back newest first in exactly three requests."""
    ids = []
    for i in range(5):
        task = await fake_twelvelabs_client.embed.tasks.create(
            model_name="marengo3.0", video_url=f"https://cdn.example.com/v{i}.mp4"
        )
        ids.append(task.id)
    listed = [t.id async for t in fake_twelvelabs_client.embed.tasks.list(page_limit=2)]
    assert sorted(listed, key=str) == sorted(ids, key=str)
    assert listed == list(reversed(ids))
    calls = fake_twelvelabs.requests_to("embed.tasks.list")
    assert [c.query.get("page") for c in calls] == [["1"], ["2"], ["3"]]
    assert all(c.query["page_limit"] == ["2"] for c in calls)


async def test_failed_task(
    fake_twelvelabs_client: AsyncTwelveLabs, fake_twelvelabs: FakeTwelveLabsServer
) -> None:
    """A task that fails is returned by wait_for_done and raised by create_and_retrieve."""
    fake_twelvelabs.faults.fail_tasks(names=["broken"])
    tasks = fake_twelvelabs_client.embed.tasks
    url = "https://cdn.example.com/broken.mp4"
    task = await tasks.create(model_name="marengo3.0", video_url=url)
    assert task.id
    status = await tasks.wait_for_done(task.id, sleep_interval=0.02)
    assert status.status == "failed"
    with pytest.raises(TaskFailedError):
        await tasks.create_and_retrieve(model_name="marengo3.0", video_url=url, sleep_interval=0.02)
    assert not fake_twelvelabs.requests_to("embed.tasks.retrieve")


async def test_unknown_task_is_not_found(fake_twelvelabs_client: AsyncTwelveLabs) -> None:
    """Waiting on an id the server does not know raises NotFoundError at the first read."""
    with pytest.raises(NotFoundError):
        await fake_twelvelabs_client.embed.tasks.wait_for_done("0" * 24, sleep_interval=0.02)
