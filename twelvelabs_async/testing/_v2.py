"""Handlers of the v2 endpoints: ``/embed-v2`` and ``/embed-v2/tasks``."""

from __future__ import annotations

from typing import Any

import orjson

from twelvelabs_async import limits
from twelvelabs_async.testing import _v2_documents as documents
from twelvelabs_async.testing import _v2_inputs as inputs
from twelvelabs_async.testing._embeddings import (
    MODEL_DIMENSIONS,
    dynamic_segments,
    fixed_segments,
    media_vector,
    name_stem,
    text_vector,
    truncate_dimension,
    url_file_name,
)
from twelvelabs_async.testing._http import (
    Call,
    Reply,
    compact_number,
    invalid,
    json_reply,
    missing,
)
from twelvelabs_async.testing._listing import list_tasks, not_found
from twelvelabs_async.testing._state import Task, format_time

SYNC_MAX_SECONDS = limits.SYNC_MAX_SECONDS[limits.MARENGO_30]
TASK_MIN_SECONDS = limits.TASK_MIN_SECONDS
TASK_MAX_SECONDS = limits.TASK_MAX_SECONDS


def _entry(
    vector: list[float],
    option: str | None = None,
    scope: str | None = None,
    start: float | None = None,
    end: float | None = None,
) -> dict[str, Any]:
    return {
        "embedding": vector,
        "embedding_option": option,
        "embedding_scope": scope,
        "start_sec": start,
        "end_sec": end,
    }


class _Vectors:
    """Vector factory for one request: model, dimension and optional uncertainty."""

    def __init__(self, model: str, dimension: int | None, uncertainty: bool) -> None:
        self.model = model
        self.full = MODEL_DIMENSIONS[model]
        self.dim = dimension or self.full
        self.uncertainty = uncertainty

    def _fit(self, vector: list[float]) -> list[float]:
        return vector if self.dim == self.full else truncate_dimension(vector, self.dim)

    def text(self, text: str) -> list[float]:
        return self._fit(list(text_vector(self.model, text, self.full)))

    def media(self, identity: str, anchor: str | None, option: str, label: str) -> list[float]:
        return self._fit(media_vector(self.model, identity, anchor, option, label, self.full))

    def finish(self, entry: dict[str, Any], identity: str, label: str) -> dict[str, Any]:
        if self.uncertainty:
            noise = self.media(identity, None, "uncertainty", label)
            entry["embedding_uncertainty"] = [abs(v) for v in noise]
        return entry


def media_data(spec: dict[str, Any], vectors: _Vectors) -> list[dict[str, Any]]:
    """Return the ``EmbeddingData`` list of an audio or video input spec."""
    start, end = spec["start"], spec["end"]
    if spec["strategy"] == "fixed":
        spans = fixed_segments(start, end, float(spec["seg_param"]))
    else:
        spans = dynamic_segments(start, end, float(spec["seg_param"]), spec["identity"])
    options: list[str] = []
    if "separate_embedding" in spec["types"]:
        options += spec["options"]
    if "fused_embedding" in spec["types"]:
        options.append("fused")
    identity, anchor = spec["identity"], spec["name"]
    data: list[dict[str, Any]] = []
    windows = [
        (scope, s, e) for scope in ("clip", "local") if scope in spec["scopes"] for s, e in spans
    ]
    if "asset" in spec["scopes"]:
        windows.append(("asset", start, end))
    for scope, s, e in windows:
        label = f"{scope}:{s}-{e}"
        for option in options:
            vec = vectors.media(identity, anchor, option, label)
            data.append(vectors.finish(_entry(vec, option, scope, s, e), identity, label))
    return data


