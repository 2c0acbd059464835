"""``X | None`` fields: null is None, anything else is read (and checked) as ``X``."""

from __future__ import annotations

from typing import Any

import pytest

from twelvelabs_async._convert import converter, loads
from twelvelabs_async.errors import ResponseValidationError
from twelvelabs_async.models import TasksStatusResponse

# Typed Any: cattrs' stubs accept only plain classes as the target type.
OPTIONAL_INT: Any = int | None
OPTIONAL_STR: Any = str | None


def test_null_and_values_of_optional_scalars() -> None:
    """An optional int reads null as None and a whole float as an int."""
    assert converter.structure(None, OPTIONAL_INT) is None
    assert converter.structure(3.0, OPTIONAL_INT) == 3


def test_optional_scalar_still_refuses_wrong_types() -> None:
    """An optional str refuses an object rather than turning it into text."""
    with pytest.raises(TypeError, match="expected a string"):
        converter.structure({"a": 1}, OPTIONAL_STR)


def test_nested_optional_models_read_and_report_paths() -> None:
    """Nested optional models are read, and a bad leaf is reported at its JSON path."""
    ok = loads(
        b'{"_id": "t1", "video_embedding": {"metadata": {"duration": 12}}, "metadata": null}',
        TasksStatusResponse,
    )
    assert ok.id == "t1"
    assert ok.metadata is None
    assert ok.video_embedding is not None
    assert ok.video_embedding.metadata is not None
    assert ok.video_embedding.metadata.duration == 12.0
    with pytest.raises(ResponseValidationError) as info:
        loads(b'{"video_embedding": {"metadata": {"duration": "long"}}}', TasksStatusResponse)
    assert info.value.path == "$.video_embedding.metadata.duration"
