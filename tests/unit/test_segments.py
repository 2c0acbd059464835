"""One segment extractor: vectors.py, bulk jobs and the stores read results alike."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from twelvelabs_async import models as m
from twelvelabs_async._convert import loads
from twelvelabs_async._segments import iter_segments
from twelvelabs_async.bulk._calls import extract_segments

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

SHAPES = {
    "v1_tasks_retrieve.json": m.TasksRetrieveResponse,
    "v1_tasks_retrieve_transcription.json": m.TasksRetrieveResponse,
    "v1_embed_text_audio.json": m.EmbeddingResponse,
    "v1_embed_image.json": m.EmbeddingResponse,
    "v2_embed_video.json": m.EmbeddingSuccessResponse,
    "v2_embed_multi_input.json": m.EmbeddingSuccessResponse,
    "v2_embed_marengo35.json": m.EmbeddingSuccessResponse,
    "v2_tasks_retrieve_ready.json": m.EmbeddingTaskResponse,
}


def _load(name: str) -> Any:
    return loads((FIXTURES / name).read_bytes(), SHAPES[name])


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_bulk_rows_and_numpy_arrays_come_from_the_same_segments(name: str) -> None:
    """For every documented result shape, bulk segments and to_segment_array rows agree."""
    np = pytest.importorskip("numpy")
    from twelvelabs_async.vectors import to_segment_array

    result = _load(name)
    records = list(iter_segments(result))
    bulk = extract_segments(result, name)
    arrays = to_segment_array(result)
    assert len(records) == len(bulk) == len(arrays) > 0
    for n, (record, seg) in enumerate(zip(records, bulk, strict=True)):
        assert record.vector is not None
        assert np.allclose(np.frombuffer(seg.vector, dtype=np.float32), arrays.vectors[n])
        assert (seg.start_sec, seg.end_sec) == (record.start_sec, record.end_sec)
        assert seg.option == arrays.option[n] == record.option
        assert seg.scope == arrays.scope[n] == record.scope
        start = arrays.start[n]
        assert (math.isnan(start) and seg.start_sec is None) or start == seg.start_sec


def test_v1_embed_segments_carry_their_modality_as_option() -> None:
    """A v1 /embed result's segments say which modality they came from."""
    records = list(iter_segments(_load("v1_embed_text_audio.json")))
    assert {r.option for r in records} == {"text", "audio"}
    audio = [r for r in records if r.option == "audio"]
    assert all(r.start_sec is not None for r in audio)


def test_a_missing_modality_is_a_clear_error() -> None:
    """Asking a v1 /embed result for a modality it lacks names that modality."""
    with pytest.raises(ValueError, match="image_embedding"):
        list(iter_segments(_load("v1_embed_text_audio.json"), modality="image"))
