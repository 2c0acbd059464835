"""The fake server's v1 endpoints over real sockets: shapes, validation and status codes."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pytest

from twelvelabs_async.testing import FakeTwelveLabsServer

if TYPE_CHECKING:
    from integration.conftest import Api

VIDEO = ("match.mp4", b"\x00" * 4096)


def _norm(vector: list[float]) -> float:
    return math.sqrt(sum(v * v for v in vector))


async def test_embed_text_returns_one_unit_segment(api: Api) -> None:
    """POST /embed with text answers 200 with one 512-float unit vector for marengo3.0."""
    status, body, _ = await api.form("/embed", [("model_name", "marengo3.0"), ("text", "a dog")])
    assert status == 200
    assert body["model_name"] == "marengo3.0"
    (segment,) = body["text_embedding"]["segments"]
    assert len(segment["float"]) == 512
    assert _norm(segment["float"]) == pytest.approx(1.0)


async def test_embed_several_modalities_in_one_call(api: Api, server: FakeTwelveLabsServer) -> None:
    """Text, an image file and an audio URL each get their own result object."""
    server.state.set_duration("talk.mp3", 17.4)
    status, body, _ = await api.form(
        "/embed",
        [
            ("model_name", "marengo3.0"),
            ("text", "hello"),
            ("image_file", ("cat.png", b"png-bytes")),
            ("audio_url", "https://cdn.example.com/talk.mp3"),
            ("audio_start_offset_sec", "2"),
        ],
    )
    assert status == 200
    assert body["image_embedding"]["metadata"] == {"input_filename": "cat.png"}
    assert len(body["image_embedding"]["segments"]) == 1
    audio = body["audio_embedding"]
    assert audio["metadata"] == {"input_url": "https://cdn.example.com/talk.mp3"}
    spans = [(s["start_offset_sec"], s["end_offset_sec"]) for s in audio["segments"]]
    assert spans == [(2.0, 12.0), (12.0, 17.4)]


async def test_embed_2_7_vectors_have_1024_values(api: Api) -> None:
    """Marengo-retrieval-2.7 text vectors have 1024 values."""
    _, body, _ = await api.form(
        "/embed", [("model_name", "Marengo-retrieval-2.7"), ("text", "a dog")]
    )
    assert len(body["text_embedding"]["segments"][0]["float"]) == 1024


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ([("text", "x")], "parameter_not_provided"),
        ([("model_name", "marengo9")], "parameter_invalid"),
        ([("model_name", "marengo3.0")], "parameter_not_provided"),
        (
            [
                ("model_name", "marengo3.0"),
                ("image_url", "https://x/a.png"),
                ("image_file", ("a.png", b"x")),
            ],
            "parameter_invalid",
        ),
        ([("model_name", "marengo3.0"), ("text", "x"), ("colour", "red")], "parameter_unknown"),
        (
            [("model_name", "marengo3.0"), ("audio_url", "u"), ("audio_start_offset_sec", "-1")],
            "parameter_invalid",
        ),
    ],
)
async def test_embed_validation_errors_are_flat_400(
    api: Api, fields: list[tuple[str, Any]], code: str
) -> None:
    """Invalid /embed forms answer 400 with a flat {code, message} body."""
    status, body, _ = await api.form("/embed", fields)
    assert status == 400
    assert body["code"] == code
    assert set(body) == {"code", "message"}


async def test_embed_rejects_a_json_body(api: Api) -> None:
    """v1 creates need multipart/form-data; a JSON body answers 400."""
    status, body, _ = await api.json("/embed", {"model_name": "marengo3.0", "text": "x"})
    assert status == 400
    assert body["code"] == "parameter_invalid"


async def test_task_create_with_file_answers_200_with_id(
    api: Api, server: FakeTwelveLabsServer
) -> None:
    """POST /embed/tasks answers 200 with only an ``_id`` of 24 hex characters."""
    status, body, _ = await api.form(
        "/embed/tasks", [("model_name", "marengo3.0"), ("video_file", VIDEO)]
    )
    assert status == 200
    assert set(body) == {"_id"}
    assert len(body["_id"]) == 24
    assert server.created_task_ids == [body["_id"]]


async def test_task_url_wins_over_file(api: Api) -> None:
    """When both video_url and video_file arrive, the task uses the URL."""
    _, body, _ = await api.form(
        "/embed/tasks",
        [("model_name", "marengo3.0"), ("video_url", "https://x/u.mp4"), ("video_file", VIDEO)],
    )
    _, status_body, _ = await api.get(f"/embed/tasks/{body['_id']}/status")
    assert status_body["video_embedding"]["metadata"]["input_url"] == "https://x/u.mp4"


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ([("video_clip_length", "1")], "parameter_invalid"),
        ([("video_clip_length", "11")], "parameter_invalid"),
        ([("video_clip_length", "six")], "parameter_invalid"),
        ([("video_start_offset_sec", "0")], "parameter_invalid"),
        ([("video_end_offset_sec", "10")], "parameter_invalid"),
        ([("video_start_offset_sec", "10"), ("video_end_offset_sec", "5")], "parameter_invalid"),
        ([("video_start_offset_sec", "0"), ("video_end_offset_sec", "4")], "parameter_invalid"),
        ([("video_start_offset_sec", "0"), ("video_end_offset_sec", "99")], "parameter_invalid"),
        ([("video_embedding_scope", "clip,video")], "parameter_invalid"),
    ],
)
async def test_task_create_validation(api: Api, extra: list[tuple[str, str]], code: str) -> None:
    """Documented task rules (clip 2-10, offsets together, end > start, scopes) answer 400."""
    fields = [("model_name", "marengo3.0"), ("video_url", "https://x/v.mp4"), *extra]
    status, body, _ = await api.form("/embed/tasks", fields)
    assert (status, body["code"]) == (400, code)


async def test_task_create_needs_a_video(api: Api) -> None:
    """A task without video_url or video_file answers 400 parameter_not_provided."""
    status, body, _ = await api.form("/embed/tasks", [("model_name", "marengo3.0")])
    assert (status, body["code"]) == (400, "parameter_not_provided")


async def test_status_has_nested_metadata(api: Api, server: FakeTwelveLabsServer) -> None:
    """The status endpoint nests metadata under video_embedding and holds no segments."""
    server.state.set_duration("match.mp4", 31.2)
    _, created, _ = await api.form(
        "/embed/tasks",
        [
            ("model_name", "marengo3.0"),
            ("video_file", VIDEO),
            ("video_embedding_scope", "clip"),
            ("video_embedding_scope", "video"),
        ],
    )
    status, body, _ = await api.get(f"/embed/tasks/{created['_id']}/status")
    assert status == 200
    assert body == {
        "_id": created["_id"],
        "status": "ready",
        "model_name": "marengo3.0",
        "video_embedding": {
            "metadata": {
                "input_filename": "match.mp4",
                "video_clip_length": 6,
                "video_embedding_scope": ["clip", "video"],
                "duration": 31.2,
            }
        },
    }


async def test_retrieve_segments_follow_clips_options_and_scopes(
    api: Api, server: FakeTwelveLabsServer
) -> None:
    """Segments cover each clip per option, drop a final clip under 2 s, then the video scope."""
    server.state.set_duration("match.mp4", 31.0)
    _, created, _ = await api.form(
        "/embed/tasks",
        [
            ("model_name", "marengo3.0"),
            ("video_file", VIDEO),
            ("video_embedding_scope", "clip"),
            ("video_embedding_scope", "video"),
        ],
    )
    status, body, _ = await api.request(
        "GET",
        f"/embed/tasks/{created['_id']}",
        params=[("embedding_option", "visual"), ("embedding_option", "audio")],
    )
    assert status == 200
    assert body["status"] == "ready"
    segments = body["video_embedding"]["segments"]
    clips = [s for s in segments if s["embedding_scope"] == "clip"]
    assert [(s["start_offset_sec"], s["end_offset_sec"]) for s in clips[::2]] == [
        (0.0, 6.0),
        (6.0, 12.0),
        (12.0, 18.0),
        (18.0, 24.0),
        (24.0, 30.0),
    ]
    assert {s["embedding_option"] for s in segments} == {"visual", "audio"}
    videos = [s for s in segments if s["embedding_scope"] == "video"]
    assert [(s["start_offset_sec"], s["end_offset_sec"]) for s in videos] == [(0.0, 31.0)] * 2
    assert all(len(s["float"]) == 512 for s in segments)


async def test_retrieve_without_option_returns_every_option(api: Api) -> None:
    """With no embedding_option, marengo3.0 tasks return visual, audio and transcription."""
    _, created, _ = await api.form(
        "/embed/tasks",
        [
            ("model_name", "marengo3.0"),
            ("video_url", "https://x/v.mp4"),
            ("video_start_offset_sec", "0"),
            ("video_end_offset_sec", "12"),
        ],
    )
    _, body, _ = await api.get(f"/embed/tasks/{created['_id']}")
    options = [s["embedding_option"] for s in body["video_embedding"]["segments"]]
    assert options == ["visual", "audio", "transcription"] * 2


async def test_retrieve_rejects_an_option_of_another_model(api: Api) -> None:
    """visual-text belongs to Marengo 2.7; asking a 3.0 task for it answers 400."""
    _, created, _ = await api.form(
        "/embed/tasks", [("model_name", "marengo3.0"), ("video_url", "https://x/v.mp4")]
    )
    status, body, _ = await api.get(
        f"/embed/tasks/{created['_id']}", embedding_option="visual-text"
    )
    assert (status, body["code"]) == (400, "parameter_invalid")


async def test_unknown_v1_task_is_a_flat_404(api: Api) -> None:
    """An unknown v1 task id answers 404 with a flat resource_not_exist body."""
    for path in ("/embed/tasks/000000000000000000000000", "/embed/tasks/nope/status"):
        status, body, _ = await api.get(path)
        assert (status, body["code"]) == (404, "resource_not_exist")
        assert "error" not in body


async def test_missing_or_wrong_key_is_401(server: FakeTwelveLabsServer, api: Api) -> None:
    """A missing or wrong x-api-key answers 401 api_key_invalid, and the log keeps no key."""
    status, body, _ = await api.request("GET", "/embed/tasks", headers={"x-api-key": "wrong"})
    assert (status, body["code"]) == (401, "api_key_invalid")
    record = server.requests[-1]
    assert record.api_key_sent
    assert not record.api_key_matched
    assert "wrong" not in repr(record)
    assert "x-api-key" not in {k.lower() for k in record.headers}
