"""The one cattrs converter between wire JSON and the generated models.

Rules it enforces, each set up by one ``configure_*`` function (``configure_optionals``
only makes ``X | None`` fields cheaper to read; it adds no rule):

* Wire names both ways: a field whose JSON name differs from its attribute name
  (``_id`` -> ``id``, ``float`` -> ``float_``) carries ``metadata["wire"]`` (written by
  the code generator). A field may also be read under other spellings
  (``metadata["also"]``: ``audio_embedding_option`` for ``audio_embedding_options``); the
  first one present fills the attribute.
* Unknown fields are kept: every model has an ``extra`` attribute holding the JSON fields
  it does not model, exactly as received (``None`` when there were none), and writes them
  back out when unstructured.
* Open enumerations: a field typed ``SomeEnum | str`` holds the member for a known value
  and the plain string for any other; no value is ever rejected for being new.
* Tagged unions: metadata unions dispatch on ``input_type`` and segmentation unions on
  ``strategy`` (the Marengo 3.5 ``temporal`` wrapper is recognised by its key). An
  unknown ``input_type`` falls back to :class:`~twelvelabs_async.models.EmbeddingGenericMetadata`;
  a union without a generic member reports the unknown tag as a validation error.
* ``None`` stays ``None``: ``null`` where a string or number is required is an error,
  never the text ``"None"``. A numeric string where a number is expected (``"12.5"``) is
  read as the number, as the official SDK's pydantic models do.
* Bending is logged, never raised: a coerced string, another spelling, a field the
  official description requires but the response left out, an unknown union tag are
  each logged once (per kind and place) at DEBUG on the ``twelvelabs_async`` logger.
* Datetimes: RFC 3339 with ``Z``, numeric offsets and any number of fraction digits;
  values without an offset are taken as UTC. An unparsable value becomes ``None`` and is
  logged at WARNING on the ``twelvelabs_async`` logger: a timestamp is informational and
  must not make a whole result (with its vectors) unreadable.
* Vectors (``float``, ``embedding``, ``embedding_uncertainty``) are passed through as the
  list the JSON parser produced, without per-element conversion, both ways. Their
  elements are checked to be numbers in one C-speed pass (``sum``); a string or ``null``
  inside a vector is an error whose path names the element (``$.data[0].embedding[7]``).
* Unstructuring omits optional fields that are ``None`` (so requests never send ``null``
  for something left out) but keeps required-nullable ones (``data: null``).
* A required-but-nullable field that a response leaves out (v2 ``data`` while a task is
  processing; whether the API omits or nulls it is unconfirmed) is read as ``None``
  rather than rejected: both spellings mean "no value".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar, get_args

import attrs
import cattrs
import orjson
from cattrs.errors import (
    BaseValidationError,
    ClassValidationError,
    IterableValidationError,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from twelvelabs_async._convert_scalars import (
    VectorElementError,
    describe,
    format_datetime,
    note_bend,
    parse_datetime,
    pass_through,
    structure_bool,
    structure_float,
    structure_int,
    structure_optional_vector,
    structure_str,
    structure_vector,
)
from twelvelabs_async._convert_unions import (
    configure_open_enums,
    configure_tagged_unions,
    union_args,
    wire_name,
)
from twelvelabs_async.errors import ResponseValidationError

__all__ = ["VECTOR_FIELDS", "converter", "loads", "structure", "unstructure"]

T = TypeVar("T")

#: JSON names of the fields that hold embedding vectors (passed through untouched).
VECTOR_FIELDS = frozenset({"float", "embedding", "embedding_uncertainty"})

_NONE = type(None)


# --------------------------------------------------------------------------- primitives


def configure_primitives(conv: cattrs.Converter) -> None:
    """Validate scalars instead of coercing them (cattrs would turn ``None`` into ``'None'``)."""
    conv.register_structure_hook(str, structure_str)
    conv.register_structure_hook(bool, structure_bool)
    conv.register_structure_hook(float, structure_float)
    conv.register_structure_hook(int, structure_int)


# --------------------------------------------------------------------------- datetimes


def configure_datetimes(conv: cattrs.Converter) -> None:
    """Parse and write RFC 3339 timestamps."""
    conv.register_structure_hook(datetime, lambda v, _: parse_datetime(v))
    conv.register_unstructure_hook(datetime, format_datetime)


# --------------------------------------------------------------------------- optionals


def _optional_inner(tp: Any) -> Any:
    """For ``X | None`` (one type besides ``None``) return ``X``, else ``None``."""
    args = union_args(tp)
    if len(args) != 2 or _NONE not in args:
        return None
    return args[0] if args[1] is _NONE else args[1]


def _optional_hook(tp: Any, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    inner_tp = _optional_inner(tp)
    inner = conv.get_structure_hook(inner_tp)

    def structure_optional(value: Any, _: Any) -> Any:
        return None if value is None else inner(value, inner_tp)

    return structure_optional


def configure_optionals(conv: cattrs.Converter) -> None:
    """Look up the hook of ``X`` once per ``X | None`` type, not once per value read."""
    # cattrs' own Optional handling dispatches on X for every value; responses are almost
    # all optional fields, so that lookup was a good part of decoding a small model.
    conv.register_structure_hook_factory(
        lambda tp: _optional_inner(tp) is not None, lambda tp: _optional_hook(tp, conv)
    )


# --------------------------------------------------------------------------- models


def _structure_overrides(cls: type) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for field in attrs.fields(cls):
        wire = wire_name(field)
        hook: Callable[[Any, Any], Any] | None = None
        if field.metadata.get("extra"):
            overrides[field.name] = override(omit=True)
            continue
        if wire in VECTOR_FIELDS:
            required = field.default is attrs.NOTHING
            hook = structure_vector if required else structure_optional_vector
        if wire != field.name or hook is not None:
            overrides[field.name] = override(rename=wire, struct_hook=hook)
    return overrides


def _make_structure(cls: type, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    inner: Callable[[Any, Any], Any] = make_dict_structure_fn(
        cls, conv, _cattrs_forbid_extra_keys=False, **_structure_overrides(cls)
    )
    fields = [f for f in attrs.fields(cls) if not f.metadata.get("extra")]
    known = frozenset(name for f in fields for name in (wire_name(f), *f.metadata.get("also", ())))
    keeps_extra = any(f.metadata.get("extra") for f in attrs.fields(cls))
    nullable_required = _nullable_required(cls)
    # (wire name, other spellings): the first spelling present fills the attribute.
    spellings = [(wire_name(f), tuple(f.metadata["also"])) for f in fields if "also" in f.metadata]
    described = [wire_name(f) for f in fields if f.metadata.get("described_required")]
    name = cls.__name__

    def structure_model(value: Any, tp: Any) -> Any:
        # The generated function only indexes; a list would slip through as "no fields".
        if type(value) is not dict and not isinstance(value, dict):
            raise TypeError(f"expected a JSON object for {name}, got {describe(value)}")
        if nullable_required:  # most models have none: skip building an empty list
            missing = [w for w in nullable_required if w not in value]
            if missing:
                value = {**value, **dict.fromkeys(missing)}
        if spellings:
            value = _merge_spellings(name, value, spellings)
        if described:
            for wire in described:
                if value.get(wire) is None:
                    note_bend(f"missing:{name}.{wire}", f"{name} came without {wire}")
        obj = inner(value, tp)
        # issuperset walks the keys without building a set: the common case costs little.
        if keeps_extra and not known.issuperset(value):
            obj.extra = {key: item for key, item in value.items() if key not in known}
        return obj

    return structure_model


def _merge_spellings(
    name: str, value: dict[str, Any], spellings: list[tuple[str, tuple[str, ...]]]
) -> dict[str, Any]:
    """Copy a field sent under another spelling to the modelled wire name."""
    for wire, others in spellings:
        if value.get(wire) is not None:
            continue
        for other in others:
            if value.get(other) is not None:
                note_bend(f"spelling:{name}.{other}", f"{name} read {other} as {wire}")
                value = {**value, wire: value[other]}
                break
    return value


def _nullable_required(cls: type) -> tuple[str, ...]:
    """Wire names of the fields that have no default but whose type admits ``None``."""
    attrs.resolve_types(cls)
    return tuple(
        wire_name(f)
        for f in attrs.fields(cls)
        if f.default is attrs.NOTHING and type(None) in get_args(f.type)
    )


def _make_unstructure(cls: type, conv: cattrs.Converter) -> Callable[[Any], Any]:
    overrides: dict[str, Any] = {}
    extra_field: str | None = None
    for field in attrs.fields(cls):
        wire = wire_name(field)
        if field.metadata.get("extra"):
            extra_field = field.name
            overrides[field.name] = override(omit=True)
            continue
        overrides[field.name] = override(
            rename=wire if wire != field.name else None,
            # Optional fields (default None) are left out when unset; required-nullable
            # fields and one-value tags (strategy, input_type) are always written.
            omit_if_default=field.default is None,
            unstruct_hook=pass_through if wire in VECTOR_FIELDS else None,
        )
    inner: Callable[[Any], Any] = make_dict_unstructure_fn(cls, conv, **overrides)
    if extra_field is None:
        return inner

    def unstructure_model(obj: Any) -> Any:
        out = inner(obj)
        extra = getattr(obj, extra_field)
        # Unknown fields go back out (a request class can carry a field this version does
        # not model); the modelled ones win on a clash.
        return {**extra, **out} if extra else out

    return unstructure_model


def configure_models(conv: cattrs.Converter) -> None:
    """Generate one structure and one unstructure function per model class, with wire names."""
    conv.register_structure_hook_factory(attrs.has, lambda cls: _make_structure(cls, conv))
    conv.register_unstructure_hook_factory(attrs.has, lambda cls: _make_unstructure(cls, conv))


def build_converter() -> cattrs.Converter:
    """Build a converter with every rule of this module applied."""
    conv = cattrs.Converter(detailed_validation=True, forbid_extra_keys=False)
    configure_primitives(conv)
    configure_datetimes(conv)
    configure_models(conv)
    configure_optionals(conv)
    configure_open_enums(conv)
    configure_tagged_unions(conv)
    return conv


converter: cattrs.Converter = build_converter()

# Type -> structure hook. ``converter.structure`` dispatches on the type for every call
# (about 1.5 us, a third of decoding a status response); no hook is registered after the
# converter is built, so the answer never changes.
_HOOKS: dict[Any, Callable[[Any, Any], Any]] = {}


# --------------------------------------------------------------------------- errors


def _locate(exc: BaseException, path: str) -> tuple[str, BaseException]:
    """Follow cattrs' nested validation errors to the first leaf and its JSON path."""
    if isinstance(exc, ClassValidationError):
        with_notes, without = exc.group_exceptions()
        names = {f.name: wire_name(f) for f in attrs.fields(exc.cl)} if attrs.has(exc.cl) else {}
        if with_notes:
            sub, note = with_notes[0]
            return _locate(sub, f"{path}.{names.get(note.name, note.name)}")
        if without:
            return _locate(without[0], path)
    elif isinstance(exc, IterableValidationError):
        items, rest = exc.group_exceptions()
        if items:
            sub, item = items[0]
            return _locate(sub, f"{path}[{item.index}]")
        if rest:
            return _locate(rest[0], path)
    elif isinstance(exc, BaseValidationError) and exc.exceptions:
        return _locate(exc.exceptions[0], path)
    elif isinstance(exc, VectorElementError):
        return f"{path}[{exc.index}]", exc
    return path, exc