def media_metadata(kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    """Return the v2 ``audio``/``video`` metadata variant for an input spec."""
    meta: dict[str, Any] = {"input_type": kind}
    if spec["url"]:
        meta["input_url"] = spec["url"]
    meta["embedding_options"] = spec["options"]
    meta["embedding_scopes"] = spec["scopes"]
    meta["duration"] = compact_number(spec["duration"])
    meta["start_offset_sec"] = compact_number(spec["start"])
    meta["end_offset_sec"] = compact_number(spec["end"])
    if kind == "video" and spec["strategy"] == "fixed":
        meta["clip_length"] = spec["seg_param"]
    return meta


def _usage(model: str, kind: str, data: list[dict[str, Any]]) -> dict[str, Any] | None:
    if model != limits.MARENGO_35:
        return None
    return {"input_tokens": {kind: 16 * max(1, len(data))}, "truncated": False}


def _sync_limit(model: str) -> float:
    return limits.SYNC_MAX_SECONDS.get(model, SYNC_MAX_SECONDS)


async def embed_create(call: Call) -> Reply:
    """``POST /embed-v2``: synchronous embeddings for one input (answers 200)."""
    if call.body.error:
        raise invalid(call.body.error)
    model, kind, body = inputs.top_level(call.body.json, inputs.SYNC_TYPES)
    vectors = _Vectors(
        model, body.get("embedding_dimension"), bool(body.get("embedding_uncertainty"))
    )
    out: dict[str, Any] = {}
    if kind == "text":
        text = inputs.text_input(body["text"], "text")
        assert text is not None
        out["data"] = [_entry(vectors.text(text))]
    elif kind in ("image", "text_image"):
        obj = body[kind]
        media_source = obj.get("media_source") if isinstance(obj, dict) else None
        if media_source is None:
            raise missing(f"{kind}.media_source")
        src = inputs.source(media_source, f"{kind}.media_source")
        identity = src["identity"]
        if kind == "text_image":
            identity += "|" + (inputs.text_input(obj, kind) or "")
        out["data"] = [_entry(vectors.media(identity, src["name"], "visual", kind))]
        out["metadata"] = {"input_type": kind, **({"input_url": src["url"]} if src["url"] else {})}
    elif kind == "multi_input":
        spec = inputs.multi_input(model, body["multi_input"], call.state.duration_for)
        if spec.get("text_only"):
            # The same vector as a text input, so a 3.5 query finds media by name.
            vec = vectors.text(spec["text"])
            kind = "text"
        else:
            vec = vectors.media(spec["identity"], spec["text"], "multi", "multi")
        out["data"] = [_entry(vec)]
        out["metadata"] = {"input_type": "multi_input"}
    else:
        spec = inputs.media(model, kind, body[kind], call.state.duration_for)
        if spec["end"] - spec["start"] > _sync_limit(model):
            raise invalid(
                f"Synchronous {kind} embeddings take at most {_sync_limit(model):g} s; use "
                "/embed-v2/tasks for longer media.",
                kind,
            )
        out["data"] = media_data(spec, vectors)
        out["metadata"] = media_metadata(kind, spec)
    usage = _usage(model, kind, out["data"])
    if usage is not None:
        out["usage"] = usage
    return json_reply(out)


async def tasks_create(call: Call) -> Reply:
    """``POST /embed-v2/tasks``: start an audio or video task (answers 202 ``processing``)."""
    if call.body.error:
        raise invalid(call.body.error)
    model, kind, body = inputs.top_level(call.body.json, inputs.TASK_TYPES)
    state = call.state
    if kind == "image":
        obj = body["image"]
        media_source = obj.get("media_source") if isinstance(obj, dict) else None
        if media_source is None:
            raise missing("image.media_source")
        src = inputs.source(media_source, "image.media_source")
        spec: dict[str, Any] = {**src, "image": True, "duration": 0.0}
    elif kind == "document":
        spec = documents.document(body["document"])
    else:
        spec = inputs.media(model, kind, body[kind], state.duration_for)
        if spec["duration"] < TASK_MIN_SECONDS or spec["duration"] > TASK_MAX_SECONDS:
            raise invalid(
                f"Task media must last 4 s to 4 h; this {kind} lasts {spec['duration']:g} s.",
                kind,
            )
    spec["dimension"] = body.get("embedding_dimension")
    spec["uncertainty"] = bool(body.get("embedding_uncertainty"))
    names = [n for n in (spec["url"], spec["name"]) if n]
    names += [url_file_name(n) for n in names] + [name_stem(n) for n in names]
    task = state.add(
        Task(
            id=state.new_id(),
            version=2,
            model_name=model,
            input_type=kind,
            spec=spec,
            identity=spec["identity"],
            input_url=spec["url"],
            input_filename=None,
            duration=spec["duration"],
            created_mono=state.now(),
            created_at=state.wall(),
            processing_time=state.processing_time,
            failure=call.faults.task_failure("embed.v2.tasks.create", names),
        )
    )
    out: dict[str, Any] = {"_id": task.id, "status": "processing", "data": None}
    if model == "marengo3.5":
        out["metadata"] = {"embedding_dimension": spec["dimension"] or 512}
    return json_reply(out, status=202, task_id=task.id)


def _task_data(task: Task) -> list[dict[str, Any]]:
    spec = task.spec
    vectors = _Vectors(task.model_name, spec["dimension"], spec["uncertainty"])
    if spec.get("image"):
        return [_entry(vectors.media(task.identity, spec["name"], "visual", "image"))]
    if spec.get("document"):
        return documents.document_data(spec, vectors)
    return media_data(spec, vectors)


async def tasks_retrieve(call: Call) -> Reply:
    """``GET /embed-v2/tasks/{task_id}``: status and, once ready, the embeddings."""
    task_id = call.request.match_info["task_id"]
    task = call.state.get(task_id, 2)
    if task is None:
        raise not_found(task_id, "embed-v2 tasks")
    now = call.state.now()
    status = task.status_at(now)
    cached = task.cache.get(status)
    if cached is not None:
        return Reply(status=200, body=cached)
    out: dict[str, Any] = {
        "_id": task.id,
        "status": status,
        "created_at": format_time(task.created_at),
        "updated_at": format_time(task.updated_at(now)),
        "data": _task_data(task) if status == "ready" else None,
    }
    if task.spec.get("document"):
        out["metadata"] = documents.document_metadata(task.spec)
    elif not task.spec.get("image"):
        out["metadata"] = media_metadata(task.input_type, task.spec)
    if status == "ready" and task.model_name == limits.MARENGO_35:
        out["usage"] = _usage(task.model_name, task.input_type, out["data"])
    if status == "failed":
        out["error"] = {"message": task.failure or "The embedding task failed."}
    body = orjson.dumps(out)
    if status != "processing":
        task.cache[status] = body
    return Reply(status=200, body=body)


async def tasks_list(call: Call) -> Reply:
    """``GET /embed-v2/tasks``: v2 tasks, newest first, one page."""
    return list_tasks(call, 2)
