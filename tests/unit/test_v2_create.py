"""``client.embed.v2.create``: the exact request sent to ``POST /embed-v2`` and the typed result."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
from aioresponses import aioresponses
from yarl import URL

from twelvelabs_async import AsyncTwelveLabs, RequestOptions
from twelvelabs_async.models import (
    EmbeddingSuccessResponse,
    MediaSource,
    MultiInputMediaSource,
    MultiInputRequest,
    TextInputRequest,
    VideoInputRequest,
    VideoSegmentationFixed,
    VideoSegmentationFixedFixed,
)
from twelvelabs_async.resources.embed_v2 import EmbedV2

BASE = "http://127.0.0.1:9/v1.3"
ENDPOINT = f"{BASE}/embed-v2"

TEXT_RESPONSE = {
    "data": [
        {
            "embedding": [0.0211, -0.0134, 0.0457],
            "embedding_option": None,
            "embedding_scope": None,
            "start_sec": None,
            "end_sec": None,
        }
    ]
}
VIDEO_RESPONSE = {
    "data": [
        {
            "embedding": [0.012, 0.003, -0.021],
            "embedding_option": "visual",
            "embedding_scope": "clip",
            "start_sec": 0.0,
            "end_sec": 4.3,
        },
        {
            "embedding": [0.010, -0.004, 0.007],
            "embedding_option": "fused",
            "embedding_scope": "clip",
            "start_sec": 0.0,
            "end_sec": 4.3,
        },
        {
            "embedding": [0.014, 0.001, -0.016],
            "embedding_option": "visual",
            "embedding_scope": "asset",
            "start_sec": 0.0,
            "end_sec": 18.0,
        },
    ],
    "metadata": {
        "input_type": "video",
        "input_url": "https://cdn.example.com/short.mp4",
        "embedding_options": ["visual", "audio"],
        "embedding_scopes": ["clip", "asset"],
        "duration": 18.0,
        "start_offset_sec": 0.0,
        "end_offset_sec": 18.0,
    },
}
MULTI_RESPONSE = {
    "data": [{"embedding": [0.5, -0.25, 0.125]}],
    "metadata": {"input_type": "multi_input", "embedding_dimension": 256},
    "usage": {"input_tokens": {"image": 258, "text": 7}, "truncated": False},
}


@pytest.fixture
async def client() -> AsyncIterator[AsyncTwelveLabs]:
    async with AsyncTwelveLabs(api_key="test-key", base_url=BASE, max_retries=0) as c:
        yield c


def sent(mocked: aioresponses) -> list[tuple[str, URL, dict[str, Any]]]:
    """Every request aioresponses saw, as (method, url, kwargs)."""
    return [
        (method, url, call.kwargs)
        for (method, url), calls in mocked.requests.items()
        for call in calls
    ]


def only_json_body(mocked: aioresponses) -> Any:
    """The JSON body of the single POST to /v1.3/embed-v2."""
    calls = sent(mocked)
    assert len(calls) == 1
    method, url, kwargs = calls[0]
    assert method == "POST"
    assert url.path == "/v1.3/embed-v2"
    assert not url.query
    assert kwargs["headers"]["Content-Type"].startswith("application/json")
    return orjson.loads(kwargs["data"])


def test_embed_v2_is_reachable_under_both_names(client: AsyncTwelveLabs) -> None:
    """``client.embed.v2`` and ``client.embed.v_2`` are the same EmbedV2 resource."""
    assert isinstance(client.embed.v2, EmbedV2)
    assert client.embed.v_2 is client.embed.v2


async def test_text_as_plain_string(client: AsyncTwelveLabs) -> None:
    """A plain ``text`` string sends ``{"input_text": ...}`` and infers ``input_type``."""
    with aioresponses() as mocked:
        mocked.post(ENDPOINT, payload=TEXT_RESPONSE)
        result = await client.embed.v2.create(model_name="marengo3.0", text="a cat on a sofa")
        body = only_json_body(mocked)
    assert body == {
        "input_type": "text",
        "model_name": "marengo3.0",
        "text": {"input_text": "a cat on a sofa"},
    }
    assert isinstance(result, EmbeddingSuccessResponse)
    assert result.data[0].embedding == [0.0211, -0.0134, 0.0457]
    assert result.data[0].embedding_option is None
    assert result.metadata is None


async def test_video_url_dict(client: AsyncTwelveLabs) -> None:
    """A video dict is sent as given and the video metadata comes back typed."""
    video = {
        "media_source": {"url": "https://cdn.example.com/short.mp4"},
        "segmentation": {"strategy": "fixed", "fixed": {"duration_sec": 4}},
        "embedding_option": ["visual", "audio"],
        "embedding_scope": ["clip", "asset"],
        "embedding_type": ["separate_embedding", "fused_embedding"],
        "start_sec": None,
    }
    with aioresponses() as mocked:
        mocked.post(ENDPOINT, payload=VIDEO_RESPONSE)
        result = await client.embed.v2.create(
            input_type="video", model_name="marengo3.0", video=video
        )
        body = only_json_body(mocked)
    assert body == {
        "input_type": "video",
        "model_name": "marengo3.0",
        "video": {
            "media_source": {"url": "https://cdn.example.com/short.mp4"},
            "segmentation": {"strategy": "fixed", "fixed": {"duration_sec": 4}},
            "embedding_option": ["visual", "audio"],
            "embedding_scope": ["clip", "asset"],
            "embedding_type": ["separate_embedding", "fused_embedding"],
        },
    }
    assert video["start_sec"] is None  # the caller's dict is not modified
    assert [d.embedding_option for d in result.data] == ["visual", "fused", "visual"]
    assert result.data[2].embedding_scope == "asset"
    assert result.data[2].end_sec == 18.0
    assert result.metadata is not None
    assert result.metadata.input_type == "video"
    assert result.metadata.duration == 18.0  # type: ignore[union-attr]


async def test_official_sdk_base_64_string_alias_in_dict(client: AsyncTwelveLabs) -> None:
    """``base_64_string`` in a media source dict is sent under its wire name ``base64_string``."""
    with aioresponses() as mocked:
        mocked.post(ENDPOINT, payload=TEXT_RESPONSE)
        await client.embed.v2.create(
            input_type="image",
            model_name="marengo3.0",
            image={"media_source": {"base_64_string": "iVBORw0KGgo="}},
        )
        body = only_json_body(mocked)
    assert body["image"] == {"media_source": {"base64_string": "iVBORw0KGgo="}}


async def test_generated_request_classes(client: AsyncTwelveLabs) -> None:
    """Generated request classes are sent as their exact wire JSON, without nulls."""
    video = VideoInputRequest(
        media_source=MediaSource(base_64_string="AAAA"),
        segmentation=VideoSegmentationFixed(
            strategy="fixed", fixed=VideoSegmentationFixedFixed(duration_sec=6)
        ),
        embedding_option=["visual"],
    )
    with aioresponses() as mocked:
        mocked.post(ENDPOINT, payload=VIDEO_RESPONSE)
        await client.embed.v2.create(input_type="video", model_name="marengo3.0", video=video)
        body = only_json_body(mocked)
    assert body == {
        "input_type": "video",
        "model_name": "marengo3.0",
        "video": {
            "media_source": {"base64_string": "AAAA"},
            "segmentation": {"strategy": "fixed", "fixed": {"duration_sec": 6}},
            "embedding_option": ["visual"],
        },
    }


async def test_text_request_class(client: AsyncTwelveLabs) -> None:
    """A ``TextInputRequest`` is sent as ``{"input_text": ...}``."""
    with aioresponses() as mocked:
        mocked.post(ENDPOINT, payload=TEXT_RESPONSE)
        await client.embed.v2.create(
            input_type="text", model_name="marengo3.0", text=TextInputRequest(input_text="hi")
        )
        body = only_json_body(mocked)
    assert body["text"] == {"input_text": "hi"}


async def test_multi_input_marengo35(client: AsyncTwelveLabs) -> None:
    """A 3.5 multi_input request carries the 3.5 fields and reads back ``usage``."""
    multi = MultiInputRequest(
        input_text="the dog <@pet> in the park",
        media_sources=[
            MultiInputMediaSource(media_type="image", name="pet", url="https://x.example/p.png"),
            MultiInputMediaSource(media_type="video", base_64_string="AAAA"),
        ],
    )
    with aioresponses() as mocked:
        mocked.post(ENDPOINT, payload=MULTI_RESPONSE)
        result = await client.embed.v2.create(
            input_type="multi_input",
            model_name="marengo3.5",
            multi_input=multi,
            embedding_dimension=256,
            auto_truncate=True,
        )
        body = only_json_body(mocked)
    assert body == {
        "input_type": "multi_input",
        "model_name": "marengo3.5",
        "multi_input": {
            "input_text": "the dog <@pet> in the park",
            "media_sources": [
                {"media_type": "image", "name": "pet", "url": "https://x.example/p.png"},
                {"media_type": "video", "base64_string": "AAAA"},
            ],
        },
        "embedding_dimension": 256,
        "auto_truncate": True,
    }
    assert result.data[0].embedding == [0.5, -0.25, 0.125]
    assert result.usage is not None
    assert result.usage.input_tokens == {"image": 258, "text": 7}


async def test_unknown_option_is_sent_as_is(client: AsyncTwelveLabs) -> None:
    """An ``embedding_option`` value the SDK does not know reaches the server unchanged."""
    with aioresponses() as mocked:
        mocked.post(ENDPOINT, payload=VIDEO_RESPONSE)
        await client.embed.v2.create(
            model_name="marengo3.0",
            video={"media_source": {"asset_id": "asset-1"}, "embedding_option": ["smell"]},
        )
        body = only_json_body(mocked)
    assert body["video"] == {"media_source": {"asset_id": "asset-1"}, "embedding_option": ["smell"]}


async def test_sync_create_is_retried_after_a_server_error(client: AsyncTwelveLabs) -> None:
    """A sync embed creates nothing on the server, so a 500 is retried like a read."""
    with aioresponses() as mocked:
        mocked.post(ENDPOINT, status=500, payload={"error": {"code": "x", "message": "boom"}})
        mocked.post(ENDPOINT, payload=TEXT_RESPONSE)
        result = await client.embed.v2.create(
            model_name="marengo3.0", text="hi", request_options=RequestOptions(max_retries=1)
        )
        assert len(sent(mocked)) == 2
    assert result.data[0].embedding == [0.0211, -0.0134, 0.0457]
