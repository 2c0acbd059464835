"""Input checks of assets and multipart uploads that need no server."""

from __future__ import annotations

from pathlib import Path

import pytest

from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async.errors import InvalidRequestError, UploadError
from twelvelabs_async.resources._chunked import ChunkPlan, check_plan
from twelvelabs_async.resources._upload_state import UploadState, guess_type
from twelvelabs_async.resources.assets import _metadata_json
from twelvelabs_async.resources.multipart_upload import MAX_MULTIPART_BYTES


def test_user_metadata_dict_becomes_the_json_string_the_form_wants() -> None:
    """A metadata dict is JSON-encoded; a str passes as given; other values are refused."""
    assert _metadata_json({"team": "a", "n": 3, "x": 1.5, "ok": True}) == (
        '{"team":"a","n":3,"x":1.5,"ok":true}'
    )
    assert _metadata_json('{"a":1}') == '{"a":1}'
    with pytest.raises(InvalidRequestError, match=r"user_metadata\['bad'\]"):
        _metadata_json({"bad": None})


def test_file_type_is_guessed_from_the_name() -> None:
    """Video, audio and image names map to their type; anything else is sent as video."""
    assert guess_type("a.MP4") == "video"
    assert guess_type("a.wav") == "audio"
    assert guess_type("a.png") == "image"
    assert guess_type("a.unknownext") == "video"


def test_plan_that_does_not_describe_the_file_is_refused() -> None:
    """A chunk count or size that cannot cover the file raises UploadError with the session id."""
    check_plan(ChunkPlan("u", 100, 3, {}), 201, asset_id="a")
    with pytest.raises(UploadError, match="does not fit") as caught:
        check_plan(ChunkPlan("u", 100, 3, {}), 301, asset_id="a")
    assert caught.value.upload_id == "u"
    with pytest.raises(UploadError):
        check_plan(ChunkPlan("u", 0, 1, {}), 1, asset_id=None)


def test_saved_state_round_trips_and_rejects_garbage() -> None:
    """to_dict/from_dict keep every field; a dict missing fields is an InvalidRequestError."""
    state = UploadState("u", "a", 10, 2, 15, {"h": "v"}, 7)
    assert UploadState.from_dict(state.to_dict()) == state
    with pytest.raises(InvalidRequestError, match="not a saved upload state"):
        UploadState.from_dict({"upload_id": "u"})


async def test_upload_file_refuses_bad_arguments_before_any_request(tmp_path: Path) -> None:
    """Missing files, empty files, bad counts and unknown types fail before any request."""
    empty = tmp_path / "e.mp4"
    empty.write_bytes(b"")
    sparse = tmp_path / "big.mp4"
    with sparse.open("wb") as handle:
        handle.truncate(MAX_MULTIPART_BYTES + 1)
    # Port 9 on loopback: any request would fail with a connection error, not these.
    async with AsyncTwelveLabs(api_key="k", base_url="http://127.0.0.1:9/v1.3") as client:
        uploads = client.multipart_upload
        with pytest.raises(InvalidRequestError, match="no such file"):
            await uploads.upload_file(tmp_path / "missing.mp4")
        with pytest.raises(InvalidRequestError, match="empty"):
            await uploads.upload_file(empty)
        with pytest.raises(InvalidRequestError, match="10 GB"):
            await uploads.upload_file(sparse)
        with pytest.raises(InvalidRequestError, match="concurrency"):
            await uploads.upload_file(sparse, concurrency=0)
        with pytest.raises(InvalidRequestError, match="file_type"):
            await uploads.upload_file(sparse, file_type="document")
        with pytest.raises(InvalidRequestError, match="at most 50"):
            await uploads.get_additional_presigned_urls("u", start=1, count=51)
