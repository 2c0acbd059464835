"""``media_source_from_file`` (local media for the JSON-only v2 API) and ``to_wire``."""

from __future__ import annotations

import base64
import enum
import io
from pathlib import Path

import pytest

from twelvelabs_async.errors import InvalidRequestError
from twelvelabs_async.models import MediaSource, MultiInputMediaSource, TextInputRequest
from twelvelabs_async.resources.embed_v2 import (
    MAX_BASE64_SOURCE_BYTES,
    media_source_from_file,
    to_wire,
)

CONTENT = b"\x89PNG\r\n\x1a\n fake image bytes"
ENCODED = base64.b64encode(CONTENT).decode("ascii")


def test_from_path(tmp_path: Path) -> None:
    """A path (str or Path) is read and returned as a base64 media source."""
    path = tmp_path / "pet.png"
    path.write_bytes(CONTENT)
    assert media_source_from_file(path) == {"base64_string": ENCODED}
    assert media_source_from_file(str(path)) == {"base64_string": ENCODED}


def test_from_bytes_and_file_object() -> None:
    """Bytes and binary file objects give the same source."""
    assert media_source_from_file(CONTENT) == {"base64_string": ENCODED}
    assert media_source_from_file(io.BytesIO(CONTENT)) == {"base64_string": ENCODED}


def test_missing_path_is_refused(tmp_path: Path) -> None:
    """A path that is not a file raises InvalidRequestError naming it."""
    with pytest.raises(InvalidRequestError, match=r"nope\.mp4"):
        media_source_from_file(tmp_path / "nope.mp4")
    with pytest.raises(InvalidRequestError, match="not a file"):
        media_source_from_file(tmp_path)


def test_text_mode_file_is_refused(tmp_path: Path) -> None:
    """A file opened in text mode is refused with a hint to use 'rb'."""
    path = tmp_path / "a.txt"
    path.write_text("hello")
    with path.open() as handle, pytest.raises(InvalidRequestError, match="'rb'"):
        media_source_from_file(handle)  # type: ignore[arg-type]


def test_empty_content_is_refused() -> None:
    """Empty media is refused: there is nothing to embed."""
    with pytest.raises(InvalidRequestError, match="empty"):
        media_source_from_file(b"")


def test_size_limit(tmp_path: Path) -> None:
    """Content over the limit is refused, suggesting a URL, asset or task; None disables it."""
    path = tmp_path / "big.mp4"
    path.write_bytes(b"x" * 101)
    with pytest.raises(InvalidRequestError, match="asset_id"):
        media_source_from_file(path, max_bytes=100)
    with pytest.raises(InvalidRequestError, match="101 bytes"):
        media_source_from_file(memoryview(b"x" * 101), max_bytes=100)
    assert media_source_from_file(path, max_bytes=None)["base64_string"]
    assert media_source_from_file(b"x" * 100, max_bytes=100)["base64_string"]


def test_default_limit_is_the_larger_reading_of_36_mb() -> None:
    """The default limit is 36 MiB of content, so no documented-valid input is refused."""
    assert MAX_BASE64_SOURCE_BYTES == 36 * 1024 * 1024


def test_to_wire_renames_alias_and_drops_nulls() -> None:
    """``to_wire`` renames base_64_string, drops None and leaves the input untouched."""
    value = {"media_source": {"base_64_string": "AA", "url": None}, "start_sec": None}
    assert to_wire(value) == {"media_source": {"base64_string": "AA"}}
    assert value["start_sec"] is None


def test_to_wire_handles_classes_inside_dicts_and_enums() -> None:
    """Generated classes nested in dicts and enum members become wire values."""

    class Option(enum.Enum):
        VISUAL = "visual"

    value = {
        "media_source": MediaSource(base_64_string="AA"),
        "embedding_option": (Option.VISUAL, "audio"),
        "sources": [MultiInputMediaSource(media_type="image", asset_id="a1")],
        "text": TextInputRequest(input_text="hi"),
    }
    assert to_wire(value) == {
        "media_source": {"base64_string": "AA"},
        "embedding_option": ["visual", "audio"],
        "sources": [{"media_type": "image", "asset_id": "a1"}],
        "text": {"input_text": "hi"},
    }
