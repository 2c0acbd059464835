"""Fault injection and the request log of the fake server."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import aiohttp
import orjson
import pytest

from twelvelabs_async.testing import TASK_ERROR_MESSAGES, FakeTwelveLabsServer, Fault

if TYPE_CHECKING:
    from integration.conftest import Api

CREATE = [("model_name", "marengo3.0"), ("video_url", "https://x/v.mp4")]


async def test_latency_delays_but_answers(api: Api, server: FakeTwelveLabsServer) -> None:
    """A latency fault answers normally and records that it fired."""
    rule = server.faults.latency(0.05)
    status, _, _ = await api.get("/embed/tasks")
    assert status == 200
    assert rule.fired == 1
    assert server.requests[-1].faults == ["latency"]


async def test_windowed_rate_limit_answers_429_with_headers(
    api: Api, server: FakeTwelveLabsServer
) -> None:
    """After `limit` requests in the window, answers are 429 with Retry-After and X-Ratelimit-*."""
    server.faults.rate_limit(limit=2, window=60, endpoints=["embed.tasks.list"])
    first = await api.get("/embed/tasks")
    second = await api.get("/embed/tasks")
    status, body, headers = await api.get("/embed/tasks")
    assert (first[0], second[0], status) == (200, 200, 429)
    assert first[2]["X-Ratelimit-Remaining"] == "1"
    assert body["code"] == "too_many_requests"
    assert 1 <= int(headers["Retry-After"]) <= 60
    assert headers["X-Ratelimit-Limit"] == "2"
    assert headers["X-Ratelimit-Remaining"] == "0"
    assert int(headers["X-Ratelimit-Reset"]) > 0
    assert (await api.get("/embed/tasks/x/status"))[0] == 404


async def test_share_rate_limit_uses_nested_body_on_v2(
    api: Api, server: FakeTwelveLabsServer
) -> None:
    """A share-based rate limit on v2 answers 429 with the nested error shape."""
    server.faults.rate_limit(rate=1.0, retry_after=3, endpoints=["embed.v2.tasks.list"])
    status, body, headers = await api.get("/embed-v2/tasks")
    assert status == 429
    assert body["error"]["code"] == "too_many_requests"
    assert headers["Retry-After"] == "3"


@pytest.mark.parametrize(
    ("code", "ctype"), [(500, "application/json"), (502, "text/html"), (503, "application/json")]
)
async def test_server_errors_before_processing_create_nothing(
    api: Api, server: FakeTwelveLabsServer, code: int, ctype: str
) -> None:
    """A 5xx injected on a create answers that status and creates no task."""
    server.faults.server_error(code, endpoints=["embed.tasks.create"])
    status, body, headers = await api.form("/embed/tasks", CREATE)
    assert status == code
    assert headers["Content-Type"].startswith(ctype)
    if code == 502:
        assert b"502 Bad Gateway" in body
    if code == 503:
        assert headers["Retry-After"] == "1"
    assert server.state.tasks == {}
    record = server.requests[-1]
    assert (record.status, record.task_created, record.faults) == (code, False, ["server_error"])


async def test_server_error_after_create_loses_the_answer(
    api: Api, server: FakeTwelveLabsServer
) -> None:
    """With task_created, the 500 hides a task that exists and is logged as created."""
    server.faults.server_error(500, endpoints=["embed.tasks.create"], task_created=True)
    status, _, _ = await api.form("/embed/tasks", CREATE)
    assert status == 500
    record = server.requests[-1]
    assert record.task_created
    assert record.task_id in server.state.tasks


async def test_times_and_skip_limit_a_rule(api: Api, server: FakeTwelveLabsServer) -> None:
    """skip lets the first requests through and times caps how often a rule fires."""
    server.faults.server_error(503, skip=1, times=1)
    statuses = [(await api.get("/embed/tasks"))[0] for _ in range(3)]
    assert statuses == [200, 503, 200]


async def test_rate_share_is_reproducible_with_a_seed() -> None:
    """Two servers with the same seed fire a 50% fault on the same requests."""

    async def pattern(seed: int) -> list[int]:
        async with (
            FakeTwelveLabsServer(seed=seed, faults=[{"kind": "server_error", "rate": 0.5}]) as fake,
            aiohttp.ClientSession(headers={"x-api-key": fake.api_key}) as http,
        ):
            out: list[int] = []
            for _ in range(20):
                async with http.get(fake.base_url + "/embed/tasks") as resp:
                    out.append(resp.status)
            return out

    first, second = await pattern(7), await pattern(7)
    assert first == second
    assert set(first) == {200, 500}


@pytest.mark.parametrize("task_created", [False, True])
async def test_dropped_connection(
    http: aiohttp.ClientSession, server: FakeTwelveLabsServer, task_created: bool
) -> None:
    """A dropped connection raises on the client; task_created decides whether a task exists."""
    server.faults.drop_connection(endpoints=["embed.tasks.create"], task_created=task_created)
    data = aiohttp.FormData(CREATE, default_to_multipart=True)
    with pytest.raises(aiohttp.ClientConnectionError):
        async with http.post(server.base_url + "/embed/tasks", data=data) as resp:
            await resp.read()
    record = server.requests_to("embed.tasks.create")[-1]
    assert record.status is None
    assert record.task_created is task_created
    assert len(server.state.tasks) == (1 if task_created else 0)


async def test_truncated_body(http: aiohttp.ClientSession, server: FakeTwelveLabsServer) -> None:
    """A truncated answer announces more bytes than it sends, so reading fails."""
    server.faults.truncate_body(endpoints=["embed.tasks.list"])
    with pytest.raises(aiohttp.ClientPayloadError):
        async with http.get(server.base_url + "/embed/tasks") as resp:
            await resp.read()


async def test_stall_outlasts_a_client_timeout(
    http: aiohttp.ClientSession, server: FakeTwelveLabsServer
) -> None:
    """A stall holds the answer past the client's timeout."""
    server.faults.stall(30, endpoints=["embed.tasks.list"])
    with pytest.raises(asyncio.TimeoutError):
        async with http.get(
            server.base_url + "/embed/tasks", timeout=aiohttp.ClientTimeout(total=0.2)
        ) as resp:
            await resp.read()


