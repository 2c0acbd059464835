"""The fake server's v2 endpoints over real sockets: shapes, validation and status codes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from twelvelabs_async.testing import FakeTwelveLabsServer

if TYPE_CHECKING:
    from integration.conftest import Api

URL = "https://cdn.example.com/short.mp4"


def _video(**fields: Any) -> dict[str, Any]:
    return {
        "input_type": "video",
        "model_name": "marengo3.0",
        "video": {"media_source": {"url": URL}, **fields},
    }


async def test_sync_text_answers_200_with_null_fields(api: Api) -> None:
    """POST /embed-v2 with text answers 200: one embedding, null option/scope/times, no metadata."""
    status, body, _ = await api.json(
        "/embed-v2",
        {"input_type": "text", "model_name": "marengo3.0", "text": {"input_text": "hi"}},
    )
    assert status == 200
    (item,) = body["data"]
    assert len(item["embedding"]) == 512
    assert (item["embedding_option"], item["embedding_scope"], item["start_sec"]) == (None,) * 3
    assert "metadata" not in body


async def test_sync_video_fixed_segments_fused_and_asset(
    api: Api, server: FakeTwelveLabsServer
) -> None:
    """Fixed segmentation, two options plus fused, clip and asset scopes, with metadata."""
    server.state.set_duration(URL, 18.0)
    status, body, _ = await api.json(
        "/embed-v2",
        _video(
            segmentation={"strategy": "fixed", "fixed": {"duration_sec": 5}},
            embedding_option=["visual", "audio"],
            embedding_type=["separate_embedding", "fused_embedding"],
        ),
    )
    assert status == 200
    clips = [d for d in body["data"] if d["embedding_scope"] == "clip"]
    assert [(d["start_sec"], d["end_sec"]) for d in clips[::3]] == [
        (0, 5),
        (5, 10),
        (10, 15),
        (15, 18),
    ]
    assert [d["embedding_option"] for d in clips[:3]] == ["visual", "audio", "fused"]
    assets = [d for d in body["data"] if d["embedding_scope"] == "asset"]
    assert [(d["embedding_option"], d["end_sec"]) for d in assets] == [
        ("visual", 18.0),
        ("audio", 18.0),
        ("fused", 18.0),
    ]
    assert body["metadata"] == {
        "input_type": "video",
        "input_url": URL,
        "embedding_options": ["visual", "audio"],
        "embedding_scopes": ["clip", "asset"],
        "duration": 18,
        "start_offset_sec": 0,
        "end_offset_sec": 18,
        "clip_length": 5,
    }


async def test_sync_video_defaults_dynamic_segments_of_at_least_four_seconds(api: Api) -> None:
    """Without segmentation, 3.0 video segments are dynamic, each at least 4 s but the last."""
    _, body, _ = await api.json("/embed-v2", _video(embedding_scope=["clip"]))
    spans = [
        (d["start_sec"], d["end_sec"]) for d in body["data"] if d["embedding_option"] == "visual"
    ]
    assert all(end - start >= 4 for start, end in spans[:-1])
    assert spans[0][0] == 0
    assert spans[-1][1] == 30
    assert {d["embedding_option"] for d in body["data"]} == {"visual", "audio", "transcription"}


async def test_marengo_3_5_multi_input_honours_embedding_dimension(api: Api) -> None:
    """marengo3.5 multi_input with embedding_dimension 256 gives a 256-value vector and usage."""
    status, body, _ = await api.json(
        "/embed-v2",
        {
            "input_type": "multi_input",
            "model_name": "marengo3.5",
            "embedding_dimension": 256,
            "multi_input": {
                "input_text": "a <@cat> on a sofa",
                "media_sources": [{"media_type": "image", "name": "cat", "url": "https://x/c.png"}],
            },
        },
    )
    assert status == 200
    assert len(body["data"][0]["embedding"]) == 256
    assert body["metadata"] == {"input_type": "multi_input"}
    assert "usage" in body


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"input_type": "text", "text": {"input_text": "x"}}, "parameter_not_provided"),
        (
            {"input_type": "text", "model_name": "marengo9", "text": {"input_text": "x"}},
            "parameter_invalid",
        ),
        ({"input_type": "text", "model_name": "marengo3.0"}, "parameter_not_provided"),
        ({"input_type": "video", "model_name": "marengo3.5", "video": {}}, "parameter_invalid"),
        (
            _video(segmentation={"strategy": "fixed", "fixed": {"duration_sec": 11}}),
            "parameter_invalid",
        ),
        (
            _video(segmentation={"strategy": "dynamic", "dynamic": {"min_duration_sec": 6}}),
            "parameter_invalid",
        ),
        (_video(segmentation={"strategy": "fixed"}), "parameter_not_provided"),
        (
            _video(embedding_option=["visual"], embedding_type=["fused_embedding"]),
            "parameter_invalid",
        ),
        (_video(start_sec=10, end_sec=5), "parameter_invalid"),
        (_video(embedding_scope=["video"]), "parameter_invalid"),
        ({**_video(), "embedding_dimension": 256}, "parameter_invalid"),
        (
            {
                "input_type": "image",
                "model_name": "marengo3.0",
                "image": {"media_source": {"url": URL, "asset_id": "a1"}},
            },
            "parameter_invalid",
        ),
        (
            {
                "input_type": "multi_input",
                "model_name": "marengo3.0",
                "multi_input": {"media_sources": [{"media_type": "image", "url": URL}] * 11},
            },
            "parameter_invalid",
        ),
        (
            {
                "input_type": "multi_input",
                "model_name": "marengo3.0",
                "multi_input": {
                    "input_text": "<@dog>",
                    "media_sources": [{"media_type": "image", "url": URL}],
                },
            },
            "parameter_invalid",
        ),
        ({**_video(), "surprise": 1}, "parameter_unknown"),
    ],
)
async def test_sync_validation_errors_are_nested_400(
    api: Api, payload: dict[str, Any], code: str
) -> None:
    """Invalid v2 bodies answer 400 with the nested {error: {code, message, details}} shape."""
    status, body, _ = await api.json("/embed-v2", payload)
    assert status == 400
    assert body["error"]["code"] == code
    assert body["error"]["message"]


async def test_sync_rejects_media_longer_than_ten_minutes(
    api: Api, server: FakeTwelveLabsServer
) -> None:
    """Sync video over 10 minutes answers 400 and points at the tasks endpoint."""
    server.state.set_duration(URL, 601)
    status, body, _ = await api.json("/embed-v2", _video())
    assert status == 400
    assert "/embed-v2/tasks" in body["error"]["message"]


async def test_task_create_answers_202_processing(api: Api, server: FakeTwelveLabsServer) -> None:
    """POST /embed-v2/tasks answers 202 with _id, status processing and null data."""
    status, body, _ = await api.json("/embed-v2/tasks", _video())
    assert status == 202
    assert body == {"_id": body["_id"], "status": "processing", "data": None}
    assert server.created_task_ids == [body["_id"]]


async def test_task_retrieve_ready_holds_data_and_metadata(api: Api) -> None:
    """A ready v2 task holds data and a video metadata variant, and no error field."""
    _, created, _ = await api.json("/embed-v2/tasks", _video(embedding_option=["visual"]))
    status, body, _ = await api.get(f"/embed-v2/tasks/{created['_id']}")
    assert status == 200
    assert body["status"] == "ready"
    assert body["data"]
    assert all(d["embedding_option"] == "visual" for d in body["data"])
    assert body["metadata"]["input_type"] == "video"
    assert "error" not in body


async def test_audio_task_uses_fixed_six_second_default(
    api: Api, server: FakeTwelveLabsServer
) -> None:
    """3.0 audio tasks default to fixed 6 s segments with audio and transcription options."""
    server.state.set_duration("https://x/a.mp3", 13.0)
    _, created, _ = await api.json(
        "/embed-v2/tasks",
        {
            "input_type": "audio",
            "model_name": "marengo3.0",
            "audio": {"media_source": {"url": "https://x/a.mp3"}, "embedding_scope": ["clip"]},
        },
    )
    _, body, _ = await api.get(f"/embed-v2/tasks/{created['_id']}")
    spans = sorted({(d["start_sec"], d["end_sec"]) for d in body["data"]})
    assert spans == [(0, 6), (6, 12)]
    assert {d["embedding_option"] for d in body["data"]} == {"audio", "transcription"}


async def test_task_shorter_than_four_seconds_is_rejected(
    api: Api, server: FakeTwelveLabsServer
) -> None:
    """Async tasks need media of at least 4 s."""
    server.state.set_duration(URL, 3)
    status, body, _ = await api.json("/embed-v2/tasks", _video())
    assert (status, body["error"]["code"]) == (400, "parameter_invalid")


async def test_unknown_v2_task_is_a_nested_404(api: Api) -> None:
    """An unknown v2 task id answers 404 with a nested resource_not_exist error."""
    status, body, _ = await api.get("/embed-v2/tasks/000000000000000000000000")
    assert status == 404
    assert body["error"]["code"] == "resource_not_exist"


async def test_v1_and_v2_tasks_are_separate(api: Api) -> None:
    """A v2 task id is unknown to the v1 endpoints and the other way round."""
    _, v2, _ = await api.json("/embed-v2/tasks", _video())
    _, v1, _ = await api.form("/embed/tasks", [("model_name", "marengo3.0"), ("video_url", URL)])
    assert (await api.get(f"/embed/tasks/{v2['_id']}"))[0] == 404
    assert (await api.get(f"/embed-v2/tasks/{v1['_id']}"))[0] == 404


async def test_explicit_nulls_count_as_absent(api: Api) -> None:
    """Fields sent as null are treated as not given, as clients serializing None do."""
    status, _, _ = await api.json(
        "/embed-v2",
        {
            "input_type": "text",
            "model_name": "marengo3.0",
            "text": {"input_text": "x"},
            "video": None,
            "embedding_dimension": None,
        },
    )
    assert status == 200
