"""Property tests of the converter: any JSON the spec allows structures, and round-trips.

Strategies are derived from the generated attrs models (field types and wire names), so a
new field or model is covered without touching this file. Generated JSON includes unknown
extra keys, nulls for every optional field, unknown enum values and timestamps in several
RFC 3339 spellings.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import types
from typing import Any, Literal, Union, get_args, get_origin

import attrs
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twelvelabs_async import _convert, models
from twelvelabs_async._convert_unions import wire_name
from twelvelabs_async.errors import ResponseValidationError

RESPONSES = [
    models.EmbeddingResponse,
    models.TasksCreateResponse,
    models.TasksStatusResponse,
    models.TasksRetrieveResponse,
    models.TasksListResponse,
    models.EmbeddingSuccessResponse,
    models.V2TasksCreateResponse,
    models.EmbeddingTaskResponse,
]

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_NONE = type(None)
_finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
_number = st.one_of(st.integers(-(2**53), 2**53), _finite)
_extra_key = st.text(min_size=1, max_size=8).map(lambda s: "x_" + s)
_json_leaf = st.one_of(st.none(), st.booleans(), _number, st.text(max_size=8))
_any_json = st.recursive(
    _json_leaf,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def _timestamp() -> st.SearchStrategy[str]:
    moment = st.datetimes(
        min_value=dt.datetime(1971, 1, 1),
        max_value=dt.datetime(2200, 1, 1),
        timezones=st.just(dt.UTC),
    )
    offsets = st.sampled_from(["Z", "+00:00", "+05:30", "-08:00"])
    fraction = st.sampled_from(["", ".5", ".123456", ".123456789"])
    return st.builds(
        lambda m, f, o: m.strftime("%Y-%m-%dT%H:%M:%S") + f + o, moment, fraction, offsets
    )


def _union_args(tp: Any) -> tuple[Any, ...]:
    return get_args(tp) if get_origin(tp) in (Union, types.UnionType) else ()


def wire_json(tp: Any, *, vector: bool = False) -> st.SearchStrategy[Any]:
    """A strategy for JSON values that the type ``tp`` (from the generated models) allows."""
    args = _union_args(tp)
    if args:
        members = [a for a in args if a is not _NONE]
        enums = [a for a in members if isinstance(a, type) and issubclass(a, enum.Enum)]
        if enums:
            (enum_cls,) = enums
            known = st.sampled_from([m.value for m in enum_cls])
            value: st.SearchStrategy[Any] = known | st.text(min_size=1, max_size=10)
        else:
            value = st.one_of([wire_json(a, vector=vector) for a in members])
        return st.none() | value if _NONE in args else value
    origin = get_origin(tp)
    if origin is Literal:
        return st.sampled_from(list(get_args(tp)))
    if origin is list:
        (item,) = get_args(tp)
        if vector:
            return st.lists(_finite, max_size=6)
        return st.lists(wire_json(item), max_size=3)
    if tp is str:
        return st.text(max_size=12)
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.integers(-(2**31), 2**31)
    if tp is float:
        return _number
    if tp is dt.datetime:
        return _timestamp()
    if tp is Any or tp is object:
        return _any_json
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from([m.value for m in tp])
    if isinstance(tp, type) and attrs.has(tp):
        return _model_json(tp)
    if origin is dict:
        _key, val = get_args(tp)
        return st.dictionaries(st.text(max_size=5), wire_json(val), max_size=3)
    raise NotImplementedError(f"no strategy for {tp!r}")


_MODEL_CACHE: dict[type, st.SearchStrategy[dict[str, Any]]] = {}


def _model_json(cls: type) -> st.SearchStrategy[dict[str, Any]]:
    if cls in _MODEL_CACHE:
        return _MODEL_CACHE[cls]
    attrs.resolve_types(cls)
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for field in attrs.fields(cls):
        wire = wire_name(field)
        strategy = wire_json(field.type, vector=wire in _convert.VECTOR_FIELDS)
        # A one-value Literal is a union tag: the spec lists it as required even though
        # the model gives it a default.
        if field.default is attrs.NOTHING or get_origin(field.type) is Literal:
            required[wire] = strategy
        else:
            optional[wire] = strategy
    known = set(required) | set(optional)
    extra = st.dictionaries(_extra_key.filter(lambda k: k not in known), _any_json, max_size=2)
    strategy = st.builds(
        lambda fixed, extras: {**extras, **fixed},
        st.fixed_dictionaries(required, optional=optional),
        extra,
    )
    _MODEL_CACHE[cls] = strategy
    return strategy


@pytest.fixture(autouse=True)
def _quiet_timestamps() -> Any:
    # Unreadable timestamps are logged at WARNING by design; keep the output readable.
    logger = logging.getLogger("twelvelabs_async")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.mark.parametrize("cls", RESPONSES, ids=lambda c: c.__name__)
@SETTINGS
@given(data=st.data())
def test_spec_json_structures_and_round_trips(cls: type[Any], data: st.DataObject) -> None:
    """Any JSON a response model allows structures, and unstructure -> structure gives it back."""
    payload = data.draw(_model_json(cls))
    obj = _convert.loads(orjson.dumps(payload), cls)
    assert isinstance(obj, cls)
    wire = _convert.unstructure(obj)
    again = _convert.loads(orjson.dumps(wire), cls)
    assert again == obj


@pytest.mark.parametrize("cls", RESPONSES, ids=lambda c: c.__name__)
@SETTINGS
@given(data=st.data())
def test_unknown_enum_values_are_kept_as_strings(cls: type[Any], data: st.DataObject) -> None:
    """A status value the SDK does not know survives as the same plain string."""
    payload = data.draw(_model_json(cls))
    if "status" not in {wire_name(f) for f in attrs.fields(cls)}:
        return
    new = data.draw(
        st.text(min_size=1, max_size=10).filter(
            lambda s: s not in {"ready", "failed", "processing"}
        )
    )
    payload["status"] = new
    obj = _convert.loads(orjson.dumps(payload), cls)
    assert obj.status == new
    assert _convert.unstructure(obj)["status"] == new


@SETTINGS
@given(value=st.one_of(_number, st.text(max_size=30), st.booleans(), st.none()))
def test_any_timestamp_value_never_breaks_a_result(value: Any) -> None:
    """Whatever a timestamp field holds (huge epochs, junk text), the task still structures."""
    task = _convert.structure(
        {"_id": "t1", "status": "ready", "created_at": value}, models.MediaEmbeddingTask
    )
    assert task.id == "t1"
    assert task.created_at is None or task.created_at.tzinfo is not None


@pytest.mark.parametrize("cls", RESPONSES, ids=lambda c: c.__name__)
@SETTINGS
@given(body=st.one_of(_any_json.map(orjson.dumps), st.binary(max_size=40)))
def test_arbitrary_bodies_raise_only_validation_errors(cls: type[Any], body: bytes) -> None:
    """Any body at all either structures or raises ResponseValidationError, nothing else."""
    error: ResponseValidationError | None = None
    try:
        obj = _convert.loads(body, cls)
    except ResponseValidationError as exc:
        error = exc
    if error is not None:
        assert error.raw_body == body
    else:
        assert isinstance(obj, cls)
