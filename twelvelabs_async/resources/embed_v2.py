"""Embed API v2: synchronous embeddings (``POST /embed-v2``) and the entry to v2 tasks.

Reached as ``client.embed.v2`` (also ``client.embed.v_2``, the official SDK's name)::

    result = await client.embed.v2.create(model_name="marengo3.0", text="a cat on a sofa")
    result.data[0].embedding

    clip = {"media_source": {"url": "https://cdn.example.com/short.mp4"},
            "segmentation": {"strategy": "fixed", "fixed": {"duration_sec": 6}}}
    result = await client.embed.v2.create(input_type="video", model_name="marengo3.0", video=clip)

Nested inputs (``text``, ``image``, ``text_image``, ``audio``, ``video``, ``multi_input`` and
everything inside them) may be plain dicts shaped like the wire JSON, the generated request
classes from :mod:`twelvelabs_async.models`, or the official SDK's request classes (any
object with a pydantic-style ``model_dump()`` or ``dict()``, read by its wire aliases). A
media source's base64 data may be called ``base64_string`` (the wire name) or
``base_64_string`` (the official SDK's name).
Every documented rule is checked before any byte is sent (see
:mod:`twelvelabs_async._validate_v2`).
"""

from __future__ import annotations

import base64
import enum
import os
from collections.abc import Callable, Mapping
from typing import IO, TYPE_CHECKING, Any, Protocol

import attrs

from twelvelabs_async import _convert, limits
from twelvelabs_async._validate_v2 import build_sync_body
from twelvelabs_async.errors import InvalidRequestError
from twelvelabs_async.models import EmbeddingSuccessResponse
from twelvelabs_async.resources._base import Requester, Resource
from twelvelabs_async.resources._v2_local import find_local_sources, resolve_local_sources

if TYPE_CHECKING:
    from twelvelabs_async.models import (
        AudioInputRequest,
        ImageInputRequest,
        MultiInputRequest,
        TextImageInputRequest,
        TextInputRequest,
        VideoInputRequest,
    )
    from twelvelabs_async.resources.embed_v2_tasks import EmbedV2Tasks
    from twelvelabs_async.types import RequestOptions, RequestOptionsDict


class SupportsModelDump(Protocol):
    """A request object of another SDK: pydantic-style ``model_dump()`` (the official SDK's)."""

    def model_dump(self, *, by_alias: bool = ..., exclude_none: bool = ...) -> Mapping[str, Any]:
        """Return the object's fields as a dict."""
        ...


#: A nested request object besides the generated classes: a dict shaped like the wire JSON,
#: or another SDK's request object (dumped by its wire aliases).
WireDict = Mapping[str, Any] | SupportsModelDump

__all__ = [
    "MAX_BASE64_SOURCE_BYTES",
    "EmbedV2",
    "SupportsModelDump",
    "media_source_from_file",
    "to_wire",
]

#: The largest file :func:`media_source_from_file` encodes by default: 36 MiB of file
#: content. The sources disagree on whether the documented 36 MB counts the base64 text
#: or the decoded file; the larger reading is used so that no valid request is refused
#: here (the server has the last word).
MAX_BASE64_SOURCE_BYTES = limits.BASE64_MAX_BYTES


def to_wire(value: Any, unstructure: Callable[[Any], Any] | None = None) -> Any:
    """Turn a request value (dicts, lists, generated request classes, enums) into wire JSON.

    Generated attrs instances go through the project's converter; objects of other SDKs
    with a pydantic-style ``model_dump()`` (or pydantic 1's ``dict()``), such as
    ``twelvelabs.types.TextInputRequest``, are dumped by their wire aliases without
    ``None`` fields. Dict keys are kept as given except ``base_64_string`` (the official
    SDK's Python name), which becomes ``base64_string``; ``None`` values are dropped,
    because the API reads an omitted field as "use the default". The input is never
    modified: a new structure is returned.

    Args:
        value: the value to convert.
        unstructure: turns an attrs instance into a dict (the project's converter by default).

    Returns:
        Dicts, lists and scalars ready for JSON encoding.

    Raises:
        InvalidRequestError: a dict has a non-string key, or both ``base64_string`` and
            ``base_64_string``; or a ``model_dump()`` gave something other than a dict.
    """
    if isinstance(value, enum.Enum):
        return value.value
    if value is None or isinstance(value, str | int | float):
        return value
    if attrs.has(type(value)):
        convert = unstructure if unstructure is not None else _convert.unstructure
        return to_wire(convert(value), unstructure)
    dumped = _dump_foreign(value)
    if dumped is not None:
        return to_wire(dumped, unstructure)
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if isinstance(key, enum.Enum):
                key = key.value
            if not isinstance(key, str):
                raise InvalidRequestError(f"request object keys must be strings, got {key!r}")
            if item is None:
                continue
            name = "base64_string" if key == "base_64_string" else key
            if name in out:
                raise InvalidRequestError(
                    "a media source has both base64_string and base_64_string; give only one"
                )
            out[name] = to_wire(item, unstructure)
        return out
    if isinstance(value, list | tuple):
        return [to_wire(item, unstructure) for item in value]
    return value


