"""Task lifecycle, pagination, determinism and similarity of the fake server."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pytest

from twelvelabs_async.testing import TASK_ERROR_MESSAGES, FakeTwelveLabsServer, _embeddings

if TYPE_CHECKING:
    from integration.conftest import Api


async def _v1_task(api: Api, url: str = "https://x/v.mp4", **extra: str) -> str:
    fields = [("model_name", "marengo3.0"), ("video_url", url), *extra.items()]
    _, body, _ = await api.form("/embed/tasks", fields)
    task_id: str = body["_id"]
    return task_id


def _cos(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


async def test_tasks_process_then_become_ready_as_the_clock_advances(
    api: Api, server: FakeTwelveLabsServer
) -> None:
    """A task stays processing (no segments) until processing_time has passed on the clock."""
    server.state.processing_time = 60
    task_id = await _v1_task(api)
    _, body, _ = await api.get(f"/embed/tasks/{task_id}")
    assert body["status"] == "processing"
    assert "segments" not in body["video_embedding"]
    server.state.advance(61)
    _, body, _ = await api.get(f"/embed/tasks/{task_id}/status")
    assert body["status"] == "ready"
    _, body, _ = await api.get(f"/embed/tasks/{task_id}")
    assert body["video_embedding"]["segments"]
    assert body["updated_at"] > body["created_at"]


async def test_complete_ends_a_task_early(api: Api, server: FakeTwelveLabsServer) -> None:
    """state.complete() makes a processing task ready at once."""
    server.state.processing_time = 3600
    task_id = await _v1_task(api)
    server.state.complete(task_id)
    assert (await api.get(f"/embed/tasks/{task_id}/status"))[1]["status"] == "ready"


async def test_failed_v2_task_carries_a_documented_message(
    api: Api, server: FakeTwelveLabsServer
) -> None:
    """state.fail() ends a v2 task failed with null data and an error.message."""
    _, created, _ = await api.json(
        "/embed-v2/tasks",
        {
            "input_type": "video",
            "model_name": "marengo3.0",
            "video": {"media_source": {"url": "https://x/v.mp4"}},
        },
    )
    server.state.fail(created["_id"])
    _, body, _ = await api.get(f"/embed-v2/tasks/{created['_id']}")
    assert body["status"] == "failed"
    assert body["data"] is None
    assert body["error"]["message"] in TASK_ERROR_MESSAGES


async def test_list_is_newest_first_with_page_info(api: Api) -> None:
    """Lists sort newest first and report limit_per_page, page, total_page, total_results."""
    ids = [await _v1_task(api, url=f"https://x/{i}.mp4") for i in range(5)]
    status, body, _ = await api.get("/embed/tasks", page=2, page_limit=2)
    assert status == 200
    assert [t["_id"] for t in body["data"]] == [ids[2], ids[1]]
    assert body["page_info"] == {
        "limit_per_page": 2,
        "page": 2,
        "total_page": 3,
        "total_results": 5,
    }
    item = body["data"][0]
    assert set(item) == {
        "_id",
        "model_name",
        "status",
        "created_at",
        "updated_at",
        "video_embedding",
    }
    _, past_end, _ = await api.get("/embed/tasks", page=4, page_limit=2)
    assert past_end["data"] == []


async def test_list_defaults_to_ten_per_page(api: Api) -> None:
    """Without page arguments the list answers page 1 with 10 per page."""
    for i in range(11):
        await _v1_task(api, url=f"https://x/{i}.mp4")
    _, body, _ = await api.get("/embed/tasks")
    assert len(body["data"]) == 10
    assert body["page_info"]["total_page"] == 2


async def test_list_filters_by_status_and_dates(api: Api, server: FakeTwelveLabsServer) -> None:
    """status, started_at and ended_at filter the list."""
    done = await _v1_task(api)
    server.state.processing_time = 3600
    busy = await _v1_task(api)
    _, body, _ = await api.get("/embed/tasks", status="processing")
    assert [t["_id"] for t in body["data"]] == [busy]
    _, body, _ = await api.get("/embed/tasks", status="ready")
    assert [t["_id"] for t in body["data"]] == [done]
    _, body, _ = await api.get("/embed/tasks", started_at="2999-01-01T00:00:00Z")
    assert body["data"] == []
    _, body, _ = await api.get("/embed/tasks", ended_at="2999-01-01T00:00:00+00:00")
    assert len(body["data"]) == 2


@pytest.mark.parametrize(
    "params", [{"page_limit": 51}, {"page_limit": 0}, {"page": "x"}, {"started_at": "yesterday"}]
)
async def test_list_rejects_bad_paging_and_dates(api: Api, params: dict[str, Any]) -> None:
    """page_limit over 50, non-integers and bad dates answer 400 parameter_invalid."""
    for path in ("/embed/tasks", "/embed-v2/tasks"):
        status, body, _ = await api.get(path, **params)
        assert status == 400
        assert (body.get("code") or body["error"]["code"]) == "parameter_invalid"


async def test_v2_list_items_use_v1_style_metadata(api: Api) -> None:
    """v2 list items carry audio_embedding.metadata for audio tasks (not the v2 union)."""
    await api.json(
        "/embed-v2/tasks",
        {
            "input_type": "audio",
            "model_name": "marengo3.0",
            "audio": {"media_source": {"url": "https://x/a.mp3"}},
        },
    )
    _, body, _ = await api.get("/embed-v2/tasks")
    meta = body["data"][0]["audio_embedding"]["metadata"]
    assert meta["audio_embedding_options"] == ["audio", "transcription"]
    assert meta["input_url"] == "https://x/a.mp3"


async def test_same_input_gives_same_vectors_across_servers(api: Api) -> None:
    """Two servers embed the same text and the same video identically."""
    _, first, _ = await api.form("/embed", [("model_name", "marengo3.0"), ("text", "goal")])
    async with (
        FakeTwelveLabsServer(processing_time=0) as other,
        api.http.post(
            other.base_url + "/embed-v2",
            json={"input_type": "text", "model_name": "marengo3.0", "text": {"input_text": "goal"}},
            headers={"x-api-key": other.api_key},
        ) as resp,
    ):
        second = await resp.json()
    assert first["text_embedding"]["segments"][0]["float"] == second["data"][0]["embedding"]


async def test_different_inputs_and_options_differ(api: Api) -> None:
    """Different texts, and different options of one segment, give different vectors."""
    _, a, _ = await api.form("/embed", [("model_name", "marengo3.0"), ("text", "goal")])
    _, b, _ = await api.form("/embed", [("model_name", "marengo3.0"), ("text", "save")])
    assert (
        a["text_embedding"]["segments"][0]["float"] != b["text_embedding"]["segments"][0]["float"]
    )
    task_id = await _v1_task(api)
    _, body, _ = await api.get(f"/embed/tasks/{task_id}")
    first, second = body["video_embedding"]["segments"][:2]
    assert first["float"] != second["float"]


async def test_text_query_is_closest_to_the_video_named_after_it(
    api: Api, server: FakeTwelveLabsServer
) -> None:
    """The text "match" is more similar to segments of match.mp4 than to other videos."""
    match = await _v1_task(api, url="https://cdn.example.com/match.mp4")
    other = await _v1_task(api, url="https://cdn.example.com/cooking.mp4")
    _, query, _ = await api.form("/embed", [("model_name", "marengo3.0"), ("text", "Match")])
    vector = query["text_embedding"]["segments"][0]["float"]
    _, m, _ = await api.get(f"/embed/tasks/{match}")
    _, o, _ = await api.get(f"/embed/tasks/{other}")
    best_match = min(_cos(vector, s["float"]) for s in m["video_embedding"]["segments"])
    best_other = max(_cos(vector, s["float"]) for s in o["video_embedding"]["segments"])
    assert best_match > 0.5 > best_other


def test_numpy_and_pure_python_paths_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    """Vectors are the same whether numpy is importable or not."""
    pytest.importorskip("numpy")
    with_numpy = _embeddings.media_vector("marengo3.0", "id", "a.mp4", "visual", "clip:0-6", 512)
    monkeypatch.setattr(_embeddings, "_np", None)
    _embeddings.text_vector.cache_clear()
    without = _embeddings.media_vector("marengo3.0", "id", "a.mp4", "visual", "clip:0-6", 512)
    _embeddings.text_vector.cache_clear()
    assert with_numpy == without
    assert math.isclose(math.fsum(v * v for v in without), 1.0)


def test_shorter_marengo_3_5_vector_is_a_renormalized_prefix() -> None:
    """A 128-value 3.5 vector points the same way as the first 128 values of the 512 one."""
    full = _embeddings.media_vector("marengo3.5", "id", None, "visual", "s", 512)
    short = _embeddings.truncate_dimension(full, 128)
    ratio = short[0] / full[0]
    assert all(math.isclose(s, f * ratio) for s, f in zip(short, full[:128], strict=True))


async def test_retrieve_bodies_are_cached_per_option_set(
    api: Api, server: FakeTwelveLabsServer
) -> None:
    """Retrieving a ready task twice serves the cached body; another option set is separate."""
    task_id = await _v1_task(api)
    await api.get(f"/embed/tasks/{task_id}")
    await api.get(f"/embed/tasks/{task_id}")
    await api.get(f"/embed/tasks/{task_id}", embedding_option="visual")
    assert len(server.state.tasks[task_id].cache) == 2