async def test_malformed_json(http: aiohttp.ClientSession, server: FakeTwelveLabsServer) -> None:
    """A malformed-JSON fault answers 200 with a body that does not parse."""
    server.faults.malformed_json(endpoints=["embed.tasks.list"])
    async with http.get(server.base_url + "/embed/tasks") as resp:
        assert resp.status == 200
        raw = await resp.read()
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(raw)


async def test_unknown_status_rewrites_task_statuses(
    api: Api, server: FakeTwelveLabsServer
) -> None:
    """unknown_status replaces the status of status, retrieve and list answers."""
    _, created, _ = await api.form("/embed/tasks", CREATE)
    server.faults.unknown_status("queued", methods=["GET"])
    assert (await api.get(f"/embed/tasks/{created['_id']}/status"))[1]["status"] == "queued"
    assert (await api.get("/embed/tasks"))[1]["data"][0]["status"] == "queued"


async def test_fail_tasks_by_name(api: Api, server: FakeTwelveLabsServer) -> None:
    """fail_task with names fails only tasks of those inputs, with a documented message."""
    server.faults.fail_tasks(names=["broken"])
    _, bad, _ = await api.form(
        "/embed/tasks", [("model_name", "marengo3.0"), ("video_url", "https://x/broken.mp4")]
    )
    _, good, _ = await api.form("/embed/tasks", CREATE)
    assert server.state.status(bad["_id"]) == "failed"
    assert server.state.status(good["_id"]) == "ready"
    assert server.state.tasks[bad["_id"]].failure in TASK_ERROR_MESSAGES
    _, body, _ = await api.get(f"/embed/tasks/{bad['_id']}")
    assert "segments" not in body["video_embedding"]


async def test_embed_error_sets_error_message_for_one_modality(
    api: Api, server: FakeTwelveLabsServer
) -> None:
    """embed_error gives one modality an error_message while the others succeed."""
    server.faults.embed_error("image", message="Image too small.")
    _, body, _ = await api.form(
        "/embed", [("model_name", "marengo3.0"), ("text", "x"), ("image_url", "https://x/i.png")]
    )
    assert body["image_embedding"]["error_message"] == "Image too small."
    assert "segments" not in body["image_embedding"]
    assert body["text_embedding"]["segments"]


def test_fault_rejects_unknown_kind_and_endpoint() -> None:
    """Fault rules fail early on an unknown kind, endpoint or field."""
    with pytest.raises(ValueError, match="unknown fault kind"):
        Fault(kind="explode")
    with pytest.raises(ValueError, match="unknown endpoints"):
        Fault(kind="latency", endpoints=frozenset({"embed.nothing"}))
    with pytest.raises(ValueError, match="unknown fault fields"):
        Fault.from_dict({"kind": "latency", "delay": 1})