def _leaf_message(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return "required field is missing"
    return str(exc) or type(exc).__name__


def structure(data: Any, cls: type[T], *, body: bytes | None = None) -> T:
    """Turn parsed JSON into an instance of ``cls``.

    Args:
        data: the parsed JSON value.
        cls: the model class (or any type the converter knows, such as ``list[Model]``).
        body: the raw response body, kept on the error for diagnosis.

    Returns:
        The structured value.

    Raises:
        ResponseValidationError: the value does not fit ``cls``; ``.path`` names the JSON
            path of the first offending value (``$.video_embedding.segments[3].float``).
    """
    try:
        hook = _HOOKS.get(cls)
        if hook is None:
            hook = _HOOKS[cls] = converter.get_structure_hook(cls)
        return hook(data, cls)  # type: ignore[no-any-return]
    except (BaseValidationError, KeyError, TypeError, ValueError, AttributeError) as exc:
        path, leaf = _locate(exc, "$")
        name = getattr(cls, "__name__", str(cls))
        raise ResponseValidationError(
            f"The response does not match {name}: {_leaf_message(leaf)} at {path}. "
            "The raw body is kept on this exception's .raw_body; if the API changed, "
            "please report it.",
            path=path,
            body=body,
        ) from exc


def loads(body: bytes, cls: type[T]) -> T:
    """Parse a JSON response body and structure it into ``cls``.

    Raises:
        ResponseValidationError: the body is not valid JSON (``.path`` is ``$``) or does
            not fit ``cls``.
    """
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ResponseValidationError(
            f"The response body is not valid JSON ({exc}); the raw body is kept on .raw_body.",
            path="$",
            body=body,
        ) from exc
    return structure(data, cls, body=body)


def unstructure(obj: Any) -> Any:
    """Turn a model (or lists and dicts of models) into wire JSON values.

    Wire names are used, optional fields left as ``None`` are omitted, enumerations become
    their values and datetimes RFC 3339 strings.
    """
    return converter.unstructure(obj)
