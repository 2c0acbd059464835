"""Targeted tests for each rule of the converter in twelvelabs_async._convert."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import orjson
import pytest

from twelvelabs_async import models as m
from twelvelabs_async._convert import loads, structure, unstructure
from twelvelabs_async.errors import ResponseValidationError


def retrieve_body(segments: list[dict[str, Any]]) -> dict[str, Any]:
    """A minimal v1 retrieve payload holding ``segments``."""
    return {"_id": "t1", "status": "ready", "video_embedding": {"segments": segments}}


def test_error_names_json_path_and_keeps_body() -> None:
    """A bad value deep in a list is reported with its JSON path and the raw body is kept."""
    segs: list[dict[str, Any]] = [{"float": [0.1]} for _ in range(3)] + [{"float": "oops"}]
    body = orjson.dumps(retrieve_body(segs))
    with pytest.raises(ResponseValidationError) as info:
        loads(body, m.TasksRetrieveResponse)
    assert info.value.path == "$.video_embedding.segments[3].float"
    assert "$.video_embedding.segments[3].float" in str(info.value)
    assert "TasksRetrieveResponse" in str(info.value)
    assert info.value.raw_body == body
    assert info.value.body == orjson.loads(body)


def test_missing_required_field_is_reported_by_wire_name() -> None:
    """A missing required field is named by its JSON name (_id), not the attribute name."""
    with pytest.raises(ResponseValidationError) as info:
        loads(b'{"status": "ready", "data": null}', m.EmbeddingTaskResponse)
    assert info.value.path == "$._id"
    assert "required field is missing" in str(info.value)


def test_invalid_json_raises_with_root_path() -> None:
    """A body that is not JSON raises ResponseValidationError at path $ with the body kept."""
    with pytest.raises(ResponseValidationError) as info:
        loads(b"<html>bad gateway</html>", m.EmbeddingTaskResponse)
    assert info.value.path == "$"
    assert info.value.raw_body == b"<html>bad gateway</html>"
    assert info.value.body is None


def test_non_object_body_is_rejected_even_when_all_fields_are_optional() -> None:
    """An array where an object is expected fails instead of decoding to an empty model."""
    with pytest.raises(ResponseValidationError) as info:
        structure([1, 2], m.TasksRetrieveResponse)
    assert info.value.path == "$"
    assert "expected a JSON object" in str(info.value)


def test_null_stays_null_and_never_becomes_the_text_none() -> None:
    """null in an optional field stays None; null in a required string is an error, not 'None'."""
    r = structure({"_id": None, "model_name": None}, m.TasksRetrieveResponse)
    assert r.id is None
    assert r.model_name is None
    with pytest.raises(ResponseValidationError) as info:
        structure({"_id": None, "status": "ready", "data": None}, m.V2TasksCreateResponse)
    assert info.value.path == "$._id"


def test_scalars_are_validated_not_coerced() -> None:
    """A non-numeric string where a boolean or number is expected is an error; "6" reads as 6."""
    with pytest.raises(ResponseValidationError) as info:
        structure({"truncated": "false"}, m.EmbeddingUsage)
    assert info.value.path == "$.truncated"
    with pytest.raises(ResponseValidationError) as info:
        structure(retrieve_body([{"start_offset_sec": "six"}]), m.TasksRetrieveResponse)
    assert info.value.path == "$.video_embedding.segments[0].start_offset_sec"
    read = structure(retrieve_body([{"start_offset_sec": "6"}]), m.TasksRetrieveResponse)
    assert read.video_embedding is not None
    assert read.video_embedding.segments is not None
    assert read.video_embedding.segments[0].start_offset_sec == 6.0
    assert structure({"total_page": 3.0}, m.PageInfo).total_page == 3
    assert structure({"total_page": "3"}, m.PageInfo).total_page == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-07-20T08:15:30Z", datetime(2026, 7, 20, 8, 15, 30, tzinfo=UTC)),
        ("2026-07-20T08:15:30.25Z", datetime(2026, 7, 20, 8, 15, 30, 250000, tzinfo=UTC)),
        ("2026-07-20T08:15:30.123456789Z", datetime(2026, 7, 20, 8, 15, 30, 123456, tzinfo=UTC)),
        (
            "2026-07-20T13:45:30+05:30",
            datetime(2026, 7, 20, 13, 45, 30, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        ),
        ("2026-07-20T08:15:30", datetime(2026, 7, 20, 8, 15, 30, tzinfo=UTC)),
        (1784535330, datetime(2026, 7, 20, 8, 15, 30, tzinfo=UTC)),
    ],
)
def test_datetime_forms_are_parsed_as_aware_datetimes(text: Any, expected: datetime) -> None:
    """RFC 3339 with Z, fractions, numeric offsets, no offset (UTC) and epoch seconds all parse."""
    parsed = structure({"created_at": text}, m.TasksRetrieveResponse).created_at
    assert parsed == expected
    assert parsed is not None
    assert parsed.utcoffset() == expected.utcoffset()


def test_unparsable_datetime_becomes_none_and_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    """An unreadable timestamp is dropped to None with a warning instead of failing the result."""
    with caplog.at_level(logging.WARNING, logger="twelvelabs_async"):
        r = structure(
            retrieve_body([{"float": [0.5]}]) | {"created_at": "yesterday"}, m.TasksRetrieveResponse
        )
    assert r.created_at is None
    assert r.video_embedding is not None
    assert r.video_embedding.segments is not None
    assert "yesterday" in caplog.text


def test_datetimes_are_written_as_rfc3339() -> None:
    """UTC is written with Z, other offsets as numeric offsets, naive values as UTC."""
    ist = timezone(timedelta(hours=5, minutes=30))
    r = m.TasksRetrieveResponse(
        created_at=datetime(2026, 7, 20, 8, 15, 30, 500000, tzinfo=UTC),
        updated_at=datetime(2026, 7, 20, 13, 45, tzinfo=ist),
    )
    assert unstructure(r) == {
        "created_at": "2026-07-20T08:15:30.500000Z",
        "updated_at": "2026-07-20T13:45:00+05:30",
    }
    assert unstructure(m.MediaEmbeddingTask(created_at=datetime(2026, 1, 2, 3, 4, 5))) == {
        "created_at": "2026-01-02T03:04:05Z"
    }


def test_known_enum_values_become_members_and_unknown_stay_plain_strings() -> None:
    """Known values decode to enum members; new values are kept as str and written back as-is."""
    seg = structure(
        {"embedding": [1.0], "embedding_option": "visual", "embedding_scope": "sky"},
        m.EmbeddingData,
    )
    assert seg.embedding_option is m.EmbeddingDataEmbeddingOption.visual
    assert seg.embedding_scope == "sky"
    assert type(seg.embedding_scope) is str
    wire = unstructure(seg)
    assert wire["embedding_option"] == "visual"
    assert type(wire["embedding_option"]) is str
    assert wire["embedding_scope"] == "sky"


def test_open_int_enum_accepts_unlisted_dimension() -> None:
    """embedding_dimension accepts listed values as IntEnum members and other ints as int."""
    base = {"input_type": "multi_input", "model_name": "marengo3.5"}
    known = structure(base | {"embedding_dimension": 256}, m.CreateEmbeddingsRequest)
    assert known.embedding_dimension is m.EmbeddingDimension.integer_256
    new = structure(base | {"embedding_dimension": 1024}, m.CreateEmbeddingsRequest)
    assert new.embedding_dimension == 1024
    assert type(new.embedding_dimension) is int
    assert unstructure(known)["embedding_dimension"] == 256


def test_unknown_metadata_tag_falls_back_to_generic_variant() -> None:
    """An input_type the SDK does not know decodes as EmbeddingGenericMetadata, not an error."""
    r = structure(
        {"data": [], "metadata": {"input_type": "hologram", "duration": 2}},
        m.EmbeddingSuccessResponse,
    )
    assert r.metadata == m.EmbeddingGenericMetadata(input_type="hologram", duration=2.0)


def test_known_metadata_tag_with_thin_content_still_reads() -> None:
    """A known input_type without the fields the description requires reads, those as None."""
    r = structure({"data": [], "metadata": {"input_type": "audio"}}, m.EmbeddingSuccessResponse)
    assert isinstance(r.metadata, m.EmbeddingAudioMetadata)
    assert (r.metadata.duration, r.metadata.embedding_options) == (None, None)
    with pytest.raises(ResponseValidationError) as info:
        structure(
            {"data": [], "metadata": {"input_type": "audio", "duration": [1]}},
            m.EmbeddingSuccessResponse,
        )
    assert info.value.path == "$.metadata.duration"


def test_segmentation_union_dispatches_on_strategy_and_temporal_key() -> None:
    """Segmentation picks fixed/dynamic by strategy and the 3.5 wrapper by its temporal key."""
    base: dict[str, Any] = {"media_source": {"url": "https://x/v.mp4"}}
    fixed = structure(
        base | {"segmentation": {"strategy": "fixed", "fixed": {"duration_sec": 5}}},
        m.AsyncVideoInputRequest,
    )
    assert fixed.segmentation == m.VideoSegmentationFixed(
        fixed=m.VideoSegmentationFixedFixed(duration_sec=5)
    )
    wrapped = structure(
        base
        | {
            "segmentation": {
                "temporal": {"strategy": "dynamic", "dynamic": {"min_duration_sec": 2}}
            }
        },
        m.AsyncVideoInputRequest,
    )
    assert wrapped.segmentation == m.AsyncTemporalSegmentation(
        temporal=m.TemporalSegmentationDynamic(
            dynamic=m.TemporalSegmentationDynamicDynamic(min_duration_sec=2)
        )
    )


def test_unknown_segmentation_strategy_is_a_clear_error() -> None:
    """A strategy with no matching variant (and no generic one) names the tag and the known ones."""
    with pytest.raises(ResponseValidationError) as info:
        structure({"media_source": {}, "segmentation": {"strategy": "scene"}}, m.VideoInputRequest)
    assert info.value.path == "$.segmentation"
    assert "unknown strategy 'scene'" in str(info.value)
    assert "'dynamic', 'fixed'" in str(info.value)


def test_vectors_are_passed_through_without_copying() -> None:
    """Decoded vectors are the very list objects the JSON parser produced, both ways."""
    data = retrieve_body([{"float": [0.1, 0.2, 0.3]}])
    vector = data["video_embedding"]["segments"][0]["float"]
    r = structure(data, m.TasksRetrieveResponse)
    assert r.video_embedding is not None
    assert r.video_embedding.segments is not None
    assert r.video_embedding.segments[0].float_ is vector
    assert unstructure(r)["video_embedding"]["segments"][0]["float"] is vector
    v2 = {"embedding": [1.0, 2.0], "embedding_uncertainty": [0.1, 0.2]}
    item = structure(v2, m.EmbeddingData)
    assert item.embedding is v2["embedding"]
    assert item.embedding_uncertainty is v2["embedding_uncertainty"]


def test_required_vector_must_be_a_list() -> None:
    """A null or non-list embedding is rejected where the vector is required."""
    with pytest.raises(ResponseValidationError) as info:
        structure({"data": [{"embedding": [1.0]}, {"embedding": None}]}, m.EmbeddingSuccessResponse)
    assert info.value.path == "$.data[1].embedding"


def test_request_unstructure_omits_unset_fields_and_uses_wire_names() -> None:
    """Requests leave out unset optional fields, keep tags, and use base64_string on the wire."""
    req = m.CreateAsyncEmbeddingRequest(
        input_type=m.CreateAsyncEmbeddingRequestInputType.audio,
        model_name="marengo3.0",
        audio=m.AsyncAudioInputRequest(
            media_source=m.MediaSource(base_64_string="UklGRg=="),
            segmentation=m.AudioSegmentation(fixed=m.AudioSegmentationFixed(duration_sec=6)),
            embedding_option=[m.AudioEmbeddingOption.audio, "future-option"],
        ),
    )
    assert unstructure(req) == {
        "input_type": "audio",
        "model_name": "marengo3.0",
        "audio": {
            "media_source": {"base64_string": "UklGRg=="},
            "segmentation": {"strategy": "fixed", "fixed": {"duration_sec": 6}},
            "embedding_option": ["audio", "future-option"],
        },
    }


def test_required_nullable_field_is_written_as_null() -> None:
    """A required-but-nullable field (v2 data) is written as null rather than left out."""
    wire = unstructure(m.V2TasksCreateResponse(id="t", status="processing", data=None))
    assert wire == {"_id": "t", "status": "processing", "data": None}


def test_unstructure_handles_lists_of_models() -> None:
    """Lists of models unstructure element by element into wire JSON."""
    items = [m.TasksCreateResponse(id="a"), m.TasksCreateResponse(id="b")]
    assert unstructure(items) == [{"_id": "a"}, {"_id": "b"}]


def test_missing_required_nullable_field_reads_as_none() -> None:
    """A v2 task body that leaves out the required-but-nullable `data` reads as data=None."""
    task = structure({"_id": "t1", "status": "processing"}, m.EmbeddingTaskResponse)
    assert task.data is None
    created = structure({"_id": "t2", "status": "processing"}, m.V2TasksCreateResponse)
    assert created.data is None
    with pytest.raises(ResponseValidationError, match="_id"):
        structure({"status": "processing"}, m.EmbeddingTaskResponse)


def test_metadata_without_input_type_falls_back_to_generic_variant() -> None:
    """Metadata that lacks its input_type tag is kept as the generic variant, not rejected."""
    body = {"data": [{"embedding": [0.1, 0.2]}], "metadata": {"duration": 12.5}}
    res = structure(body, m.EmbeddingSuccessResponse)
    assert isinstance(res.metadata, m.EmbeddingGenericMetadata)
    assert res.metadata.input_type is None
    assert res.metadata.duration == 12.5
    assert res.data[0].embedding == [0.1, 0.2]
