"""Request bodies in, error bodies out: the HTTP plumbing shared by the fake's handlers."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiohttp import BodyPartReader, web

from twelvelabs_async.testing._faults import Faults
from twelvelabs_async.testing._state import ServerState, UploadedFile

_CHUNK = 256 * 1024
#: Bytes of each uploaded file kept to tell its format.
_HEAD = 16


class ApiError(Exception):
    """An error answer; the server writes it flat (v1) or nested (v2).

    Args:
        status: HTTP status.
        code: Documented error code (``parameter_invalid``, ...).
        message: Human-readable text.
        details: Extra data for the nested shape's ``details``.
    """

    def __init__(
        self, status: int, code: str, message: str, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details


def invalid(message: str, field_name: str | None = None) -> ApiError:
    """Return a 400 ``parameter_invalid`` error about ``field_name``."""
    return ApiError(
        400, "parameter_invalid", message, {"field": field_name} if field_name else None
    )


def missing(field_name: str, message: str | None = None) -> ApiError:
    """Return a 400 ``parameter_not_provided`` error about ``field_name``."""
    text = message or f"The {field_name} parameter is required."
    return ApiError(400, "parameter_not_provided", text, {"field": field_name})


def error_body(error: ApiError, nested: bool) -> bytes:
    """Serialize an error in the flat ``{code, message}`` or nested ``{error: {...}}`` shape."""
    if nested:
        inner: dict[str, Any] = {"code": error.code, "message": error.message}
        if error.details is not None:
            inner["details"] = error.details
        return orjson.dumps({"error": inner})
    return orjson.dumps({"code": error.code, "message": error.message})


@dataclass
class Reply:
    """A handler's answer before faults that act on answers are applied.

    Attributes:
        status: HTTP status.
        body: The serialized body.
        content_type: The body's content type.
        headers: Extra headers.
        task_id: Id of a task the request created.
    """

    status: int
    body: bytes
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    task_id: str | None = None


def json_reply(payload: Any, status: int = 200, task_id: str | None = None) -> Reply:
    """Serialize ``payload`` with orjson into a :class:`Reply`."""
    return Reply(status=status, body=orjson.dumps(payload), task_id=task_id)


@dataclass
class Body:
    """A parsed request body.

    Attributes:
        form: Multipart text fields (values in arrival order).
        files: Multipart file parts by field name (the last one wins).
        file_list: Every file part in arrival order.
        json: A parsed JSON body.
        kind: ``multipart``, ``json``, ``other`` or ``none``.
        size: Bytes received.
        error: Why the body could not be parsed, if it could not.
    """

    form: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)
    file_list: list[UploadedFile] = field(default_factory=list)
    json: Any = None
    kind: str = "none"
    size: int = 0
    error: str | None = None


async def read_body(request: web.Request, hash_uploads: bool) -> Body:
    """Read a request body without ever holding an uploaded file in memory.

    File parts are streamed through a running size count (and SHA-256 unless
    ``hash_uploads`` is false) and discarded.

    Args:
        request: The incoming request.
        hash_uploads: Whether to hash file parts.

    Returns:
        The parsed body; ``error`` is set when it was malformed.
    """
    body = Body()
    if not request.body_exists:
        return body
    ctype = request.content_type
    if ctype.startswith("multipart/"):
        body.kind = "multipart"
        try:
            await _read_multipart(request, body, hash_uploads)
        except (ValueError, AssertionError, RuntimeError) as exc:
            body.error = f"The multipart body could not be parsed: {exc}"
        return body
    raw = await request.read()
    body.size = len(raw)
    if not raw:
        return body
    if ctype in ("application/json", "") or ctype.endswith("+json"):
        body.kind = "json"
        try:
            body.json = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            body.error = f"The request body is not valid JSON: {exc}"
    else:
        body.kind = "other"
    return body


async def _read_multipart(request: web.Request, body: Body, hash_uploads: bool) -> None:
    reader = await request.multipart()
    while True:
        part = await reader.next()
        if part is None:
            return
        if not isinstance(part, BodyPartReader):  # nested multipart: not part of the API
            raise ValueError("nested multipart parts are not supported")
        name = part.name or ""
        if part.filename is None:
            data = await part.read(decode=True)
            body.size += len(data)
            body.form.setdefault(name, []).append(data.decode(part.get_charset("utf-8")))
            continue
        digest = hashlib.sha256() if hash_uploads else None
        size = 0
        head = b""
        while chunk := await part.read_chunk(_CHUNK):
            if len(head) < _HEAD:
                head += chunk[: _HEAD - len(head)]
            size += len(chunk)
            if digest is not None:
                digest.update(chunk)
        body.size += size
        upload = UploadedFile(
            field=name,
            filename=part.filename,
            content_type=part.headers.get("Content-Type"),
            size=size,
            sha256=digest.hexdigest() if digest is not None else None,
            head=head,
        )
        body.files[name] = upload
        body.file_list.append(upload)


@dataclass
class Call:
    """Everything a handler needs about one request.

    Attributes:
        request: The aiohttp request.
        body: Its parsed body.
        state: The server's tasks and clock.
        faults: The server's fault rules.
    """

    request: web.Request
    body: Body
    state: ServerState
    faults: Faults

    def query_one(self, name: str) -> str | None:
        """Return the single value of a query parameter (400 when repeated)."""
        values = self.request.query.getall(name, [])
        if len(values) > 1:
            raise invalid(f"The {name} parameter must be given once.", name)
        return values[0] if values else None

    def form_one(self, name: str) -> str | None:
        """Return the single value of a form field (400 when repeated)."""
        values = self.body.form.get(name, [])
        if len(values) > 1:
            raise invalid(f"The {name} parameter must be given once.", name)
        return values[0] if values else None


def parse_number(value: str | None, name: str) -> float | None:
    """Parse a numeric form or query value, raising 400 ``parameter_invalid`` when not one."""
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except ValueError:
        raise invalid(f"The {name} parameter must be a number, got {value!r}.", name) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise invalid(f"The {name} parameter must be a finite number.", name)
    return number


def compact_number(value: float) -> float | int:
    """Return ``6`` for ``6.0`` so JSON shows whole numbers the way the API does."""
    return int(value) if float(value).is_integer() else value
