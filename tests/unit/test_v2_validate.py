"""The v2 request builders: the exact bodies they return and the rules they enforce."""

from __future__ import annotations

from typing import Any

import pytest

from twelvelabs_async._validate_v2 import build_sync_body, build_task_body
from twelvelabs_async.errors import InvalidRequestError
from twelvelabs_async.models import CreateEmbeddingsRequestInputType, EmbeddingDimension, ModelName

URL = {"url": "https://cdn.example.com/clip.mp4"}


def test_text_string_becomes_text_object_and_infers_input_type() -> None:
    """A plain ``text`` string is wrapped as ``{"input_text": ...}`` and sets input_type."""
    body = build_sync_body(input_type=None, model_name="marengo3.0", text="a cat")
    assert body == {
        "input_type": "text",
        "model_name": "marengo3.0",
        "text": {"input_text": "a cat"},
    }


def test_omitted_fields_are_not_sent() -> None:
    """Only the fields that were given appear in the body (no nulls, no defaults)."""
    body = build_sync_body(
        input_type="image", model_name="marengo3.0", image={"media_source": {"asset_id": "a1"}}
    )
    assert body == {
        "input_type": "image",
        "model_name": "marengo3.0",
        "image": {"media_source": {"asset_id": "a1"}},
    }


def test_video_body_keeps_every_given_field() -> None:
    """A full 3.0 video request is returned unchanged."""
    video: dict[str, Any] = {
        "media_source": URL,
        "start_sec": 0,
        "end_sec": 30.5,
        "segmentation": {"strategy": "fixed", "fixed": {"duration_sec": 6}},
        "embedding_option": ["visual", "audio"],
        "embedding_scope": ["clip", "asset"],
        "embedding_type": ["separate_embedding", "fused_embedding"],
    }
    body = build_sync_body(input_type="video", model_name="marengo3.0", video=dict(video))
    assert body == {"input_type": "video", "model_name": "marengo3.0", "video": video}


def test_single_option_string_becomes_a_list() -> None:
    """A lone ``embedding_option`` string is sent as a one-item list, as the wire requires."""
    body = build_sync_body(
        input_type="audio",
        model_name="marengo3.0",
        audio={"media_source": URL, "embedding_option": "audio"},
    )
    assert body["audio"]["embedding_option"] == ["audio"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("embedding_option", ["visual", "sparkle"]),
        ("embedding_scope", ["clip", "scene"]),
        ("embedding_type", ["separate_embedding", "blended_embedding"]),
    ],
)
def test_unknown_enum_values_pass_through(field: str, value: list[str]) -> None:
    """An option value the SDK does not know is sent as is; the server decides."""
    video = {"media_source": URL, "embedding_option": ["visual", "audio"], field: value}
    body = build_sync_body(input_type="video", model_name="marengo3.0", video=video)
    assert body["video"][field] == value


def test_unknown_model_and_strategy_pass_through() -> None:
    """A new model name and a new segmentation strategy are sent without model rules."""
    seg = {"strategy": "scene", "scene": {"threshold": 0.3}}
    body = build_task_body(
        input_type="video",
        model_name="marengo4.0",
        video={"media_source": URL, "segmentation": seg},
        embedding_dimension=256,
    )
    assert body["model_name"] == "marengo4.0"
    assert body["video"]["segmentation"] == seg
    assert body["embedding_dimension"] == 256


def test_unknown_input_type_passes_through() -> None:
    """An input_type the SDK does not know is sent with whatever input was given."""
    body = build_sync_body(
        input_type="hologram", model_name="marengo3.0", image={"media_source": URL}
    )
    assert body["input_type"] == "hologram"
    assert body["image"] == {"media_source": URL}


def test_embedding_type_without_explicit_options_is_left_to_the_server() -> None:
    """With embedding_option omitted the server default counts, so embedding_type is sent."""
    body = build_sync_body(
        input_type="video",
        model_name="marengo3.0",
        video={"media_source": URL, "embedding_type": ["fused_embedding"]},
    )
    assert body["video"]["embedding_type"] == ["fused_embedding"]


