"""Bulk jobs with documents: PDF, .txt and .md inputs become Marengo 3.5 document tasks."""

from __future__ import annotations

from pathlib import Path

import pytest

from twelvelabs_async.bulk import BulkEmbedJob, media_kind
from twelvelabs_async.bulk._calls import route
from twelvelabs_async.bulk._inputs import prepare_inputs
from twelvelabs_async.client import AsyncTwelveLabs
from twelvelabs_async.testing import FakeTwelveLabsServer


@pytest.mark.parametrize("name", ["a.pdf", "b.TXT", "https://x/c.md?sig=1"])
def test_document_extensions_are_documents(name: str) -> None:
    """.pdf, .txt and .md inputs are documents, whatever the case or query string."""
    assert media_kind(name) == "document"


def test_documents_are_tasks_on_v2_and_sync_on_v2_sync() -> None:
    """On v2 a document becomes a task; v2-sync sends it as a 3.5 multi_input source."""
    (item,) = prepare_inputs(["https://cdn.example.com/manual.pdf"], {})
    assert (route("v2", item), route("v2-sync", item), route("v1", item)) == (
        "task",
        "sync",
        "sync",
    )


async def test_a_bulk_job_embeds_documents_with_marengo35(tmp_path: Path) -> None:
    """A v2 job on marengo3.5 embeds a PDF URL and a local .md file, one result per page/file."""
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n\nThe dog runs. The cat sleeps.\n")
    async with (
        FakeTwelveLabsServer(processing_time=0) as server,
        AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url) as client,
    ):
        job = BulkEmbedJob(
            client,
            ["https://cdn.example.com/manual.pdf", notes],
            api="v2",
            model_name="marengo3.5",
            poll_interval=0.01,
        )
        results = [item async for item in job]
        bodies = [r.json for r in server.requests_to("embed.v2.tasks.create")]
    assert all(r.error is None for r in results), [r.error for r in results]
    assert sorted(b["input_type"] for b in bodies) == ["document", "document"]
    by_source = {r.source: r for r in results}
    pdf = by_source["https://cdn.example.com/manual.pdf"]
    assert pdf.segments
    assert {s.scope for s in pdf.segments} == {"page"}
    (md,) = [r for r in results if r.source.endswith("notes.md")]
    assert [s.scope for s in md.segments] == ["asset"]


async def test_a_v1_job_refuses_documents_per_item(tmp_path: Path) -> None:
    """On v1 a document fails its own item with the API and model to use; others carry on."""
    async with (
        FakeTwelveLabsServer(processing_time=0) as server,
        AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url) as client,
    ):
        job = BulkEmbedJob(client, ["https://cdn.example.com/manual.pdf"], model_name="marengo3.0")
        (result,) = [item async for item in job]
    assert result.error is not None
    assert "marengo3.5" in str(result.error)