def _dump_foreign(value: Any) -> Mapping[str, Any] | None:
    """Dump a pydantic-style request object by its aliases; ``None`` for anything else."""
    if isinstance(value, Mapping | list | tuple | bytes | bytearray):
        return None
    for name in ("model_dump", "dict"):
        method = getattr(value, name, None)
        if not callable(method) or isinstance(value, type):
            continue
        try:
            dumped = method(by_alias=True, exclude_none=True)
        except TypeError:
            # A model_dump() without pydantic's keywords: take what it gives.
            dumped = method()
        if not isinstance(dumped, Mapping):
            raise InvalidRequestError(
                f"{type(value).__name__}.{name}() returned {type(dumped).__name__}, not a dict; "
                "pass a dict shaped like the wire JSON or a request class instead"
            )
        return dumped
    return None


def media_source_from_file(
    source: str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes],
    *,
    max_bytes: int | None = MAX_BASE64_SOURCE_BYTES,
) -> dict[str, str]:
    """Build a base64 media source from a local file, for the JSON-only v2 endpoints.

    The v2 API has no file upload: media comes as a URL, an asset id or base64 data. This
    reads a local file (or bytes) and returns ``{"base64_string": ...}``, to use wherever a
    media source goes::

        video = {"media_source": media_source_from_file("clip.mp4")}
        await client.embed.v2.create(input_type="video", model_name="marengo3.0", video=video)

        image = {"media_type": "image", "name": "pet", **media_source_from_file("pet.png")}

    Limits: the docs allow base64 payloads up to 36 MB for synchronous audio and video, and
    images up to 5 MB (32 MB in newer docs). Only files above the larger reading of the
    largest limit (36 MiB of content) are refused here; the server decides the rest. For
    bigger media use a URL, an uploaded asset, or ``client.embed.v2.tasks``.

    This reads the whole file synchronously; call it via ``asyncio.to_thread`` in a busy
    event loop if the file is large.

    Args:
        source: a path (``str`` is always a path, never content), bytes, or a binary file
            object (read from its current position, not closed).
        max_bytes: refuse content larger than this many bytes; ``None`` disables the check.

    Returns:
        ``{"base64_string": "<base64 text>"}``.

    Raises:
        InvalidRequestError: the path is missing or not a file, the content is empty, or it
            is larger than ``max_bytes``.
    """
    if isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        if not os.path.isfile(path):
            raise InvalidRequestError(f"media file {path!r} does not exist or is not a file")
        size = os.path.getsize(path)
        _check_size(size, max_bytes, path)
        with open(path, "rb") as handle:
            data = handle.read()
    elif isinstance(source, bytes | bytearray | memoryview):
        _check_size(memoryview(source).nbytes, max_bytes, "the media")
        data = bytes(source)
    elif hasattr(source, "read"):
        data = source.read()
        if not isinstance(data, bytes):
            raise InvalidRequestError("the file object must be opened in binary mode ('rb')")
    else:
        raise InvalidRequestError(
            f"media_source_from_file takes a path, bytes or a binary file object, "
            f"got {type(source).__name__}"
        )
    _check_size(len(data), max_bytes, "the media")
    if not data:
        raise InvalidRequestError("the media is empty: there is nothing to embed")
    return {"base64_string": base64.b64encode(data).decode("ascii")}


def _check_size(size: int, max_bytes: int | None, what: str) -> None:
    if max_bytes is not None and size > max_bytes:
        raise InvalidRequestError(
            f"{what} has {size} bytes, more than the {max_bytes} allowed for base64 input; "
            "pass a public URL or an uploaded asset_id instead, or use client.embed.v2.tasks "
            "for long media"
        )


