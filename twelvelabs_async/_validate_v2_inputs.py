"""Checks of the v2 input objects (media sources, audio/video, documents, multi_input).

Used by :mod:`twelvelabs_async._validate_v2`, which checks the top level of a body. Values
are wire dicts (after ``to_wire``); every failure is an
:class:`~twelvelabs_async.errors.InvalidRequestError` naming the field's path. Limits come
from :mod:`twelvelabs_async.limits`; NaN, infinity and control characters are refused by
the checks shared with v1 (:mod:`twelvelabs_async._validate_common`).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from typing import Any, NoReturn

from twelvelabs_async import limits
from twelvelabs_async._validate_common import check_finite, check_wire_string
from twelvelabs_async._validate_v1 import check_url
from twelvelabs_async.errors import InvalidRequestError

MEDIA_SOURCE_KEYS = ("url", "base64_string", "asset_id")
_STRATEGY_FIELDS = {"fixed": "duration_sec", "dynamic": "min_duration_sec"}
_REFERENCE = re.compile(r"<@([^>]*)>")


def fail(message: str) -> NoReturn:
    """Raise the validators' error."""
    raise InvalidRequestError(message)


def enum_str(path: str, value: Any) -> str:
    """A non-empty string without control characters (enum members count as their value)."""
    if isinstance(value, enum.Enum):
        value = value.value
    if not isinstance(value, str) or not value.strip():
        fail(f"{path} must be a non-empty string, got {value!r}")
    return check_wire_string(path, value)


def as_object(path: str, value: Any) -> dict[str, Any]:
    """The value itself if it is a dict, else an error naming ``path``."""
    if not isinstance(value, dict):
        fail(
            f"{path} must be an object: a dict, a request class, or an object with "
            f"model_dump() (such as the official SDK's), got {type(value).__name__}"
        )
    return value


def check_text(path: str, value: Any, *, required: bool) -> None:
    """Free text to embed: a non-blank string (line breaks allowed)."""
    if value is None:
        if required:
            fail(f"{path} is required")
        return
    if not isinstance(value, str):
        fail(f"{path} must be a string, got {type(value).__name__}")
    if not value.strip():
        fail(f"{path} is empty: give the text to embed")


def check_media_source(path: str, source: Any) -> None:
    """Check that a media source names exactly one of url, base64_string or asset_id.

    Args:
        path: where the source sits in the request, for the error message.
        source: the wire dict (after ``to_wire``).

    Raises:
        InvalidRequestError: no source, several sources, or an empty/non-string value.
    """
    source = as_object(path, source)
    present = [key for key in MEDIA_SOURCE_KEYS if key in source]
    if not present:
        fail(f"{path} needs exactly one of url, base64_string or asset_id; none was given")
    if len(present) > 1:
        fail(f"{path} needs exactly one of url, base64_string or asset_id; got {present}")
    key = present[0]
    value = source[key]
    if not isinstance(value, str):
        fail(f"{path}.{key} must be a string, got {type(value).__name__}")
    if not value.strip():
        fail(f"{path}.{key} is empty: give a public file URL, base64 data or an asset id")
    if key == "url":
        check_url(f"{path}.url", value)
    elif key == "asset_id":
        check_wire_string(f"{path}.asset_id", value)


def _check_time_range(path: str, obj: Mapping[str, Any]) -> None:
    start = 0.0
    if "start_sec" in obj:
        start = check_finite(f"{path}.start_sec", obj["start_sec"])
        if start < 0:
            fail(f"{path}.start_sec must be 0 or more, got {obj['start_sec']!r}")
    if "end_sec" in obj:
        end = check_finite(f"{path}.end_sec", obj["end_sec"])
        if end <= start:
            fail(f"{path}.end_sec ({obj['end_sec']!r}) must be greater than start_sec ({start:g})")


def str_list(path: str, obj: dict[str, Any], key: str) -> list[str] | None:
    """Check a list-of-strings field in place; a lone string becomes a one-item list."""
    if key not in obj:
        return None
    value = obj[key]
    if isinstance(value, str):
        value = obj[key] = [value]
    if not isinstance(value, list) or not value:
        fail(f"{path}.{key} must be a non-empty list of strings (omit it for the default)")
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item:
            fail(f"{path}.{key} must hold non-empty strings, got {item!r}")
        check_wire_string(f"{path}.{key}[{index}]", item)
    return value