def test_marengo35_multi_input_with_new_fields() -> None:
    """3.5 multi_input carries embedding_dimension, auto_truncate and embedding_uncertainty."""
    multi = {
        "input_text": "the dog in <@pet> near <@park>",
        "media_sources": [
            {"media_type": "image", "name": "pet", "url": "https://x/p.png"},
            {"media_type": "video", "name": "park", "asset_id": "a9"},
        ],
    }
    body = build_sync_body(
        input_type="multi_input",
        model_name="marengo3.5",
        multi_input=multi,
        embedding_dimension=128,
        auto_truncate=True,
        embedding_uncertainty=False,
    )
    assert body == {
        "input_type": "multi_input",
        "model_name": "marengo3.5",
        "multi_input": multi,
        "embedding_dimension": 128,
        "auto_truncate": True,
        "embedding_uncertainty": False,
    }


def test_marengo35_task_temporal_segmentation_for_audio() -> None:
    """3.5 audio tasks take the temporal wrapper with either strategy."""
    seg = {"temporal": {"strategy": "dynamic", "dynamic": {"min_duration_sec": 2}}}
    body = build_task_body(
        input_type="audio",
        model_name="marengo3.5",
        audio={"media_source": URL, "segmentation": seg},
    )
    assert body["audio"]["segmentation"] == seg


def test_marengo35_image_task_with_single_option_and_type() -> None:
    """3.5 image tasks take single-valued option and type (the two-option rule is audio/video)."""
    image = {
        "media_source": URL,
        "embedding_option": ["visual"],
        "embedding_type": ["separate_embedding"],
        "embedding_scope": ["asset"],
    }
    body = build_task_body(input_type="image", model_name="marengo3.5", image=image)
    assert body["image"] == image


def test_task_infers_input_type_from_single_argument() -> None:
    """tasks create infers input_type when exactly one input argument is given."""
    body = build_task_body(input_type=None, model_name="marengo3.0", audio={"media_source": URL})
    assert body == {
        "input_type": "audio",
        "model_name": "marengo3.0",
        "audio": {"media_source": URL},
    }


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"input_type": None, "model_name": "marengo3.0"}, "needs input_type"),
        (
            {"input_type": "image", "model_name": "marengo3.0", "image": {"media_source": URL}},
            "marengo3.5",
        ),
        (
            {"input_type": "text", "model_name": "marengo3.0"},
            "not available for tasks",
        ),
        (
            {
                "input_type": "video",
                "model_name": "marengo3.5",
                "video": {"media_source": URL, "embedding_scope": ["clip", "asset"]},
                "embedding_uncertainty": True,
            },
            "'asset' scope removed",
        ),
        (
            {
                "input_type": "video",
                "model_name": "marengo3.0",
                "video": {"media_source": URL},
                "embedding_dimension": 256,
            },
            "need model_name='marengo3.5'",
        ),
    ],
)
def test_task_body_rules(kwargs: dict[str, Any], fragment: str) -> None:
    """tasks create refuses inputs outside its documented rules, saying what to change."""
    with pytest.raises(InvalidRequestError, match=fragment):
        build_task_body(**kwargs)


def test_enum_members_become_plain_values() -> None:
    """Generated enum members for model, input type and dimension are sent as plain values."""
    body = build_sync_body(
        input_type=CreateEmbeddingsRequestInputType("multi_input"),
        model_name=ModelName("marengo3.5"),
        multi_input={"media_sources": [{"media_type": "image", "asset_id": "a"}]},
        embedding_dimension=EmbeddingDimension.integer_128,
    )
    assert type(body["input_type"]) is str
    assert type(body["model_name"]) is str
    assert type(body["embedding_dimension"]) is int
    assert (body["input_type"], body["model_name"], body["embedding_dimension"]) == (
        "multi_input",
        "marengo3.5",
        128,
    )


def test_v2_media_source_url_must_be_http() -> None:
    """A v2 media_source url that is not http(s) is refused, naming where it sits."""
    from twelvelabs_async._validate_v2 import check_media_source

    with pytest.raises(InvalidRequestError, match=r"video\.media_source\.url"):
        check_media_source("video.media_source", {"url": "ftp://host/a.mp4"})
    check_media_source("video.media_source", {"url": "https://cdn.example.com/a.mp4"})
