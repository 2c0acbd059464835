"""Tests of the numpy helpers that stack segment vectors."""

from __future__ import annotations

import importlib
import math
import sys
from typing import Any

import attrs
import numpy as np
import pytest

from twelvelabs_async.vectors import SegmentArray, to_segment_array


@attrs.define
class V1Segment:
    float_: list[float] | None
    start_offset_sec: float | None = None
    end_offset_sec: float | None = None
    embedding_option: str | None = None
    embedding_scope: str | None = None


@attrs.define
class V2Data:
    embedding: list[float]
    start_sec: float | None = None
    end_sec: float | None = None
    embedding_option: str | None = None
    embedding_scope: str | None = None


@attrs.define
class Part:
    segments: list[Any] | None
    error_message: str | None = None


@attrs.define
class Retrieve:
    video_embedding: Part | None


@attrs.define
class EmbedResp:
    text_embedding: Part | None = None
    image_embedding: Part | None = None
    audio_embedding: Part | None = None


@attrs.define
class V2Resp:
    data: list[V2Data] | None


def test_v1_retrieve_segments_become_rows() -> None:
    """A v1 retrieve result gives an (n, d) float32 matrix with times, options and scopes."""
    result = Retrieve(
        Part(
            [
                V1Segment([0.1, 0.2, 0.3], 0.0, 6.0, "visual", "clip"),
                V1Segment([0.4, 0.5, 0.6], 6.0, 12.0, "audio", "clip"),
                V1Segment([0.7, 0.8, 0.9], 0.0, 12.0, "visual", "video"),
            ]
        )
    )
    seg = to_segment_array(result)
    assert isinstance(seg, SegmentArray)
    assert seg.vectors.shape == (3, 3)
    assert seg.vectors.dtype == np.float32
    assert len(seg) == 3
    assert seg.dimension == 3
    assert seg.start.tolist() == [0.0, 6.0, 0.0]
    assert seg.end.tolist() == [6.0, 12.0, 12.0]
    assert seg.option == ("visual", "audio", "visual")
    assert seg.scope == ("clip", "clip", "video")
    np.testing.assert_allclose(seg.vectors[1], [0.4, 0.5, 0.6], rtol=1e-6)


def test_filters_by_option_and_scope() -> None:
    """option= and scope= keep only the matching segments."""
    result = Retrieve(
        Part(
            [
                V1Segment([1.0, 0.0], 0, 6, "visual", "clip"),
                V1Segment([0.0, 1.0], 0, 6, "audio", "clip"),
                V1Segment([1.0, 1.0], 0, 12, "visual", "video"),
            ]
        )
    )
    seg = to_segment_array(result, option="visual", scope=["clip"])
    assert seg.vectors.tolist() == [[1.0, 0.0]]


def test_v1_embed_response_tags_modality_and_nan_times() -> None:
    """A v1 embed.create result stacks its modalities, each row tagged; text has NaN times."""
    result = EmbedResp(
        text_embedding=Part([V1Segment([1.0, 2.0])]),
        audio_embedding=Part([V1Segment([3.0, 4.0], 0.0, 10.0)]),
    )
    seg = to_segment_array(result)
    assert seg.option == ("text", "audio")
    assert math.isnan(seg.start[0])
    assert seg.end[1] == 10.0
    only_audio = to_segment_array(result, modality="audio")
    assert only_audio.vectors.tolist() == [[3.0, 4.0]]
    with pytest.raises(ValueError, match="no image_embedding"):
        to_segment_array(result, modality="image")


def test_v2_data() -> None:
    """A v2 response's data entries use embedding/start_sec/end_sec."""
    seg = to_segment_array(V2Resp([V2Data([0.5, 0.5], 0.0, 4.3, "fused", "clip")]))
    assert seg.vectors.shape == (1, 2)
    assert seg.end.tolist() == [4.3]
    assert seg.option == ("fused",)


def test_plain_list_of_segments() -> None:
    """A bare list of segments is accepted."""
    seg = to_segment_array([V2Data([1.0]), V2Data([2.0])])
    assert seg.vectors.tolist() == [[1.0], [2.0]]


def test_mixed_dimensions_are_refused() -> None:
    """Vectors of different lengths raise a ValueError that names the lengths found."""
    result = V2Resp([V2Data([0.0] * 512), V2Data([0.0] * 1024)])
    with pytest.raises(ValueError, match=r"1 of length 512, 1 of length 1024"):
        to_segment_array(result)


def test_empty_result_gives_empty_array() -> None:
    """No segments gives a (0, 0) matrix and empty companions."""
    seg = to_segment_array(Retrieve(Part(None)))
    assert seg.vectors.shape == (0, 0)
    assert len(seg) == 0
    assert seg.option == ()


def test_segment_without_vector_is_an_error() -> None:
    """A segment whose vector is missing raises a ValueError pointing at readiness."""
    with pytest.raises(ValueError, match="segment 0 has no vector"):
        to_segment_array(Retrieve(Part([V1Segment(None)])))


def test_missing_numpy_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without numpy, importing the module raises ImportError naming the numpy extra."""
    monkeypatch.setitem(sys.modules, "numpy", None)
    monkeypatch.delitem(sys.modules, "twelvelabs_async.vectors")
    with pytest.raises(ImportError, match=r"pip install 'twelvelabs-async\[numpy\]'"):
        importlib.import_module("twelvelabs_async.vectors")
