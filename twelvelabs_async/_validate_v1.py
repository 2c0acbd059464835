"""Client-side checks for Embed API v1 calls, run before any byte is sent.

Each ``build_*`` function takes a method's arguments as the user gave them, checks the
documented rules and returns what goes on the wire (form fields as ``(name, value)`` pairs,
with repeated names for lists, or query pairs). Every failure is an
:class:`~twelvelabs_async.errors.InvalidRequestError` whose message names the argument and
says what to change.

Policies:

* Unknown enum strings (a new ``embedding_option``, ``video_embedding_scope`` or
  ``status`` value, a new model) are sent as given: the server decides.
* ``model_name``: the known name is ``marengo3.0``. A name that differs from a known one
  only in case, dashes, dots, underscores or spaces (``Marengo3.0``, ``marengo-3.0``) is
  refused with the right spelling, because the API is case- and format-sensitive and
  answers such names with a bare 400. ``Marengo-retrieval-2.7`` is retired (see
  :data:`RETIRED_MODELS`): refused with a message naming its successor, unless the
  environment variable ``TWELVELABS_ALLOW_RETIRED_MODELS=1`` says the API in use still
  serves it. Any other name is sent as given.
* ``video_embedding_scope`` / ``embedding_option`` accept one string (sent as one value)
  or a list/tuple of strings; an empty list is refused.
* Both ``video_file`` and ``video_url``: refused (the API silently uses the URL).
* Media URLs must be ``http://`` or ``https://`` with a host; uploads must not be empty.
* Numbers are sent in plain decimal (``6.0``, ``2.5``), never in exponent notation; NaN
  and infinity are refused (:func:`._validate_common.check_finite`, shared with v2).
* Strings that go on the wire as tokens (model names, URLs, scopes, options, statuses,
  ids) must not hold CR, LF or other control characters; free text (``text``) may.
* Ranges and model names come from :mod:`twelvelabs_async.limits`.
* The task-list filters (shared with v2) are checked in :mod:`._validate_list`.
"""

from __future__ import annotations

import enum
import os
import re
from decimal import Decimal
from typing import NoReturn
from urllib.parse import urlsplit

from . import limits
from ._media import check_media_kind
from ._uploads import UploadFile, to_upload
from ._validate_common import check_finite, check_wire_string
from .errors import InvalidRequestError

__all__ = [
    "CLIP_LENGTH_RANGE",
    "DEFAULT_CLIP_LENGTH",
    "KNOWN_V1_MODELS",
    "RETIRED_MODELS",
    "build_embed_fields",
    "build_retrieve_query",
    "build_task_fields",
    "check_model_name",
    "check_task_id",
    "check_url",
    "format_number",
]

KNOWN_V1_MODELS = limits.V1_MODELS
#: Models Twelve Labs no longer serves, with the model that replaced each one.
RETIRED_MODELS = {limits.MARENGO_27: limits.MARENGO_30}
#: Set to ``1`` to send a retired model name anyway (an API that still serves it).
ALLOW_RETIRED_ENV = "TWELVELABS_ALLOW_RETIRED_MODELS"
CLIP_LENGTH_RANGE = (limits.V1_CLIP_LENGTH_SEC.low, limits.V1_CLIP_LENGTH_SEC.high)
DEFAULT_CLIP_LENGTH = limits.V1_DEFAULT_CLIP_LENGTH_SEC
#: Task ids are 24 hex characters today; anything far longer is a mistake, not an id.
MAX_TASK_ID_LENGTH = 128

_FOLD = re.compile(r"[\s._-]+")
_FOLDED_MODELS = {_FOLD.sub("", m.lower()): m for m in KNOWN_V1_MODELS}

Fields = list[tuple[str, str]]


def _fail(message: str) -> NoReturn:
    raise InvalidRequestError(message)


def _type_name(value: object) -> str:
    return type(value).__name__


def _string(name: str, value: object, *, hint: str = "", token: bool = True) -> str:
    """A required, non-blank string (enum members count as their value).

    ``token`` strings (everything but free text) must not hold control characters.
    """
    if isinstance(value, enum.Enum):
        value = value.value
    if not isinstance(value, str):
        _fail(f"{name} must be a string, got {_type_name(value)} {value!r}{hint}")
    if not value.strip():
        _fail(f"{name} must not be empty{hint}")
    return check_wire_string(name, value) if token else value


def _number(name: str, value: object) -> float:
    return check_finite(name, value)


