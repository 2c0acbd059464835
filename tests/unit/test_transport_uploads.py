"""The transport's multipart uploads over real sockets: exact bytes, names, types, resends."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import BodyPartReader, web
from aiohttp.test_utils import TestServer

from twelvelabs_async import (
    AsyncTwelveLabs,
    InvalidRequestError,
    RateLimitError,
    RequestOptions,
)
from twelvelabs_async._uploads import to_upload
from twelvelabs_async.testing import no_sleep

KEY = "tlk-upload-test-key-42"
CONTENT = os.urandom(1_300_000)  # several chunks, not a multiple of the chunk size


class UploadServer:
    """Records each multipart request's parts; can refuse or drop the first N attempts."""

    def __init__(self) -> None:
        self.attempts: list[dict[str, Any]] = []
        self.fail_first = 0
        self.fail_mode = "429"
        self.app = web.Application(client_max_size=64 * 1024 * 1024)
        self.app.router.add_post("/v1.3/{tail:.*}", self.handle)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if len(self.attempts) < self.fail_first and self.fail_mode == "drop":
            self.attempts.append({"dropped": True})
            await request.content.read(200_000)
            assert request.transport is not None
            request.transport.close()
            return web.Response(status=500)
        parts = []
        reader = await request.multipart()
        async for part in reader:
            assert isinstance(part, BodyPartReader)
            data = await part.read()

            parts.append(
                {
                    "name": part.name,
                    "filename": part.filename,
                    "content_type": part.headers.get("Content-Type"),
                    "data": bytes(data),
                }
            )
        self.attempts.append(
            {
                "parts": parts,
                "content_length": request.headers.get("Content-Length"),
                "chunked": request.headers.get("Transfer-Encoding") == "chunked",
            }
        )
        if len(self.attempts) <= self.fail_first:
            return web.json_response({}, status=429, headers={"Retry-After": "0"})
        return web.json_response({"_id": "task-1"})


@pytest.fixture
async def server() -> AsyncIterator[tuple[UploadServer, TestServer]]:
    """An upload-recording server on 127.0.0.1."""
    rec = UploadServer()
    srv = TestServer(rec.app, host="127.0.0.1")
    async with srv:
        yield rec, srv


@pytest.fixture
async def client(server: tuple[UploadServer, TestServer]) -> AsyncIterator[AsyncTwelveLabs]:
    """A client of the upload server whose retries do not sleep."""
    with no_sleep():
        async with AsyncTwelveLabs(KEY, base_url=str(server[1].make_url("/v1.3"))) as c:
            yield c


@pytest.fixture
def video(tmp_path: Path) -> Path:
    """A video-named file holding CONTENT."""
    p = tmp_path / "match.mp4"
    p.write_bytes(CONTENT)
    return p


async def upload(client: AsyncTwelveLabs, value: Any, **kwargs: Any) -> None:
    """Send model_name plus one file field to embed/tasks as a create."""
    await client._transport.request(
        "POST",
        "embed/tasks",
        multipart=[
            ("model_name", "marengo3.0"),
            ("video_file", to_upload(value, field="video_file")),
        ],
        create=True,
        **kwargs,
    )


def file_part(rec: UploadServer, attempt: int = -1) -> dict[str, Any]:
    """The video_file part the server received in one attempt."""
    parts = rec.attempts[attempt]["parts"]
    assert parts[0] == {
        "name": "model_name",
        "filename": None,
        "content_type": "text/plain; charset=utf-8",
        "data": b"marengo3.0",
    }
    return dict(parts[1])


async def test_path_as_str(client: AsyncTwelveLabs, server: Any, video: Path) -> None:
    """A str path is streamed with its basename, a guessed type and a Content-Length."""
    await upload(client, str(video))
    part = file_part(server[0])
    assert (part["filename"], part["content_type"]) == ("match.mp4", "video/mp4")
    assert part["data"] == CONTENT
    assert server[0].attempts[0]["content_length"] is not None


async def test_path_as_pathlike(client: AsyncTwelveLabs, server: Any, video: Path) -> None:
    """A pathlib.Path uploads the same way."""
    await upload(client, video)
    assert file_part(server[0])["data"] == CONTENT


async def test_file_in_multipart_list(client: AsyncTwelveLabs, server: Any, video: Path) -> None:
    """In the multipart list a str is text, and a to_upload() part or a Path is a file."""
    await client._transport.request(
        "POST",
        "embed",
        multipart=[
            ("a", "text"),
            ("f1", to_upload(str(video), field="f1")),
            ("f2", video),
            ("a", "again"),
        ],
    )
    parts = server[0].attempts[0]["parts"]
    assert [(p["name"], p["filename"]) for p in parts] == [
        ("a", None),
        ("f1", "match.mp4"),
        ("f2", "match.mp4"),
        ("a", None),
    ]
    assert parts[1]["data"] == parts[2]["data"] == CONTENT
    assert parts[3]["data"] == b"again"


