"""Client-side checks for Embed API v2 request bodies, run before any byte is sent.

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
import math
import re
from collections.abc import Mapping
from typing import Any, NoReturn

from twelvelabs_async._validate_v1 import check_url
from twelvelabs_async.errors import InvalidRequestError

MARENGO_30 = "marengo3.0"
MARENGO_35 = "marengo3.5"
_V1_ONLY_MODELS = frozenset({"Marengo-retrieval-2.7"})
SYNC_INPUT_TYPES = ("text", "image", "text_image", "audio", "video", "multi_input")
TASK_INPUT_TYPES = ("audio", "video", "image", "document")
_TASK_INPUT_TYPES_30 = frozenset({"audio", "video"})
MEDIA_SOURCE_KEYS = ("url", "base64_string", "asset_id")
MAX_MULTI_INPUT_SOURCES = 10
EMBEDDING_DIMENSIONS = (128, 256, 512)
FIXED_DURATION_RANGE = (2, 10)
DYNAMIC_MIN_DURATION_RANGE = (2, 5)
_STRATEGY_FIELDS = {"fixed": "duration_sec", "dynamic": "min_duration_sec"}
_STRATEGY_RANGES = {"fixed": FIXED_DURATION_RANGE, "dynamic": DYNAMIC_MIN_DURATION_RANGE}
_REFERENCE = re.compile(r"<@([^>]*)>")


def _fail(message: str) -> NoReturn:
    raise InvalidRequestError(message)


def _enum_str(path: str, value: Any) -> str:
    if isinstance(value, enum.Enum):
        value = value.value
    if not isinstance(value, str) or not value.strip():
        _fail(f"{path} must be a non-empty string, got {value!r}")
    return value


def _check_model_name(model_name: Any) -> str:
    if model_name is None:
        _fail("model_name is required: pass model_name='marengo3.0' or 'marengo3.5'")
    model = _enum_str("model_name", model_name)
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
    kind = _enum_str("input_type", input_type)
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


def _as_object(path: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        _fail(
            f"{path} must be an object: a dict, a request class, or an object with "
            f"model_dump() (such as the official SDK's), got {type(value).__name__}"
        )
    return value


def _check_text(path: str, value: Any, *, required: bool) -> None:
    if value is None:
        if required:
            _fail(f"{path} is required")
        return
    if not isinstance(value, str):
        _fail(f"{path} must be a string, got {type(value).__name__}")
    if not value.strip():
        _fail(f"{path} is empty: give the text to embed")


def check_media_source(path: str, source: Any) -> None:
    """Check that a media source names exactly one of url, base64_string or asset_id.

    Args:
        path: where the source sits in the request, for the error message.
        source: the wire dict (after :func:`to_wire`).

    Raises:
        InvalidRequestError: no source, several sources, or an empty/non-string value.
    """
    source = _as_object(path, source)
    present = [key for key in MEDIA_SOURCE_KEYS if key in source]
    if not present:
        _fail(f"{path} needs exactly one of url, base64_string or asset_id; none was given")
    if len(present) > 1:
        _fail(f"{path} needs exactly one of url, base64_string or asset_id; got {present}")
    key = present[0]
    value = source[key]
    if not isinstance(value, str):
        _fail(f"{path}.{key} must be a string, got {type(value).__name__}")
    if not value.strip():
        _fail(f"{path}.{key} is empty: give a public file URL, base64 data or an asset id")
    if key == "url":
        check_url(f"{path}.url", value)


def _check_number(path: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        _fail(f"{path} must be a number of seconds, got {value!r}")
    return float(value)


def _check_time_range(path: str, obj: Mapping[str, Any]) -> None:
    start = 0.0
    if "start_sec" in obj:
        start = _check_number(f"{path}.start_sec", obj["start_sec"])
        if start < 0:
            _fail(f"{path}.start_sec must be 0 or more, got {obj['start_sec']!r}")
    if "end_sec" in obj:
        end = _check_number(f"{path}.end_sec", obj["end_sec"])
        if end <= start:
            _fail(f"{path}.end_sec ({obj['end_sec']!r}) must be greater than start_sec ({start:g})")


def _str_list(path: str, obj: dict[str, Any], key: str) -> list[str] | None:
    """Check a list-of-strings field in place; a lone string becomes a one-item list."""
    if key not in obj:
        return None
    value = obj[key]
    if isinstance(value, str):
        value = obj[key] = [value]
    if not isinstance(value, list) or not value:
        _fail(f"{path}.{key} must be a non-empty list of strings (omit it for the default)")
    for item in value:
        if not isinstance(item, str) or not item:
            _fail(f"{path}.{key} must hold non-empty strings, got {item!r}")
    return value


def _check_strategy(path: str, seg: Mapping[str, Any]) -> str:
    if "strategy" not in seg:
        _fail(f"{path}.strategy is required ('fixed' or 'dynamic')")
    strategy = _enum_str(f"{path}.strategy", seg["strategy"])
    if strategy not in _STRATEGY_FIELDS:
        return strategy
    other = "dynamic" if strategy == "fixed" else "fixed"
    if other in seg:
        _fail(f"{path} has strategy={strategy!r} but a {other!r} object; keep only {strategy!r}")
    field = _STRATEGY_FIELDS[strategy]
    low, high = _STRATEGY_RANGES[strategy]
    example = f"{{'strategy': {strategy!r}, {strategy!r}: {{{field!r}: {low + 2}}}}}"
    if strategy not in seg:
        _fail(f"{path} with strategy={strategy!r} needs a {strategy!r} object, e.g. {example}")
    sub = _as_object(f"{path}.{strategy}", seg[strategy])
    value = sub.get(field)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        _fail(
            f"{path}.{strategy}.{field} must be a whole number from {low} to {high}, got {value!r}"
        )
    return strategy


def _check_segmentation(path: str, seg: Any, *, media: str, model: str) -> None:
    seg = _as_object(path, seg)
    if "temporal" in seg:
        if model == MARENGO_30:
            _fail(
                f"{path} uses the 'temporal' wrapper, which is for marengo3.5 only; on "
                "marengo3.0 give the settings directly, e.g. "
                "{'strategy': 'fixed', 'fixed': {'duration_sec': 6}}"
            )
        if "strategy" in seg:
            _fail(f"{path} has both 'temporal' and 'strategy'; put strategy inside 'temporal'")
        _check_strategy(f"{path}.temporal", _as_object(f"{path}.temporal", seg["temporal"]))
        return
    if model == MARENGO_35:
        _fail(
            f"on marengo3.5, {path} must be wrapped in a 'temporal' object, e.g. "
            "{'temporal': {'strategy': 'dynamic', 'dynamic': {'min_duration_sec': 2}}}"
        )
    strategy = _check_strategy(path, seg)
    if media == "audio" and model == MARENGO_30 and strategy == "dynamic":
        _fail(f"{path}: marengo3.0 audio supports only strategy='fixed' (duration_sec 2-10)")


def _check_media_input(path: str, obj: dict[str, Any], *, model: str, timed: bool) -> None:
    """Checks shared by audio, video, image and document inputs."""
    if "media_source" not in obj:
        _fail(f"{path}.media_source is required, e.g. {{'media_source': {{'url': 'https://...'}}}}")
    check_media_source(f"{path}.media_source", obj["media_source"])
    options = _str_list(path, obj, "embedding_option")
    _str_list(path, obj, "embedding_scope")
    types = _str_list(path, obj, "embedding_type")
    if not timed:
        return
    _check_time_range(path, obj)
    if types is not None and options is not None and len(set(options)) < 2:
        _fail(
            f"{path}.embedding_type applies only with two or more embedding_option values "
            f"(got {options}); add options or drop embedding_type"
        )
    if "segmentation" in obj:
        _check_segmentation(f"{path}.segmentation", obj["segmentation"], media=path, model=model)


def _check_multi_input(obj: dict[str, Any], *, model: str) -> None:
    path = "multi_input"
    if "input_text" in obj:
        _check_text(f"{path}.input_text", obj["input_text"], required=True)
    sources = obj.get("media_sources")
    if not isinstance(sources, list) or not sources:
        _fail(f"{path}.media_sources is required: a list of 1 to {MAX_MULTI_INPUT_SOURCES} sources")
    if len(sources) > MAX_MULTI_INPUT_SOURCES:
        _fail(
            f"{path}.media_sources holds {len(sources)} sources; at most "
            f"{MAX_MULTI_INPUT_SOURCES} are allowed: split the request"
        )
    names: set[str] = set()
    for index, source in enumerate(sources):
        where = f"{path}.media_sources[{index}]"
        source = _as_object(where, source)
        if "media_type" not in source:
            _fail(f"{where}.media_type is required (e.g. 'image')")
        media_type = _enum_str(f"{where}.media_type", source["media_type"])
        if model == MARENGO_30 and media_type in ("video", "audio", "document"):
            _fail(f"{where}: marengo3.0 multi_input accepts images only; use marengo3.5")
        check_media_source(where, source)
        if "name" in source:
            name = _enum_str(f"{where}.name", source["name"])
            if name in names:
                _fail(f"{where}.name {name!r} is used twice; names must be unique")
            names.add(name)
    for ref in _REFERENCE.findall(obj.get("input_text", "")):
        if ref not in names:
            known = sorted(names) or "no names"
            _fail(
                f"{path}.input_text refers to <@{ref}> but no media source has name={ref!r} "
                f"(names: {known})"
            )


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
            _fail(f"embedding_dimension must be 128, 256 or 512, got {embedding_dimension!r}")
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
        obj = _as_object(name, value)
        if name == "text":
            _check_text("text.input_text", obj.get("input_text"), required=True)
        elif name == "image":
            check_media_source("image.media_source", obj.get("media_source", {}))
        elif name == "text_image":
            check_media_source("text_image.media_source", obj.get("media_source", {}))
            _check_text("text_image.input_text", obj.get("input_text"), required=True)
        elif name in ("audio", "video"):
            _check_media_input(name, obj, model=model, timed=True)
        else:
            _check_multi_input(obj, model=model)
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
        obj = _as_object(name, value)
        timed = name in ("audio", "video")
        _check_media_input(name, obj, model=model, timed=timed)
        if timed and embedding_uncertainty and "asset" in obj.get("embedding_scope", ()):
            _fail(
                f"embedding_uncertainty with {name} needs the 'asset' scope removed: set "
                f"{name}['embedding_scope'] to ['clip']"
            )
    return {"input_type": kind, "model_name": model, **given, **extra}