def _integer(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(f"{name} must be an integer, got {_type_name(value)} {value!r}")
    return value


def _string_list(name: str, value: object, example: str) -> list[str]:
    """One string or a list/tuple of strings, as a list (sent as a repeated field/key)."""
    if isinstance(value, str | enum.Enum):
        return [_string(name, value)]
    if not isinstance(value, list | tuple):
        _fail(
            f"{name} must be a string or a list of strings such as {example}, "
            f"got {_type_name(value)} {value!r}"
        )
    if not value:
        _fail(f"{name} must not be an empty list: give at least one value ({example}) or None")
    return [_string(f"{name}[{i}]", item) for i, item in enumerate(value)]


def format_number(value: float) -> str:
    """Write a number for a form field in plain decimal notation.

    Args:
        value: a finite number.

    Returns:
        ``"6.0"`` for 6, ``"2.5"`` for 2.5, ``"0.00001"`` for 1e-05 (never an exponent).
    """
    text = repr(float(value))
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
        if "." not in text:
            text += ".0"
    return text


def check_model_name(model_name: object) -> str:
    """Check a v1 ``model_name`` and return it unchanged.

    Args:
        model_name: the model id, e.g. ``"marengo3.0"``.

    Returns:
        The model name to send.

    Raises:
        InvalidRequestError: not a non-empty string, a misspelt known model name, or a
            retired model (unless ``TWELVELABS_ALLOW_RETIRED_MODELS=1``).
    """
    model = _string("model_name", model_name, hint=" (e.g. model_name='marengo3.0')")
    folded = _FOLD.sub("", model.lower())
    known = _FOLDED_MODELS.get(folded)
    successor = RETIRED_MODELS.get(known) if known is not None else None
    if successor is not None and os.environ.get(ALLOW_RETIRED_ENV) != "1":
        _fail(
            f"model_name={model!r}: {known} is retired (Twelve Labs stopped serving it in "
            f"2026); use model_name={successor!r}. Its vectors are not compatible with "
            f"{known}'s, so re-embed whatever you compare them with. If the API you use "
            f"still serves {known}, set {ALLOW_RETIRED_ENV}=1 to send it anyway"
        )
    if known is not None and known != model:
        _fail(
            f"model_name={model!r} is not a model id; did you mean {known!r}? "
            "Model ids are case- and format-sensitive"
        )
    return model


def check_task_id(task_id: object) -> str:
    """Check a task id before it becomes part of a URL path.

    Args:
        task_id: the id returned by ``tasks.create`` (``.id``).

    Returns:
        The id.

    Raises:
        InvalidRequestError: not a non-empty string, or it contains ``/`` or is ``.``/``..``
            (which would address another endpoint).
    """
    # Control characters get the task-id message below, not the generic one.
    tid = _string(
        "task_id", task_id, hint=" (pass the .id of the task create response)", token=False
    )
    if "/" in tid or tid.strip() in (".", ".."):
        _fail(f"task_id {tid!r} is not a task id: it must not contain '/' or be '.'/'..'")
    if tid != tid.strip():
        _fail(f"task_id {tid!r} has leading or trailing whitespace; pass the id exactly")
    # isprintable() already rejects every whitespace character except the plain space.
    if len(tid) > MAX_TASK_ID_LENGTH or not tid.isprintable() or " " in tid:
        shown = tid if len(tid) <= 40 else tid[:40] + "..."
        _fail(
            f"task_id {shown!r} is not a task id: ids are short strings without spaces or "
            f"control characters (at most {MAX_TASK_ID_LENGTH}); pass the .id of the create "
            "response"
        )
    return tid


def check_url(name: str, value: object) -> str:
    """Check a media URL: a non-blank ``http(s)://`` address with a host.

    Args:
        name: the argument's name, for the message.
        value: the URL.

    Returns:
        The URL, unchanged.

    Raises:
        InvalidRequestError: not a string, blank, or not an http(s) URL with a host.
    """
    url = _string(name, value)
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        _fail(
            f"{name} must be a public http:// or https:// URL of a raw media file, got "
            f"{url!r}; for a local file pass it as a file instead"
        )
    return url


def _media(
    modality: str, url: object, file: object, fields: Fields, files: dict[str, UploadFile]
) -> bool:
    url_name, file_name = f"{modality}_url", f"{modality}_file"
    if url is not None and file is not None:
        _fail(
            f"give either {url_name} or {file_name}, not both (the {modality} would be "
            "embedded once, from one of them)"
        )
    if url is not None:
        fields.append((url_name, check_url(url_name, url)))
        return True
    if file is not None:
        files[file_name] = upload = to_upload(file, field=file_name)
        check_media_kind(file_name, modality, file, upload.filename)  # type: ignore[arg-type]
        return True
    return False


def build_embed_fields(
    *,
    model_name: object,
    text: object = None,
    image_url: object = None,
    image_file: object = None,
    audio_url: object = None,
    audio_file: object = None,
    audio_start_offset_sec: object = None,
) -> tuple[Fields, dict[str, UploadFile]]:
    """Check ``POST /embed`` arguments and return its form.

    Returns:
        ``(fields, files)``: text fields as ``(name, value)`` pairs, and file parts by
        field name, already checked (a missing path or a directory is refused here).

    Raises:
        InvalidRequestError: a rule is broken (see the module docstring).
    """
    fields: Fields = [("model_name", check_model_name(model_name))]
    files: dict[str, UploadFile] = {}
    modalities = 0
    if text is not None:
        fields.append(("text", _string("text", text, token=False)))
        modalities += 1
    modalities += _media("image", image_url, image_file, fields, files)
    has_audio = _media("audio", audio_url, audio_file, fields, files)
    modalities += has_audio
    if audio_start_offset_sec is not None:
        offset = _number("audio_start_offset_sec", audio_start_offset_sec)
        if offset < 0:
            _fail(f"audio_start_offset_sec must be >= 0, got {offset:g}")
        if not has_audio:
            _fail("audio_start_offset_sec needs audio: pass audio_url or audio_file as well")
        fields.append(("audio_start_offset_sec", format_number(offset)))
    if not modalities:
        _fail(
            "nothing to embed: pass at least one of text, image_url / image_file, "
            "audio_url / audio_file (for video use client.embed.tasks.create)"
        )
    return fields, files


def build_task_fields(
    *,
    model_name: object,
    video_file: object = None,
    video_url: object = None,
    video_start_offset_sec: object = None,
    video_end_offset_sec: object = None,
    video_clip_length: object = None,
    video_embedding_scope: object = None,
) -> tuple[Fields, dict[str, UploadFile]]:
    """Check ``POST /embed/tasks`` arguments and return its form.

    Returns:
        ``(fields, files)`` as for :func:`build_embed_fields`; ``video_embedding_scope``
        appears once per value.

    Raises:
        InvalidRequestError: a rule is broken (see the module docstring).
    """
    fields: Fields = [("model_name", check_model_name(model_name))]
    files: dict[str, UploadFile] = {}
    if video_file is not None and video_url is not None:
        _fail(
            "give either video_file or video_url, not both: the API would silently "
            "ignore the file and embed the URL"
        )
    if video_file is None and video_url is None:
        _fail("a video is needed: pass video_file (a path, bytes or file object) or video_url")
    _media("video", video_url, video_file, fields, files)

    clip = None
    if video_clip_length is not None:
        clip = _number("video_clip_length", video_clip_length)
        low, high = CLIP_LENGTH_RANGE
        if clip not in limits.V1_CLIP_LENGTH_SEC:
            _fail(f"video_clip_length must be between {low:g} and {high:g} seconds, got {clip:g}")
    start = end = None
    if video_start_offset_sec is not None:
        start = _number("video_start_offset_sec", video_start_offset_sec)
    if video_end_offset_sec is not None:
        end = _number("video_end_offset_sec", video_end_offset_sec)
    if (start is None) != (end is None):
        given = "video_start_offset_sec" if start is not None else "video_end_offset_sec"
        _fail(
            f"{given} was given alone: the API needs video_start_offset_sec and "
            "video_end_offset_sec together (or neither, for the whole video)"
        )
    if start is not None and end is not None:
        if start < 0:
            _fail(f"video_start_offset_sec must be >= 0, got {start:g}")
        if end <= start:
            _fail(
                f"video_end_offset_sec ({end:g}) must be greater than "
                f"video_start_offset_sec ({start:g})"
            )
        need = clip if clip is not None else DEFAULT_CLIP_LENGTH
        if end - start < need:
            origin = "" if clip is not None else " (the default when video_clip_length is None)"
            _fail(
                f"the span video_end_offset_sec - video_start_offset_sec ({end - start:g} s) "
                f"must be at least video_clip_length ({need:g} s{origin}); widen the span "
                "or shorten the clips"
            )
        fields.append(("video_start_offset_sec", format_number(start)))
        fields.append(("video_end_offset_sec", format_number(end)))
    if clip is not None:
        fields.append(("video_clip_length", format_number(clip)))
    if video_embedding_scope is not None:
        scopes = _string_list("video_embedding_scope", video_embedding_scope, "['clip', 'video']")
        fields.extend(("video_embedding_scope", s) for s in scopes)
    return fields, files


def build_retrieve_query(embedding_option: object) -> list[tuple[str, str]]:
    """Query pairs for ``GET /embed/tasks/{id}``: ``embedding_option`` once per value."""
    if embedding_option is None:
        return []
    options = _string_list("embedding_option", embedding_option, "['visual', 'audio']")
    return [("embedding_option", o) for o in options]
