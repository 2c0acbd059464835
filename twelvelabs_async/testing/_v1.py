"""Handlers of the v1 endpoints: ``/embed`` and ``/embed/tasks``."""

from __future__ import annotations

from typing import Any

import orjson

from twelvelabs_async import limits
from twelvelabs_async.testing._embeddings import (
    MODEL_DIMENSIONS,
    fixed_segments,
    media_vector,
    name_stem,
    text_vector,
    url_file_name,
)
from twelvelabs_async.testing._http import (
    ApiError,
    Call,
    Reply,
    invalid,
    json_reply,
    missing,
    parse_number,
)
from twelvelabs_async.testing._listing import list_tasks, media_metadata, not_found, video_metadata
from twelvelabs_async.testing._state import Task, UploadedFile, format_time

V1_OPTIONS: dict[str, tuple[str, ...]] = {
    "marengo3.0": ("visual", "audio", "transcription"),
    "Marengo-retrieval-2.7": ("visual-text", "audio"),
}
"""Embedding options a v1 video task produces, per model."""

_EMBED_FIELDS = frozenset(
    {"model_name", "text", "text_truncate", "image_url", "audio_url", "audio_start_offset_sec"}
)
_EMBED_FILES = frozenset({"image_file", "audio_file"})
_TASK_FIELDS = frozenset(
    {
        "model_name",
        "video_url",
        "video_start_offset_sec",
        "video_end_offset_sec",
        "video_clip_length",
        "video_embedding_scope",
    }
)
_TASK_FILES = frozenset({"video_file"})
_AUDIO_CLIP = 10.0


def _require_multipart(call: Call, fields: frozenset[str], files: frozenset[str]) -> str:
    body = call.body
    if body.error:
        raise invalid(body.error)
    if body.kind not in ("multipart", "none"):
        raise invalid("This endpoint expects a multipart/form-data body.")
    unknown = (set(body.form) - fields) | (set(body.files) - files)
    if unknown:
        raise ApiError(
            400,
            "parameter_unknown",
            f"Unknown parameters: {', '.join(sorted(unknown))}.",
            {"fields": sorted(unknown)},
        )
    model = call.form_one("model_name")
    if not model:
        raise missing("model_name")
    if model not in V1_OPTIONS:
        raise invalid(
            f"The model_name parameter is invalid: {model!r} is not one of "
            f"{', '.join(V1_OPTIONS)}.",
            "model_name",
        )
    return model


def _content_kind(head: bytes) -> str | None:
    """What the first bytes of an upload are: ``image``, ``audio``, ``video`` or unknown.

    The server decodes what it receives; the fake only reads the magic numbers of common
    formats, and says nothing about the rest (random bytes pass as any media).
    """
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG", b"GIF8")) or head[8:12] == b"WEBP":
        return "image"
    if head[8:12] == b"WAVE" or head.startswith((b"ID3", b"fLaC")):
        return "audio"
    if head[4:8] == b"ftyp":
        return "audio" if head[8:11] == b"M4A" else "video"
    if head.startswith(b"\x1aE\xdf\xa3") or head[8:12] == b"AVI ":
        return "video"
    return None


def _check_content(upload: UploadedFile, kind: str) -> None:
    """Refuse an upload whose bytes are another kind of media (a video as ``image_file``)."""
    found = _content_kind(upload.head)
    # Containers of video carry sound: an MP4 is accepted as audio, as servers do.
    if found is None or found == kind or (kind == "audio" and found == "video"):
        return
    raise invalid(
        f"The {upload.field} parameter is invalid: the uploaded file is {found}, not {kind}.",
        upload.field,
    )


def file_identity(upload: UploadedFile) -> str:
    """Return what identifies an uploaded file's content for the vectors."""
    if upload.sha256:
        return f"sha256:{upload.sha256}"
    return f"file:{upload.filename}:{upload.size}"


def _source(call: Call, kind: str) -> tuple[str, str | None, str | None] | None:
    """Return ``(identity, url, filename)`` of the image or audio input, if given."""
    url = call.form_one(f"{kind}_url") or None
    upload = call.body.files.get(f"{kind}_file")
    if url and upload:
        raise invalid(f"Give either {kind}_url or {kind}_file, not both.", f"{kind}_url")
    if url:
        return url, url, None
    if upload:
        _check_content(upload, kind)
        return file_identity(upload), None, upload.filename or f"{kind}_file"
    return None