def _whole(path: str, value: Any, span: limits.Range) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in span:
        where = f"of {span.describe()}" if span.high is None else f"from {span.describe()}"
        fail(f"{path} must be a whole number {where}, got {value!r}")
    return value


def _check_strategy(path: str, seg: Mapping[str, Any], *, model: str) -> str:
    if "strategy" not in seg:
        fail(f"{path}.strategy is required ('fixed' or 'dynamic')")
    strategy = enum_str(f"{path}.strategy", seg["strategy"])
    if strategy not in _STRATEGY_FIELDS:
        return strategy
    other = "dynamic" if strategy == "fixed" else "fixed"
    if other in seg:
        fail(f"{path} has strategy={strategy!r} but a {other!r} object; keep only {strategy!r}")
    field = _STRATEGY_FIELDS[strategy]
    if strategy == "fixed":
        span = limits.FIXED_DURATION_SEC
    else:
        span = limits.DYNAMIC_MIN_DURATION_SEC[model]
    example = f"{{'strategy': {strategy!r}, {strategy!r}: {{{field!r}: {int(span.low) + 2}}}}}"
    if strategy not in seg:
        fail(f"{path} with strategy={strategy!r} needs a {strategy!r} object, e.g. {example}")
    sub = as_object(f"{path}.{strategy}", seg[strategy])
    _whole(f"{path}.{strategy}.{field}", sub.get(field), span)
    return strategy


def _check_segmentation(path: str, seg: Any, *, media: str, model: str) -> None:
    seg = as_object(path, seg)
    if "temporal" in seg:
        if model == limits.MARENGO_30:
            fail(
                f"{path} uses the 'temporal' wrapper, which is for marengo3.5 only; on "
                "marengo3.0 give the settings directly, e.g. "
                "{'strategy': 'fixed', 'fixed': {'duration_sec': 6}}"
            )
        if "strategy" in seg:
            fail(f"{path} has both 'temporal' and 'strategy'; put strategy inside 'temporal'")
        temporal = as_object(f"{path}.temporal", seg["temporal"])
        # The wrapper is the 3.5 form: its ranges apply, whatever the model name says.
        _check_strategy(f"{path}.temporal", temporal, model=limits.MARENGO_35)
        return
    if model == limits.MARENGO_35:
        fail(
            f"on marengo3.5, {path} must be wrapped in a 'temporal' object, e.g. "
            "{'temporal': {'strategy': 'dynamic', 'dynamic': {'min_duration_sec': 2}}}"
        )
    strategy = _check_strategy(path, seg, model=limits.MARENGO_30)
    if media == "audio" and model == limits.MARENGO_30 and strategy == "dynamic":
        fail(f"{path}: marengo3.0 audio supports only strategy='fixed' (duration_sec 2-10)")


def _check_time_based_metadata(path: str, entries: Any) -> None:
    if not isinstance(entries, list):
        fail(f"{path} must be a list of {{'start', 'end', 'text'}} entries")
    for index, entry in enumerate(entries):
        where = f"{path}[{index}]"
        entry = as_object(where, entry)
        start = check_finite(f"{where}.start", entry.get("start"))
        end = check_finite(f"{where}.end", entry.get("end"))
        if end < start:
            fail(f"{where}.end ({end:g}) must not be before start ({start:g})")
        check_text(f"{where}.text", entry.get("text"), required=True)


def check_media_input(path: str, obj: dict[str, Any], *, model: str, timed: bool) -> None:
    """Checks shared by audio, video, image and document inputs."""
    if "media_source" not in obj:
        fail(f"{path}.media_source is required, e.g. {{'media_source': {{'url': 'https://...'}}}}")
    check_media_source(f"{path}.media_source", obj["media_source"])
    options = str_list(path, obj, "embedding_option")
    str_list(path, obj, "embedding_scope")
    types = str_list(path, obj, "embedding_type")
    if not timed:
        return
    _check_time_range(path, obj)
    if types is not None and options is not None and len(set(options)) < 2:
        fail(
            f"{path}.embedding_type applies only with two or more embedding_option values "
            f"(got {options}); add options or drop embedding_type"
        )
    if "segmentation" in obj:
        _check_segmentation(f"{path}.segmentation", obj["segmentation"], media=path, model=model)
    if "time_based_metadata" in obj:
        _check_time_based_metadata(f"{path}.time_based_metadata", obj["time_based_metadata"])


