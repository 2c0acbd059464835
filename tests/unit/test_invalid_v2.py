"""Invalid v2 requests raise InvalidRequestError, naming what to change, before any request."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aioresponses import aioresponses

from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async.errors import InvalidRequestError

BASE = "http://127.0.0.1:9/v1.3"
URL = {"url": "https://cdn.example.com/a.mp4"}
M30 = "marengo3.0"
M35 = "marengo3.5"


def video(**extra: Any) -> dict[str, Any]:
    """A valid video input with ``extra`` fields added."""
    return {"media_source": URL, **extra}


def fixed(seconds: Any) -> dict[str, Any]:
    """A 3.0 fixed segmentation of ``seconds``."""
    return {"strategy": "fixed", "fixed": {"duration_sec": seconds}}


def images(count: int) -> list[dict[str, Any]]:
    """``count`` valid multi_input image sources."""
    return [{"media_type": "image", "url": f"https://x.example/{i}.png"} for i in range(count)]


# (id, kwargs of client.embed.v2.create, fragment the message must contain)
CREATE_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("no-input", {"model_name": M30}, "needs input_type"),
    ("no-model", {"model_name": None, "text": "hi"}, "model_name is required"),
    ("v1-only-model", {"model_name": "Marengo-retrieval-2.7", "text": "hi"}, "v1 endpoints"),
    ("input-missing", {"input_type": "video", "model_name": M30}, "needs the video= argument"),
    (
        "input-mismatch",
        {"input_type": "text", "model_name": M30, "text": "hi", "video": video()},
        "pass only text=",
    ),
    (
        "two-inputs-no-type",
        {"model_name": M30, "text": "hi", "image": {"media_source": URL}},
        "pass input_type",
    ),
    ("empty-text", {"model_name": M30, "text": "  "}, "text.input_text is empty"),
    (
        "text-image-no-text",
        {"model_name": M30, "text_image": {"media_source": URL}},
        "text_image.input_text is required",
    ),
    ("no-media-source", {"model_name": M30, "video": {}}, "video.media_source is required"),
    (
        "no-source-key",
        {"model_name": M30, "image": {"media_source": {"uri": "https://x"}}},
        "none was given",
    ),
    (
        "two-sources",
        {"model_name": M30, "video": {"media_source": {"url": "https://x", "asset_id": "a"}}},
        "exactly one of url, base64_string or asset_id",
    ),
    (
        "both-base64-spellings",
        {
            "model_name": M30,
            "audio": {"media_source": {"base64_string": "A", "base_64_string": "A"}},
        },
        "base64_string and base_64_string",
    ),
    ("empty-url", {"model_name": M30, "video": {"media_source": {"url": ""}}}, "url is empty"),
    ("negative-start", {"model_name": M30, "video": video(start_sec=-1)}, "0 or more"),
    (
        "end-before-start",
        {"model_name": M30, "audio": video(start_sec=10, end_sec=10)},
        "must be greater than start_sec",
    ),
    (
        "end-not-a-number",
        {"model_name": M30, "audio": video(end_sec="30")},
        "must be a number of seconds",
    ),
    (
        "no-strategy",
        {"model_name": M30, "video": video(segmentation={"fixed": {"duration_sec": 6}})},
        "strategy is required",
    ),
    (
        "strategy-object-missing",
        {"model_name": M30, "video": video(segmentation={"strategy": "dynamic"})},
        "needs a 'dynamic' object",
    ),
    (
        "strategy-object-mismatch",
        {
            "model_name": M30,
            "video": video(segmentation={**fixed(6), "dynamic": {"min_duration_sec": 3}}),
        },
        "keep only 'fixed'",
    ),
    ("fixed-too-long", {"model_name": M30, "video": video(segmentation=fixed(11))}, "2 to 10"),
    ("fixed-not-int", {"model_name": M30, "video": video(segmentation=fixed(6.5))}, "2 to 10"),
    (
        "dynamic-too-long",
        {
            "model_name": M30,
            "video": video(
                segmentation={"strategy": "dynamic", "dynamic": {"min_duration_sec": 6}}
            ),
        },
        "2 to 5",
    ),
    (
        "audio-dynamic-on-30",
        {
            "model_name": M30,
            "audio": video(
                segmentation={"strategy": "dynamic", "dynamic": {"min_duration_sec": 3}}
            ),
        },
        "audio supports only strategy='fixed'",
    ),
    (
        "temporal-on-30",
        {"model_name": M30, "video": video(segmentation={"temporal": fixed(6)})},
        "for marengo3.5 only",
    ),
    (
        "embedding-type-one-option",
        {
            "model_name": M30,
            "video": video(embedding_option=["visual"], embedding_type=["fused_embedding"]),
        },
        "two or more embedding_option values",
    ),
    ("empty-option-list", {"model_name": M30, "video": video(embedding_option=[])}, "non-empty"),
    (
        "dimension-on-30",
        {"model_name": M30, "text": "hi", "embedding_dimension": 256},
        "need model_name='marengo3.5'",
    ),
    (
        "dimension-unknown",
        {
            "model_name": M35,
            "multi_input": {"media_sources": images(1)},
            "embedding_dimension": 300,
        },
        "128, 256 or 512",
    ),
    (
        "auto-truncate-on-30",
        {"model_name": M30, "text": "hi", "auto_truncate": True},
        "need model_name='marengo3.5'",
    ),
    (
        "uncertainty-not-bool",
        {
            "model_name": M35,
            "multi_input": {"media_sources": images(1)},
            "embedding_uncertainty": 1,
        },
        "True or False",
    ),
    ("35-sync-text", {"model_name": M35, "text": "hi"}, "accepts only input_type='multi_input'"),
    (
        "multi-too-many",
        {"model_name": M30, "multi_input": {"media_sources": images(11)}},
        "at most 10",
    ),
    (
        "multi-empty",
        {"model_name": M30, "multi_input": {"media_sources": []}},
        "media_sources must be a list of 1 to 10",
    ),
    (
        "multi-no-media-type",
        {"model_name": M30, "multi_input": {"media_sources": [{"url": "https://x.example/a"}]}},
        "media_type is required",
    ),
    (
        "multi-bad-reference",
        {
            "model_name": M30,
            "multi_input": {
                "input_text": "a <@cat> and a <@dog>",
                "media_sources": [{**images(1)[0], "name": "cat"}],
            },
        },
        "<@dog>",
    ),
    (
        "multi-video-on-30",
        {
            "model_name": M30,
            "multi_input": {"media_sources": [{"media_type": "video", "url": "https://x"}]},
        },
        "images only",
    ),
    (
        "multi-duplicate-names",
        {
            "model_name": M35,
            "multi_input": {
                "media_sources": [{**s, "name": "same"} for s in images(2)],
            },
        },
        "used twice",
    ),
    ("input-not-object", {"model_name": M30, "video": ["https://x"]}, "must be an object"),
]

# (id, kwargs of client.embed.v2.tasks.create, fragment)
TASK_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("task-text", {"input_type": "text", "model_name": M30}, "not available for tasks"),
    (
        "task-image-on-30",
        {"model_name": M30, "image": {"media_source": URL}},
        "need model_name='marengo3.5'",
    ),
    (
        "task-bare-segmentation-on-35",
        {"model_name": M35, "video": video(segmentation=fixed(6))},
        "wrapped in a 'temporal' object",
    ),
    (
        "task-temporal-too-short",
        {
            "model_name": M35,
            "audio": video(
                segmentation={
                    "temporal": {"strategy": "dynamic", "dynamic": {"min_duration_sec": 1}}
                }
            ),
        },
        "of 2 or more",
    ),
    (
        "task-uncertainty-with-asset",
        {
            "model_name": M35,
            "video": video(embedding_scope=["clip", "asset"]),
            "embedding_uncertainty": True,
        },
        "'asset' scope removed",
    ),
]


@pytest.fixture
async def client() -> AsyncIterator[AsyncTwelveLabs]:
    async with AsyncTwelveLabs(api_key="test-key", base_url=BASE, max_retries=0) as c:
        yield c


@pytest.mark.parametrize(
    ("kwargs", "fragment"), [c[1:] for c in CREATE_CASES], ids=[c[0] for c in CREATE_CASES]
)
async def test_invalid_create(
    client: AsyncTwelveLabs, kwargs: dict[str, Any], fragment: str
) -> None:
    """An invalid ``embed.v2.create`` call raises InvalidRequestError and sends nothing."""
    with aioresponses() as mocked:
        with pytest.raises(InvalidRequestError) as info:
            await client.embed.v2.create(**kwargs)
        assert not mocked.requests
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "fragment"), [c[1:] for c in TASK_CASES], ids=[c[0] for c in TASK_CASES]
)
async def test_invalid_task_create(
    client: AsyncTwelveLabs, kwargs: dict[str, Any], fragment: str
) -> None:
    """An invalid ``embed.v2.tasks.create`` call raises InvalidRequestError and sends nothing."""
    with aioresponses() as mocked:
        with pytest.raises(InvalidRequestError) as info:
            await client.embed.v2.tasks.create(**kwargs)
        assert not mocked.requests
    assert fragment in str(info.value)


def test_invalid_request_error_is_a_value_error() -> None:
    """Callers catching ValueError also catch the v2 validation errors."""
    assert issubclass(InvalidRequestError, ValueError)