async def embed_create(call: Call) -> Reply:
    """``POST /embed``: text, image and audio embeddings in one synchronous call."""
    model = _require_multipart(call, _EMBED_FIELDS, _EMBED_FILES)
    dim = MODEL_DIMENSIONS[model]
    text = call.form_one("text")
    truncate = call.form_one("text_truncate")
    if truncate is not None and truncate not in ("start", "end", "none"):
        raise invalid("The text_truncate parameter must be start, end or none.", "text_truncate")
    image = _source(call, "image")
    audio = _source(call, "audio")
    offset = parse_number(call.form_one("audio_start_offset_sec"), "audio_start_offset_sec")
    if text is None and image is None and audio is None:
        raise missing(
            "text",
            "Give at least one input: text, image_url, image_file, audio_url or audio_file.",
        )
    if text is not None and not text.strip():
        raise invalid("The text parameter must not be empty.", "text")
    if (
        text is not None
        and model == "Marengo-retrieval-2.7"
        and truncate == "none"
        and len(text.split()) > 77
    ):
        raise invalid("The text is longer than 77 tokens and text_truncate is none.", "text")
    if offset is not None and offset < 0:
        raise invalid(
            "The audio_start_offset_sec parameter must be 0 or more.", "audio_start_offset_sec"
        )
    given = [m for m, v in (("text", text), ("image", image), ("audio", audio)) if v is not None]
    errors = call.faults.embed_errors(given)
    out: dict[str, Any] = {"model_name": model}
    if text is not None:
        out["text_embedding"] = (
            {"error_message": errors["text"]}
            if "text" in errors
            else {"segments": [{"float": list(text_vector(model, text, dim))}]}
        )
    if image is not None:
        identity, url, filename = image
        entry: dict[str, Any] = {"metadata": media_metadata(url, filename)}
        if "image" in errors:
            entry["error_message"] = errors["image"]
        else:
            vec = media_vector(model, identity, url or filename, "visual", "image", dim)
            entry["segments"] = [{"float": vec}]
        out["image_embedding"] = entry
    if audio is not None:
        identity, url, filename = audio
        start = offset or 0.0
        duration = call.state.duration_for(url, filename)
        if start >= duration:
            raise invalid(
                f"audio_start_offset_sec ({start}) is past the end of the audio ({duration} s).",
                "audio_start_offset_sec",
            )
        entry = {"metadata": media_metadata(url, filename)}
        if "audio" in errors:
            entry["error_message"] = errors["audio"]
        else:
            entry["segments"] = [
                {
                    "float": media_vector(
                        model, identity, url or filename, "audio", f"{s}-{e}", dim
                    ),
                    "start_offset_sec": s,
                    "end_offset_sec": e,
                }
                for s, e in fixed_segments(start, duration, _AUDIO_CLIP)
            ]
        out["audio_embedding"] = entry
    return json_reply(out)


def _task_spec(call: Call, url: str | None, filename: str | None) -> tuple[dict[str, Any], float]:
    duration = call.state.duration_for(url, filename)
    clip = parse_number(call.form_one("video_clip_length"), "video_clip_length")
    clip = limits.V1_DEFAULT_CLIP_LENGTH_SEC if clip is None else clip
    if clip not in limits.V1_CLIP_LENGTH_SEC:
        raise invalid(
            f"The video_clip_length parameter must be between 2 and 10, got {clip:g}.",
            "video_clip_length",
        )
    start = parse_number(call.form_one("video_start_offset_sec"), "video_start_offset_sec")
    end = parse_number(call.form_one("video_end_offset_sec"), "video_end_offset_sec")
    if (start is None) != (end is None):
        raise invalid(
            "Set both video_start_offset_sec and video_end_offset_sec, or neither.",
            "video_start_offset_sec" if start is None else "video_end_offset_sec",
        )
    if start is not None and end is not None:
        if start < 0:
            raise invalid("video_start_offset_sec must be 0 or more.", "video_start_offset_sec")
        if end <= start:
            raise invalid(
                "video_end_offset_sec must be greater than video_start_offset_sec.",
                "video_end_offset_sec",
            )
        if end - start < clip:
            raise invalid(
                "The span between the offsets must be at least video_clip_length.",
                "video_clip_length",
            )
        if end > duration:
            raise invalid(
                f"video_end_offset_sec ({end:g}) is past the end of the video ({duration:g} s).",
                "video_end_offset_sec",
            )
    scopes = call.body.form.get("video_embedding_scope") or ["clip"]
    for scope in scopes:
        if scope not in ("clip", "video"):
            raise invalid(
                f"video_embedding_scope values must be clip or video, got {scope!r} (repeat "
                "the field for several values).",
                "video_embedding_scope",
            )
    spec = {
        "start": 0.0 if start is None else start,
        "end": duration if end is None else end,
        "clip_length": clip,
        "scopes": list(dict.fromkeys(scopes)),
    }
    return spec, duration


