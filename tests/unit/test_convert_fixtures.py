"""Every fixture payload decodes into the expected typed objects and encodes back."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from twelvelabs_async import models as m
from twelvelabs_async._convert import loads, structure, unstructure

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def load(name: str) -> tuple[bytes, Any]:
    """Raw bytes and parsed JSON of a fixture file."""
    body = (FIXTURES / name).read_bytes()
    return body, json.loads(body)


def without_nulls(value: Any, keep: frozenset[str] = frozenset({"data"})) -> Any:
    """The JSON with null-valued keys removed, except required-nullable ones in ``keep``."""
    if isinstance(value, dict):
        return {k: without_nulls(v, keep) for k, v in value.items() if v is not None or k in keep}
    if isinstance(value, list):
        return [without_nulls(v, keep) for v in value]
    return value


# fixture file -> model; fixtures with unknown extras are checked separately below.
KNOWN_SHAPES = {
    "v1_embed_text_audio.json": m.EmbeddingResponse,
    "v1_embed_image.json": m.EmbeddingResponse,
    "v1_embed_partial_error.json": m.EmbeddingResponse,
    "v1_tasks_create.json": m.TasksCreateResponse,
    "v1_tasks_list.json": m.TasksListResponse,
    "v1_tasks_status.json": m.TasksStatusResponse,
    "v1_tasks_status_legacy.json": m.TasksStatusResponse,
    "v1_tasks_retrieve.json": m.TasksRetrieveResponse,
    "v1_tasks_retrieve_transcription.json": m.TasksRetrieveResponse,
    "v2_embed_text.json": m.EmbeddingSuccessResponse,
    "v2_embed_text_minimal.json": m.EmbeddingSuccessResponse,
    "v2_embed_image.json": m.EmbeddingSuccessResponse,
    "v2_embed_text_image.json": m.EmbeddingSuccessResponse,
    "v2_embed_audio.json": m.EmbeddingSuccessResponse,
    "v2_embed_video.json": m.EmbeddingSuccessResponse,
    "v2_embed_multi_input.json": m.EmbeddingSuccessResponse,
    "v2_embed_marengo35.json": m.EmbeddingSuccessResponse,
    "v2_tasks_create.json": m.V2TasksCreateResponse,
    "v2_tasks_create_marengo35.json": m.V2TasksCreateResponse,
    "v2_tasks_list.json": m.TasksListResponse,
    "v2_tasks_retrieve_processing.json": m.EmbeddingTaskResponse,
    "v2_tasks_retrieve_ready.json": m.EmbeddingTaskResponse,
    "v2_tasks_retrieve_failed.json": m.EmbeddingTaskResponse,
    "v2_tasks_retrieve_marengo35.json": m.EmbeddingTaskResponse,
    "error_flat.json": m.FlatErrorResponse,
    "error_flat_docs_url.json": m.FlatErrorResponse,
    "error_nested.json": m.ErrorResponse,
}


def test_every_fixture_file_is_covered() -> None:
    """Each JSON file in tests/fixtures is exercised by a decoding test."""
    unknown_extras = {p.name for p in FIXTURES.glob("*_unknown.json")}
    assert {p.name for p in FIXTURES.glob("*.json")} == set(KNOWN_SHAPES) | unknown_extras


@pytest.mark.parametrize(("name", "model"), sorted(KNOWN_SHAPES.items()))
def test_fixture_round_trips_to_the_same_wire_json(name: str, model: type[Any]) -> None:
    """Decoding then encoding a fixture gives back its JSON, minus nulls of optional fields."""
    body, data = load(name)
    obj = loads(body, model)
    assert isinstance(obj, model)
    assert unstructure(obj) == without_nulls(data)
    assert structure(unstructure(obj), model) == obj


def test_v1_embed_text_and_audio_values() -> None:
    """A v1 text+audio result exposes float_ vectors and audio offsets per segment."""
    r = loads(load("v1_embed_text_audio.json")[0], m.EmbeddingResponse)
    assert r.model_name == "marengo3.0"
    assert r.text_embedding is not None
    assert r.text_embedding.segments is not None
    assert r.text_embedding.segments[0].float_ == [0.0213, -0.0087, 0.0441, 0.0102]
    audio = r.audio_embedding
    assert audio is not None
    assert audio.segments is not None
    assert audio.metadata is not None
    assert [(s.start_offset_sec, s.end_offset_sec) for s in audio.segments] == [
        (0.0, 10.0),
        (10.0, 17.4),
    ]
    assert audio.metadata.input_filename == "interview.mp3"
    assert r.image_embedding is None


def test_v1_embed_image_and_partial_error() -> None:
    """An image result keeps its source URL, and a failed modality keeps its error_message."""
    image = loads(load("v1_embed_image.json")[0], m.EmbeddingResponse).image_embedding
    assert image is not None
    assert image.metadata is not None
    assert image.segments is not None
    assert image.metadata.input_url == "https://cdn.example.com/images/kickoff.png"
    assert len(image.segments[0].float_ or []) == 4
    partial = loads(load("v1_embed_partial_error.json")[0], m.EmbeddingResponse)
    assert partial.image_embedding is not None
    assert partial.image_embedding.error_message == (
        "The image could not be downloaded from the given URL."
    )
    assert partial.image_embedding.segments is None
    assert partial.text_embedding is not None
    assert partial.text_embedding.error_message is None


def test_v1_task_create_list_and_status() -> None:
    """v1 create, list and status bodies map _id to id and keep page_info and metadata."""
    assert loads(load("v1_tasks_create.json")[0], m.TasksCreateResponse).id == (
        "6655a1b2c3d4e5f601234567"
    )
    page = loads(load("v1_tasks_list.json")[0], m.TasksListResponse)
    assert page.page_info == m.PageInfo(limit_per_page=10, page=1, total_page=3, total_results=27)
    assert page.data is not None
    first, second = page.data
    assert first.status is m.TaskStatusValue.ready
    assert first.created_at == datetime(2026, 7, 20, 8, 15, 30, tzinfo=UTC)
    assert first.video_embedding is not None
    assert first.video_embedding.metadata is not None
    assert first.video_embedding.metadata.video_embedding_scope == ["clip", "video"]
    assert second.audio_embedding is not None
    assert second.audio_embedding.metadata is not None
    assert second.audio_embedding.metadata.audio_embedding_options == ["audio", "transcription"]
    status = loads(load("v1_tasks_status.json")[0], m.TasksStatusResponse)
    assert status.status == "processing"
    assert status.video_embedding is not None
    assert status.video_embedding.metadata is not None
    assert status.video_embedding.metadata.duration == 31.2
    assert status.metadata is None


def test_v1_status_legacy_top_level_metadata() -> None:
    """The older status shape with metadata at the top level is still readable."""
    status = loads(load("v1_tasks_status_legacy.json")[0], m.TasksStatusResponse)
    assert status.video_embedding is None
    assert status.metadata is not None
    assert status.metadata.video_clip_length == 10.0
    assert status.model_name == "Marengo-retrieval-2.7"


def test_v1_retrieve_segments() -> None:
    """v1 retrieve segments expose float_, offsets, option and scope (clip and video)."""
    r = loads(load("v1_tasks_retrieve.json")[0], m.TasksRetrieveResponse)
    assert r.id == "6655a1b2c3d4e5f601234567"
    assert r.updated_at == datetime(2026, 7, 20, 8, 17, 2, tzinfo=UTC)
    assert r.video_embedding is not None
    assert r.video_embedding.segments is not None
    segs = r.video_embedding.segments
    assert len(segs) == 5
    assert segs[1].float_ == [0.009, 0.017, -0.03]
    assert segs[1].embedding_option is m.TasksRetrieveRequestEmbeddingOptionItem.audio
    assert segs[4].embedding_scope is m.TasksCreateRequestVideoEmbeddingScopeItem.video
    assert (segs[4].start_offset_sec, segs[4].end_offset_sec) == (0.0, 12.0)
    t = loads(load("v1_tasks_retrieve_transcription.json")[0], m.TasksRetrieveResponse)
    assert t.video_embedding is not None
    assert t.video_embedding.segments is not None
    assert {s.embedding_option for s in t.video_embedding.segments} == {"transcription"}


def test_v2_sync_text_and_image() -> None:
    """v2 text results have null or absent modality fields; image metadata picks its variant."""
    for name in ("v2_embed_text.json", "v2_embed_text_minimal.json"):
        r = loads(load(name)[0], m.EmbeddingSuccessResponse)
        assert r.data[0].embedding == [0.0211, -0.0134, 0.0457]
        assert r.data[0].embedding_option is None
        assert r.data[0].start_sec is None
        assert r.metadata is None
        assert r.usage is None
    image = loads(load("v2_embed_image.json")[0], m.EmbeddingSuccessResponse)
    assert isinstance(image.metadata, m.EmbeddingImageMetadata)
    assert image.metadata.input_url == "https://cdn.example.com/images/kickoff.png"
    text_image = loads(load("v2_embed_text_image.json")[0], m.EmbeddingSuccessResponse)
    assert isinstance(text_image.metadata, m.EmbeddingTextImageMetadata)
    assert text_image.metadata.input_filename == "poster.jpg"


def test_v2_sync_audio_video_and_multi_input() -> None:
    """Audio, video and multi_input metadata each decode into their own variant."""
    audio = loads(load("v2_embed_audio.json")[0], m.EmbeddingSuccessResponse)
    assert isinstance(audio.metadata, m.EmbeddingAudioMetadata)
    assert audio.metadata.duration == 9.5
    assert audio.data[2].embedding_scope is m.EmbeddingScope.asset
    video = loads(load("v2_embed_video.json")[0], m.EmbeddingSuccessResponse)
    assert isinstance(video.metadata, m.EmbeddingVideoMetadata)
    assert video.metadata.clip_length == 6
    assert video.metadata.embedding_scopes == [m.EmbeddingScope.clip, m.EmbeddingScope.asset]
    assert video.data[2].embedding_option is m.EmbeddingDataEmbeddingOption.fused
    assert (video.data[3].start_sec, video.data[3].end_sec) == (0.0, 18.0)
    multi = loads(load("v2_embed_multi_input.json")[0], m.EmbeddingSuccessResponse)
    assert multi.metadata == m.EmbeddingMultiInputMetadata()
    assert len(multi.data) == 1


def test_v2_marengo35_usage_dimension_and_uncertainty() -> None:
    """Marengo 3.5 fields (usage, embedding_dimension, embedding_uncertainty) are read."""
    r = loads(load("v2_embed_marengo35.json")[0], m.EmbeddingSuccessResponse)
    assert r.usage == m.EmbeddingUsage(input_tokens={"text": 1874, "image": 258}, truncated=True)
    assert isinstance(r.metadata, m.EmbeddingMultiInputMetadata)
    assert r.metadata.embedding_dimension == 256
    assert r.data[0].embedding_uncertainty == [0.0021, 0.0034, 0.0017, 0.0029]
    t = loads(load("v2_tasks_retrieve_marengo35.json")[0], m.EmbeddingTaskResponse)
    assert t.data is not None
    assert t.data[0].embedding_scope is m.EmbeddingScope.local
    assert isinstance(t.metadata, m.EmbeddingAudioMetadata)
    assert t.metadata.embedding_dimension == 512
    assert t.usage is not None
    assert t.usage.truncated is False
    created = loads(load("v2_tasks_create_marengo35.json")[0], m.V2TasksCreateResponse)
    assert created.metadata == m.TasksCreateResponseMetadata(embedding_dimension=128)


def test_v2_task_create_and_list() -> None:
    """The 202 create body has id, processing status and null data; the list reuses v1's shape."""
    created = loads(load("v2_tasks_create.json")[0], m.V2TasksCreateResponse)
    assert (created.id, created.status, created.data) == (
        "6890f1e2a3b4c5d6e7f80912",
        m.TaskStatusValue.processing,
        None,
    )
    page = loads(load("v2_tasks_list.json")[0], m.TasksListResponse)
    assert page.data is not None
    assert [t.status for t in page.data] == ["ready", "failed"]
    assert page.page_info is not None
    assert page.page_info.total_results == 2


