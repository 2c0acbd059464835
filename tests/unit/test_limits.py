"""The limits table agrees with ``openapi/embed.yaml``; validators and the fake server read it."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

from twelvelabs_async import limits
from twelvelabs_async._validate_v2 import build_sync_body
from twelvelabs_async.errors import InvalidRequestError
from twelvelabs_async.testing import _v2_inputs
from twelvelabs_async.testing._http import ApiError

# PyYAML ships without type stubs; the loader is used untyped.
yaml: Any = importlib.import_module("yaml")
SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "embed.yaml"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    """The parsed OpenAPI description."""
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
    return loaded


def schema(spec: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = spec["components"]["schemas"][name]
    return found


def prop(spec: dict[str, Any], name: str, field: str) -> dict[str, Any]:
    found: dict[str, Any] = schema(spec, name)["properties"][field]
    return found


def bounds(node: dict[str, Any]) -> limits.Range:
    return limits.Range(node["minimum"], node.get("maximum"))


def test_ranges_match_the_spec(spec: dict[str, Any]) -> None:
    """Every minimum/maximum in the spec that a validator enforces equals the table's."""
    assert bounds(prop(spec, "TasksCreateRequest", "video_clip_length")) == (
        limits.V1_CLIP_LENGTH_SEC
    )
    assert prop(spec, "TasksCreateRequest", "video_clip_length")["default"] == (
        limits.V1_DEFAULT_CLIP_LENGTH_SEC
    )
    for name in (
        "AudioSegmentationFixed",
        "VideoSegmentationFixedFixed",
        "TemporalSegmentationFixedFixed",
    ):
        assert bounds(prop(spec, name, "duration_sec")) == limits.FIXED_DURATION_SEC, name
    assert (
        bounds(prop(spec, "VideoSegmentationDynamicDynamic", "min_duration_sec"))
        == (limits.DYNAMIC_MIN_DURATION_SEC[limits.MARENGO_30])
    )
    assert (
        bounds(prop(spec, "TemporalSegmentationDynamicDynamic", "min_duration_sec"))
        == (limits.DYNAMIC_MIN_DURATION_SEC[limits.MARENGO_35])
    )
    assert prop(spec, "DocumentSequentialSegmentation", "max_sentences")["minimum"] == (
        limits.MAX_SENTENCES_MIN
    )
    page_limit = spec["components"]["parameters"]["PageLimit"]["schema"]
    assert page_limit["maximum"] == limits.MAX_PAGE_LIMIT
    sources = prop(spec, "MultiInputRequest", "media_sources")
    assert (sources["minItems"], sources["maxItems"]) == (1, limits.MAX_MULTI_INPUT_SOURCES)


def test_enumerations_match_the_spec(spec: dict[str, Any]) -> None:
    """Model names, dimensions, input types and document values equal the table's."""

    def enum(name: str) -> list[Any]:
        values: list[Any] = schema(spec, name)["enum"]
        return values

    assert tuple(enum("ModelName")) == limits.V2_MODELS
    assert tuple(enum("EmbeddingDimension")) == limits.EMBEDDING_DIMENSIONS
    assert prop(spec, "CreateEmbeddingsRequest", "embedding_dimension")["default"] == (
        limits.DEFAULT_EMBEDDING_DIMENSION
    )
    sync = {kind for kinds in limits.SYNC_INPUT_TYPES.values() for kind in kinds}
    assert set(enum("CreateEmbeddingsRequestInputType")) == sync
    tasks = {kind for kinds in limits.TASK_INPUT_TYPES.values() for kind in kinds}
    assert set(enum("CreateAsyncEmbeddingRequestInputType")) == tasks
    assert (
        tuple(enum("VideoEmbeddingOption")) == limits.DEFAULT_OPTIONS[(limits.MARENGO_30, "video")]
    )
    assert (
        tuple(enum("AudioEmbeddingOption")) == limits.DEFAULT_OPTIONS[(limits.MARENGO_30, "audio")]
    )
    assert tuple(enum("DocumentEmbeddingOption")) == limits.DOCUMENT_OPTIONS
    assert tuple(enum("DocumentEmbeddingScope")) == limits.DOCUMENT_SCOPES
    assert tuple(enum("DocumentSpatialStrategy")) == limits.DOCUMENT_SPATIAL_STRATEGIES
    assert tuple(enum("EmbeddingDataQuadrant")) == limits.QUADRANTS
    assert set(limits.MODEL_DIMENSIONS) == {*limits.V1_MODELS, *limits.V2_MODELS}


def test_validator_and_fake_server_read_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lowering the multi_input cap in the table lowers it for the SDK and the fake alike."""
    monkeypatch.setattr(limits, "MAX_MULTI_INPUT_SOURCES", 2)
    three = {"media_sources": [{"media_type": "image", "url": "https://x/a.png"}] * 3}
    with pytest.raises(InvalidRequestError, match="at most 2"):
        build_sync_body(input_type=None, model_name=limits.MARENGO_30, multi_input=three)
    with pytest.raises(ApiError):
        _v2_inputs.multi_input(limits.MARENGO_30, three)


def test_range_membership_and_wording() -> None:
    """A Range holds numbers only, and an open range has no upper bound."""
    assert 10 in limits.FIXED_DURATION_SEC
    assert 11 not in limits.FIXED_DURATION_SEC
    assert True not in limits.FIXED_DURATION_SEC
    assert 10**6 in limits.DYNAMIC_MIN_DURATION_SEC[limits.MARENGO_35]
    assert limits.FIXED_DURATION_SEC.describe() == "2 to 10"
    assert limits.DYNAMIC_MIN_DURATION_SEC[limits.MARENGO_35].describe() == "2 or more"
