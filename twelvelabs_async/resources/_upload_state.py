"""What a multipart upload keeps and returns: its result, its resumable state, the state file."""

from __future__ import annotations

import datetime as dt
import logging
import mimetypes
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs
import orjson

from twelvelabs_async.errors import InvalidRequestError

if TYPE_CHECKING:
    from twelvelabs_async._transport._storage import FileSlices

__all__ = ["UploadResult", "UploadState", "guess_type", "load_state", "save_state"]

_log = logging.getLogger("twelvelabs_async.uploads")
_TYPES = ("video", "audio", "image")


@attrs.frozen
class UploadResult:
    """What :meth:`MultipartUpload.upload_file` did.

    Attributes:
        asset_id: the new asset (use it as ``media_source.asset_id`` once ready).
        asset_url: the asset's address from the last chunk report ('' when not given).
        upload_id: the session.
        chunks_sent: chunks uploaded by this call.
        chunks_skipped: chunks the session already had (on resume).
    """

    asset_id: str
    asset_url: str
    upload_id: str
    chunks_sent: int = 0
    chunks_skipped: int = 0


@attrs.frozen
class UploadState:
    """A session as needed to resume it: what ``state_file`` holds.

    Attributes:
        upload_id: the session.
        asset_id: the asset the file becomes.
        chunk_size: bytes per chunk.
        total_chunks: chunks in the file.
        total_size: the file's size when the session was opened.
        upload_headers: headers for chunk PUTs.
        mtime_ns: the file's modification time when the session was opened.
    """

    upload_id: str
    asset_id: str
    chunk_size: int
    total_chunks: int
    total_size: int
    upload_headers: dict[str, str] = attrs.Factory(dict)
    mtime_ns: int = 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (what a journal or a state file stores)."""
        return attrs.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> UploadState:
        """Read :meth:`to_dict`'s output back.

        Raises:
            InvalidRequestError: the dict is not a saved upload state.
        """
        try:
            return cls(
                upload_id=str(data["upload_id"]),
                asset_id=str(data["asset_id"]),
                chunk_size=int(data["chunk_size"]),
                total_chunks=int(data["total_chunks"]),
                total_size=int(data["total_size"]),
                upload_headers={str(k): str(v) for k, v in dict(data["upload_headers"]).items()},
                mtime_ns=int(data.get("mtime_ns", 0)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidRequestError(f"not a saved upload state: {exc}") from None


def path_of(file_path: object) -> str:
    if not isinstance(file_path, str | os.PathLike):
        raise InvalidRequestError(
            f"file_path must be a path (str or os.PathLike), got {type(file_path).__name__}"
        )
    path = os.fsdecode(os.fspath(file_path))
    if not os.path.isfile(path):
        raise InvalidRequestError(f"file_path: no such file {path!r}")
    return path


def guess_type(name: str) -> str:
    """``video``, ``audio`` or ``image`` from a file name (``video`` when unknown)."""
    mime = mimetypes.guess_type(name)[0] or ""
    kind = mime.split("/", 1)[0]
    return kind if kind in _TYPES else "video"


def check_positive(name: str, value: object, *, zero: bool = False) -> None:
    low = 0 if zero else 1
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise InvalidRequestError(f"{name} must be an integer >= {low}, got {value!r}")


def urls_of(items: Any) -> list[tuple[int, str, dt.datetime | None]]:
    out = []
    for item in items or ():
        if item.chunk_index is not None and item.url:
            out.append((item.chunk_index, item.url, item.expires_at))
    return out


def load_state(state_file: str | os.PathLike[str] | None, source: FileSlices) -> UploadState | None:
    if state_file is None or not os.path.exists(state_file):
        return None
    try:
        with open(state_file, "rb") as handle:
            state = UploadState.from_dict(orjson.loads(handle.read()))
    except (OSError, orjson.JSONDecodeError, InvalidRequestError) as exc:
        raise InvalidRequestError(
            f"state_file {os.fspath(state_file)!r} cannot be read ({exc}); delete it to start over"
        ) from None
    if state.total_size != source.size or (state.mtime_ns and state.mtime_ns != source.mtime_ns):
        _log.info("state file %s is for another version of the file: starting over", state_file)
        return None
    return state


def save_state(state_file: str | os.PathLike[str], state: UploadState) -> None:
    # Written whole then renamed: a kill mid-write leaves the old file or none, never half.
    tmp = f"{os.fspath(state_file)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(orjson.dumps(state.to_dict()))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, state_file)
