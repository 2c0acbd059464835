"""Every body in ``tests/corpus/`` parses into its endpoint's model with its vectors intact."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest

import twelvelabs_async.models as m
from twelvelabs_async._convert import VECTOR_FIELDS, loads
from twelvelabs_async._convert_unions import wire_name

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

MODELS: dict[str, type] = {
    "v1_embed": m.EmbeddingResponse,
    "v1_tasks_create": m.TasksCreateResponse,
    "v1_tasks_list": m.TasksListResponse,
    "v1_tasks_status": m.TasksStatusResponse,
    "v1_tasks_retrieve": m.TasksRetrieveResponse,
    "v2_embed": m.EmbeddingSuccessResponse,
    "v2_tasks_create": m.V2TasksCreateResponse,
    "v2_tasks_list": m.TasksListResponse,
    "v2_tasks_retrieve": m.EmbeddingTaskResponse,
}

CASES = sorted(CORPUS.glob("*/*.json"))

Vectors = dict[str, list[Any]]


def json_vectors(value: Any, path: str, out: Vectors) -> Vectors:
    """Every vector of a parsed JSON value, by JSON path."""
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}"
            if key in VECTOR_FIELDS and isinstance(item, list):
                out[where] = item
            else:
                json_vectors(item, where, out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            json_vectors(item, f"{path}[{index}]", out)
    return out


def model_vectors(value: Any, path: str, out: Vectors) -> Vectors:
    """Every vector reachable from a structured model (unknown fields read as JSON)."""
    if attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            item = getattr(value, field.name)
            if field.metadata.get("extra"):
                json_vectors(item or {}, path, out)
            elif wire_name(field) in VECTOR_FIELDS and isinstance(item, list):
                out[f"{path}.{wire_name(field)}"] = item
            else:
                model_vectors(item, f"{path}.{wire_name(field)}", out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            model_vectors(item, f"{path}[{index}]", out)
    elif isinstance(value, dict):
        json_vectors(value, path, out)
    return out


def test_every_endpoint_has_a_corpus() -> None:
    """Each endpoint directory exists and holds at least a minimal case."""
    for endpoint in MODELS:
        assert (CORPUS / endpoint / "minimal.json").is_file(), endpoint
    assert {p.parent.name for p in CASES} == set(MODELS)


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_corpus_case_parses_with_vectors_intact(path: Path) -> None:
    """The body parses into its model; every vector equals the JSON's, element for element."""
    raw = path.read_bytes()
    model: Any = loads(raw, MODELS[path.parent.name])
    expected = json_vectors(orjson.loads(raw), "$", {})
    got = model_vectors(model, "$", {})
    assert got == expected
    for where, vector in expected.items():
        assert [type(v) for v in got[where]] == [type(v) for v in vector], where
