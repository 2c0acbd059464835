"""Habits of code written for the official ``twelvelabs`` SDK work here unchanged.

Each test pins one item of the drop-in promise: awaitable pagers, errors whose ``.body`` is
the parsed JSON, the official request classes, ``create_bulk``, ``with_raw_response``, and
a shell fake that takes the official client's key.
"""

from __future__ import annotations

import asyncio
import base64
import sys
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import orjson
import pytest
from aiohttp import web
from listkit import canned_server, list_server, page_info, task

from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async.errors import (
    ApiError,
    APIStatusError,
    InternalServerError,
    InvalidRequestError,
    NotFoundError,
    ResponseValidationError,
)
from twelvelabs_async.models import TasksRetrieveResponse
from twelvelabs_async.testing import FakeTwelveLabsServer
from twelvelabs_async.testing.__main__ import banner

twelvelabs = pytest.importorskip("twelvelabs")
from twelvelabs.types import (  # noqa: E402
    ImageInputRequest,
    MediaSource,
    MultiInputMediaSource,
    MultiInputRequest,
    TextInputRequest,
    VideoInputRequest,
)

JSON = {"Content-Type": "application/json"}


def three_pages(number: int) -> dict[str, Any]:
    """Page ``number`` of a 25-task list, 10 per page, with a correct page_info."""
    data = [task(i) for i in range((number - 1) * 10, min(25, number * 10))]
    return {"data": data, "page_info": page_info(number, 3, 10, 25)}


@pytest.fixture
async def fake() -> AsyncIterator[FakeTwelveLabsServer]:
    """A fake server whose tasks are ready at once."""
    async with FakeTwelveLabsServer(processing_time=0) as server:
        yield server


@pytest.fixture
async def client(fake: FakeTwelveLabsServer) -> AsyncIterator[AsyncTwelveLabs]:
    """A client of the fake server."""
    async with AsyncTwelveLabs(api_key=fake.api_key, base_url=fake.base_url) as c:
        yield c


# -- 1. awaitable pagers ------------------------------------------------------------------


@pytest.mark.parametrize("api", ["v1", "v2"])
async def test_awaited_list_loads_the_first_page_with_one_request(api: str) -> None:
    """`pager = await list()` reads page 1 only: items, has_next, response headers."""
    async with list_server(three_pages) as (server, c):
        tasks = c.embed.tasks if api == "v1" else c.embed.v2.tasks
        pager = await tasks.list(page_limit=10)
        assert server.asked == [1]
        assert [t.id for t in pager.items] == [task(i)["_id"] for i in range(10)]
        assert pager.has_next is True
        assert pager.response.headers["x-request-id"] == "req-page-1"
        assert pager.page_info.total_results == 25


async def test_next_page_reads_one_page_and_none_after_the_last() -> None:
    """next_page() costs one request per page and returns None past the last, for free."""
    async with list_server(three_pages) as (server, c):
        first = await c.embed.tasks.list()
        second = await first.next_page()
        assert second is not None
        assert await first.next_page() is second
        third = await second.next_page()
        assert third is not None
        assert not third.has_next
        assert len(third.items) == 5
        assert third.response.headers["x-request-id"] == "req-page-3"
        assert await third.next_page() is None
    assert server.asked == [1, 2, 3]


async def test_iterating_an_awaited_pager_reuses_its_first_page() -> None:
    """async for over an awaited pager asks for pages 2 and 3 only: one request per page."""
    async with list_server(three_pages) as (server, c):
        pager = await c.embed.tasks.list()
        ids = [t.id async for t in pager]
        pages = [p async for p in pager.iter_pages()]
    assert len(ids) == 25
    assert [p.response.headers["x-request-id"] for p in pages] == [
        "req-page-1",
        "req-page-2",
        "req-page-3",
    ]
    assert server.asked == [1, 2, 3, 2, 3]


async def test_list_without_await_still_iterates() -> None:
    """`async for t in client.embed.tasks.list()` keeps working, one request per page."""
    async with list_server(three_pages) as (server, c):
        ids = [t.id async for t in c.embed.v2.tasks.list()]
    assert len(ids) == 25
    assert server.asked == [1, 2, 3]


