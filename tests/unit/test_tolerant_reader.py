"""The tolerant reader: bodies built from the facts' odd corners still give up their vectors."""

from __future__ import annotations

import logging
from typing import Any

import orjson
import pytest

import twelvelabs_async.models as m
from twelvelabs_async._convert import loads, structure, unstructure
from twelvelabs_async._convert_scalars import _noted
from twelvelabs_async.errors import ResponseValidationError


@pytest.fixture(autouse=True)
def fresh_bend_log() -> None:
    """Each test sees the once-only DEBUG notes afresh."""
    _noted.clear()


def test_numeric_string_duration_does_not_cost_the_page() -> None:
    """A task list whose metadata says ``"duration": "12.5"`` reads, the duration as 12.5."""
    body = {
        "data": [
            {
                "_id": "t1",
                "status": "ready",
                "video_embedding": {"metadata": {"duration": "12.5", "video_clip_length": "6"}},
            },
            {"_id": "t2", "status": "ready"},
        ],
        "page_info": {"page": "1", "total_page": 1},
    }
    page = structure(body, m.TasksListResponse)
    assert page.data is not None
    first = page.data[0].video_embedding
    assert first is not None
    assert first.metadata is not None
    assert first.metadata.duration == 12.5
    assert first.metadata.video_clip_length == 6.0
    assert page.page_info is not None
    assert page.page_info.page == 1


@pytest.mark.parametrize("text", ["twelve", "nan", "inf", "1" * 80, ""])
def test_non_numeric_strings_are_still_errors(text: str) -> None:
    """Only strings spelling a finite number are read as numbers."""
    with pytest.raises(ResponseValidationError) as info:
        structure({"duration": text}, m.VideoEmbeddingMetadata)
    assert info.value.path == "$.duration"


def test_video_metadata_without_embedding_options_keeps_the_vectors() -> None:
    """``{"input_type": "video"}`` alone is valid metadata; the data still reads."""
    body = {"data": [{"embedding": [0.1, 0.2]}], "metadata": {"input_type": "video"}}
    result = loads(orjson.dumps(body), m.EmbeddingSuccessResponse)
    assert isinstance(result.metadata, m.EmbeddingVideoMetadata)
    assert result.metadata.embedding_options is None
    assert result.data[0].embedding == [0.1, 0.2]
    task = {"_id": "t", "status": "ready", "data": [], "metadata": {"input_type": "audio"}}
    assert isinstance(structure(task, m.EmbeddingTaskResponse).metadata, m.EmbeddingAudioMetadata)


@pytest.mark.parametrize(
    ("metadata", "options", "scopes"),
    [
        (
            {"audio_embedding_options": ["audio"], "audio_embedding_scopes": ["clip"]},
            ["audio"],
            ["clip"],
        ),
        (
            {"audio_embedding_option": ["audio"], "audio_embedding_scope": ["clip"]},
            ["audio"],
            ["clip"],
        ),
    ],
    ids=["description-spelling", "sdk-spelling"],
)
def test_both_spellings_of_audio_metadata_read_into_one_attribute(
    metadata: dict[str, Any], options: list[str], scopes: list[str]
) -> None:
    """The description's plural and the official SDK's singular fill the same attribute."""
    meta = structure(metadata, m.AudioEmbeddingMetadata)
    assert meta.audio_embedding_options == options
    assert meta.audio_embedding_scopes == scopes
    assert meta.extra is None


def test_video_embedding_option_reads_in_either_spelling() -> None:
    """``video_embedding_option`` (SDK) and its plural both land on one attribute."""
    for key in ("video_embedding_option", "video_embedding_options"):
        meta = structure({key: ["visual"]}, m.VideoEmbeddingMetadata)
        assert meta.video_embedding_option == ["visual"]


def test_unknown_fields_are_kept_in_extra_and_sent_back_out() -> None:
    """A field this version does not model is kept on the model and not lost on unstructure."""
    item = structure({"embedding": [1.0], "saliency": {"x": 1}}, m.EmbeddingData)
    assert item.extra == {"saliency": {"x": 1}}
    assert unstructure(item) == {"saliency": {"x": 1}, "embedding": [1.0]}
    plain = structure({"embedding": [1.0]}, m.EmbeddingData)
    assert plain.extra is None


def test_unknown_enum_values_are_kept_as_strings() -> None:
    """A new scope, option or quadrant value is kept as the plain string."""
    item = structure(
        {"embedding": [1.0], "embedding_scope": "scene", "quadrant": "centre"}, m.EmbeddingData
    )
    assert (item.embedding_scope, item.quadrant) == ("scene", "centre")
    assert type(item.embedding_scope) is str


