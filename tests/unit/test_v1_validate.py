"""Tests of the v1 argument checks and wire encodings (pure functions, no HTTP)."""

from __future__ import annotations

import datetime as dt
import enum
from pathlib import Path

import pytest

from twelvelabs_async._uploads import UploadFile
from twelvelabs_async._validate_list import build_list_query, format_rfc3339
from twelvelabs_async._validate_v1 import (
    build_embed_fields,
    build_retrieve_query,
    build_task_fields,
    check_model_name,
    check_task_id,
    check_url,
    format_number,
)
from twelvelabs_async.errors import InvalidRequestError

URL = "https://cdn.example.com/clips/match.mp4"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (6, "6.0"),
        (6.0, "6.0"),
        (2.5, "2.5"),
        (0, "0.0"),
        (1e-05, "0.00001"),
        (1e20, "1" + "0" * 20 + ".0"),
    ],
)
def test_format_number_is_plain_decimal(value: float, text: str) -> None:
    """Numbers go on the wire in plain decimal with a fractional part, never in exponent form."""
    assert format_number(value) == text


def test_task_fields_full_form_with_repeated_scope() -> None:
    """Every create argument lands in the form, scopes as a repeated field, floats in decimal."""
    fields, files = build_task_fields(
        model_name="marengo3.0",
        video_url="https://cdn.example.com/a.mp4",
        video_start_offset_sec=0,
        video_end_offset_sec=12.5,
        video_clip_length=6,
        video_embedding_scope=["clip", "video"],
    )
    assert fields == [
        ("model_name", "marengo3.0"),
        ("video_url", "https://cdn.example.com/a.mp4"),
        ("video_start_offset_sec", "0.0"),
        ("video_end_offset_sec", "12.5"),
        ("video_clip_length", "6.0"),
        ("video_embedding_scope", "clip"),
        ("video_embedding_scope", "video"),
    ]
    assert files == {}


def test_task_fields_single_scope_string_and_file(tmp_path: Path) -> None:
    """A bare scope string is sent as one value; a path becomes a checked upload part."""
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"\x00" * 10)
    fields, files = build_task_fields(
        model_name="marengo3.0", video_file=video, video_embedding_scope="clip"
    )
    assert ("video_embedding_scope", "clip") in fields
    assert isinstance(files["video_file"], UploadFile)
    assert files["video_file"].filename == "clip.mp4"
    assert files["video_file"].size == 10


def test_enum_members_are_sent_as_their_values() -> None:
    """Enum members (e.g. generated open enums) are accepted where strings are expected."""

    class Scope(enum.StrEnum):
        clip = "clip"

    fields, _ = build_task_fields(
        model_name="marengo3.0",
        video_url="https://cdn.example.com/u.mp4",
        video_embedding_scope=[Scope.clip],
    )
    assert fields[-1] == ("video_embedding_scope", "clip")


def test_embed_fields_multi_modality() -> None:
    """Text, image URL and audio URL with an offset all go in one form."""
    fields, files = build_embed_fields(
        model_name="marengo3.0",
        text="a red car",
        image_url="https://x/i.png",
        audio_url="https://x/a.mp3",
        audio_start_offset_sec=1.5,
    )
    assert fields == [
        ("model_name", "marengo3.0"),
        ("text", "a red car"),
        ("image_url", "https://x/i.png"),
        ("audio_url", "https://x/a.mp3"),
        ("audio_start_offset_sec", "1.5"),
    ]
    assert files == {}


def test_embed_fields_file_inputs_bytes() -> None:
    """Image and audio file inputs become upload parts named after their fields."""
    _, files = build_embed_fields(
        model_name="marengo3.0", image_file=b"png", audio_file=("a.wav", b"wav")
    )
    assert sorted(files) == ["audio_file", "image_file"]
    assert files["audio_file"].filename == "a.wav"


def test_unknown_values_pass_through() -> None:
    """Unknown model names and enum strings are sent as given (the server decides)."""
    assert check_model_name("marengo9.9") == "marengo9.9"
    assert build_retrieve_query(["visual", "brand-new"]) == [
        ("embedding_option", "visual"),
        ("embedding_option", "brand-new"),
    ]
    query, _, _ = build_list_query(status="queued")
    assert query == {"status": "queued"}


@pytest.mark.parametrize("name", ["Marengo3.0", "marengo-3.0", "MARENGO 3.0"])
def test_misspelt_known_model_names_are_refused_with_the_right_spelling(name: str) -> None:
    """A near-miss of a known model id is refused and the message names the right id."""
    with pytest.raises(InvalidRequestError, match="did you mean"):
        check_model_name(name)


def test_known_model_names_pass() -> None:
    """The current v1 model id is accepted as written."""
    assert check_model_name("marengo3.0") == "marengo3.0"


