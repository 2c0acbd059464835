"""File inputs are validated and described before any byte is sent."""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from twelvelabs_async._uploads import NotReplayableError, to_upload
from twelvelabs_async.errors import InvalidRequestError


@pytest.fixture
def video(tmp_path: Path) -> Path:
    """A small file with a video extension."""
    p = tmp_path / "clip.mp4"
    p.write_bytes(b"0123456789")
    return p


async def drain(upload: object) -> bytes:
    """Read one attempt of an upload whole."""
    reader = upload.open()  # type: ignore[attr-defined]
    out = b""
    while chunk := await reader.read():
        out += chunk
    await reader.aclose()
    return out


def test_str_is_a_path(video: Path) -> None:
    """A str names a file on disk; its name and guessed type describe the part."""
    up = to_upload(str(video), field="video_file")
    assert (up.filename, up.content_type, up.size, up.replayable) == (
        "clip.mp4",
        "video/mp4",
        10,
        True,
    )


def test_missing_path_mentions_str_is_a_path(tmp_path: Path) -> None:
    """A missing path raises InvalidRequestError explaining that a str is a path."""
    with pytest.raises(InvalidRequestError, match="a str is read as a path"):
        to_upload(str(tmp_path / "nope.mp4"), field="video_file")


def test_directory_is_refused(tmp_path: Path) -> None:
    """A directory is not a file."""
    with pytest.raises(InvalidRequestError, match="directory"):
        to_upload(tmp_path, field="video_file")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_is_refused(video: Path) -> None:
    """A file without read permission is refused up front."""
    video.chmod(0)
    with pytest.raises(InvalidRequestError, match="cannot read"):
        to_upload(video, field="video_file")


def test_text_mode_file_is_refused(video: Path) -> None:
    """A file object opened in text mode is refused with a hint to use 'rb'."""
    with open(video) as f, pytest.raises(InvalidRequestError, match="'rb'"):
        to_upload(f, field="video_file")


@pytest.mark.parametrize("value", [123, ("only-name",), ("a", b"x", "t", "extra"), (1, b"x")])
def test_unsupported_values(value: object) -> None:
    """Other types and malformed tuples raise InvalidRequestError."""
    with pytest.raises(InvalidRequestError):
        to_upload(value, field="f")


def test_tuple_names_and_types() -> None:
    """A tuple sets the filename and, optionally, the content type."""
    assert to_upload(("a.png", b"x"), field="f").content_type == "image/png"
    up = to_upload(("a.png", b"x", "image/webp"), field="f")
    assert (up.filename, up.content_type) == ("a.png", "image/webp")


def test_bytes_default_name() -> None:
    """Bare bytes are named after the field and sent as octet-stream."""
    up = to_upload(b"abc", field="image_file")
    assert (up.filename, up.content_type, up.size) == (
        "image_file",
        "application/octet-stream",
        3,
    )


async def test_seekable_file_rewinds_to_its_start() -> None:
    """A seekable file object is read from where it stood, again on every open."""
    f = io.BytesIO(b"headerPAYLOAD")
    f.seek(6)
    up = to_upload(f, field="f")
    assert up.size == 7
    assert await drain(up) == b"PAYLOAD"
    assert await drain(up) == b"PAYLOAD"
    assert not f.closed


async def test_path_reopened_per_attempt(video: Path) -> None:
    """A path is opened anew per attempt and yields the whole file each time."""
    up = to_upload(video, field="f")
    assert await drain(up) == await drain(up) == b"0123456789"


async def test_async_iterable_is_one_shot() -> None:
    """An async iterable can be opened once; a second open raises NotReplayableError."""

    async def gen() -> AsyncIterator[bytes]:
        yield b"ab"
        yield b""
        yield b"cd"

    up = to_upload(gen(), field="f")
    assert (up.size, up.replayable) == (None, False)
    assert await drain(up) == b"abcd"
    with pytest.raises(NotReplayableError, match="cannot be resent"):
        up.open()


async def test_shrunk_file_is_reported(video: Path) -> None:
    """A file that shrinks after validation raises instead of sending a short body."""
    up = to_upload(video, field="f")
    reader = up.open()
    os.truncate(video, 3)
    assert await reader.read() == b"012"
    with pytest.raises(InvalidRequestError, match="shrank"):
        await reader.read()
    await reader.aclose()
