"""``client.embed`` and ``client.embed.tasks`` (v1): exact requests and typed results."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
from aioresponses import CallbackResult, aioresponses
from yarl import URL

from twelvelabs_async import AsyncTwelveLabs, __version__
from twelvelabs_async.errors import (
    EmbeddingError,
    InternalServerError,
    NotFoundError,
    TaskFailedError,
    WaitTimeoutError,
)
from twelvelabs_async.models import (
    EmbeddingResponse,
    MediaEmbeddingTask,
    TasksCreateResponse,
    TasksRetrieveResponse,
    TasksStatusResponse,
)
from twelvelabs_async.resources.embed import Embed, modality_errors
from twelvelabs_async.resources.embed_tasks import EmbedTasks
from twelvelabs_async.testing import no_sleep

KEY = "tlk-v1-resource-test-key"
BASE = "http://127.0.0.1:9/v1.3"
TASK_ID = "6655a1b2c3d4e5f601234567"

RETRIEVED = {
    "_id": TASK_ID,
    "model_name": "marengo3.0",
    "status": "ready",
    "created_at": "2026-07-20T08:15:30Z",
    "updated_at": "2026-07-20T08:17:02Z",
    "video_embedding": {
        "metadata": {"input_url": "https://cdn.example.com/m.mp4", "video_clip_length": 6},
        "segments": [
            {
                "float": [0.013, -0.021, 0.004],
                "start_offset_sec": 0.0,
                "end_offset_sec": 6.0,
                "embedding_option": "visual",
                "embedding_scope": "clip",
            },
            {
                "float": [0.009, 0.017, -0.03],
                "start_offset_sec": 0.0,
                "end_offset_sec": 6.0,
                "embedding_option": "audio",
                "embedding_scope": "clip",
            },
        ],
    },
}


def status_body(status: str) -> dict[str, Any]:
    """A v1 status response with the given status."""
    return {"_id": TASK_ID, "status": status, "model_name": "marengo3.0"}


@attrs.define
class Part:
    name: str
    filename: str | None
    content_type: str
    content: bytes


@attrs.define
class Call:
    method: str
    url: URL
    params: list[tuple[str, str]]
    headers: dict[str, str]
    content_type: str | None
    form: list[Part] | None

    def fields(self) -> list[tuple[str, str]]:
        """The text fields of the form, in order, repeated names included."""
        assert self.form is not None
        return [(p.name, p.content.decode()) for p in self.form if p.filename is None]


class _Sink:
    def __init__(self) -> None:
        self.buf = bytearray()

    async def write(self, data: bytes) -> None:
        self.buf += data

    async def write_eof(self, *_: Any) -> None:
        return None


async def read_form(writer: Any) -> tuple[str, list[Part]]:
    """Serialise the multipart body the transport built and parse it back into parts."""
    sink = _Sink()
    await writer.write(sink)
    ctype = writer.headers["Content-Type"]
    msg = email.message_from_bytes(
        b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + bytes(sink.buf),
        policy=email.policy.HTTP,
    )
    parts = []
    for sub in msg.iter_parts():
        name = sub.get_param("name", header="content-disposition")
        content = sub.get_payload(decode=True)
        assert isinstance(name, str)
        assert isinstance(content, bytes)
        parts.append(
            Part(
                name=name,
                filename=sub.get_filename(),
                content_type=sub.get_content_type(),
                content=content,
            )
        )
    return ctype, parts


class Wire:
    """Routes on an aioresponses mock that record every request in full."""

    def __init__(self, mocked: aioresponses) -> None:
        self.mocked = mocked
        self.calls: list[Call] = []

    def route(self, method: str, url: str | re.Pattern[str], *answers: Any) -> None:
        """Answer ``method url`` with the given bodies in turn (the last one repeats).

        An answer is a JSON-able body (status 200) or a ``(status, body)`` tuple.
        """
        queue = list(answers)

        async def callback(u: URL, **kwargs: Any) -> CallbackResult:
            data = kwargs.get("data")
            ctype, form = (None, None) if data is None else await read_form(data)
            raw_params = kwargs.get("params") or []
            params = list(raw_params.items() if hasattr(raw_params, "items") else raw_params)
            self.calls.append(
                Call(method, u, params, dict(kwargs.get("headers") or {}), ctype, form)
            )
            answer = queue.pop(0) if len(queue) > 1 else queue[0]
            status, body = answer if isinstance(answer, tuple) else (200, answer)
            return CallbackResult(
                status=status, body=orjson.dumps(body), content_type="application/json"
            )

        self.mocked.add(url, method, callback=callback, repeat=True)


@pytest.fixture
async def client() -> AsyncIterator[AsyncTwelveLabs]:
    """A client for a base URL that no test really connects to, with retries that do not sleep."""
    with no_sleep():
        async with AsyncTwelveLabs(KEY, base_url=BASE) as c:
            yield c


@pytest.fixture
def wire() -> Iterator[Wire]:
    """An aioresponses mock with recording routes."""
    with aioresponses() as mocked:
        yield Wire(mocked)


def test_accessors_are_cached_and_typed(client: AsyncTwelveLabs) -> None:
    """client.embed.tasks is an EmbedTasks; v2 and v_2 are the same EmbedV2 object."""
    from twelvelabs_async.resources.embed_v2 import EmbedV2

    assert isinstance(client.embed, Embed)
    assert isinstance(client.embed.tasks, EmbedTasks)
    assert client.embed.tasks is client.embed.tasks
    assert isinstance(client.embed.v2, EmbedV2)
    assert client.embed.v_2 is client.embed.v2


async def test_embed_create_text_only_is_multipart(client: AsyncTwelveLabs, wire: Wire) -> None:
    """Text alone is still sent as multipart/form-data with model_name and text fields."""
    wire.route(
        "POST",
        f"{BASE}/embed",
        {"model_name": "marengo3.0", "text_embedding": {"segments": [{"float": [0.1, 0.2]}]}},
    )
    result = await client.embed.create(model_name="marengo3.0", text="a red car")
    (call,) = wire.calls
    assert call.url.path == "/v1.3/embed"
    assert call.content_type is not None
    assert call.content_type.startswith("multipart/form-data; boundary=")
    assert call.fields() == [("model_name", "marengo3.0"), ("text", "a red car")]
    assert call.headers["x-api-key"] == KEY
    assert call.headers["User-Agent"] == f"twelvelabs-async/{__version__}"
    assert isinstance(result, EmbeddingResponse)
    assert result.text_embedding is not None
    assert result.text_embedding.segments is not None
    assert result.text_embedding.segments[0].float_ == [0.1, 0.2]


async def test_embed_create_several_modalities_with_file(
    client: AsyncTwelveLabs, wire: Wire, tmp_path: Path
) -> None:
    """Text, an image file and an audio URL with offset go in one form; the file is a named part."""
    image = tmp_path / "cat.png"
    image.write_bytes(b"\x89PNG-bytes")
    wire.route(
        "POST",
        f"{BASE}/embed",
        {
            "model_name": "marengo3.0",
            "text_embedding": {"segments": [{"float": [1.0]}]},
            "image_embedding": {
                "segments": [{"float": [2.0]}],
                "metadata": {"input_filename": "cat.png"},
            },
            "audio_embedding": {
                "segments": [{"float": [3.0], "start_offset_sec": 2.5, "end_offset_sec": 12.5}]
            },
        },
    )
    result = await client.embed.create(
        model_name="marengo3.0",
        text="cat",
        image_file=image,
        audio_url="https://cdn.example.com/a.mp3",
        audio_start_offset_sec=2.5,
    )
    (call,) = wire.calls
    assert call.fields() == [
        ("model_name", "marengo3.0"),
        ("text", "cat"),
        ("audio_url", "https://cdn.example.com/a.mp3"),
        ("audio_start_offset_sec", "2.5"),
    ]
    assert call.form is not None
    (file_part,) = [p for p in call.form if p.filename is not None]
    assert (file_part.name, file_part.filename) == ("image_file", "cat.png")
    assert file_part.content_type == "image/png"
    assert file_part.content == b"\x89PNG-bytes"
    assert result.audio_embedding is not None
    assert result.audio_embedding.segments is not None
    assert result.audio_embedding.segments[0].end_offset_sec == 12.5


PARTIAL = {
    "model_name": "marengo3.0",
    "text_embedding": {"segments": [{"float": [1.0]}]},
    "image_embedding": {"error_message": "image could not be downloaded"},
}


async def test_modality_error_raises_by_default(client: AsyncTwelveLabs, wire: Wire) -> None:
    """A 200 with a per-modality error_message raises EmbeddingError naming the modality."""
    wire.route("POST", f"{BASE}/embed", PARTIAL)
    with pytest.raises(EmbeddingError, match="image could not be downloaded") as info:
        await client.embed.create(model_name="marengo3.0", text="x", image_url="https://x/i.png")
    assert info.value.errors == {"image": "image could not be downloaded"}
    assert info.value.response.text_embedding.segments[0].float_ == [1.0]


async def test_modality_error_returned_when_not_raising(
    client: AsyncTwelveLabs, wire: Wire
) -> None:
    """With raise_on_error=False the response comes back and carries the error_message."""
    wire.route("POST", f"{BASE}/embed", PARTIAL)
    result = await client.embed.create(
        model_name="marengo3.0", text="x", image_url="https://x/i.png", raise_on_error=False
    )
    assert result.image_embedding is not None
    assert result.image_embedding.error_message == "image could not be downloaded"
    assert modality_errors(result) == {"image": "image could not be downloaded"}


async def test_tasks_create_url_with_every_field(client: AsyncTwelveLabs, wire: Wire) -> None:
    """Every create argument is a form field; scopes repeat; numbers are plain decimals."""
    wire.route("POST", f"{BASE}/embed/tasks", {"_id": TASK_ID})
    task = await client.embed.tasks.create(
        model_name="marengo3.0",
        video_url="https://cdn.example.com/m.mp4",
        video_start_offset_sec=2,
        video_end_offset_sec=20.5,
        video_clip_length=6,
        video_embedding_scope=["clip", "video"],
    )
    (call,) = wire.calls
    assert call.url.path == "/v1.3/embed/tasks"
    assert call.fields() == [
        ("model_name", "marengo3.0"),
        ("video_url", "https://cdn.example.com/m.mp4"),
        ("video_start_offset_sec", "2.0"),
        ("video_end_offset_sec", "20.5"),
        ("video_clip_length", "6.0"),
        ("video_embedding_scope", "clip"),
        ("video_embedding_scope", "video"),
    ]
    assert isinstance(task, TasksCreateResponse)
    assert task.id == TASK_ID


async def test_tasks_create_uploads_file_with_progress(
    client: AsyncTwelveLabs, wire: Wire, tmp_path: Path
) -> None:
    """A video path is streamed as the video_file part, and upload progress is reported."""
    video = tmp_path / "match.mp4"
    video.write_bytes(b"v" * 3000)
    wire.route("POST", f"{BASE}/embed/tasks", {"_id": TASK_ID})
    seen: list[tuple[int, int | None]] = []
    await client.embed.tasks.create(
        model_name="marengo3.0",
        video_file=video,
        on_upload_progress=lambda sent, total: seen.append((sent, total)),
    )
    (call,) = wire.calls
    assert call.fields() == [("model_name", "marengo3.0")]
    assert call.form is not None
    (part,) = [p for p in call.form if p.filename]
    assert (part.name, part.filename, part.content_type) == ("video_file", "match.mp4", "video/mp4")
    assert part.content == b"v" * 3000
    assert seen[-1] == (3000, 3000)


async def test_tasks_create_is_not_retried_after_a_500(client: AsyncTwelveLabs, wire: Wire) -> None:
    """A 500 on task creation is raised without a retry, so no duplicate task is billed."""
    wire.route("POST", f"{BASE}/embed/tasks", (500, {"code": "internal", "message": "boom"}))
    with pytest.raises(InternalServerError):
        await client.embed.tasks.create(model_name="marengo3.0", video_url="https://x/v.mp4")
    assert len(wire.calls) == 1


async def test_status(client: AsyncTwelveLabs, wire: Wire) -> None:
    """status() GETs /embed/tasks/{id}/status and returns a typed status."""
    wire.route("GET", f"{BASE}/embed/tasks/{TASK_ID}/status", status_body("processing"))
    result = await client.embed.tasks.status(TASK_ID)
    (call,) = wire.calls
    assert call.url.path == f"/v1.3/embed/tasks/{TASK_ID}/status"
    assert call.params == []
    assert call.form is None
    assert isinstance(result, TasksStatusResponse)
    assert result.status == "processing"
    assert result.id == TASK_ID


async def test_retrieve_repeats_embedding_option(client: AsyncTwelveLabs, wire: Wire) -> None:
    """retrieve() sends embedding_option once per value and parses segments."""
    url = f"{BASE}/embed/tasks/{TASK_ID}?embedding_option=audio&embedding_option=visual"
    wire.route("GET", url, RETRIEVED)
    result = await client.embed.tasks.retrieve(TASK_ID, embedding_option=["visual", "audio"])
    (call,) = wire.calls
    assert call.url.path == f"/v1.3/embed/tasks/{TASK_ID}"
    assert call.params == [("embedding_option", "visual"), ("embedding_option", "audio")]
    assert isinstance(result, TasksRetrieveResponse)
    assert result.video_embedding is not None
    segments = result.video_embedding.segments
    assert segments is not None
    assert [s.embedding_option for s in segments] == ["visual", "audio"]
    assert segments[0].float_ == [0.013, -0.021, 0.004]
    assert result.created_at == dt.datetime(2026, 7, 20, 8, 15, 30, tzinfo=dt.UTC)


def page_body(page: int, total_page: int, ids: list[str]) -> dict[str, Any]:
    """A list page with its page_info."""
    return {
        "data": [{"_id": i, "status": "ready", "model_name": "marengo3.0"} for i in ids],
        "page_info": {
            "limit_per_page": 2,
            "page": page,
            "total_page": total_page,
            "total_results": 5,
        },
    }


async def test_list_walks_pages_with_filters(client: AsyncTwelveLabs, wire: Wire) -> None:
    """list() sends the filters on every page and stops at total_page (three requests)."""
    import re

    wire.route(
        "GET",
        re.compile(r"^http://127\.0\.0\.1:9/v1\.3/embed/tasks\?.*$"),
        page_body(1, 3, ["a", "b"]),
        page_body(2, 3, ["c", "d"]),
        page_body(3, 3, ["e"]),
    )
    pager = client.embed.tasks.list(
        started_at=dt.datetime(2026, 7, 1, tzinfo=dt.UTC),
        ended_at="2026-07-31T23:59:59+02:00",
        status="ready",
        page_limit=2,
    )
    assert wire.calls == []
    tasks = [t async for t in pager]
    assert [t.id for t in tasks] == ["a", "b", "c", "d", "e"]
    assert all(isinstance(t, MediaEmbeddingTask) for t in tasks)
    assert len(wire.calls) == 3
    assert [c.url.path for c in wire.calls] == ["/v1.3/embed/tasks"] * 3
    for number, call in enumerate(wire.calls, start=1):
        assert dict(call.params) == {
            "started_at": "2026-07-01T00:00:00Z",
            "ended_at": "2026-07-31T21:59:59Z",
            "status": "ready",
            "page_limit": "2",
            "page": str(number),
        }


async def test_list_first_page(client: AsyncTwelveLabs, wire: Wire) -> None:
    """first_page() makes one request and exposes items and page_info."""
    import re

    wire.route(
        "GET",
        re.compile(r"^http://127\.0\.0\.1:9/v1\.3/embed/tasks.*$"),
        page_body(1, 3, ["a", "b"]),
    )

    page = await client.embed.tasks.list().first_page()
    assert [t.id for t in page.items] == ["a", "b"]
    assert page.page_info.total_page == 3
    assert len(wire.calls) == 1
    assert wire.calls[0].params == [("page", "1")]


async def test_wait_for_done_polls_status_until_ready(client: AsyncTwelveLabs, wire: Wire) -> None:
    """wait_for_done reads the status endpoint until ready and calls back on each read."""
    wire.route(
        "GET",
        f"{BASE}/embed/tasks/{TASK_ID}/status",
        status_body("processing"),
        status_body("processing"),
        status_body("ready"),
    )
    seen: list[Any] = []

    async def callback(status: TasksStatusResponse) -> None:
        seen.append(status.status)

    result = await client.embed.tasks.wait_for_done(
        TASK_ID, sleep_interval=0.001, callback=callback
    )
    assert result.status == "ready"
    assert seen == ["processing", "processing", "ready"]
    assert len(wire.calls) == 3


async def test_wait_for_done_404_raises_at_once(client: AsyncTwelveLabs, wire: Wire) -> None:
    """A 404 during the wait raises NotFoundError immediately instead of polling on."""
    wire.route(
        "GET",
        f"{BASE}/embed/tasks/{TASK_ID}/status",
        status_body("processing"),
        (404, {"code": "resource_not_exist", "message": "gone"}),
        status_body("ready"),
    )
    with pytest.raises(NotFoundError):
        await client.embed.tasks.wait_for_done(TASK_ID, sleep_interval=0.001)
    assert len(wire.calls) == 2


async def test_wait_for_done_failed_returns_or_raises(client: AsyncTwelveLabs, wire: Wire) -> None:
    """A failed task is returned by default and raises TaskFailedError with raise_on_failure."""
    wire.route("GET", f"{BASE}/embed/tasks/{TASK_ID}/status", status_body("failed"))
    result = await client.embed.tasks.wait_for_done(TASK_ID)
    assert result.status == "failed"
    with pytest.raises(TaskFailedError) as info:
        await client.embed.tasks.wait_for_done(TASK_ID, raise_on_failure=True)
    assert info.value.task_id == TASK_ID


async def test_wait_for_done_timeout(client: AsyncTwelveLabs, wire: Wire) -> None:
    """A task still processing at the timeout raises WaitTimeoutError with its last status."""
    wire.route("GET", f"{BASE}/embed/tasks/{TASK_ID}/status", status_body("processing"))
    with pytest.raises(WaitTimeoutError) as info:
        await client.embed.tasks.wait_for_done(TASK_ID, sleep_interval=0.005, timeout=0.02)
    assert info.value.last_status.status == "processing"


async def test_create_and_retrieve(client: AsyncTwelveLabs, wire: Wire) -> None:
    """create_and_retrieve creates, waits and retrieves with the requested options."""
    wire.route("POST", f"{BASE}/embed/tasks", {"_id": TASK_ID})
    wire.route(
        "GET",
        f"{BASE}/embed/tasks/{TASK_ID}/status",
        status_body("processing"),
        status_body("ready"),
    )
    wire.route("GET", f"{BASE}/embed/tasks/{TASK_ID}?embedding_option=visual", RETRIEVED)
    result = await client.embed.tasks.create_and_retrieve(
        model_name="marengo3.0",
        video_url="https://cdn.example.com/m.mp4",
        embedding_option="visual",
        sleep_interval=0.001,
    )
    assert result.id == TASK_ID
    assert [c.method for c in wire.calls] == ["POST", "GET", "GET", "GET"]
    assert wire.calls[-1].params == [("embedding_option", "visual")]


async def test_create_and_retrieve_failed_task_raises(client: AsyncTwelveLabs, wire: Wire) -> None:
    """create_and_retrieve raises TaskFailedError (and does not retrieve) when the task fails."""
    wire.route("POST", f"{BASE}/embed/tasks", {"_id": TASK_ID})
    wire.route("GET", f"{BASE}/embed/tasks/{TASK_ID}/status", status_body("failed"))
    with pytest.raises(TaskFailedError):
        await client.embed.tasks.create_and_retrieve(
            model_name="marengo3.0", video_url="https://cdn.example.com/m.mp4", sleep_interval=0.001
        )
    assert [c.method for c in wire.calls] == ["POST", "GET"]
