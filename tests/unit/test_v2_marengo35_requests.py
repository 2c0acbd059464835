"""Marengo 3.5 requests: text queries, documents and the 3.5 rules, checked before sending."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
from aioresponses import aioresponses

from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async._validate_v2 import build_sync_body, build_task_body
from twelvelabs_async.errors import InvalidRequestError
from twelvelabs_async.models import (
    AsyncDocumentInputRequest,
    DocumentSegmentation,
    DocumentSequentialSegmentation,
    MediaSource,
    MultiInputRequest,
)

BASE = "http://127.0.0.1:9/v1.3"
M35 = "marengo3.5"
PDF = {"url": "https://cdn.example.com/manual.pdf"}
TXT = {"url": "https://cdn.example.com/notes.txt"}
QUERY_RESPONSE = {
    "data": [{"embedding": [0.25, -0.5, 0.125]}],
    "metadata": {"input_type": "multi_input", "embedding_dimension": 512},
    "usage": {"input_tokens": {"text": 5}, "truncated": False},
}


@pytest.fixture
async def client() -> AsyncIterator[AsyncTwelveLabs]:
    async with AsyncTwelveLabs(api_key="test-key", base_url=BASE, max_retries=0) as c:
        yield c


def sent_json(mocked: aioresponses) -> list[Any]:
    """The JSON bodies of every request aioresponses saw."""
    return [orjson.loads(c.kwargs["data"]) for calls in mocked.requests.values() for c in calls]


async def test_text_only_multi_input_is_sent_on_marengo35(client: AsyncTwelveLabs) -> None:
    """The official SDK's own 3.5 text example, ``MultiInputRequest(input_text=...)``, is sent."""
    with aioresponses() as mocked:
        mocked.post(f"{BASE}/embed-v2", payload=QUERY_RESPONSE)
        result = await client.embed.v2.create(
            input_type="multi_input",
            model_name=M35,
            multi_input=MultiInputRequest(input_text="man walking a dog"),
        )
        (body,) = sent_json(mocked)
    assert body == {
        "input_type": "multi_input",
        "model_name": M35,
        "multi_input": {"input_text": "man walking a dog"},
    }
    assert result.data[0].embedding == [0.25, -0.5, 0.125]


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("marengo3.0", {"input_type": "text", "text": {"input_text": "a red car"}}),
        (M35, {"input_type": "multi_input", "multi_input": {"input_text": "a red car"}}),
    ],
)
async def test_embed_text_picks_the_shape_for_the_model(
    client: AsyncTwelveLabs, model: str, expected: dict[str, Any]
) -> None:
    """``embed_text`` sends ``text`` on 3.0 and a text-only ``multi_input`` on 3.5."""
    with aioresponses() as mocked:
        mocked.post(f"{BASE}/embed-v2", payload=QUERY_RESPONSE)
        result = await client.embed.v2.embed_text("a red car", model_name=model)
        (body,) = sent_json(mocked)
    assert body == {"model_name": model, **expected}
    assert result.data[0].embedding == [0.25, -0.5, 0.125]


async def test_embed_text_passes_the_dimension_on_35(client: AsyncTwelveLabs) -> None:
    """``embedding_dimension`` goes with the 3.5 text query; on 3.0 it is refused unsent."""
    with aioresponses() as mocked:
        mocked.post(f"{BASE}/embed-v2", payload=QUERY_RESPONSE)
        await client.embed.v2.embed_text("q", model_name=M35, embedding_dimension=256)
        (body,) = sent_json(mocked)
    assert body["embedding_dimension"] == 256
    with aioresponses() as mocked, pytest.raises(InvalidRequestError, match=r"marengo3\.5"):
        await client.embed.v2.embed_text("q", model_name="marengo3.0", embedding_dimension=256)
    assert not mocked.requests


@pytest.mark.parametrize(
    ("multi_input", "message"),
    [
        ({}, "needs input_text"),
        ({"media_sources": []}, "list of 1 to 10"),
        (
            {"media_sources": [{"media_type": "image", **PDF}, {"media_type": "video", **PDF}]},
            "mixes media types",
        ),
        ({"input_text": "   "}, "is empty"),
    ],
)
def test_multi_input_rules_on_35(multi_input: dict[str, Any], message: str) -> None:
    """Nothing to embed, an empty source list, or mixed types without text are refused."""
    with pytest.raises(InvalidRequestError, match=message):
        build_sync_body(input_type=None, model_name=M35, multi_input=multi_input)


def test_uncertainty_needs_a_pure_request() -> None:
    """``embedding_uncertainty`` with text plus media, or with a document, is refused."""
    image = {"media_type": "image", **PDF}
    for multi in (
        {"input_text": "x", "media_sources": [image]},
        {"media_sources": [{"media_type": "document", **PDF}]},
    ):
        with pytest.raises(InvalidRequestError, match="purely text or purely media"):
            build_sync_body(
                input_type=None, model_name=M35, multi_input=multi, embedding_uncertainty=True
            )
    ok = build_sync_body(
        input_type=None, model_name=M35, multi_input={"input_text": "x"}, embedding_uncertainty=True
    )
    assert ok["embedding_uncertainty"] is True