def check_document(obj: dict[str, Any], *, model: str) -> None:
    """Check a Marengo 3.5 document input (PDF, .txt or .md)."""
    path = "document"
    check_media_input(path, obj, model=model, timed=False)
    options = obj.get("embedding_option")
    scopes = obj.get("embedding_scope")
    if "fused_embedding" in obj.get("embedding_type", ()):
        fail(f"{path}.embedding_type cannot be 'fused_embedding': a document has one modality")
    if "segmentation" not in obj:
        return
    seg = as_object(f"{path}.segmentation", obj["segmentation"])
    given = [key for key in ("spatial", "sequential") if key in seg]
    if len(given) != 1:
        fail(
            f"{path}.segmentation needs exactly one of 'spatial' (PDF pages) or 'sequential' "
            f"(chunks of a .txt or .md file); got {given or 'neither'}"
        )
    kind = given[0]
    where = f"{path}.segmentation.{kind}"
    sub = as_object(where, seg[kind])
    need_option = "visual" if kind == "spatial" else "text"
    if options is not None and need_option not in options:
        fail(f"{where} needs {need_option!r} in {path}.embedding_option (got {options})")
    if scopes is not None and "local" not in scopes:
        fail(f"{where} needs 'local' in {path}.embedding_scope (got {scopes})")
    if kind == "spatial":
        if "strategy" in sub:
            enum_str(f"{where}.strategy", sub["strategy"])
        return
    if "strategy" not in sub:
        fail(f"{where}.strategy is required: 'sentence'")
    enum_str(f"{where}.strategy", sub["strategy"])
    most = _whole(
        f"{where}.max_sentences",
        sub.get("max_sentences"),
        limits.Range(limits.MAX_SENTENCES_MIN, None),
    )
    if "overlap_sentences" in sub:
        overlap = _whole(
            f"{where}.overlap_sentences", sub["overlap_sentences"], limits.Range(0, None)
        )
        if overlap >= most:
            fail(f"{where}.overlap_sentences ({overlap}) must be less than max_sentences ({most})")


def check_multi_input(obj: dict[str, Any], *, model: str, uncertainty: bool) -> None:
    """Check a ``multi_input``: text only, media only, or both (up to 10 sources)."""
    path = "multi_input"
    cap = limits.MAX_MULTI_INPUT_SOURCES
    has_text = "input_text" in obj
    if has_text:
        check_text(f"{path}.input_text", obj["input_text"], required=True)
    if "media_sources" not in obj:
        if not has_text:
            fail(
                f"{path} needs input_text (a text-only embedding, e.g. a search query), "
                f"media_sources (1 to {cap}), or both"
            )
        return
    sources = obj["media_sources"]
    if not isinstance(sources, list) or not sources:
        fail(f"{path}.media_sources must be a list of 1 to {cap} sources (omit it for text only)")
    if len(sources) > cap:
        fail(
            f"{path}.media_sources holds {len(sources)} sources; at most {cap} are allowed: "
            "split the request"
        )
    names: set[str] = set()
    kinds: set[str] = set()
    for index, source in enumerate(sources):
        where = f"{path}.media_sources[{index}]"
        source = as_object(where, source)
        if "media_type" not in source:
            fail(f"{where}.media_type is required (e.g. 'image')")
        media_type = enum_str(f"{where}.media_type", source["media_type"])
        kinds.add(media_type)
        if model == limits.MARENGO_30 and media_type in ("video", "audio", "document"):
            fail(f"{where}: marengo3.0 multi_input accepts images only; use marengo3.5")
        check_media_source(where, source)
        if "name" in source:
            name = enum_str(f"{where}.name", source["name"])
            if name in names:
                fail(f"{where}.name {name!r} is used twice; names must be unique")
            names.add(name)
    if model == limits.MARENGO_35 and len(kinds) > 1 and not has_text:
        fail(
            f"{path} mixes media types ({', '.join(sorted(kinds))}) without input_text; "
            "marengo3.5 needs text to combine different types: add input_text"
        )
    if uncertainty and (has_text or "document" in kinds):
        fail(
            "embedding_uncertainty works only for purely text or purely media requests, "
            "without documents: drop input_text or the media, or the flag"
        )
    for ref in _REFERENCE.findall(obj.get("input_text", "")):
        if ref not in names:
            known = sorted(names) or "no names"
            fail(
                f"{path}.input_text refers to <@{ref}> but no media source has name={ref!r} "
                f"(names: {known})"
            )
