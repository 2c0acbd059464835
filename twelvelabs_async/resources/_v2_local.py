"""Local files as v2 media sources: base64 when small, an uploaded asset when large.

A v2 input's ``media_source`` may be a local path given as an ``os.PathLike`` (for example
``pathlib.Path("match.mp4")``; a ``str`` stays a wire value, never a path)::

    await client.embed.v2.tasks.create(
        model_name="marengo3.0", video={"media_source": Path("match.mp4")})

Files up to :data:`~.embed_v2.MAX_BASE64_SOURCE_BYTES` travel as base64. Larger ones are
uploaded as an asset (direct up to 200 MB, multipart up to 10 GB), waited for until ready,
and sent as ``asset_id``; pass ``upload_large_files=False`` to refuse them instead.

The request is validated first with a stand-in source, so a bad request uploads nothing.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from typing import Any

from twelvelabs_async.resources._base import Requester

__all__ = ["Placeholders", "find_local_sources", "resolve_local_sources"]

_INPUTS = ("audio", "video", "image", "text_image", "document")
_MARK = "local-file-"

#: placeholder id -> path
Placeholders = dict[str, str]


def find_local_sources(parts: dict[str, Any]) -> Placeholders:
    """Replace path media sources in ``parts`` by stand-in asset ids; return what they stand for."""
    found: Placeholders = {}
    for name in _INPUTS:
        holder = parts.get(name)
        if isinstance(holder, dict) and isinstance(holder.get("media_source"), os.PathLike):
            token = f"{_MARK}{len(found)}"
            found[token] = os.fsdecode(os.fspath(holder["media_source"]))
            holder["media_source"] = {"asset_id": token}
    return found


async def resolve_local_sources(
    body: dict[str, Any],
    found: Placeholders,
    requester: Requester,
    *,
    upload_large_files: bool,
    on_asset: Callable[[str, str], Awaitable[None] | None] | None = None,
) -> None:
    """Put the real media source (base64 or an uploaded asset's id) where each stand-in is.

    Raises:
        InvalidRequestError: a file is too large for base64 and uploads are off, or missing.
        AssetFailedError: the uploaded asset failed.
    """
    from twelvelabs_async.resources.embed_v2 import (
        MAX_BASE64_SOURCE_BYTES,
        media_source_from_file,
    )

    for name in _INPUTS:
        holder = body.get(name)
        source = holder.get("media_source") if isinstance(holder, dict) else None
        token = source.get("asset_id") if isinstance(source, dict) else None
        if not isinstance(holder, dict) or token not in found:
            continue
        path = found[str(token)]
        size = await asyncio.to_thread(_size, path)
        if size <= MAX_BASE64_SOURCE_BYTES or not upload_large_files:
            holder["media_source"] = await asyncio.to_thread(media_source_from_file, path)
            continue
        from twelvelabs_async.resources.assets import Assets

        asset = await Assets(requester).upload(path)
        holder["media_source"] = {"asset_id": asset.id}
        if on_asset is not None and asset.id:
            result = on_asset(path, asset.id)
            if result is not None:
                await result


def _size(path: str) -> int:
    # A missing file is left to media_source_from_file, which names it in its error.
    return os.path.getsize(path) if os.path.isfile(path) else -1
