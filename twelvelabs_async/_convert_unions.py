"""Open enumerations and tagged unions of the converter (see :mod:`twelvelabs_async._convert`)."""

from __future__ import annotations

import types
from collections.abc import Callable
from enum import Enum
from typing import Any, Literal, Union, get_args, get_origin

import attrs
import cattrs

from twelvelabs_async._convert_scalars import describe, note_bend

__all__ = ["configure_open_enums", "configure_tagged_unions", "union_args", "wire_name"]

_NONE = type(None)


def wire_name(field: attrs.Attribute[Any]) -> str:
    """The JSON name of an attrs field (its ``metadata["wire"]``, else its own name)."""
    return str(field.metadata.get("wire", field.name))


def union_args(tp: Any) -> tuple[Any, ...]:
    """The members of a ``Union`` / ``X | Y`` type, or ``()`` for any other type."""
    return get_args(tp) if get_origin(tp) in (Union, types.UnionType) else ()


# --------------------------------------------------------------------------- open enums


def _open_enum_parts(tp: Any) -> tuple[type[Enum], type, bool] | None:
    """For ``SomeEnum | base [| None]`` return (enum, base, optional), else None."""
    args = union_args(tp)
    enums = [a for a in args if isinstance(a, type) and issubclass(a, Enum)]
    others = [a for a in args if a is not _NONE and a not in enums]
    if len(enums) != 1 or len(others) != 1 or others[0] not in (str, int):
        return None
    return enums[0], others[0], _NONE in args


def _open_enum_hook(tp: Any, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    parts = _open_enum_parts(tp)
    assert parts is not None
    enum_cls, base, optional = parts
    members: dict[Any, Enum] = dict(enum_cls._value2member_map_)
    base_hook = conv.get_structure_hook(base)

    def structure_open_enum(value: Any, _: Any) -> Any:
        if value is None and optional:
            return None
        try:
            return members[value]
        except (KeyError, TypeError):
            return base_hook(value, base)

    return structure_open_enum


def _unstructure_open_enum(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def configure_open_enums(conv: cattrs.Converter) -> None:
    """Keep unknown enumeration values as plain strings (or ints) instead of failing."""
    is_open_enum: Callable[[Any], bool] = lambda tp: _open_enum_parts(tp) is not None  # noqa: E731
    conv.register_structure_hook_factory(is_open_enum, lambda tp: _open_enum_hook(tp, conv))
    # Members go out as their plain values, so the result is JSON whatever the encoder.
    conv.register_unstructure_hook_func(is_open_enum, _unstructure_open_enum)
    conv.register_unstructure_hook(Enum, _unstructure_open_enum)


# --------------------------------------------------------------------------- tagged unions


def _tag_of(cls: type) -> tuple[str, Any] | None:
    """(wire name, value) of the one-value ``Literal`` field that tags ``cls``, if any."""
    # The models use postponed annotations: field types are strings until resolved.
    for field in attrs.fields(attrs.resolve_types(cls)):
        if get_origin(field.type) is Literal and len(get_args(field.type)) == 1:
            return wire_name(field), get_args(field.type)[0]
    return None


def _model_union_parts(tp: Any) -> tuple[list[type], bool] | None:
    args = union_args(tp)
    classes = [a for a in args if a is not _NONE]
    if len(classes) < 2 or not all(isinstance(a, type) and attrs.has(a) for a in classes):
        return None
    return classes, _NONE in args


def _model_union_hook(tp: Any, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    parts = _model_union_parts(tp)
    assert parts is not None
    classes, optional = parts
    tagged: dict[Any, type] = {}
    tag_keys: set[str] = set()
    for cls in classes:
        tag = _tag_of(cls)
        if tag is not None:
            tag_keys.add(tag[0])
            tagged[tag[1]] = cls
    (tag_key,) = tag_keys or {""}
    # A member without a tag either declares the tag as a free string (the generic
    # fallback) or is recognised by a required key of its own (the temporal wrapper).
    generic: type | None = None
    by_key: list[tuple[str, type]] = []
    for cls in classes:
        if _tag_of(cls) is not None:
            continue
        names = {wire_name(f): f for f in attrs.fields(cls)}
        if tag_key in names:
            generic = cls
        else:
            required = [n for n, f in names.items() if f.default is attrs.NOTHING]
            by_key.append((required[0], cls))
    known = ", ".join(repr(v) for v in tagged)

    def structure_tagged_union(value: Any, _: Any) -> Any:
        if value is None and optional:
            return None
        if not isinstance(value, dict):
            raise TypeError(f"expected a JSON object, got {describe(value)}")
        for key, cls in by_key:
            if key in value:
                return conv.structure(value, cls)
        tag = value.get(tag_key)
        chosen = tagged.get(tag)
        if chosen is None:
            if generic is None:
                raise ValueError(f"unknown {tag_key} {tag!r} (this version knows {known})")
            note_bend(f"tag:{generic.__name__}:{tag!r:.40}", f"unknown {tag_key} {tag!r:.40}")
            chosen = generic
        return conv.structure(value, chosen)

    return structure_tagged_union


def configure_tagged_unions(conv: cattrs.Converter) -> None:
    """Choose the member of a union of models by its tag field or its distinctive key."""
    conv.register_structure_hook_factory(
        lambda tp: _model_union_parts(tp) is not None, lambda tp: _model_union_hook(tp, conv)
    )