async def tasks_create(call: Call) -> Reply:
    """``POST /embed/tasks``: start a video embedding task (answers 200 with ``_id``)."""
    model = _require_multipart(call, _TASK_FIELDS, _TASK_FILES)
    url = call.form_one("video_url") or None
    upload = call.body.files.get("video_file")
    if not url and upload is None:
        raise missing("video_file", "Give video_url or video_file.")
    if not url and upload is not None:
        _check_content(upload, "video")
    # The documentation says video_url wins when both are given.
    filename = None if url else (upload.filename if upload else None) or "video_file"
    identity = url if url else file_identity(upload) if upload else ""
    spec, duration = _task_spec(call, url, filename)
    names = [n for n in (url, filename) if n]
    names += [url_file_name(n) for n in names] + [name_stem(n) for n in names]
    failure = call.faults.task_failure("embed.tasks.create", names)
    state = call.state
    task = state.add(
        Task(
            id=state.new_id(),
            version=1,
            model_name=model,
            input_type="video",
            spec=spec,
            identity=identity,
            input_url=url,
            input_filename=filename,
            duration=duration,
            created_mono=state.now(),
            created_at=state.wall(),
            processing_time=state.processing_time,
            failure=failure,
        )
    )
    return json_reply({"_id": task.id}, task_id=task.id)


def _lookup(call: Call) -> Task:
    task_id = call.request.match_info["task_id"]
    task = call.state.get(task_id, 1)
    if task is None:
        raise not_found(task_id, "embed tasks")
    return task


async def tasks_status(call: Call) -> Reply:
    """``GET /embed/tasks/{task_id}/status``: the status without embeddings."""
    task = _lookup(call)
    return json_reply(
        {
            "_id": task.id,
            "status": task.status_at(call.state.now()),
            "model_name": task.model_name,
            "video_embedding": {"metadata": video_metadata(task)},
        }
    )


def _segments(task: Task, options: tuple[str, ...]) -> list[dict[str, Any]]:
    dim = MODEL_DIMENSIONS[task.model_name]
    spec = task.spec
    out: list[dict[str, Any]] = []

    def segment(start: float, end: float, option: str, scope: str) -> dict[str, Any]:
        vec = media_vector(
            task.model_name, task.identity, task.anchor, option, f"{scope}:{start}-{end}", dim
        )
        return {
            "float": vec,
            "start_offset_sec": start,
            "end_offset_sec": end,
            "embedding_option": option,
            "embedding_scope": scope,
        }

    if "clip" in spec["scopes"]:
        for start, end in fixed_segments(spec["start"], spec["end"], spec["clip_length"]):
            out.extend(segment(start, end, option, "clip") for option in options)
    if "video" in spec["scopes"]:
        out.extend(segment(0.0, task.duration, option, "video") for option in options)
    return out


async def tasks_retrieve(call: Call) -> Reply:
    """``GET /embed/tasks/{task_id}``: embeddings of a ready task (cached per option set)."""
    task = _lookup(call)
    allowed = V1_OPTIONS[task.model_name]
    requested = call.request.query.getall("embedding_option", [])
    for option in requested:
        if option not in allowed:
            raise invalid(
                f"embedding_option {option!r} is not available for {task.model_name}; use "
                f"{', '.join(allowed)} (repeat the key for several values).",
                "embedding_option",
            )
    options = tuple(o for o in allowed if o in requested) if requested else allowed
    now = call.state.now()
    status = task.status_at(now)
    key = (status, options)
    cached = task.cache.get(key)
    if cached is not None:
        return Reply(status=200, body=cached)
    video: dict[str, Any] = {"metadata": video_metadata(task)}
    if status == "ready":
        video["segments"] = _segments(task, options)
    body = orjson.dumps(
        {
            "_id": task.id,
            "model_name": task.model_name,
            "status": status,
            "created_at": format_time(task.created_at),
            "updated_at": format_time(task.updated_at(now)),
            "video_embedding": video,
        }
    )
    if status != "processing":
        task.cache[key] = body
    return Reply(status=200, body=body)


async def tasks_list(call: Call) -> Reply:
    """``GET /embed/tasks``: v1 tasks, newest first, one page."""
    return list_tasks(call, 1)
