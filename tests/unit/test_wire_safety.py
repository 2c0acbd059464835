"""Finite numbers and control-character-free strings, checked once for v1 and v2 before sending."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aioresponses import aioresponses

from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async._validate_common import check_finite, check_wire_string
from twelvelabs_async.errors import InvalidRequestError

BASE = "http://127.0.0.1:9/v1.3"
URL = "https://cdn.example.com/clip.mp4"
SOURCE = {"url": URL}

# A call returns a coroutine, or a pager (list), which validates when it is made.
Call = Callable[[AsyncTwelveLabs], Any]


async def attempt(call: Call, client: AsyncTwelveLabs) -> None:
    """Make the call and await it when it returns an awaitable."""
    result = call(client)
    if inspect.isawaitable(result):
        await result


@pytest.fixture
async def client() -> AsyncIterator[AsyncTwelveLabs]:
    async with AsyncTwelveLabs(api_key="test-key", base_url=BASE, max_retries=0) as c:
        yield c


def v2_video(**fields: Any) -> Call:
    return lambda c: c.embed.v2.create(
        model_name="marengo3.0", video={"media_source": SOURCE, **fields}
    )


def v2_task(**fields: Any) -> Call:
    return lambda c: c.embed.v2.tasks.create(
        model_name="marengo3.0", video={"media_source": SOURCE, **fields}
    )


NON_FINITE: list[tuple[str, Call, str]] = [
    ("v2 end_sec inf", v2_video(end_sec=float("inf")), "video.end_sec"),
    ("v2 start_sec nan", v2_video(start_sec=float("nan")), "video.start_sec"),
    ("v2 task end_sec -inf", v2_task(start_sec=1, end_sec=float("-inf")), "video.end_sec"),
    (
        "v1 clip length nan",
        lambda c: c.embed.tasks.create(
            model_name="marengo3.0", video_url=URL, video_clip_length=float("nan")
        ),
        "video_clip_length",
    ),
    (
        "v1 offsets inf",
        lambda c: c.embed.tasks.create(
            model_name="marengo3.0",
            video_url=URL,
            video_start_offset_sec=0,
            video_end_offset_sec=float("inf"),
        ),
        "video_end_offset_sec",
    ),
    (
        "v1 audio offset nan",
        lambda c: c.embed.create(
            model_name="marengo3.0", audio_url=URL, audio_start_offset_sec=float("nan")
        ),
        "audio_start_offset_sec",
    ),
]


@pytest.mark.parametrize(("label", "call", "name"), NON_FINITE, ids=[r[0] for r in NON_FINITE])
async def test_nan_and_infinity_are_refused_before_sending(
    client: AsyncTwelveLabs, label: str, call: Call, name: str
) -> None:
    """NaN and infinity in any numeric argument are refused, naming it, with nothing sent."""
    with aioresponses() as mocked:
        with pytest.raises(InvalidRequestError, match="finite") as info:
            await attempt(call, client)
        assert not mocked.requests
    assert name in str(info.value)


CONTROL: list[tuple[str, Call, str]] = [
    (
        "v1 model name CRLF",
        lambda c: c.embed.create(model_name="marengo3.0\r\n", text="x"),
        "model_name",
    ),
    (
        "v1 video url LF",
        lambda c: c.embed.tasks.create(model_name="marengo3.0", video_url=URL + "\nX: y"),
        "video_url",
    ),
    (
        "v1 scope CR",
        lambda c: c.embed.tasks.create(
            model_name="marengo3.0", video_url=URL, video_embedding_scope=["clip\r"]
        ),
        "video_embedding_scope",
    ),
    (
        "v1 retrieve option",
        lambda c: c.embed.tasks.retrieve("abc", embedding_option=["visual\n"]),
        "embedding_option",
    ),
    ("list status", lambda c: c.embed.v2.tasks.list(status="ready\r\n"), "status"),
    (
        "v2 model name",
        lambda c: c.embed.v2.create(model_name="marengo3.0\n", text="x"),
        "model_name",
    ),
    ("v2 media url", v2_video(media_source={"url": URL + "\r\n"}), "video.media_source.url"),
    ("v2 asset id", v2_video(media_source={"asset_id": "a1\x00"}), "video.media_source.asset_id"),
    ("v2 option", v2_video(embedding_option=["visual\n"]), "video.embedding_option[0]"),
    (
        "v2 strategy",
        v2_video(segmentation={"strategy": "fixed\n", "fixed": {"duration_sec": 4}}),
        "video.segmentation.strategy",
    ),
    (
        "v2 media type",
        lambda c: c.embed.v2.create(
            model_name="marengo3.0",
            multi_input={"media_sources": [{"media_type": "image\r", "url": URL}]},
        ),
        "multi_input.media_sources[0].media_type",
    ),
    (
        "v2 input type",
        lambda c: c.embed.v2.create(model_name="marengo3.0", input_type="text\n", text="x"),
        "input_type",
    ),
]


@pytest.mark.parametrize(("label", "call", "name"), CONTROL, ids=[r[0] for r in CONTROL])
async def test_control_characters_are_refused_before_sending(
    client: AsyncTwelveLabs, label: str, call: Call, name: str
) -> None:
    """CR, LF and other control characters in a wire token are refused, naming the argument."""
    with aioresponses() as mocked:
        with pytest.raises(InvalidRequestError, match="control character") as info:
            await attempt(call, client)
        assert not mocked.requests
    assert str(info.value).startswith(name)


async def test_free_text_may_hold_line_breaks(client: AsyncTwelveLabs) -> None:
    """Text to embed is free text: line breaks in it are sent as given."""
    with aioresponses() as mocked:
        mocked.post(f"{BASE}/embed-v2", payload={"data": [{"embedding": [0.5]}]})
        result = await client.embed.v2.create(model_name="marengo3.0", text="line one\nline two")
    assert result.data[0].embedding == [0.5]


def test_one_finite_check_for_both_versions() -> None:
    """The shared check accepts ints and floats and refuses bools, huge ints and non-finites."""
    assert check_finite("x", 3) == 3.0
    for bad in (True, float("nan"), float("inf"), 10**400, "1"):
        with pytest.raises(InvalidRequestError, match=r"^x must be"):
            check_finite("x", bad)
    assert check_wire_string("y", "marengo3.5") == "marengo3.5"
    for char in ("\r", "\n", "\t", "\x00", "\x7f", "\x85", "\u2028"):
        with pytest.raises(InvalidRequestError, match=r"^y contains"):
            check_wire_string("y", f"a{char}b")
