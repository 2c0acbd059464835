"""File inputs of the wrong media kind are refused before sending; unknown ones pass."""

from __future__ import annotations

import io
import struct
import wave
from pathlib import Path

import pytest
from aioresponses import aioresponses

from twelvelabs_async import AsyncTwelveLabs, InvalidRequestError
from twelvelabs_async._media import check_media_kind, sniff

MP4 = struct.pack(">I4s4sI", 24, b"ftyp", b"isom", 512) + b"\0" * 64
M4A = struct.pack(">I4s4sI", 24, b"ftyp", b"M4A ", 0) + b"\0" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\0" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
MKV = b"\x1aE\xdf\xa3" + b"\0" * 64


def _wav(path: Path) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 800)
    return path


@pytest.mark.parametrize(
    ("content", "name", "kinds"),
    [
        (MP4, "a.mp4", {"audio", "video"}),
        (M4A, "a.m4a", {"audio"}),
        (JPEG, "a.jpg", {"image"}),
        (PNG, "photo", {"image"}),
        (MKV, "a.webm", {"audio", "video"}),
        (b"RIFF\0\0\0\0WEBPVP8 ", "x", {"image"}),
        (b"RIFF\0\0\0\0AVI LIST", "x", {"video"}),
        (b"ID3\x03\0\0\0\0\0\0" + b"\0" * 8, "x", {"audio"}),
        (b"fLaC\0\0\0\x22" + b"\0" * 8, "x", {"audio"}),
    ],
)
def test_magic_numbers_tell_the_kind(content: bytes, name: str, kinds: set[str]) -> None:
    """The first bytes of common formats are recognised whatever the name says."""
    found = sniff(content, name)
    assert found is not None
    assert set(found[0]) == kinds


def test_magic_wins_over_the_extension_and_unknowns_fall_back_to_it() -> None:
    """A video named .jpg is a video; unrecognised bytes are judged by the extension."""
    found = sniff(MP4, "renamed.jpg")
    assert found is not None
    assert "image" not in found[0]
    by_name = sniff(b"\x01\x02\x03\x04" * 8, "clip.mov")
    assert by_name is not None
    assert "video" in by_name[0]
    assert sniff(b"\x01\x02\x03\x04" * 8, "data.bin") is None
    assert sniff(b"\x01\x02", None) is None


def test_a_video_given_as_an_image_names_what_was_expected(tmp_path: Path) -> None:
    """image_file='goal.mp4' is refused with the format found and the argument to use."""
    path = tmp_path / "goal.mp4"
    path.write_bytes(MP4)
    with pytest.raises(InvalidRequestError) as info:
        check_media_kind("image_file", "image", str(path), "goal.mp4")
    message = str(info.value)
    assert message.startswith("image_file: 'goal.mp4' is an MP4/QuickTime video")
    assert "an image (JPEG or PNG)" in message
    assert "video_file= of client.embed.tasks.create" in message


def test_audio_given_as_a_video_or_an_image_is_refused(tmp_path: Path) -> None:
    """A WAV file is not a video nor an image; it is accepted as audio."""
    wav = str(_wav(tmp_path / "anthem.wav"))
    for field, kind in (("video_file", "video"), ("image_file", "image")):
        with pytest.raises(InvalidRequestError, match="WAV audio"):
            check_media_kind(field, kind, wav, "anthem.wav")  # type: ignore[arg-type]
    check_media_kind("audio_file", "audio", wav, "anthem.wav")


def test_containers_with_sound_and_unknown_files_pass() -> None:
    """An MP4 as audio, random bytes with any name, and one-shot streams are all sent."""
    check_media_kind("audio_file", "audio", MP4, "talk.mp4")
    check_media_kind("image_file", "image", b"\x07" * 40, "photo.jpg")
    check_media_kind("image_file", "image", b"\x07" * 40, "no-extension")

    class OneShot(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

    check_media_kind("image_file", "image", OneShot(), "stream")


def test_a_seekable_file_object_keeps_its_position() -> None:
    """Peeking at a file object reads a few bytes and puts the position back."""
    fh = io.BytesIO(b"prefix" + MP4)
    fh.seek(6)
    with pytest.raises(InvalidRequestError, match="MP4"):
        check_media_kind("image_file", "image", fh, "x.bin")
    assert fh.tell() == 6


async def test_embed_create_refuses_a_video_image_before_sending(tmp_path: Path) -> None:
    """client.embed.create(image_file=video) raises InvalidRequestError with no request made."""
    path = tmp_path / "goal.mp4"
    path.write_bytes(MP4)
    with aioresponses() as mocked:
        async with AsyncTwelveLabs(api_key="tlk_test", base_url="https://api.test/v1.3") as c:
            with pytest.raises(InvalidRequestError, match="image_file"):
                await c.embed.create(model_name="marengo3.0", image_file=str(path))
            with pytest.raises(InvalidRequestError, match="video_file"):
                await c.embed.tasks.create(model_name="marengo3.0", video_file=("photo.png", PNG))
        assert not mocked.requests