async def test_reading_items_before_await_says_what_to_write() -> None:
    """pager.items on a pager never awaited raises an error telling to await list()."""
    async with list_server(three_pages) as (server, c):
        with pytest.raises(InvalidRequestError, match="await"):
            _ = c.embed.tasks.list().items
    assert server.asked == []


# -- 3. errors ----------------------------------------------------------------------------


async def test_status_error_body_is_parsed_json_and_raw_bytes_stay() -> None:
    """A 404 error has .body as the parsed dict, .raw_body the bytes, status and headers."""
    body = {"code": "resource_not_exist", "message": "The task does not exist."}
    raw = orjson.dumps(body)

    def answer(_r: web.Request) -> tuple[int, bytes, dict[str, str]]:
        return 404, raw, {**JSON, "X-Request-Id": "r-404"}

    async with (
        canned_server(answer) as (_seen, url),
        AsyncTwelveLabs(api_key="tlk-k", base_url=url) as c,
    ):
        with pytest.raises(ApiError) as info:
            await c.embed.tasks.status("6655a1b2c3d4e5f601234567")
    error = info.value
    assert isinstance(error, NotFoundError)
    assert isinstance(error, APIStatusError)
    assert error.status_code == 404
    assert error.body == body
    assert error.raw_body == raw
    assert error.headers["x-request-id"] == "r-404"


async def test_an_html_error_page_has_no_json_body_but_keeps_its_bytes() -> None:
    """A proxy's HTML 502 gives .body None and the page on .raw_body."""
    page = b"<html><body>502 Bad Gateway</body></html>"

    def answer(_r: web.Request) -> tuple[int, bytes, dict[str, str]]:
        return 502, page, {"Content-Type": "text/html"}

    async with (
        canned_server(answer) as (_seen, url),
        AsyncTwelveLabs(api_key="tlk-k", base_url=url, max_retries=0) as c,
    ):
        with pytest.raises(InternalServerError) as info:
            await c.embed.v2.tasks.retrieve("6655a1b2c3d4e5f601234567")
    assert info.value.body is None
    assert info.value.raw_body == page


async def test_a_nested_error_body_is_given_whole() -> None:
    """The v2 nested error shape comes back as the same nested dict."""
    body = {"error": {"code": "parameter_invalid", "message": "bad", "details": {"f": "x"}}}

    def answer(_r: web.Request) -> tuple[int, bytes, dict[str, str]]:
        return 400, orjson.dumps(body), JSON

    async with (
        canned_server(answer) as (_seen, url),
        AsyncTwelveLabs(api_key="tlk-k", base_url=url) as c,
    ):
        with pytest.raises(ApiError) as info:
            await c.embed.v2.create(model_name="marengo3.0", text="a cat")
    assert info.value.body == body
    assert info.value.code == "parameter_invalid"


def test_response_validation_error_parses_its_body_too() -> None:
    """A 2xx body that does not fit the model keeps .raw_body and parses .body."""
    from twelvelabs_async._convert import loads

    raw = b'{"video_embedding": {"segments": "not a list"}}'
    with pytest.raises(ResponseValidationError) as info:
        loads(raw, TasksRetrieveResponse)
    assert info.value.raw_body == raw
    assert info.value.body == orjson.loads(raw)


# -- 5. the official SDK's request classes ------------------------------------------------


