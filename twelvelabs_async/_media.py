"""Is a file input the kind of media its argument takes? Checked before any byte is sent.

``image_file="goal.mp4"`` would upload a whole video and get a 400 back (or, from a lax
server, an "image" vector of nothing useful). The kind is told from the first bytes (the
format's magic number) when they are recognised, else from the file name's extension.
Only what is clearly the wrong kind is refused: an unknown format, an unknown extension
or a stream that cannot be peeked at is sent as given, and a container that can hold
sound (MP4, Matroska, Ogg) is accepted as audio as well as video.

Pure and fast: at most :data:`HEAD_SIZE` bytes are read, from the start of a path, bytes,
or a seekable binary file (whose position is restored).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from typing import Any, Literal, TypeAlias

from .errors import InvalidRequestError

__all__ = ["HEAD_SIZE", "MediaKind", "check_media_kind", "sniff"]

MediaKind: TypeAlias = Literal["image", "audio", "video"]

#: Bytes read from the start of a file to recognise its format.
HEAD_SIZE = 16

_IMAGE: frozenset[MediaKind] = frozenset({"image"})
_AUDIO: frozenset[MediaKind] = frozenset({"audio"})
_VIDEO: frozenset[MediaKind] = frozenset({"video"})
_AV: frozenset[MediaKind] = frozenset({"audio", "video"})

_EXTENSIONS: dict[str, tuple[frozenset[MediaKind], str]] = {
    **{e: (_IMAGE, "image") for e in ("jpg", "jpeg", "png", "gif", "webp", "bmp", "tif", "tiff",
                                      "heic", "avif")},
    **{e: (_AUDIO, "audio") for e in ("wav", "mp3", "flac", "aac", "m4a", "wma", "oga",
                                      "opus")},
    **{e: (_AV, "video") for e in ("mp4", "mov", "mkv", "webm", "avi", "m4v", "mpg", "mpeg",
                                   "wmv", "flv", "3gp", "ogg", "ogv", "ts")},
}  # fmt: skip

_FTYP_AUDIO = (b"M4A ", b"M4B ", b"M4P ")
_FTYP_IMAGE = (b"heic", b"heix", b"mif1", b"msf1", b"avif")


def _by_magic(head: bytes) -> tuple[frozenset[MediaKind], str] | None:
    """The kinds a file with these first bytes can be, and the format's name."""
    riff = head[8:12] if head[:4] == b"RIFF" else b""
    checks: list[tuple[Callable[[bytes], bool], frozenset[MediaKind], str]] = [
        (lambda h: h[:3] == b"\xff\xd8\xff", _IMAGE, "a JPEG image"),
        (lambda h: h[:8] == b"\x89PNG\r\n\x1a\n", _IMAGE, "a PNG image"),
        (lambda h: h[:6] in (b"GIF87a", b"GIF89a"), _IMAGE, "a GIF image"),
        (lambda h: riff == b"WEBP", _IMAGE, "a WebP image"),
        (lambda h: h[:4] in (b"II*\x00", b"MM\x00*"), _IMAGE, "a TIFF image"),
        (lambda h: riff == b"WAVE", _AUDIO, "WAV audio"),
        (lambda h: h[:3] == b"ID3", _AUDIO, "MP3 audio"),
        (lambda h: h[:4] == b"fLaC", _AUDIO, "FLAC audio"),
        (lambda h: riff == b"AVI ", _VIDEO, "an AVI video"),
        (lambda h: h[:4] == b"\x1aE\xdf\xa3", _AV, "a Matroska/WebM video"),
        (lambda h: h[:4] == b"OggS", _AV, "an Ogg file"),
        (lambda h: h[:3] == b"FLV", _VIDEO, "an FLV video"),
        (lambda h: h[:4] in (b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3"), _VIDEO, "an MPEG video"),
    ]
    for test, kinds, name in checks:
        if test(head):
            return kinds, name
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _FTYP_AUDIO:
            return _AUDIO, "M4A audio"
        if brand in _FTYP_IMAGE:
            return _IMAGE, "a HEIF/AVIF image"
        return _AV, "an MP4/QuickTime video"
    return None


def _by_name(name: str | None) -> tuple[frozenset[MediaKind], str] | None:
    if not name:
        return None
    ext = os.path.splitext(name)[1].lower().lstrip(".")
    found = _EXTENSIONS.get(ext)
    if found is None:
        return None
    kinds, noun = found
    return kinds, f"a .{ext} {noun} file"


def _head(value: Any) -> bytes | None:
    """The first bytes of a file input, when they can be read without consuming it."""
    if isinstance(value, tuple) and len(value) >= 2:
        value = value[1]
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value[:HEAD_SIZE])
    if isinstance(value, str | os.PathLike):
        try:
            with open(value, "rb") as fh:
                return fh.read(HEAD_SIZE)
        except OSError:
            return None
    if isinstance(value, io.TextIOBase) or not hasattr(value, "read"):
        return None
    try:
        if not value.seekable():
            return None
        where = value.tell()
        data = value.read(HEAD_SIZE)
        value.seek(where)
    except (AttributeError, OSError, ValueError):
        return None
    return bytes(data) if isinstance(data, bytes | bytearray) else None


def sniff(value: Any, filename: str | None = None) -> tuple[frozenset[MediaKind], str] | None:
    """Tell what kind of media a file input holds.

    Args:
        value: a file input (path, bytes, binary file, ``(filename, content)`` tuple).
        filename: the name sent with it, for the extension.

    Returns:
        ``(kinds, description)``: the kinds it can be and a phrase naming the format, from
        the magic number if recognised, else from the extension; ``None`` when neither says.
    """
    head = _head(value)
    found = _by_magic(head) if head else None
    return found or _by_name(filename)


_TAKES = {
    "image": "an image (JPEG or PNG)",
    "audio": "audio (WAV, MP3 or FLAC)",
    "video": "a video",
}
_WHERE = {
    "image": "image_file= of client.embed.create",
    "audio": "audio_file= of client.embed.create",
    "video": "video_file= of client.embed.tasks.create",
}


def check_media_kind(field: str, expected: MediaKind, value: Any, filename: str | None) -> None:
    """Refuse a file input that is clearly not ``expected`` media.

    Args:
        field: the argument's name (``image_file``), for the message.
        expected: the kind the argument takes.
        value: the file input as given.
        filename: the file name that goes with it.

    Raises:
        InvalidRequestError: the file's format is known and is another kind of media.
    """
    found = sniff(value, filename)
    if found is None or expected in found[0]:
        return
    kinds, description = found
    other = "video" if "video" in kinds else next(iter(kinds))
    shown = f"{filename!r}" if filename else "the content"
    raise InvalidRequestError(
        f"{field}: {shown} is {description}, but {field} takes {_TAKES[expected]}; pass it as"
        f" {_WHERE[other]} instead"
    )
