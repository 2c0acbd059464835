"""Marengo 3.5 against the fake server over real sockets: text queries, documents, usage."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from typing import Any

import pytest

from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async.testing import FakeTwelveLabsServer

M35 = "marengo3.5"
VIDEO_URL = "https://cdn.example.com/clips/match.mp4"


@pytest.fixture
async def client(server: FakeTwelveLabsServer) -> AsyncIterator[AsyncTwelveLabs]:
    async with AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url) as c:
        yield c


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True)) / math.sqrt(
        sum(x * x for x in a) * sum(y * y for y in b)
    )


async def test_text_query_on_35_finds_the_named_media(
    server: FakeTwelveLabsServer, client: AsyncTwelveLabs
) -> None:
    """A 3.5 text query (text-only multi_input) ranks the media named after it first."""
    query = await client.embed.v2.embed_text("match", model_name=M35)
    (record,) = server.requests_to("embed.v2.create")
    assert record.json == {
        "input_type": "multi_input",
        "model_name": M35,
        "multi_input": {"input_text": "match"},
    }
    assert query.usage is not None
    assert query.usage.input_tokens == {"text": 16}
    server.state.set_duration("match.mp4", 12.0)
    server.state.set_duration("other.mp4", 12.0)
    task_ids = []
    for url in (VIDEO_URL, "https://cdn.example.com/clips/other.mp4"):
        task = await client.embed.v2.tasks.create(
            model_name=M35, video={"media_source": {"url": url}, "embedding_scope": ["asset"]}
        )
        task_ids.append(task.id)
    scores = []
    for task_id in task_ids:
        done = await client.embed.v2.tasks.wait_for_done(task_id, sleep_interval=0.01, timeout=10)
        assert done.data is not None
        scores.append(cosine(query.data[0].embedding, done.data[0].embedding))
    assert scores[0] > scores[1]


async def test_pdf_document_task_gives_pages_and_quadrants(client: AsyncTwelveLabs) -> None:
    """A quadrants PDF task returns page vectors with page numbers and quadrants, and usage."""
    task = await client.embed.v2.tasks.create(
        model_name=M35,
        document={
            "media_source": {"url": "https://cdn.example.com/manual.pdf"},
            "segmentation": {"spatial": {"strategy": "quadrants"}},
        },
        embedding_dimension=256,
    )
    done = await client.embed.v2.tasks.wait_for_done(task.id, sleep_interval=0.01, timeout=10)
    assert done.status == "ready"
    assert done.data is not None
    pages = {d.start_page_number or 0 for d in done.data}
    assert min(pages) == 1
    assert len(done.data) == 5 * len(pages)
    assert {d.quadrant for d in done.data} == {
        None,
        "top_left",
        "top_right",
        "bottom_left",
        "bottom_right",
    }
    assert all(len(d.embedding) == 256 and d.embedding_scope == "page" for d in done.data)
    assert done.metadata is not None
    assert done.metadata.input_type == "document"
    assert done.usage is not None


async def test_text_document_chunks_and_listing(client: AsyncTwelveLabs) -> None:
    """A .md task in sentence chunks returns chunk indexes; the listing shows the document."""
    task = await client.embed.v2.tasks.create(
        model_name=M35,
        document={
            "media_source": {"url": "https://cdn.example.com/notes.md"},
            "segmentation": {"sequential": {"strategy": "sentence", "max_sentences": 5}},
            "embedding_option": ["text"],
            "embedding_scope": ["local"],
        },
    )
    done = await client.embed.v2.tasks.wait_for_done(task.id, sleep_interval=0.01, timeout=10)
    assert done.data is not None
    assert [d.chunk_index for d in done.data] == list(range(len(done.data)))
    assert {d.embedding_option for d in done.data} == {"text"}
    pager = client.embed.v2.tasks.list()
    items = [item async for item in pager]
    (listed,) = [i for i in items if i.id == task.id]
    assert listed.document_embedding is not None
    assert listed.document_embedding.metadata is not None
    assert listed.document_embedding.metadata.document_embedding_scope == ["local"]


async def test_35_sync_media_over_30_seconds_is_refused(
    server: FakeTwelveLabsServer, api: Any
) -> None:
    """The fake answers 400 for a 3.5 sync video source over 30 s, and 200 under it."""
    payload = {
        "input_type": "multi_input",
        "model_name": M35,
        "multi_input": {"media_sources": [{"media_type": "video", "url": "https://x/long.mp4"}]},
    }
    server.state.set_duration("long.mp4", 45.0)
    status, body, _ = await api.json("/embed-v2", payload)
    assert status == 400
    assert "at most 30 s" in str(body)
    server.state.set_duration("long.mp4", 20.0)
    status, _, _ = await api.json("/embed-v2", payload)
    assert status == 200