async def test_control_endpoint_adds_lists_and_clears_faults(
    http: aiohttp.ClientSession, server: FakeTwelveLabsServer
) -> None:
    """POST/GET/DELETE /_fake/faults steer faults from outside the process."""
    root = server.root_url + "/_fake/faults"
    async with http.post(
        root, json={"kind": "server_error", "status": 503, "endpoints": ["embed.tasks.list"]}
    ) as resp:
        assert resp.status == 201
    async with http.get(server.base_url + "/embed/tasks") as resp:
        assert resp.status == 503
    async with http.get(root) as resp:
        rules = await resp.json()
    assert rules[0]["kind"] == "server_error"
    assert rules[0]["fired"] == 1
    async with http.delete(root) as resp:
        assert resp.status == 204
    assert server.faults.rules == []
    async with http.post(root, json={"kind": "nope"}) as resp:
        assert resp.status == 400


async def test_request_log_records_form_files_json_and_outcome(
    api: Api, server: FakeTwelveLabsServer
) -> None:
    """The log keeps form values, file name/size/hash (no content), JSON bodies and outcomes."""
    await api.form(
        "/embed/tasks",
        [
            ("model_name", "marengo3.0"),
            ("video_file", ("clip.mp4", b"abc")),
            ("video_clip_length", "4"),
        ],
    )
    await api.json(
        "/embed-v2", {"input_type": "text", "model_name": "marengo3.0", "text": {"input_text": "x"}}
    )
    await api.get("/nowhere")
    create, sync = server.requests[0], server.requests[1]
    assert create.endpoint == "embed.tasks.create"
    assert create.form == {"model_name": ["marengo3.0"], "video_clip_length": ["4"]}
    (upload,) = create.files
    assert (upload.field, upload.filename, upload.size) == ("video_file", "clip.mp4", 3)
    assert upload.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert create.status == 200
    assert create.task_created
    assert create.task_id
    assert create.api_key_matched
    assert sync.json["text"] == {"input_text": "x"}
    assert sync.task_created is False
    assert server.requests[2].endpoint is None
    assert server.requests[2].status == 404
    assert server.created_task_ids == [create.task_id]


async def test_hashing_can_be_turned_off_for_huge_uploads() -> None:
    """With hash_uploads=False the log keeps the upload size but no SHA-256."""
    data = aiohttp.FormData(default_to_multipart=True)
    data.add_field("model_name", "marengo3.0")
    data.add_field("video_file", b"abcd", filename="v.mp4")
    async with FakeTwelveLabsServer(processing_time=0, hash_uploads=False) as fake:
        key = {"x-api-key": fake.api_key}
        async with (
            aiohttp.ClientSession(headers=key) as http,
            http.post(fake.base_url + "/embed/tasks", data=data) as resp,
        ):
            assert resp.status == 200
    (upload,) = fake.requests[0].files
    assert upload.size == 4
    assert upload.sha256 is None


async def test_client_error_uses_each_endpoints_body_shape_and_creates_nothing(
    api: Api, server: FakeTwelveLabsServer
) -> None:
    """A client_error fault answers the 4xx with a flat body on v1, nested on v2, no task made."""
    server.faults.client_error(400, endpoints=["embed.tasks.create"], times=1)
    server.faults.client_error(
        422, code="parameter_invalid", message="bad video", endpoints=["embed.v2.tasks.create"]
    )
    status, body, _ = await api.form("/embed/tasks", CREATE)
    assert status == 400
    assert body == {"code": "parameter_invalid", "message": "One or more parameters are invalid."}
    v2 = {
        "input_type": "video",
        "model_name": "marengo3.0",
        "video": {"media_source": {"url": "https://x/v.mp4"}},
    }
    status, body, _ = await api.json("/embed-v2/tasks", v2)
    assert status == 422
    assert body["error"]["code"] == "parameter_invalid"
    assert body["error"]["message"] == "bad video"
    assert server.created_task_ids == []
    assert [r.faults for r in server.requests] == [["client_error"], ["client_error"]]
    status, _, _ = await api.form("/embed/tasks", CREATE)
    assert status == 200


def test_client_error_refuses_a_status_outside_4xx() -> None:
    """A client_error rule with a non-4xx status is refused when it is made."""
    with pytest.raises(ValueError, match="400 to 499"):
        Fault(kind="client_error", status=500)


async def test_fail_tasks_matches_the_file_name_of_a_url(
    api: Api, server: FakeTwelveLabsServer
) -> None:
    """fail_tasks(names=["broken.mp4"]) also fails a task created from a URL ending in that name."""
    server.faults.fail_tasks(names=["broken.mp4"])
    status, body, _ = await api.form(
        "/embed/tasks", [("model_name", "marengo3.0"), ("video_url", "https://x/y/broken.mp4")]
    )
    assert status == 200
    server.state.complete()
    status, task, _ = await api.get(f"/embed/tasks/{body['_id']}/status")
    assert task["status"] == "failed"
    status, body, _ = await api.form("/embed/tasks", CREATE)
    server.state.complete()
    status, task, _ = await api.get(f"/embed/tasks/{body['_id']}/status")
    assert task["status"] == "ready"