async def test_bytes(client: AsyncTwelveLabs, server: Any) -> None:
    """Bytes are sent as they are, named after the field."""
    await upload(client, CONTENT)
    part = file_part(server[0])
    assert (part["filename"], part["content_type"]) == ("video_file", "application/octet-stream")
    assert part["data"] == CONTENT


async def test_open_file(client: AsyncTwelveLabs, server: Any, video: Path) -> None:
    """An open binary file is sent from its position, named after it, and left open."""
    with open(video, "rb") as f:  # noqa: ASYNC230 - a caller-opened file is the case under test
        f.seek(100)
        await upload(client, f)
        assert not f.closed
    part = file_part(server[0])
    assert (part["filename"], part["data"]) == ("match.mp4", CONTENT[100:])


async def test_tuple_with_type(client: AsyncTwelveLabs, server: Any) -> None:
    """A (filename, content, content_type) tuple sets both name and type."""
    await upload(client, ("clip.bin", io.BytesIO(CONTENT), "video/quicktime"))
    part = file_part(server[0])
    assert (part["filename"], part["content_type"]) == ("clip.bin", "video/quicktime")
    assert part["data"] == CONTENT


async def test_async_iterable(client: AsyncTwelveLabs, server: Any) -> None:
    """An async iterable is streamed (chunked, size unknown) with the exact bytes."""

    async def chunks() -> AsyncIterator[bytes]:
        for i in range(0, len(CONTENT), 100_000):
            yield CONTENT[i : i + 100_000]

    await upload(client, ("stream.mp4", chunks()))
    part = file_part(server[0])
    assert (part["filename"], part["content_type"]) == ("stream.mp4", "video/mp4")
    assert part["data"] == CONTENT
    assert server[0].attempts[0]["chunked"]


async def test_retry_after_429_resends_everything(
    client: AsyncTwelveLabs, server: Any, video: Path
) -> None:
    """After a 429 the whole multipart body, file included, is sent again."""
    server[0].fail_first = 1
    seen: list[tuple[int, int | None]] = []
    await upload(
        client, video, options=RequestOptions(on_progress=lambda s, t: seen.append((s, t)))
    )
    assert len(server[0].attempts) == 2
    assert file_part(server[0], 0)["data"] == file_part(server[0], 1)["data"] == CONTENT
    # Progress restarts with the resend and ends at the full size both times.
    finals = [i for i, (sent, total) in enumerate(seen) if sent == total == len(CONTENT)]
    assert len(finals) == 2
    assert seen[finals[0] + 1][0] < len(CONTENT)


async def test_dropped_connection_resends_everything(
    client: AsyncTwelveLabs, server: Any, video: Path
) -> None:
    """A connection dropped mid-upload (not a create) is retried with the full file."""
    server[0].fail_first = 1
    server[0].fail_mode = "drop"
    await client._transport.request(
        "POST", "embed", multipart=[("video_file", to_upload(str(video), field="video_file"))]
    )
    assert server[0].attempts[0] == {"dropped": True}
    assert server[0].attempts[1]["parts"][0]["data"] == CONTENT


async def test_one_shot_stream_is_not_resent(client: AsyncTwelveLabs, server: Any) -> None:
    """A 429 on an async-iterable upload is raised with a note instead of a broken resend."""
    server[0].fail_first = 1

    async def chunks() -> AsyncIterator[bytes]:
        yield CONTENT

    with pytest.raises(RateLimitError) as info:
        await upload(client, chunks())
    assert len(server[0].attempts) == 1
    assert any("one-shot" in note for note in info.value.__notes__)


async def test_async_progress_callback(client: AsyncTwelveLabs, server: Any, video: Path) -> None:
    """A coroutine progress callback is awaited and sees the total grow to the file size."""
    seen: list[int] = []

    async def progress(sent: int, total: int | None) -> None:
        assert total == len(CONTENT)
        seen.append(sent)

    await upload(client, video, on_progress=progress)
    assert seen == sorted(seen)
    assert seen[-1] == len(CONTENT)


async def test_progress_callback_error_propagates(
    client: AsyncTwelveLabs, server: Any, video: Path
) -> None:
    """An exception raised by the progress callback reaches the caller unchanged, unretried."""

    class Stop(Exception):
        pass

    def progress(sent: int, total: int | None) -> None:
        raise Stop

    with pytest.raises(Stop):
        await upload(client, video, on_progress=progress)
    assert len(server[0].attempts) <= 1


async def test_missing_file_sends_nothing(
    client: AsyncTwelveLabs, server: Any, tmp_path: Path
) -> None:
    """A missing path raises InvalidRequestError and no request reaches the server."""
    with pytest.raises(InvalidRequestError):
        await upload(client, str(tmp_path / "missing.mp4"))
    assert server[0].attempts == []


def test_content_is_not_trivial() -> None:
    """The test content spans several read chunks and is random (so offsets matter)."""
    assert len(CONTENT) > 2 * 512 * 1024
    assert hashlib.sha256(CONTENT).digest() != hashlib.sha256(CONTENT[1:]).digest()