def test_document_results_carry_page_quadrant_and_chunk_positions() -> None:
    """Marengo 3.5 document results keep page numbers, quadrant and chunk index."""
    body = {
        "_id": "t",
        "status": "ready",
        "data": [
            {
                "embedding": [0.1],
                "embedding_option": "visual",
                "embedding_scope": "page",
                "start_page_number": 2,
                "end_page_number": 2,
                "quadrant": "top_left",
            },
            {
                "embedding": [0.2],
                "embedding_option": "text",
                "embedding_scope": "chunk",
                "chunk_index": 3,
            },
        ],
        "metadata": {"input_type": "document", "embedding_scopes": ["local"]},
        "usage": {
            "input_tokens": {"document": 40},
            "truncated": True,
            "truncation_reason": "model_context_window",
        },
    }
    task = structure(body, m.EmbeddingTaskResponse)
    assert task.data is not None
    page, chunk = task.data
    assert (page.start_page_number, page.end_page_number) == (2, 2)
    assert page.quadrant is m.EmbeddingDataQuadrant.top_left
    assert page.embedding_scope is m.EmbeddingScope.page
    assert (chunk.chunk_index, chunk.embedding_option) == (3, m.EmbeddingDataEmbeddingOption.text)
    assert isinstance(task.metadata, m.EmbeddingDocumentMetadata)
    assert task.usage is not None
    assert task.usage.truncation_reason == "model_context_window"


def test_listed_tasks_carry_image_and_document_parts() -> None:
    """A listed 3.5 task keeps its image_embedding / document_embedding metadata."""
    body = {
        "data": [
            {"_id": "a", "image_embedding": {"metadata": {"image_embedding_option": ["visual"]}}},
            {
                "_id": "b",
                "document_embedding": {"metadata": {"document_embedding_scope": ["local"]}},
            },
        ]
    }
    page = structure(body, m.TasksListResponse)
    assert page.data is not None
    image, document = page.data
    assert image.image_embedding is not None
    assert image.image_embedding.metadata is not None
    assert image.image_embedding.metadata.image_embedding_option == ["visual"]
    assert document.document_embedding is not None
    assert document.document_embedding.metadata is not None
    assert document.document_embedding.metadata.document_embedding_scope == ["local"]


def test_bending_is_logged_once_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    """A coerced string and a thin metadata are noted at DEBUG once each, never raised."""
    caplog.set_level(logging.DEBUG, logger="twelvelabs_async")
    for _ in range(3):
        structure({"duration": "12.5"}, m.VideoEmbeddingMetadata)
        structure({"input_type": "video"}, m.EmbeddingVideoMetadata)
    notes = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    assert sum("as a number" in n for n in notes) == 1
    assert sum("without embedding_options" in n for n in notes) == 1


@pytest.mark.parametrize(
    ("vector", "index"),
    [(["a"], 0), ([0.1, None], 1), ([0.1, 0.2, [0.3]], 2), ([0.5, {"v": 1}], 1), ([1, 10**400], 1)],
    ids=["string", "null", "array", "object", "huge-int"],
)
def test_non_numeric_vector_elements_are_refused_with_their_path(
    vector: list[Any], index: int
) -> None:
    """A vector element that is not a number is an error naming the element's JSON path."""
    body = {"data": [{"embedding": [0.0]}, {"embedding": vector}]}
    with pytest.raises(ResponseValidationError) as info:
        structure(body, m.EmbeddingSuccessResponse)
    assert info.value.path == f"$.data[1].embedding[{index}]"
    v1 = {"video_embedding": {"segments": [{"float": vector}]}}
    with pytest.raises(ResponseValidationError) as info:
        structure(v1, m.TasksRetrieveResponse)
    assert info.value.path == f"$.video_embedding.segments[0].float[{index}]"


def test_int_vector_elements_are_numbers() -> None:
    """Integers in a vector are valid numbers and are kept as sent."""
    item = structure(
        {"embedding": [0, 1, -1, 0.5], "embedding_uncertainty": [0, 1]}, m.EmbeddingData
    )
    assert item.embedding == [0, 1, -1, 0.5]
    assert item.embedding_uncertainty == [0, 1]


def test_unreadable_body_raises_with_the_raw_body() -> None:
    """A body that is not JSON, or has no vectors where they are required, keeps the raw bytes."""
    for raw in (b"<html>bad gateway</html>", b'{"data": [{"embedding_option": "visual"}]}'):
        with pytest.raises(ResponseValidationError) as info:
            loads(raw, m.EmbeddingSuccessResponse)
        assert info.value.raw_body == raw
