"""The generated models: naming, wire metadata, defaults, and the sealed-package check."""

from __future__ import annotations

import inspect
import shutil
import subprocess
import sys
from enum import Enum
from pathlib import Path

import attrs
import pytest

from twelvelabs_async import models as m
from twelvelabs_async.models import _generated

ROOT = Path(__file__).resolve().parents[2]
GENERATE = ROOT / "codegen" / "generate.py"


def run_check(models_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run ``generate.py --check`` against ``models_dir``."""
    return subprocess.run(
        [sys.executable, str(GENERATE), "--check", "--output-dir", str(models_dir)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.slow
def test_gen_check_passes_on_the_committed_models_and_fails_on_a_hand_edit(
    tmp_path: Path,
) -> None:
    """--check accepts an exact copy of models/ and rejects an edited copy with a diff."""
    copy = tmp_path / "models"
    shutil.copytree(
        ROOT / "twelvelabs_async" / "models", copy, ignore=shutil.ignore_patterns("__pycache__")
    )
    clean = run_check(copy)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    module = copy / "_generated.py"
    source = module.read_text(encoding="utf-8")
    edited = source.replace("    model_name: str\n", "    model_name: str | None = None\n", 1)
    assert edited != source
    module.write_text(edited, encoding="utf-8")
    dirty = run_check(copy)
    assert dirty.returncode == 1
    assert "-    model_name: str | None = None" in dirty.stdout
    assert "+    model_name: str" in dirty.stdout
    assert "make gen" in dirty.stderr


@pytest.mark.slow
def test_gen_check_rejects_a_stray_file(tmp_path: Path) -> None:
    """A file added by hand to the models package also fails the check."""
    copy = tmp_path / "models"
    shutil.copytree(
        ROOT / "twelvelabs_async" / "models", copy, ignore=shutil.ignore_patterns("__pycache__")
    )
    (copy / "extra.py").write_text("X = 1\n", encoding="utf-8")
    assert run_check(copy).returncode == 1


def test_all_exports_every_generated_class_sorted() -> None:
    """models.__all__ is sorted and lists exactly the classes defined in the generated module."""
    defined = {
        name
        for name, obj in vars(_generated).items()
        if inspect.isclass(obj) and obj.__module__ == _generated.__name__
    }
    assert m.__all__ == sorted(m.__all__)
    assert set(m.__all__) == defined


@pytest.mark.parametrize(
    ("cls", "attribute", "wire"),
    [
        (m.TasksCreateResponse, "id", "_id"),
        (m.MediaEmbeddingTask, "id", "_id"),
        (m.EmbeddingTaskResponse, "id", "_id"),
        (m.V2TasksCreateResponse, "id", "_id"),
        (m.VideoSegment, "float_", "float"),
        (m.BaseSegment, "float_", "float"),
        (m.AudioSegment, "float_", "float"),
        (m.MediaSource, "base_64_string", "base64_string"),
        (m.MultiInputMediaSource, "base_64_string", "base64_string"),
    ],
)
def test_renamed_attributes_record_their_wire_name(cls: type, attribute: str, wire: str) -> None:
    """Attributes renamed from reserved or awkward JSON names keep the JSON name in metadata."""
    assert attrs.fields_dict(cls)[attribute].metadata["wire"] == wire


def test_attribute_names_match_the_official_sdk() -> None:
    """Key classes carry the attribute names users of the official SDK already know."""
    seg = attrs.fields_dict(m.VideoSegment)
    assert {
        "float_",
        "start_offset_sec",
        "end_offset_sec",
        "embedding_option",
        "embedding_scope",
    } <= set(seg)
    assert set(attrs.fields_dict(m.TasksRetrieveResponseVideoEmbedding)) == {
        "metadata",
        "segments",
        "extra",
    }
    data = attrs.fields_dict(m.EmbeddingData)
    assert {"embedding", "start_sec", "end_sec", "embedding_option", "embedding_scope"} <= set(data)
    assert {"id", "status", "data", "metadata", "error"} <= set(
        attrs.fields_dict(m.EmbeddingTaskResponse)
    )


def test_optional_request_fields_default_to_none_and_document_the_server_default() -> None:
    """Unset optional fields are None (so nothing is sent) and metadata records the API default."""
    req = m.VideoInputRequest(media_source=m.MediaSource(url="https://x/v.mp4"))
    assert req.embedding_option is None
    assert req.start_sec is None
    fields = attrs.fields_dict(m.VideoInputRequest)
    assert fields["embedding_option"].metadata["server_default"] == [
        "visual",
        "audio",
        "transcription",
    ]
    assert (
        attrs.fields_dict(m.TasksCreateRequest)["video_clip_length"].metadata["server_default"] == 6
    )


def test_tags_default_to_their_only_value() -> None:
    """Segmentation strategies and metadata input types need not be repeated by the caller."""
    assert (
        m.VideoSegmentationFixed(fixed=m.VideoSegmentationFixedFixed(duration_sec=4)).strategy
        == "fixed"
    )
    assert m.AudioSegmentation(fixed=m.AudioSegmentationFixed(duration_sec=6)).strategy == "fixed"
    assert m.EmbeddingMultiInputMetadata().input_type == "multi_input"


def test_required_fields_are_keyword_only_and_enforced() -> None:
    """Models are keyword-only and refuse to be built without their required fields."""
    with pytest.raises(TypeError):
        m.EmbeddingTaskResponse(status="ready", data=None)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        m.TasksCreateResponse("positional")  # type: ignore[call-arg]


def test_enums_are_str_enums_that_compare_equal_to_their_values() -> None:
    """Generated string enums compare equal to the plain strings users write."""
    assert issubclass(m.EmbeddingScope, str)
    assert issubclass(m.EmbeddingScope, Enum)
    assert m.EmbeddingScope.clip == "clip"
    assert m.TaskStatusValue("ready") is m.TaskStatusValue.ready


def test_models_have_docstrings_from_the_spec() -> None:
    """Spec descriptions become class docstrings."""
    assert m.EmbeddingTaskResponse.__doc__ is not None
    assert "data is filled only when status is" in m.EmbeddingTaskResponse.__doc__
