"""Validation of v2 JSON bodies into normalized input specs, with the documented rules."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from twelvelabs_async import limits
from twelvelabs_async.testing._http import ApiError, invalid, missing

V2_MODELS: tuple[str, ...] = limits.V2_MODELS
SYNC_TYPES: dict[str, frozenset[str]] = {
    model: frozenset(kinds) for model, kinds in limits.SYNC_INPUT_TYPES.items()
}
TASK_TYPES: dict[str, frozenset[str]] = {
    model: frozenset(kinds) for model, kinds in limits.TASK_INPUT_TYPES.items()
}
OPTIONS: dict[tuple[str, str], tuple[str, ...]] = limits.DEFAULT_OPTIONS
"""Allowed embedding options per (model, input type); also the defaults."""

_TOP_FIELDS = frozenset(
    {
        "input_type",
        "model_name",
        "text",
        "image",
        "text_image",
        "audio",
        "video",
        "multi_input",
        "document",
        "auto_truncate",
        "embedding_uncertainty",
        "embedding_dimension",
    }
)
_MEDIA_FIELDS = frozenset(
    {
        "media_source",
        "start_sec",
        "end_sec",
        "segmentation",
        "embedding_option",
        "embedding_scope",
        "embedding_type",
        "time_based_metadata",
    }
)
_REFERENCE = re.compile(r"<@([^>]+)>")


def _present(obj: dict[str, Any]) -> dict[str, Any]:
    # A client may send explicit nulls for unset fields; they mean "not given".
    return {k: v for k, v in obj.items() if v is not None}


def object_of(value: Any, path: str) -> dict[str, Any]:
    """The object without its null fields, or a 400 naming ``path``."""
    if not isinstance(value, dict):
        raise invalid(f"The {path} parameter must be an object.", path)
    return _present(value)


_object = object_of


def no_unknown(obj: dict[str, Any], allowed: frozenset[str], path: str) -> None:
    unknown = set(obj) - allowed
    if unknown:
        names = ", ".join(f"{path}.{u}" if path else u for u in sorted(unknown))
        raise ApiError(400, "parameter_unknown", f"Unknown parameters: {names}.", {"field": names})


_no_unknown = no_unknown


def source(value: Any, path: str) -> dict[str, Any]:
    """Validate a media source: exactly one of ``url``, ``base64_string``, ``asset_id``.

    Returns:
        ``{"identity", "url", "name"}``: what identifies the input for the vectors, the
        URL for metadata and the name used for duration hints and similarity anchors.
    """
    obj = _object(value, path)
    given = [k for k in ("url", "base64_string", "asset_id") if obj.get(k) is not None]
    if len(given) != 1:
        raise invalid(
            f"{path} needs exactly one of url, base64_string or asset_id (got "
            f"{', '.join(given) or 'none'}).",
            path,
        )
    key = given[0]
    value = obj[key]
    if not isinstance(value, str) or not value:
        raise invalid(f"{path}.{key} must be a non-empty string.", f"{path}.{key}")
    if key == "url":
        return {"identity": value, "url": value, "name": value}
    if key == "asset_id":
        return {"identity": f"asset:{value}", "url": None, "name": value}
    digest = hashlib.sha256(value.encode()).hexdigest()
    return {"identity": f"base64:{digest}", "url": None, "name": None}


def _number(obj: dict[str, Any], key: str, path: str) -> float | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise invalid(f"{path}.{key} must be a number.", f"{path}.{key}")
    return float(value)


def _int_range(obj: dict[str, Any], key: str, low: int, high: int, path: str) -> int:
    value = obj.get(key)
    if value is None:
        raise missing(f"{path}.{key}")
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise invalid(f"{path}.{key} must be an integer.", f"{path}.{key}")
    if not low <= value <= high:
        raise invalid(
            f"{path}.{key} must be between {low} and {high}, got {value}.", f"{path}.{key}"
        )
    return int(value)


def _segmentation(model: str, kind: str, value: Any, path: str) -> tuple[str, int]:
    default = (
        ("dynamic", 2)
        if model == "marengo3.5"
        else (("dynamic", 4) if kind == "video" else ("fixed", 6))
    )
    if value is None:
        return default
    seg = _object(value, path)
    if model == "marengo3.5":
        if set(seg) != {"temporal"}:
            raise invalid(f"{path} must be wrapped in a temporal object for marengo3.5.", path)
        seg = _object(seg["temporal"], f"{path}.temporal")
        path = f"{path}.temporal"
    elif "temporal" in seg:
        raise invalid(f"{path}.temporal is only for marengo3.5; give the strategy directly.", path)
    strategy = seg.get("strategy")
    if strategy is None:
        raise missing(f"{path}.strategy")
    allowed = ("fixed",) if kind == "audio" and model == "marengo3.0" else ("fixed", "dynamic")
    if strategy not in allowed:
        raise invalid(
            f"{path}.strategy must be one of {', '.join(allowed)} for {kind}.", f"{path}.strategy"
        )
    inner = _object(seg.get(strategy), f"{path}.{strategy}") if strategy in seg else None
    if inner is None:
        raise missing(f"{path}.{strategy}", f"{path}.{strategy} is required for that strategy.")
    if strategy == "fixed":
        low, high = limits.FIXED_DURATION_SEC
        return "fixed", _int_range(
            inner, "duration_sec", int(low), int(high or low), f"{path}.fixed"
        )
    low, top = limits.DYNAMIC_MIN_DURATION_SEC[model]
    # 3.5 documents no upper bound; a segment cannot be longer than the longest task.
    high = int(top) if top is not None else int(limits.TASK_MAX_SECONDS)
    return "dynamic", _int_range(inner, "min_duration_sec", int(low), high, f"{path}.dynamic")


def _choices(obj: dict[str, Any], key: str, allowed: tuple[str, ...], path: str) -> list[str]:
    value = obj.get(key)
    if value is None:
        return list(allowed)
    if not isinstance(value, list) or not value:
        raise invalid(f"{path}.{key} must be a non-empty array.", f"{path}.{key}")
    for item in value:
        if item not in allowed:
            raise invalid(
                f"{path}.{key} values must be among {', '.join(allowed)}, got {item!r}.",
                f"{path}.{key}",
            )
    return list(dict.fromkeys(value))


def media(model: str, kind: str, value: Any, duration_of: Any) -> dict[str, Any]:
    """Validate an ``audio`` or ``video`` input object into a spec.

    Args:
        model: The model name.
        kind: ``audio`` or ``video``.
        value: The JSON object.
        duration_of: A callable giving the media duration for a source name.

    Returns:
        The normalized spec (source, span, segmentation, options, scopes, types).
    """
    obj = _object(value, kind)
    _no_unknown(obj, _MEDIA_FIELDS, kind)
    if "media_source" not in obj:
        raise missing(f"{kind}.media_source")
    src = source(obj["media_source"], f"{kind}.media_source")
    duration = float(duration_of(src["name"]))
    start = _number(obj, "start_sec", kind)
    end = _number(obj, "end_sec", kind)
    start = 0.0 if start is None else start
    if start < 0:
        raise invalid(f"{kind}.start_sec must be 0 or more.", f"{kind}.start_sec")
    if end is not None and end <= start:
        raise invalid(f"{kind}.end_sec must be greater than start_sec.", f"{kind}.end_sec")
    end = duration if end is None else end
    if end > duration:
        raise invalid(
            f"{kind}.end_sec ({end:g}) is past the end of the media ({duration:g} s).",
            f"{kind}.end_sec",
        )
    if start >= duration:
        raise invalid(f"{kind}.start_sec is past the end of the media.", f"{kind}.start_sec")
    strategy, seg_param = _segmentation(
        model, kind, obj.get("segmentation"), f"{kind}.segmentation"
    )
    scopes_allowed = ("clip", "asset", "local") if model == "marengo3.5" else ("clip", "asset")
    options = _choices(obj, "embedding_option", OPTIONS[(model, kind)], kind)
    types = (
        _choices(obj, "embedding_type", ("separate_embedding", "fused_embedding"), kind)
        if obj.get("embedding_type") is not None
        else ["separate_embedding"]
    )
    if obj.get("embedding_type") is not None and len(options) < 2:
        raise invalid(
            f"{kind}.embedding_type needs at least two embedding_option values.",
            f"{kind}.embedding_type",
        )
    return {
        **src,
        "duration": duration,
        "start": start,
        "end": end,
        "strategy": strategy,
        "seg_param": seg_param,
        "options": options,
        "scopes": _choices(obj, "embedding_scope", scopes_allowed, kind)
        if obj.get("embedding_scope") is not None
        else ["clip", "asset"],
        "types": types,
    }


def text_input(value: Any, path: str, required: bool = True) -> str | None:
    """Return the ``input_text`` of a text-carrying object."""
    obj = _object(value, path)
    text = obj.get("input_text")
    if text is None:
        if required:
            raise missing(f"{path}.input_text")
        return None
    if not isinstance(text, str) or not text.strip():
        raise invalid(f"{path}.input_text must be a non-empty string.", f"{path}.input_text")
    return text


def multi_input(model: str, value: Any, duration_of: Any = None) -> dict[str, Any]:
    """Validate a ``multi_input`` object: text, up to 10 media sources, or both.

    ``duration_of`` (a source name to seconds) enables the per-model limit on audio and
    video sources (30 s on Marengo 3.5).
    """
    obj = _object(value, "multi_input")
    sources = obj.get("media_sources")
    if sources is None:
        # Text alone is a text-only embedding (how Marengo 3.5 embeds a query).
        text = text_input(obj, "multi_input", required=False)
        if text is None:
            raise missing("multi_input.media_sources")
        return {"identity": text, "text": text, "text_only": True}
    if not isinstance(sources, list) or not sources:
        raise invalid("multi_input.media_sources must be a non-empty array.", "multi_input")
    if len(sources) > limits.MAX_MULTI_INPUT_SOURCES:
        raise invalid(
            f"multi_input.media_sources holds at most {limits.MAX_MULTI_INPUT_SOURCES} items, "
            f"got {len(sources)}.",
            "multi_input.media_sources",
        )
    types = ("image",) if model == "marengo3.0" else ("image", "video", "audio", "document")
    names: set[str] = set()
    identities: list[str] = []
    for index, raw in enumerate(sources):
        path = f"multi_input.media_sources[{index}]"
        item = _object(raw, path)
        if item.get("media_type") not in types:
            raise invalid(f"{path}.media_type must be one of {', '.join(types)}.", path)
        if item.get("name") is not None:
            names.add(str(item["name"]))
        src = source(item, path)
        identities.append(src["identity"])
        limit = limits.SYNC_MAX_SECONDS.get(model)
        if (
            duration_of is not None
            and limit is not None
            and item["media_type"] in ("audio", "video")
        ):
            seconds = float(duration_of(src["name"]))
            if seconds > limit:
                raise invalid(
                    f"{path} lasts {seconds:g} s; {model} takes at most {limit:g} s here.", path
                )
    text = text_input(obj, "multi_input", required=False)
    for ref in _REFERENCE.findall(text or ""):
        if ref not in names:
            raise invalid(f"multi_input.input_text refers to <@{ref}>, which no source names.")
    return {"identity": "|".join([*identities, text or ""]), "text": text}


def top_level(
    body: Any, allowed_types: dict[str, frozenset[str]]
) -> tuple[str, str, dict[str, Any]]:
    """Validate the top level of a v2 body.

    Returns:
        ``(model_name, input_type, body_without_nulls)``.
    """
    if not isinstance(body, dict):
        raise invalid("The request body must be a JSON object.")
    obj = _present(body)
    _no_unknown(obj, _TOP_FIELDS, "")
    model = obj.get("model_name")
    if model is None:
        raise missing("model_name")
    if model not in V2_MODELS:
        raise invalid(
            f"model_name must be one of {', '.join(V2_MODELS)}, got {model!r}.", "model_name"
        )
    input_type = obj.get("input_type")
    if input_type is None:
        raise missing("input_type")
    if input_type not in allowed_types[model]:
        raise invalid(
            f"input_type {input_type!r} is not supported here with {model}; use one of "
            f"{', '.join(sorted(allowed_types[model]))}.",
            "input_type",
        )
    if input_type not in obj:
        raise missing(
            input_type, f"input_type is {input_type}, so the {input_type} object is required."
        )
    dimension = obj.get("embedding_dimension")
    if dimension is not None:
        if model != "marengo3.5":
            raise invalid("embedding_dimension is only for marengo3.5.", "embedding_dimension")
        if dimension not in limits.EMBEDDING_DIMENSIONS or isinstance(dimension, bool):
            raise invalid("embedding_dimension must be 128, 256 or 512.", "embedding_dimension")
    for flag in ("auto_truncate", "embedding_uncertainty"):
        if flag in obj and not isinstance(obj[flag], bool):
            raise invalid(f"{flag} must be true or false.", flag)
        if obj.get(flag) and model != "marengo3.5":
            raise invalid(f"{flag} is only for marengo3.5.", flag)
    return model, input_type, obj