async def test_document_task_with_every_field_is_sent(client: AsyncTwelveLabs) -> None:
    """A document task built from the generated classes reaches the wire in the 3.5 shape."""
    document = AsyncDocumentInputRequest(
        media_source=MediaSource(url=TXT["url"]),
        segmentation=DocumentSegmentation(
            sequential=DocumentSequentialSegmentation(
                strategy="sentence", max_sentences=8, overlap_sentences=2
            )
        ),
        embedding_option=["text"],
        embedding_scope=["local", "asset"],
        embedding_type=["separate_embedding"],
    )
    with aioresponses() as mocked:
        mocked.post(
            f"{BASE}/embed-v2/tasks", status=202, payload={"_id": "d1", "status": "processing"}
        )
        task = await client.embed.v2.tasks.create(
            input_type="document", model_name=M35, document=document, embedding_dimension=128
        )
        (body,) = sent_json(mocked)
    assert body == {
        "input_type": "document",
        "model_name": M35,
        "embedding_dimension": 128,
        "document": {
            "media_source": TXT,
            "segmentation": {
                "sequential": {"strategy": "sentence", "max_sentences": 8, "overlap_sentences": 2}
            },
            "embedding_option": ["text"],
            "embedding_scope": ["local", "asset"],
            "embedding_type": ["separate_embedding"],
        },
    }
    assert (task.id, task.data) == ("d1", None)


def test_pdf_quadrants_task_is_accepted() -> None:
    """Spatial quadrants segmentation of a PDF with the visual option and local scope passes."""
    doc = {
        "media_source": PDF,
        "segmentation": {"spatial": {"strategy": "quadrants"}},
        "embedding_option": ["visual"],
        "embedding_scope": ["local"],
    }
    body = build_task_body(input_type="document", model_name=M35, document=doc)
    assert body["document"] == doc


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({}, "media_source is required"),
        ({"media_source": PDF, "embedding_type": ["fused_embedding"]}, "one modality"),
        (
            {"media_source": PDF, "segmentation": {"spatial": {}, "sequential": {}}},
            "exactly one of 'spatial'",
        ),
        ({"media_source": PDF, "segmentation": {}}, "exactly one of 'spatial'"),
        (
            {"media_source": PDF, "segmentation": {"spatial": {}}, "embedding_option": ["text"]},
            "needs 'visual'",
        ),
        (
            {"media_source": TXT, "segmentation": {"sequential": {"strategy": "sentence"}}},
            "max_sentences must be a whole number of 1 or more",
        ),
        (
            {
                "media_source": TXT,
                "segmentation": {
                    "sequential": {
                        "strategy": "sentence",
                        "max_sentences": 3,
                        "overlap_sentences": 3,
                    }
                },
            },
            "must be less than max_sentences",
        ),
        (
            {
                "media_source": TXT,
                "segmentation": {"sequential": {"strategy": "sentence", "max_sentences": 3}},
                "embedding_scope": ["asset"],
            },
            "needs 'local'",
        ),
    ],
)
def test_document_rules(document: dict[str, Any], message: str) -> None:
    """Each documented document rule is checked before sending, naming the field."""
    with pytest.raises(InvalidRequestError, match=message):
        build_task_body(input_type="document", model_name=M35, document=document)


def test_document_needs_marengo35() -> None:
    """A document task on 3.0 is refused with the model to use."""
    with pytest.raises(InvalidRequestError, match=r"need model_name='marengo3\.5'"):
        build_task_body(
            input_type="document", model_name="marengo3.0", document={"media_source": PDF}
        )


def test_35_dynamic_segments_have_no_upper_bound() -> None:
    """3.5 documents only a 2 s minimum for dynamic segments; 8 s passes, 1 s does not."""

    def video(minimum: int) -> dict[str, Any]:
        dynamic = {"strategy": "dynamic", "dynamic": {"min_duration_sec": minimum}}
        return {"media_source": PDF, "segmentation": {"temporal": dynamic}}

    assert build_task_body(input_type=None, model_name=M35, video=video(8))["video"]
    with pytest.raises(InvalidRequestError, match="of 2 or more"):
        build_task_body(input_type=None, model_name=M35, video=video(1))
    bare = {
        "media_source": PDF,
        "segmentation": {"strategy": "dynamic", "dynamic": {"min_duration_sec": 8}},
    }
    with pytest.raises(InvalidRequestError, match="from 2 to 5"):
        build_task_body(input_type=None, model_name="marengo3.0", video=bare)


def test_time_based_metadata_entries_are_checked() -> None:
    """Time-aligned text needs finite start/end in order and a text."""
    base = {"media_source": PDF, "embedding_option": ["visual", "audio"]}
    good = [{"start": 0, "end": 4.5, "text": "kick-off"}]
    assert build_task_body(
        input_type=None, model_name=M35, video={**base, "time_based_metadata": good}
    )
    for entries, message in (
        ([{"start": 5, "end": 1, "text": "x"}], "must not be before start"),
        ([{"start": float("inf"), "end": 1, "text": "x"}], "finite"),
        ([{"start": 0, "end": 1}], "text is required"),
    ):
        with pytest.raises(InvalidRequestError, match=message):
            build_task_body(
                input_type=None, model_name=M35, video={**base, "time_based_metadata": entries}
            )