async def test_official_request_classes_are_sent_by_their_wire_names(
    client: AsyncTwelveLabs, fake: FakeTwelveLabsServer
) -> None:
    """TextInputRequest, VideoInputRequest, MultiInputRequest and a base_64_string source
    are accepted and sent as the wire JSON."""
    text = await client.embed.v2.create(
        input_type="text", model_name="marengo3.0", text=TextInputRequest(input_text="a dog")
    )
    assert text.data
    assert text.data[0].embedding
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64).decode()
    await client.embed.v2.create(
        input_type="image",
        model_name="marengo3.0",
        image=ImageInputRequest(media_source=MediaSource(base_64_string=png)),
    )
    video = VideoInputRequest(
        media_source=MediaSource(url="https://cdn.example.com/a.mp4"), start_sec=0, end_sec=6
    )
    await client.embed.v2.create(input_type="video", model_name="marengo3.0", video=video)
    sent = [r.json for r in fake.requests_to("embed.v2.create")]
    assert sent[0]["text"] == {"input_text": "a dog"}
    assert sent[1]["image"] == {"media_source": {"base64_string": png}}
    assert sent[2]["video"] == {
        "media_source": {"url": "https://cdn.example.com/a.mp4"},
        "start_sec": 0.0,
        "end_sec": 6.0,
    }
    multi = MultiInputRequest(
        input_text="a <@dog> in the park",
        media_sources=[
            MultiInputMediaSource(media_type="image", name="dog", url="https://x.test/d.png")
        ],
    )
    await client.embed.v2.create(
        input_type="multi_input", model_name="marengo3.0", multi_input=multi
    )
    assert fake.requests_to("embed.v2.create")[-1].json["multi_input"] == {
        "input_text": "a <@dog> in the park",
        "media_sources": [{"media_type": "image", "name": "dog", "url": "https://x.test/d.png"}],
    }


async def test_an_object_that_is_not_a_request_is_refused_with_what_is_accepted(
    client: AsyncTwelveLabs, fake: FakeTwelveLabsServer
) -> None:
    """Anything else is refused before sending, naming dicts, classes and model_dump()."""
    with pytest.raises(InvalidRequestError, match="model_dump"):
        await client.embed.v2.create(input_type="video", model_name="marengo3.0", video=42)  # type: ignore[arg-type]
    assert fake.requests_to("embed.v2.create") == []


# -- 6. create_bulk -----------------------------------------------------------------------


async def test_create_bulk_returns_one_result_per_video_in_order(
    client: AsyncTwelveLabs, fake: FakeTwelveLabsServer
) -> None:
    """Official create_bulk arguments give a result per input: task ids, and errors kept."""
    videos: list[dict[str, Any]] = [
        {"video_url": "https://cdn.example.com/a.mp4", "video_embedding_scope": ["clip"]},
        {"video_url": "https://cdn.example.com/b.mp4", "video_clip_length": 1},  # invalid
        {"video_url": "https://cdn.example.com/c.mp4", "video_embedding_scopes": ["clip"]},
    ]
    results = await client.embed.tasks.create_bulk(model_name="marengo3.0", videos=videos)
    assert [r.index for r in results] == [0, 1, 2]
    assert results[0].ok
    assert results[0].id
    assert results[2].ok
    assert results[2].id
    assert not results[1].ok
    assert isinstance(results[1].error, InvalidRequestError)
    assert results[1].id is None
    assert results[1].input is videos[1]
    created = fake.requests_to("embed.tasks.create")
    assert len(created) == 2
    assert {r.id for r in results if r.ok} == set(fake.created_task_ids)


async def test_create_bulk_keeps_api_failures_per_item(
    client: AsyncTwelveLabs, fake: FakeTwelveLabsServer
) -> None:
    """A video the API refuses ends as an error in its own result; the others are created."""
    fake.faults.client_error(400, endpoints=["embed.tasks.create"], times=1)
    videos = [{"video_url": f"https://cdn.example.com/{i}.mp4"} for i in range(3)]
    results = await client.embed.tasks.create_bulk(
        model_name="marengo3.0", videos=videos, concurrency=1
    )
    assert [r.ok for r in results] == [False, True, True]
    assert isinstance(results[0].error, APIStatusError)


# -- 7. with_raw_response -----------------------------------------------------------------