def test_v2_retrieve_processing_ready_failed() -> None:
    """v2 retrieve: data is None while processing, a list when ready, error.message on failure."""
    processing = loads(load("v2_tasks_retrieve_processing.json")[0], m.EmbeddingTaskResponse)
    assert processing.data is None
    assert processing.error is None
    ready = loads(load("v2_tasks_retrieve_ready.json")[0], m.EmbeddingTaskResponse)
    assert ready.data is not None
    assert ready.data[1].embedding == [0.015, 0.002, -0.009]
    assert isinstance(ready.metadata, m.EmbeddingVideoMetadata)
    assert ready.metadata.duration == 3540.0
    failed = loads(load("v2_tasks_retrieve_failed.json")[0], m.EmbeddingTaskResponse)
    assert failed.status is m.TaskStatusValue.failed
    assert failed.data is None
    assert failed.error is not None
    assert failed.error.message.startswith("We could not process")
    assert failed.created_at is None


def test_error_bodies_both_shapes() -> None:
    """Flat and nested error bodies decode into their own models."""
    flat = loads(load("error_flat_docs_url.json")[0], m.FlatErrorResponse)
    assert flat.code == "too_many_requests"
    assert flat.docs_url == "https://docs.twelvelabs.io/docs/get-started/rate-limits"
    nested = loads(load("error_nested.json")[0], m.ErrorResponse)
    assert nested.error.code == "parameter_invalid"
    assert nested.error.details == {"field": "video.segmentation"}


