"""Client-side checks for Embed API v2 request bodies, run before any byte is sent.

This module checks the top level (model, input type, Marengo 3.5 flags);
:mod:`._validate_v2_inputs` checks the input objects inside.

Pure functions over wire-shaped values: the resources first turn request classes and dicts
into wire dicts (``resources.embed_v2.to_wire``), then :func:`build_sync_body` /
:func:`build_task_body` check the documented rules and return the body to send. Every
failure is an :class:`~twelvelabs_async.errors.InvalidRequestError` whose message names the
field and says what to change.

Passthrough policy: an enum value this module does not know (a new ``input_type``,
``model_name``, ``embedding_option``, ``strategy``, ``media_type``, ...) is sent as is, so that
a value the server adds does not need a new release. Rules tied to a model (3.0 vs 3.5) are
applied only when ``model_name`` is one of the two known models.

``embedding_type`` and defaults: the API documents ``embedding_type`` as meaningful only with
two or more ``embedding_option`` values. The rule is enforced only when ``embedding_option``
is given explicitly; when it is omitted the server's default applies (it has two or more
values for every 3.0 audio/video request but the defaults differ per model and may change),
so the request is sent and the server decides.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from twelvelabs_async import limits
from twelvelabs_async._validate_v2_inputs import (
    MEDIA_SOURCE_KEYS,
    as_object,
    check_document,
    check_media_input,
    check_media_source,
    check_multi_input,
    check_text,
    enum_str,
    fail,
)

__all__ = ["MEDIA_SOURCE_KEYS", "build_sync_body", "build_task_body", "check_media_source"]

MARENGO_30 = limits.MARENGO_30
MARENGO_35 = limits.MARENGO_35
_V1_ONLY_MODELS = frozenset({limits.MARENGO_27})
SYNC_INPUT_TYPES = limits.SYNC_INPUT_TYPES[MARENGO_30]
TASK_INPUT_TYPES = limits.TASK_INPUT_TYPES[MARENGO_35]
_TASK_INPUT_TYPES_30 = frozenset(limits.TASK_INPUT_TYPES[MARENGO_30])
EMBEDDING_DIMENSIONS = limits.EMBEDDING_DIMENSIONS
_fail = fail


def _check_model_name(model_name: Any) -> str:
    if model_name is None:
        _fail("model_name is required: pass model_name='marengo3.0' or 'marengo3.5'")
    model = enum_str("model_name", model_name)
    if model in _V1_ONLY_MODELS:
        _fail(
            f"model_name={model!r} works only with the v1 endpoints (client.embed.create, "
            "client.embed.tasks); use 'marengo3.0' or 'marengo3.5' with client.embed.v2"
        )
    return model


def _resolve_input_type(
    input_type: Any, given: Mapping[str, Any], known: tuple[str, ...], endpoint: str
) -> str:
    names = ", ".join(f"{n}=" for n in known)
    if input_type is None:
        if len(given) == 1:
            return next(iter(given))
        if not given:
            _fail(f"{endpoint} needs input_type and the matching argument (one of {names})")
        _fail(
            f"{endpoint} got {', '.join(given)}: pass input_type to say which one to embed, "
            "and only that argument"
        )
    kind = enum_str("input_type", input_type)
    if kind in known:
        if kind not in given:
            _fail(f"input_type={kind!r} needs the {kind}= argument")
        extra = [name for name in given if name != kind]
        if extra:
            _fail(
                f"input_type={kind!r} was given together with {', '.join(extra)}=; "
                f"pass only {kind}= (or change input_type)"
            )
    return kind


def _check_35_fields(
    model: str,
    *,
    embedding_dimension: Any,
    auto_truncate: Any = None,
    embedding_uncertainty: Any = None,
) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if isinstance(embedding_dimension, enum.Enum):
        embedding_dimension = embedding_dimension.value
    if embedding_dimension is not None:
        if isinstance(embedding_dimension, bool) or embedding_dimension not in EMBEDDING_DIMENSIONS:
            *most, last = map(str, EMBEDDING_DIMENSIONS)
            allowed = f"{', '.join(most)} or {last}"
            _fail(f"embedding_dimension must be {allowed}, got {embedding_dimension!r}")
        fields["embedding_dimension"] = embedding_dimension
    for name, flag in (
        ("auto_truncate", auto_truncate),
        ("embedding_uncertainty", embedding_uncertainty),
    ):
        if flag is not None:
            if not isinstance(flag, bool):
                _fail(f"{name} must be True or False, got {flag!r}")
            fields[name] = flag
    if model == MARENGO_30 and fields:
        _fail(
            f"{', '.join(fields)} need model_name='marengo3.5'; remove them for marengo3.0 "
            "(the server answers 400)"
        )
    return fields


def _sub_objects(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not None}


def build_sync_body(
    *,
    input_type: Any,
    model_name: Any,
    text: Any = None,
    image: Any = None,
    text_image: Any = None,
    audio: Any = None,
    video: Any = None,
    multi_input: Any = None,
    embedding_dimension: Any = None,
    auto_truncate: Any = None,
    embedding_uncertainty: Any = None,
) -> dict[str, Any]:
    """Check the arguments of ``POST /embed-v2`` and return the JSON body to send.

    ``text`` may be a plain string (it becomes ``{"input_text": text}``). ``input_type`` may
    be ``None`` when exactly one input argument is given: it is then that argument's name.

    Returns:
        The wire body, holding only the fields that were given.

    Raises:
        InvalidRequestError: the request breaks a documented rule; the message says what
            to change.
    """
    if isinstance(text, str):
        text = {"input_text": text}
    given = _sub_objects(
        {
            "text": text,
            "image": image,
            "text_image": text_image,
            "audio": audio,
            "video": video,
            "multi_input": multi_input,
        }
    )
    model = _check_model_name(model_name)
    kind = _resolve_input_type(input_type, given, SYNC_INPUT_TYPES, "client.embed.v2.create")
    if kind in TASK_INPUT_TYPES and kind not in SYNC_INPUT_TYPES:
        _fail(f"input_type={kind!r} exists only for tasks: use client.embed.v2.tasks.create")
    if model == MARENGO_35 and kind in SYNC_INPUT_TYPES and kind != "multi_input":
        _fail(
            "marengo3.5 accepts only input_type='multi_input' on client.embed.v2.create: put "
            "text in multi_input['input_text'] and media in multi_input['media_sources'], or "
            "use model_name='marengo3.0'"
        )
    extra = _check_35_fields(
        model,
        embedding_dimension=embedding_dimension,
        auto_truncate=auto_truncate,
        embedding_uncertainty=embedding_uncertainty,
    )
    for name, value in given.items():
        obj = as_object(name, value)
        if name == "text":
            check_text("text.input_text", obj.get("input_text"), required=True)
        elif name == "image":
            check_media_source("image.media_source", obj.get("media_source", {}))
        elif name == "text_image":
            check_media_source("text_image.media_source", obj.get("media_source", {}))
            check_text("text_image.input_text", obj.get("input_text"), required=True)
        elif name in ("audio", "video"):
            check_media_input(name, obj, model=model, timed=True)
        else:
            check_multi_input(obj, model=model, uncertainty=bool(embedding_uncertainty))
    return {"input_type": kind, "model_name": model, **given, **extra}


def build_task_body(
    *,
    input_type: Any,
    model_name: Any,
    audio: Any = None,
    video: Any = None,
    image: Any = None,
    document: Any = None,
    embedding_dimension: Any = None,
    embedding_uncertainty: Any = None,
) -> dict[str, Any]:
    """Check the arguments of ``POST /embed-v2/tasks`` and return the JSON body to send.

    ``input_type`` may be ``None`` when exactly one input argument is given.

    Returns:
        The wire body, holding only the fields that were given.

    Raises:
        InvalidRequestError: the request breaks a documented rule; the message says what
            to change.
    """
    given = _sub_objects({"audio": audio, "video": video, "image": image, "document": document})
    model = _check_model_name(model_name)
    kind = _resolve_input_type(input_type, given, TASK_INPUT_TYPES, "client.embed.v2.tasks.create")
    if kind in SYNC_INPUT_TYPES and kind not in TASK_INPUT_TYPES:
        _fail(
            f"input_type={kind!r} is not available for tasks (audio or video, plus image and "
            "document on marengo3.5): use client.embed.v2.create"
        )
    if model == MARENGO_30 and kind in TASK_INPUT_TYPES and kind not in _TASK_INPUT_TYPES_30:
        _fail(f"input_type={kind!r} tasks need model_name='marengo3.5' (3.0 takes audio or video)")
    extra = _check_35_fields(
        model,
        embedding_dimension=embedding_dimension,
        embedding_uncertainty=embedding_uncertainty,
    )
    for name, value in given.items():
        obj = as_object(name, value)
        timed = name in ("audio", "video")
        if name == "document":
            check_document(obj, model=model)
        else:
            check_media_input(name, obj, model=model, timed=timed)
        if timed and embedding_uncertainty and "asset" in obj.get("embedding_scope", ()):
            _fail(
                f"embedding_uncertainty with {name} needs the 'asset' scope removed: set "
                f"{name}['embedding_scope'] to ['clip']"
            )
    return {"input_type": kind, "model_name": model, **given, **extra}