async def test_with_raw_response_gives_headers_status_and_data_in_one_request(
    client: AsyncTwelveLabs, fake: FakeTwelveLabsServer
) -> None:
    """with_raw_response.retrieve returns .data (the model), .headers and .status_code."""
    task_ = await client.embed.tasks.create(
        model_name="marengo3.0", video_url="https://cdn.example.com/a.mp4"
    )
    raw = await client.embed.tasks.with_raw_response.retrieve(task_.id)
    assert raw.status_code == 200
    assert raw.headers["x-api-version"] == "1.3"
    assert raw.data.id == task_.id
    assert len(fake.requests_to("embed.tasks.retrieve")) == 1
    created = await client.embed.v2.tasks.with_raw_response.create(
        input_type="video",
        model_name="marengo3.0",
        video={"media_source": {"url": "https://cdn.example.com/long.mp4"}},
    )
    assert created.status_code == 202
    assert created.data.id
    assert len(fake.requests_to("embed.v2.tasks.create")) == 1
    text = await client.embed.with_raw_response.v2.create(model_name="marengo3.0", text="a")
    assert text.status_code == 200
    assert text.data.data


async def test_with_raw_response_list_is_the_loaded_pager() -> None:
    """with_raw_response.list() gives the pager with page 1 loaded, as the official does."""
    async with list_server(three_pages) as (server, c):
        pager = await c.embed.tasks.with_raw_response.list()
        assert pager.response.headers["x-request-id"] == "req-page-1"
        assert len(pager.items) == 10
    assert server.asked == [1]


def test_every_resource_has_with_raw_response(client: AsyncTwelveLabs) -> None:
    """Embed, its tasks, v2 and v2 tasks all offer the view, from the base class."""
    for resource in (
        client.embed,
        client.embed.tasks,
        client.embed.v2,
        client.embed.v_2.tasks,
    ):
        view = resource.with_raw_response
        assert callable(view.create)
    with pytest.raises(AttributeError):
        _ = client.embed.tasks.with_raw_response._requester


# -- 2. the fake server's keys ------------------------------------------------------------


async def test_python_fake_is_strict_by_default_and_can_accept_any_key() -> None:
    """FakeTwelveLabsServer refuses other keys unless accept_any_key=True (empty: 401)."""
    async with (
        FakeTwelveLabsServer() as strict,
        FakeTwelveLabsServer(accept_any_key=True) as lenient,
    ):
        async with AsyncTwelveLabs(api_key="someone-elses-key", base_url=strict.base_url) as c:
            with pytest.raises(APIStatusError) as info:
                await c.embed.v2.create(model_name="marengo3.0", text="a")
            assert info.value.status_code == 401
        async with AsyncTwelveLabs(api_key="someone-elses-key", base_url=lenient.base_url) as c:
            assert (await c.embed.v2.create(model_name="marengo3.0", text="a")).data
        assert not lenient.accepts_key("")
        assert not lenient.accepts_key(None)


async def _start_shell_fake(*args: str) -> tuple[asyncio.subprocess.Process, list[str]]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "twelvelabs_async.testing",
        "--port",
        "0",
        *args,
        stdout=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None
    lines = [(await asyncio.wait_for(proc.stdout.readline(), 30)).decode().strip()]
    for _ in range(2):
        lines.append((await asyncio.wait_for(proc.stdout.readline(), 5)).decode().strip())
    return proc, lines


async def _status(url: str, key: str) -> int:
    async with (
        aiohttp.ClientSession(headers={"x-api-key": key}) as http,
        http.get(url + "/embed/tasks") as resp,
    ):
        return resp.status


async def test_shell_fake_accepts_any_key_and_says_how_to_use_it() -> None:
    """`python -m twelvelabs_async.testing` takes any non-empty key and prints the rule."""
    proc, lines = await _start_shell_fake()
    try:
        url = lines[0]
        assert lines == banner(url, None)
        assert "any non-empty" in lines[1]
        assert "twelvelabs.AsyncTwelveLabs(" in lines[2]
        assert url in lines[2]
        assert await _status(url, "whatever-key-I-have") == 200
        assert await _status(url, " ") == 401
    finally:
        proc.terminate()
        await proc.wait()


async def test_shell_fake_with_api_key_accepts_only_that_key() -> None:
    """--api-key KEY makes the shell fake strict, and the banner says so."""
    proc, lines = await _start_shell_fake("--api-key", "tlk_only")
    try:
        assert "only 'tlk_only'" in lines[1]
        assert await _status(lines[0], "tlk_only") == 200
        assert await _status(lines[0], "another") == 401
    finally:
        proc.terminate()
        await proc.wait()