def test_unknown_fields_and_values_in_v1_retrieve() -> None:
    """Unknown fields are kept in extra; unknown status, model, option and scope values as str."""
    r = loads(load("v1_tasks_retrieve_unknown.json")[0], m.TasksRetrieveResponse)
    assert r.status == "queued"
    assert type(r.status) is str
    assert r.model_name == "marengo3.5"
    assert r.created_at == datetime(2026, 9, 3, 11, 20, 0, 482000, tzinfo=UTC)
    assert r.video_embedding is not None
    assert r.video_embedding.segments is not None
    seg = r.video_embedding.segments[0]
    assert (seg.embedding_option, seg.embedding_scope) == ("fused", "local")
    assert type(seg.embedding_option) is str
    assert r.extra is not None
    assert r.extra["region"] == "us-east-1"
    wire = unstructure(r)
    assert wire["region"] == "us-east-1"
    assert "confidence" in wire["video_embedding"]["segments"][0]
    assert wire["video_embedding"]["segments"][0]["embedding_scope"] == "local"


def test_unknown_input_type_and_values_in_v2() -> None:
    """A document metadata reads into its 3.5 variant, unknown fields kept; odd values are kept."""
    r = loads(load("v2_tasks_retrieve_unknown.json")[0], m.EmbeddingTaskResponse)
    assert r.status == "queued"
    assert r.created_at == datetime(2026, 9, 3, 11, 20, tzinfo=timezone(timedelta(hours=2)))
    assert r.metadata == m.EmbeddingDocumentMetadata(
        input_type="document",
        input_filename="manual.pdf",
        embedding_options=["visual"],
        embedding_scopes=["page"],
        embedding_dimension=512,
        extra={"page_count": 12},
    )
    assert unstructure(r)["metadata"]["input_type"] == "document"
    sync = loads(load("v2_embed_unknown.json")[0], m.EmbeddingSuccessResponse)
    assert (sync.data[0].embedding_option, sync.data[0].embedding_scope) == ("spatial", "page")
    assert isinstance(sync.metadata, m.EmbeddingVideoMetadata)
    assert sync.metadata.embedding_scopes == [m.EmbeddingScope.clip, "scene"]
    assert sync.usage is not None
    assert sync.usage.input_tokens == {"video": 1500, "hologram": 3}