@pytest.mark.parametrize("name", ["Marengo-retrieval-2.7", "marengo-retrieval-2.7"])
def test_the_retired_model_is_refused_naming_its_successor(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Marengo-retrieval-2.7, however spelt, is refused as retired, naming marengo3.0."""
    monkeypatch.delenv("TWELVELABS_ALLOW_RETIRED_MODELS", raising=False)
    with pytest.raises(InvalidRequestError, match=r"retired.*model_name='marengo3\.0'"):
        check_model_name(name)


def test_the_retired_model_passes_when_the_caller_opts_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """TWELVELABS_ALLOW_RETIRED_MODELS=1 sends the retired name for an API that serves it."""
    monkeypatch.setenv("TWELVELABS_ALLOW_RETIRED_MODELS", "1")
    assert check_model_name("Marengo-retrieval-2.7") == "Marengo-retrieval-2.7"
    with pytest.raises(InvalidRequestError, match="did you mean"):
        check_model_name("marengo-retrieval-2.7")


def test_retrieve_query_single_string() -> None:
    """A single embedding_option string is sent as one query value; None sends nothing."""
    assert build_retrieve_query("audio") == [("embedding_option", "audio")]
    assert build_retrieve_query(None) == []


def test_list_query_converts_datetimes_to_utc_rfc3339() -> None:
    """Aware datetimes and offset strings are sent as UTC 'Z' strings."""
    tz = dt.timezone(dt.timedelta(hours=2))
    query, first, limit = build_list_query(
        started_at=dt.datetime(2026, 7, 20, 10, 0, 0, 123456, tzinfo=tz),
        ended_at="2026-07-21T00:00:00+00:00",
        status="ready",
        page=2,
        page_limit=50,
    )
    assert query == {
        "started_at": "2026-07-20T08:00:00Z",
        "ended_at": "2026-07-21T00:00:00Z",
        "status": "ready",
        "page_limit": "50",
    }
    assert (first, limit) == (2, 50)


def test_list_query_defaults() -> None:
    """With no filters the query is empty, the first page is 1 and the size is the server's."""
    assert build_list_query() == ({}, 1, None)


def test_rfc3339_accepts_z_suffix() -> None:
    """A 'Z' string round-trips unchanged."""
    assert format_rfc3339("started_at", "2026-07-20T08:15:30Z") == "2026-07-20T08:15:30Z"


def test_task_id_checks() -> None:
    """A normal id passes; path-like ids are refused."""
    assert check_task_id("6655a1b2c3d4e5f601234567") == "6655a1b2c3d4e5f601234567"
    for bad in ("a/b", "..", " x"):
        with pytest.raises(InvalidRequestError, match="task_id"):
            check_task_id(bad)


def test_span_rule_uses_default_clip_length() -> None:
    """Without video_clip_length the span must still cover the default 6 s clip."""
    with pytest.raises(InvalidRequestError, match="default"):
        build_task_fields(
            model_name="marengo3.0", video_url=URL, video_start_offset_sec=0, video_end_offset_sec=4
        )
    fields, _ = build_task_fields(
        model_name="marengo3.0",
        video_url=URL,
        video_start_offset_sec=0,
        video_end_offset_sec=4,
        video_clip_length=2,
    )
    assert ("video_end_offset_sec", "4.0") in fields


@pytest.mark.parametrize(
    "url",
    ["ftp://host/a.mp4", "file:///tmp/a.mp4", "match.mp4", "https://", "s3://bucket/a.mp4"],
)
def test_media_urls_must_be_http_with_a_host(url: str) -> None:
    """A media URL that is not http(s) with a host is refused, saying what to pass instead."""
    with pytest.raises(InvalidRequestError, match="http:// or https://"):
        check_url("video_url", url)
    with pytest.raises(InvalidRequestError, match="image_url"):
        build_embed_fields(model_name="marengo3.0", image_url=url)


def test_http_and_https_urls_pass_unchanged() -> None:
    """http and https URLs (any case of the scheme, with a query) are sent as given."""
    for url in ("https://cdn.example.com/a.mp4?sig=1", "HTTP://cdn.example.com/a.mp4"):
        assert check_url("video_url", url) == url


def test_empty_upload_is_refused(tmp_path: Path) -> None:
    """An empty file (bytes or a path of 0 bytes) is refused before sending."""
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    for value in (b"", empty, ("clip.mp4", b"")):
        with pytest.raises(InvalidRequestError, match="empty"):
            build_task_fields(model_name="marengo3.0", video_file=value)


def test_overlong_or_spaced_task_ids_are_refused() -> None:
    """A task id that is far too long or holds spaces/control characters is not sent."""
    for bad in ("a" * 129, "abc def", "abc\x00"):
        with pytest.raises(InvalidRequestError, match="not a task id"):
            check_task_id(bad)
    assert check_task_id("a" * 128) == "a" * 128
