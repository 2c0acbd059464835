"""Turning the inputs of a bulk job into work items with stable keys.

An input is one of:

* a path (``str`` that is not a URL, or ``os.PathLike``) to a media file;
* an ``http://`` or ``https://`` URL of a media file;
* a mapping of create-call keywords (``{"video_url": ..., "video_clip_length": 4}`` for v1,
  ``{"input_type": "audio", "audio": {...}}`` for v2), merged over what the job derives;
  ``{"text": "..."}`` embeds a text with the synchronous endpoints;
* an attrs request object, unstructured into such a mapping.

Each input gets a key: a hash of what identifies it (resolved path + size + mtime, or the
URL, or the mapping) and of the job's request options, plus the occurrence number when
the same input appears twice. A resumed job given the same inputs maps them back to the
same journal entries; a changed file (new size or mtime) or changed options give a new key
and therefore a new task.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal, TypeAlias

import attrs
import orjson

from twelvelabs_async import limits
from twelvelabs_async.errors import InvalidRequestError

__all__ = ["BulkInput", "MediaKind", "WorkItem", "media_kind", "prepare_inputs"]

#: What a bulk job accepts as one input.
BulkInput: TypeAlias = "str | os.PathLike[str] | Mapping[str, Any] | Any"

MediaKind: TypeAlias = Literal["video", "audio", "image", "document", "text", "request"]

_AUDIO = frozenset({".wav", ".mp3", ".flac", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".wma"})
_IMAGE = frozenset({".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".tif", ".tiff"})
_VIDEO = frozenset(
    {".mp4", ".mov", ".mkv", ".webm", ".avi", ".m4v", ".mpg", ".mpeg", ".wmv", ".flv", ".ts"}
)
#: File extensions a directory walk picks up.
MEDIA_EXTENSIONS = _AUDIO | _IMAGE | _VIDEO
#: Documents (PDF, .txt, .md): Marengo 3.5 on the v2 API only, so kept apart from the
#: media a directory walk picks up by default.
DOCUMENT_EXTENSIONS = frozenset(limits.DOCUMENT_EXTENSIONS)


def media_kind(name: str) -> Literal["video", "audio", "image", "document"]:
    """Guess the media kind from a file name or URL path; unknown extensions count as video.

    Args:
        name: a file name, path or URL.

    Returns:
        ``"audio"``, ``"image"``, ``"document"`` (``.pdf``, ``.txt``, ``.md``) or
        ``"video"``.
    """
    suffix = os.path.splitext(name.split("?", 1)[0].split("#", 1)[0])[1].lower()
    if suffix in _AUDIO:
        return "audio"
    if suffix in _IMAGE:
        return "image"
    if suffix in DOCUMENT_EXTENSIONS:
        return "document"
    return "video"


@attrs.frozen
class WorkItem:
    """One input of a job, resolved.

    Attributes:
        index: position in the input list.
        input: the input as given.
        key: stable journal key.
        source: short human-readable name.
        kind: media kind, ``text``, or ``request`` for mappings and request objects.
        path: the file for path inputs.
        url: the URL for URL inputs (or found in a mapping).
        text: the text for ``{"text": ...}`` inputs.
        request: create keywords given by a mapping or request object.
        size: the file's size in bytes, when known.
        error: a problem found while resolving (a missing file): the item fails at once.
    """

    index: int
    input: Any
    key: str
    source: str
    kind: MediaKind
    path: Path | None = None
    url: str | None = None
    text: str | None = None
    request: Mapping[str, Any] | None = None
    size: int | None = None
    error: InvalidRequestError | None = None


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def _to_mapping(value: Any) -> Mapping[str, Any]:
    if isinstance(value, Mapping):
        return value
    from twelvelabs_async._convert import unstructure

    data = unstructure(value)
    if not isinstance(data, Mapping):
        raise InvalidRequestError(f"request object {value!r} did not unstructure to a mapping")
    return {k: v for k, v in data.items() if v is not None}


def _find_url(request: Mapping[str, Any]) -> str | None:
    for name in ("video_url", "audio_url", "image_url"):
        if isinstance(request.get(name), str):
            return str(request[name])
    for value in request.values():
        if isinstance(value, Mapping):
            source = value.get("media_source")
            if isinstance(source, Mapping) and isinstance(source.get("url"), str):
                return str(source["url"])
    return None


def _resolve(index: int, value: Any) -> tuple[dict[str, Any], WorkItem]:
    """Return the identity used for the key and a work item without its key."""
    if isinstance(value, str) and _is_url(value):
        item = WorkItem(index, value, "", value, media_kind(value), url=value)
        return {"url": value}, item
    if isinstance(value, str | os.PathLike):
        path = Path(os.fspath(value)).expanduser()
        try:
            path = path.resolve(strict=True)
            st = path.stat()
        except OSError as exc:
            err = InvalidRequestError(f"input {os.fspath(value)!r} cannot be read: {exc.strerror}")
            item = WorkItem(
                index, value, "", str(path), media_kind(path.name), path=path, error=err
            )
            return {"path": str(path), "missing": True}, item
        if not path.is_file():
            err = InvalidRequestError(f"input {str(path)!r} is not a regular file")
            item = WorkItem(
                index, value, "", str(path), media_kind(path.name), path=path, error=err
            )
            return {"path": str(path), "missing": True}, item
        ident = {"path": str(path), "size": st.st_size, "mtime_ns": st.st_mtime_ns}
        item = WorkItem(
            index, value, "", str(path), media_kind(path.name), path=path, size=st.st_size
        )
        return ident, item
    if isinstance(value, Mapping) or attrs.has(type(value)):
        request = dict(_to_mapping(value))
        if set(request) == {"text"} and isinstance(request["text"], str):
            text = request["text"]
            return {"text": text}, WorkItem(
                index, value, "", f"text:{text[:40]}", "text", text=text
            )
        url = _find_url(request)
        source = url or f"request#{index}"
        try:
            ident = orjson.loads(orjson.dumps(request, option=orjson.OPT_SORT_KEYS, default=str))
        except TypeError as exc:
            raise InvalidRequestError(f"input #{index} cannot be serialized: {exc}") from exc
        return {"request": ident}, WorkItem(
            index, value, "", source, "request", url=url, request=request
        )
    raise InvalidRequestError(
        f"input #{index} has unsupported type {type(value).__name__}: give a path, a URL,"
        " a mapping of create keywords, or a request object"
    )


def prepare_inputs(inputs: Iterable[BulkInput], options: Mapping[str, Any]) -> list[WorkItem]:
    """Resolve every input and give it its stable key.

    Args:
        inputs: the job's inputs.
        options: everything about the job that changes what the API computes (API
            version, model, request options); part of every key.

    Returns:
        One work item per input, in order.

    Raises:
        InvalidRequestError: an input has an unsupported type.
    """
    opts = orjson.dumps(options, option=orjson.OPT_SORT_KEYS, default=str)
    seen: dict[str, int] = {}
    items: list[WorkItem] = []
    for index, value in enumerate(inputs):
        ident, item = _resolve(index, value)
        digest = hashlib.sha256(orjson.dumps(ident, option=orjson.OPT_SORT_KEYS) + b"\0" + opts)
        base = digest.hexdigest()[:32]
        occurrence = seen.get(base, 0)
        seen[base] = occurrence + 1
        key = base if occurrence == 0 else f"{base}.{occurrence}"
        items.append(attrs.evolve(item, key=key))
    return items
