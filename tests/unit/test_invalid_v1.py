"""Invalid v1 inputs raise InvalidRequestError before any request is made.

Every row runs under aioresponses with no route registered: a request that got through
would fail with a connection error instead, so an InvalidRequestError proves nothing was
sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from aioresponses import aioresponses

from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async.errors import InvalidRequestError

URL = "https://cdn.example.com/v.mp4"
M = "marengo3.0"

Call = Callable[[AsyncTwelveLabs, Path], Coroutine[Any, Any, Any]]


async def _create(c: AsyncTwelveLabs, _: Path, **kw: Any) -> Any:
    return await c.embed.tasks.create(**{"model_name": M, **kw})


async def _embed(c: AsyncTwelveLabs, _: Path, **kw: Any) -> Any:
    return await c.embed.create(**{"model_name": M, **kw})


async def _list(c: AsyncTwelveLabs, _: Path, **kw: Any) -> Any:
    return c.embed.tasks.list(**kw)


def task(**kw: Any) -> Call:
    return lambda c, p: _create(c, p, **kw)


def embed(**kw: Any) -> Call:
    return lambda c, p: _embed(c, p, **kw)


def listing(**kw: Any) -> Call:
    return lambda c, p: _list(c, p, **kw)


CASES: list[tuple[str, Call, str]] = [
    ("clip length below 2", task(video_url=URL, video_clip_length=1), "between 2 and 10"),
    ("clip length above 10", task(video_url=URL, video_clip_length=10.5), "between 2 and 10"),
    ("clip length as str", task(video_url=URL, video_clip_length="6"), "must be a number"),
    ("start offset alone", task(video_url=URL, video_start_offset_sec=0), "together"),
    ("end offset alone", task(video_url=URL, video_end_offset_sec=30), "together"),
    (
        "end before start",
        task(video_url=URL, video_start_offset_sec=20, video_end_offset_sec=10),
        "must be greater than",
    ),
    (
        "negative start",
        task(video_url=URL, video_start_offset_sec=-1, video_end_offset_sec=10),
        ">= 0",
    ),
    (
        "span shorter than clip",
        task(video_url=URL, video_start_offset_sec=0, video_end_offset_sec=5, video_clip_length=8),
        "at least video_clip_length",
    ),
    (
        "nan offset",
        task(video_url=URL, video_start_offset_sec=float("nan"), video_end_offset_sec=9),
        "finite",
    ),
    ("video file and url", task(video_url=URL, video_file=b"x"), "not both"),
    ("no video", task(), "video_file"),
    ("missing video file", lambda c, p: _create(c, p, video_file=p / "nope.mp4"), "no such file"),
    ("video file is a directory", lambda c, p: _create(c, p, video_file=p), "directory"),
    ("scope empty list", task(video_url=URL, video_embedding_scope=[]), "empty list"),
    ("scope not a list", task(video_url=URL, video_embedding_scope=3), "list of strings"),
    ("scope item not str", task(video_url=URL, video_embedding_scope=["clip", 1]), r"\[1\]"),
    ("empty model name", task(model_name="", video_url=URL), "must not be empty"),
    ("model name list", task(model_name=["marengo3.0"], video_url=URL), "must be a string"),
    ("misspelt model", task(model_name="Marengo3.0", video_url=URL), "did you mean 'marengo3.0'"),
    ("video url list", task(video_url=[URL]), "video_url must be a string"),
    ("embed nothing", embed(), "nothing to embed"),
    ("embed empty text", embed(text=""), "text must not be empty"),
    ("embed text list", embed(text=["a", "b"]), "text must be a string"),
    ("image url and file", embed(image_url=URL, image_file=b"png"), "image_url or image_file"),
    ("audio url and file", embed(audio_url=URL, audio_file=b"wav"), "audio_url or audio_file"),
    ("negative audio offset", embed(audio_url=URL, audio_start_offset_sec=-2), ">= 0"),
    ("audio offset without audio", embed(text="x", audio_start_offset_sec=1), "needs audio"),
    (
        "embed missing image file",
        lambda c, p: _embed(c, p, image_file=str(p / "x.png")),
        "no such file",
    ),
    ("embed misspelt model", embed(model_name="marengo-3.0", text="x"), "did you mean"),
    ("page limit 0", listing(page_limit=0), "between 1 and 50"),
    ("page limit 51", listing(page_limit=51), "between 1 and 50"),
    ("page 0", listing(page=0), "page must be >= 1"),
    ("page as str", listing(page="2"), "page must be an integer"),
    ("status as list", listing(status=["ready"]), "status must be a string"),
    ("naive started_at", listing(started_at=dt.datetime(2026, 7, 1)), "no timezone"),
    ("bad ended_at string", listing(ended_at="last tuesday"), "not an RFC 3339"),
    ("started_at as int", listing(started_at=1720000000), "datetime or an RFC 3339"),
    (
        "ended before started",
        listing(started_at="2026-07-02T00:00:00Z", ended_at="2026-07-01T00:00:00Z"),
        "later than started_at",
    ),
    ("status empty task id", lambda c, p: c.embed.tasks.status(""), "task_id must not be empty"),
    ("status task id slash", lambda c, p: c.embed.tasks.status("a/b"), "must not contain '/'"),
    (
        "retrieve task id int",
        lambda c, p: c.embed.tasks.retrieve(123),  # type: ignore[arg-type]
        "task_id must be a string",
    ),
    (
        "retrieve option not str",
        lambda c, p: c.embed.tasks.retrieve("t1", embedding_option=[None]),  # type: ignore[list-item]
        "embedding_option",
    ),
    (
        "wait sleep_interval 0",
        lambda c, p: c.embed.tasks.wait_for_done("t1", sleep_interval=0),
        "sleep_interval must be greater than 0",
    ),
    (
        "wait negative timeout",
        lambda c, p: c.embed.tasks.wait_for_done("t1", timeout=-5),
        "timeout must be greater than 0",
    ),
    (
        "create_and_retrieve bad interval",
        lambda c, p: c.embed.tasks.create_and_retrieve(
            model_name=M, video_url=URL, sleep_interval=-1
        ),
        "sleep_interval",
    ),
    (
        "create_and_retrieve bad option",
        lambda c, p: c.embed.tasks.create_and_retrieve(
            model_name=M, video_url=URL, embedding_option=[]
        ),
        "embedding_option",
    ),
]


@pytest.fixture
async def client() -> AsyncIterator[AsyncTwelveLabs]:
    """A client whose every request would hit an empty aioresponses mock."""
    c = AsyncTwelveLabs("tlk-invalid-v1-key", base_url="http://127.0.0.1:9/v1.3", max_retries=0)
    yield c
    await c.aclose()


@pytest.mark.parametrize(("label", "call", "match"), CASES, ids=[c[0] for c in CASES])
async def test_invalid_v1_input_raises_before_sending(
    client: AsyncTwelveLabs, tmp_path: Path, label: str, call: Call, match: str
) -> None:
    """Each invalid v1 input raises InvalidRequestError naming the problem, and sends nothing."""
    with aioresponses() as mocked:
        with pytest.raises(InvalidRequestError, match=match):
            await call(client, tmp_path)
        assert mocked.requests == {}


def test_invalid_request_error_is_a_value_error() -> None:
    """Callers catching ValueError also catch the SDK's input errors."""
    assert issubclass(InvalidRequestError, ValueError)
