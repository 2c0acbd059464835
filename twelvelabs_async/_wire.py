"""What a request and a response are, independent of the HTTP library.

Relative paths, query parameters and multipart fields are normalised here (and invalid
ones refused before anything is sent); :class:`Response` is what the transport returns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

import attrs
import orjson

from twelvelabs_async._uploads import to_upload
from twelvelabs_async.errors import InvalidRequestError, ResponseValidationError, find_request_id

__all__ = [
    "MultipartField",
    "Path",
    "Response",
    "multipart_fields",
    "query_pairs",
    "relative_path",
]

#: A relative path: a safe string, or segments to be quoted one by one.
Path = str | Sequence[str]

#: One multipart field: ``(name, text or file input)``.
MultipartField = tuple[str, Any]


@attrs.frozen(repr=False)
class Response:
    """A successful (2xx) HTTP response, read whole.

    Attributes:
        status: the HTTP status.
        headers: the response headers (case-insensitive mapping).
        body: the raw body.
        request_id: the request id header's value, if the response has one.
        method: the request's HTTP method.
        path: the request's path relative to the base URL.
    """

    status: int
    headers: Mapping[str, str]
    body: bytes
    method: str
    path: str

    @property
    def request_id(self) -> str | None:
        """The request id header's value, if the response has one."""
        # Looked up on demand: most successful calls never ask for it.
        return find_request_id(self.headers)

    def json(self) -> Any:
        """Decode the body as JSON.

        Raises:
            ResponseValidationError: the body is not valid JSON.
        """
        try:
            return orjson.loads(self.body)
        except orjson.JSONDecodeError as exc:
            raise ResponseValidationError(
                f"{self.status} response to {self.method} {self.path} is not valid JSON: {exc}",
                body=self.body,
            ) from None

    def __repr__(self) -> str:
        return f"<Response {self.status} {self.method} {self.path} ({len(self.body)} bytes)>"


_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
# Exactly the characters quote() leaves alone (ASCII letters and digits plus ``safe``): a
# path or segment made only of them is used as it is. quote() costs about 3 us a segment,
# some 15 % of a status poll's client CPU; the match costs a tenth of that.
_SAFE_PATH = re.compile(r"[A-Za-z0-9/:@!$&'()*+,;=._~%-]*")
_SAFE_SEGMENT = re.compile(r"[A-Za-z0-9._~-]*")
_BAD_SEGMENTS = frozenset({"", ".", ".."})


def relative_path(path: Path) -> str:
    """Return the quoted path relative to the base URL (see the module docstring)."""
    if isinstance(path, str):
        if not path or path.startswith("/"):
            raise InvalidRequestError(f"path must be relative and non-empty, got {path!r}")
        return path if _SAFE_PATH.fullmatch(path) else quote(path, safe=_PATH_SAFE)
    segments = tuple(path)
    # The common case in one match: every segment a str of safe characters (no "/" among
    # them, so the concatenation is safe exactly when each segment is), none of them empty,
    # "." or "..".
    try:
        joined = "".join(segments)
    except TypeError:
        joined = None  # a segment that is not a str: refused below
    if (
        joined is not None
        and _SAFE_SEGMENT.fullmatch(joined)
        and _BAD_SEGMENTS.isdisjoint(segments)
    ):
        return "/".join(segments)
    for seg in segments:
        if not isinstance(seg, str) or seg in _BAD_SEGMENTS:
            raise InvalidRequestError(f"invalid path segment {seg!r} (an empty or missing id?)")
    return "/".join(
        seg if _SAFE_SEGMENT.fullmatch(seg) else quote(seg, safe="") for seg in segments
    )


def _scalar(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    raise InvalidRequestError(f"parameter {key!r}: cannot send a {type(value).__name__}")


def query_pairs(
    params: Mapping[str, Any] | Iterable[tuple[str, Any]] | None,
) -> list[tuple[str, str]]:
    """Flatten query parameters into pairs: sequences repeat the key, ``None`` is dropped."""
    if params is None:
        return []
    items = params.items() if isinstance(params, Mapping) else params
    pairs: list[tuple[str, str]] = []
    for key, value in items:
        if value is None:
            continue
        if isinstance(value, list | tuple | set | frozenset):
            pairs.extend((key, _scalar(key, v)) for v in value if v is not None)
        else:
            pairs.append((key, _scalar(key, value)))
    return pairs


def multipart_fields(multipart: Iterable[MultipartField]) -> list[MultipartField]:
    """Turn scalars into text fields and everything else into checked :class:`UploadFile` s."""
    fields: list[MultipartField] = []
    for name, value in multipart:
        if value is None:
            continue
        if isinstance(value, str | bool | int | float):
            fields.append((name, _scalar(name, value)))
        else:
            fields.append((name, to_upload(value, field=name)))
    return fields