class EmbedV2(Resource):
    """The v2 embedding endpoints: ``create`` here, async tasks under :attr:`tasks`.

    Args:
        requester: sends the requests (the client's transport).
    """

    def __init__(self, requester: Requester) -> None:
        super().__init__(requester)
        self._tasks: EmbedV2Tasks | None = None

    @property
    def tasks(self) -> EmbedV2Tasks:
        """The v2 async task endpoints (``POST/GET /embed-v2/tasks``)."""
        if self._tasks is None:
            from twelvelabs_async.resources.embed_v2_tasks import EmbedV2Tasks

            self._tasks = EmbedV2Tasks(self._requester)
        return self._tasks

    async def create(
        self,
        *,
        model_name: str,
        input_type: str | None = None,
        text: str | TextInputRequest | WireDict | None = None,
        image: ImageInputRequest | WireDict | None = None,
        text_image: TextImageInputRequest | WireDict | None = None,
        audio: AudioInputRequest | WireDict | None = None,
        video: VideoInputRequest | WireDict | None = None,
        multi_input: MultiInputRequest | WireDict | None = None,
        embedding_dimension: int | None = None,
        auto_truncate: bool | None = None,
        embedding_uncertainty: bool | None = None,
        upload_large_files: bool = True,
        request_options: RequestOptions | RequestOptionsDict | None = None,
    ) -> EmbeddingSuccessResponse:
        """Embed one input synchronously (``POST /embed-v2``).

        Use it for text, images, and audio or video up to 10 minutes (30 s on Marengo 3.5);
        longer media goes through :attr:`tasks`.

        Args:
            model_name: ``"marengo3.0"`` or ``"marengo3.5"`` (3.5 takes only ``multi_input``
                here). Unknown names are sent as is.
            input_type: ``text``, ``image``, ``text_image``, ``audio``, ``video`` or
                ``multi_input``; may be left out when exactly one input argument is given.
                An unknown value is sent as is.
            text: ``{"input_text": ...}``, a ``TextInputRequest``, or simply a ``str``.
            image: ``{"media_source": {...}}`` or an ``ImageInputRequest``.
            text_image: ``{"media_source": {...}, "input_text": ...}``.
            audio: ``{"media_source": {...}, "start_sec", "end_sec", "segmentation",
                "embedding_option", "embedding_scope", "embedding_type"}``.
            video: like ``audio``; ``segmentation`` may be fixed or dynamic.
            multi_input: ``{"input_text"?: ..., "media_sources"?: [...]}``, up to 10 sources,
                each with ``media_type`` and exactly one of url/base64_string/asset_id;
                ``<@name>`` in the text refers to a source's ``name``. Text alone (no
                ``media_sources``) is how Marengo 3.5 embeds a text query; see
                :meth:`embed_text`.
            embedding_dimension: 128, 256 or 512 (Marengo 3.5 only).
            auto_truncate: cut text over the model's limit instead of failing (3.5 only).
            embedding_uncertainty: also return per-value uncertainty (3.5 only).
            upload_large_files: a ``media_source`` given as a local path
                (``pathlib.Path``) too large for base64 is uploaded as an asset and sent
                as ``asset_id``; ``False`` refuses such files instead.
            request_options: per-call timeout, retries and headers.

        Returns:
            The embeddings (``.data``), with ``.metadata`` for media inputs.

        Raises:
            InvalidRequestError: the input breaks a documented rule (nothing was sent).
            APIError: the API refused the request or could not be reached.
        """
        parts = {
            "image": to_wire(image),
            "text_image": to_wire(text_image),
            "audio": to_wire(audio),
            "video": to_wire(video),
        }
        found = find_local_sources(parts)
        body = build_sync_body(
            input_type=input_type,
            model_name=model_name,
            text=text if isinstance(text, str) else to_wire(text),
            multi_input=to_wire(multi_input),
            **parts,
            embedding_dimension=embedding_dimension,
            auto_truncate=auto_truncate,
            embedding_uncertainty=embedding_uncertainty,
        )
        if found:
            await resolve_local_sources(
                body, found, self._requester, upload_large_files=upload_large_files
            )
        return await self._call(
            "POST", "embed-v2", EmbeddingSuccessResponse, json=body, options=request_options
        )

    async def embed_text(
        self,
        text: str,
        *,
        model_name: str = "marengo3.0",
        embedding_dimension: int | None = None,
        auto_truncate: bool | None = None,
        request_options: RequestOptions | RequestOptionsDict | None = None,
    ) -> EmbeddingSuccessResponse:
        """Embed a text (a search query) with the request shape its model needs.

        Marengo 3.0 takes ``input_type="text"``; Marengo 3.5 accepts only ``multi_input``
        on this endpoint, so the text goes in a text-only ``multi_input``. Compare the
        vector only with vectors of the same model (and dimension)::

            query = await client.embed.v2.embed_text("a dog on a beach", model_name="marengo3.5")
            vector = query.data[0].embedding

        Args:
            text: the text to embed.
            model_name: ``"marengo3.0"`` (the default) or ``"marengo3.5"``; another name is
                sent in the 3.5 shape (newer models take ``multi_input``).
            embedding_dimension: 128, 256 or 512 (Marengo 3.5 only).
            auto_truncate: cut text over the model's limit instead of failing (3.5 only).
            request_options: per-call timeout, retries and headers.

        Returns:
            The response; ``.data[0].embedding`` is the vector.

        Raises:
            InvalidRequestError: empty text or an option the model does not take.
            APIError: the API refused the request or could not be reached.
        """
        if model_name == limits.MARENGO_30:
            return await self.create(
                model_name=model_name,
                input_type="text",
                text=text,
                embedding_dimension=embedding_dimension,
                auto_truncate=auto_truncate,
                request_options=request_options,
            )
        return await self.create(
            model_name=model_name,
            input_type="multi_input",
            multi_input={"input_text": text},
            embedding_dimension=embedding_dimension,
            auto_truncate=auto_truncate,
            request_options=request_options,
        )
