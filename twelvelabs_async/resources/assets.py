"""Assets (``client.assets``): media kept by the platform, embedded by ``asset_id``.

::

    asset = await client.assets.upload("match.mp4")          # direct or multipart, then ready
    video = {"media_source": {"asset_id": asset.id}}
    task = await client.embed.v2.tasks.create(model_name="marengo3.0", video=video)

Limits (section 17 of the API facts): direct uploads up to 200 MB, multipart up to 10 GB,
images up to 32 MB, files by URL up to 4 GB. An asset starts ``processing`` and becomes
``ready`` or ``failed``; only a ready asset can be embedded.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import orjson

from twelvelabs_async import _polling
from twelvelabs_async._pagination import DEFAULT_MAX_PAGES, AsyncPager
from twelvelabs_async._uploads import to_upload
from twelvelabs_async.errors import AssetFailedError, InvalidRequestError, WaitTimeoutError
from twelvelabs_async.models import Asset, AssetDetail, AssetsListResponse
from twelvelabs_async.resources._base import Requester, Resource

if TYPE_CHECKING:
    from twelvelabs_async._transport._storage import Storage
    from twelvelabs_async.resources._chunked import ProgressCallback
    from twelvelabs_async.resources.multipart_upload import MultipartUpload
    from twelvelabs_async.types import FileInput, RequestOptions
    from twelvelabs_async.types import ProgressCallback as TransportProgress

__all__ = ["ASSET_TERMINAL_STATUSES", "MAX_DIRECT_BYTES", "MAX_UPLOAD_BYTES", "Assets"]

#: The largest file sent in one ``POST /assets`` (200 MB); larger ones go multipart.
MAX_DIRECT_BYTES = 200 * 1000 * 1000
#: The largest file an asset can hold (10 GB).
MAX_UPLOAD_BYTES = 10 * 1000**3
#: Statuses after which an asset never changes (the polling engine's terminal set).
ASSET_TERMINAL_STATUSES = frozenset({"ready", "failed"})
_MAX_PAGE_LIMIT = 50


def _asset_path(asset_id: str) -> tuple[str, str]:
    if not isinstance(asset_id, str) or not asset_id.strip() or "/" in asset_id:
        raise InvalidRequestError(f"asset_id must be a non-empty id string, got {asset_id!r}")
    return ("assets", asset_id)


def _metadata_json(user_metadata: Mapping[str, Any] | str | None) -> str | None:
    """The JSON-encoded ``user_metadata`` string the form field wants, built from a dict."""
    if user_metadata is None or isinstance(user_metadata, str):
        return user_metadata
    if not isinstance(user_metadata, Mapping):
        raise InvalidRequestError("user_metadata must be a dict of str, int, float or bool")
    for key, value in user_metadata.items():
        if not isinstance(key, str) or not isinstance(value, str | int | float | bool):
            raise InvalidRequestError(
                f"user_metadata[{key!r}] must be a str, int, float or bool, "
                f"got {type(value).__name__}"
            )
    return orjson.dumps(dict(user_metadata)).decode()


def _failure(asset: AssetDetail) -> str:
    error = asset.error
    if isinstance(error, Mapping):
        error = error.get("message") or error.get("code") or orjson.dumps(dict(error)).decode()
    return str(error) if error else "the API gave no reason"


def _direct_progress(callback: ProgressCallback | None) -> TransportProgress | None:
    """Report a direct upload's bytes as :class:`UploadProgress` (one chunk), like multipart."""
    if callback is None:
        return None
    from twelvelabs_async.resources._chunked import UploadProgress

    def report(sent: int, total: int | None) -> object:
        size = total or sent
        done = sent >= size
        pct = 100.0 * sent / size if size else 100.0
        status = "completed" if done else "uploading"
        return callback(UploadProgress(1, int(done), pct, status, sent, size))

    return report


def _file_size(path: object) -> int:
    if not isinstance(path, str) or not os.path.isfile(path):
        raise InvalidRequestError(f"file_path: no such file {path!r}")
    return os.path.getsize(path)


class Assets(Resource):
    """``/assets``: create, retrieve, list, delete, wait for ready, and upload any file.

    Args:
        requester: sends the requests (the client's transport).
        storage: sends multipart chunk PUTs (built from the requester by default).
    """

    def __init__(self, requester: Requester, storage: Storage | None = None) -> None:
        super().__init__(requester)
        self._storage = storage
        self._multipart: MultipartUpload | None = None

    def _uploads(self) -> MultipartUpload:
        if self._multipart is None:
            from twelvelabs_async.resources.multipart_upload import MultipartUpload

            self._multipart = MultipartUpload(self._requester, self._storage)
        return self._multipart

    async def create(
        self,
        *,
        method: str,
        file: FileInput | None = None,
        url: str | None = None,
        filename: str | None = None,
        enable_hls: bool | None = None,
        enable_thumbnail: bool | None = None,
        user_metadata: Mapping[str, Any] | str | None = None,
        on_upload_progress: TransportProgress | None = None,
        request_options: RequestOptions | None = None,
    ) -> Asset:
        """Create an asset (``POST /assets``): a file streamed from disk, or a URL.

        Args:
            method: ``direct`` (send ``file``, up to 200 MB) or ``url`` (up to 4 GB).
            file: a path, bytes, a binary file object or a ``(name, content)`` tuple.
            url: a public URL of a raw media file.
            filename: the asset's name.
            enable_hls: also prepare an HLS stream.
            enable_thumbnail: also prepare a thumbnail.
            user_metadata: a dict (str, int, float or bool values), JSON-encoded for you;
                a ``str`` is sent as given.
            on_upload_progress: called with ``(bytes_sent, total_bytes)`` while the file
                is sent (plain or coroutine function).
            request_options: per-call timeout, retries and headers.

        Returns:
            The asset, ``processing``: wait with :meth:`wait_for_ready`.

        Raises:
            InvalidRequestError: a bad or missing argument, a file over 200 MB.
            APIError: the API refused the request or could not be reached.
        """
        fields: list[tuple[str, Any]] = []
        if method == "direct":
            if file is None or url is not None:
                raise InvalidRequestError("method='direct' takes file= (and no url=)")
            upload = to_upload(file, field="file")
            if upload.size is not None and upload.size > MAX_DIRECT_BYTES:
                raise InvalidRequestError(
                    f"file has {upload.size} bytes, more than the 200 MB of a direct upload; "
                    "use client.assets.upload(path), which switches to a multipart upload"
                )
        elif method == "url":
            if not url or file is not None:
                raise InvalidRequestError("method='url' takes url= (and no file=)")
        else:
            raise InvalidRequestError(f"method must be 'direct' or 'url', got {method!r}")
        fields.append(("method", method))
        if url is not None:
            fields.append(("url", url))
        for name, value in (
            ("filename", filename),
            ("enable_hls", enable_hls),
            ("enable_thumbnail", enable_thumbnail),
            ("user_metadata", _metadata_json(user_metadata)),
        ):
            if value is not None:
                fields.append(
                    (name, "true" if value is True else "false" if value is False else value)
                )
        if method == "direct":
            fields.append(("file", upload))
        return await self._call(
            "POST", "assets", Asset, multipart=fields,
            options=request_options, create=True, on_progress=on_upload_progress,
        )  # fmt: skip

    async def retrieve(
        self, asset_id: str, *, request_options: RequestOptions | None = None
    ) -> AssetDetail:
        """Read an asset (``GET /assets/{asset_id}``): status, metadata, error."""
        path = _asset_path(asset_id)
        return await self._call("GET", path, AssetDetail, options=request_options)

    async def delete(
        self, asset_id: str, *, force: bool = False, request_options: RequestOptions | None = None
    ) -> None:
        """Delete an asset; ``force`` also when indexed assets refer to it (else 409)."""
        path = _asset_path(asset_id)
        params = {"force": True} if force else None
        await self._send("DELETE", path, params=params, options=request_options)

    def list(
        self,
        *,
        page: int | None = None,
        page_limit: int | None = None,
        asset_ids: str | Sequence[str] | None = None,
        asset_types: str | Sequence[str] | None = None,
        filename: str | None = None,
        request_options: RequestOptions | None = None,
        max_pages: int = DEFAULT_MAX_PAGES,
    ) -> AsyncPager[AssetDetail]:
        """List assets, newest first (``GET /assets``): a pager, awaitable or iterable.

        ``pager = await client.assets.list()`` loads the first page (as the official SDK
        does); ``async for asset in client.assets.list()`` walks every page.

        Args:
            page: the first page to read (1-based).
            page_limit: assets per page, 1 to 50.
            asset_ids: only these assets.
            asset_types: only ``image``, ``video`` and/or ``audio`` (newer values are sent
                as given).
            filename: only names containing this (case-insensitive).
            request_options: per-call timeout, retries and headers.
            max_pages: the most pages one walk reads before raising ``TooManyPagesError``.

        Raises:
            InvalidRequestError: a filter is out of range (raised here, before any request).
        """
        ids = [asset_ids] if isinstance(asset_ids, str) else list(asset_ids or ())
        types = [asset_types] if isinstance(asset_types, str) else list(asset_types or ())
        # Newer API versions add types (documents); only the shape is checked here.
        if bad := [t for t in (*ids, *types) if not isinstance(t, str) or not t.strip()]:
            raise InvalidRequestError(
                f"asset_ids and asset_types take non-empty strings (types: image, video, "
                f"audio), got {bad!r}"
            )
        for name, value, top in (("page", page, None), ("page_limit", page_limit, 50)):
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value < 1
                or (top is not None and value > top)
            ):  # fmt: skip
                raise InvalidRequestError(f"{name} must be an integer from 1 to {top or 'n'}")

        async def fetch(number: int) -> AssetsListResponse:
            params: list[tuple[str, Any]] = [("page", number)]
            if page_limit is not None:
                params.append(("page_limit", page_limit))
            params += [("asset_ids", i) for i in ids] + [("asset_types", t) for t in types]
            if filename:
                params.append(("filename", filename))
            return await self._call(
                "GET", "assets", AssetsListResponse, params=params, options=request_options
            )

        return AsyncPager(fetch, page=page or 1, page_limit=page_limit, max_pages=max_pages)

    async def wait_for_ready(
        self,
        asset_id: str,
        *,
        sleep_interval: float = 2.0,
        callback: _polling.StatusCallback | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - the public name follows wait_for_done
        request_options: RequestOptions | None = None,
    ) -> AssetDetail:
        """Poll an asset until it is ``ready``; raise if it ends ``failed``.

        Runs on the same polling engine as ``wait_for_done`` (jitter, timeout, callback).

        Args:
            asset_id: the asset.
            sleep_interval: seconds between reads; must be > 0.
            callback: called with every asset read (plain or coroutine function).
            timeout: seconds before giving up (``None``: no limit).
            request_options: per-call options of each read.

        Returns:
            The ready asset.

        Raises:
            AssetFailedError: the asset ended ``failed`` (the platform's reason in the message).
            WaitTimeoutError: the timeout passed first (``last_status`` holds the last read).
        """
        path = _asset_path(asset_id)

        async def fetch() -> AssetDetail:
            return await self._call("GET", path, AssetDetail, options=request_options)

        try:
            asset = await _polling.wait_for_done(
                fetch,
                task_id=asset_id,
                sleep_interval=sleep_interval,
                callback=callback,
                timeout=timeout,
            )
        except WaitTimeoutError as exc:
            raise WaitTimeoutError(
                f"asset {asset_id} is not ready after {timeout:g} s "
                f"(last status {_polling.status_text(exc.last_status)!r}); wait again later",
                task_id=asset_id,
                last_status=exc.last_status,
            ) from None
        if _polling.status_text(asset) == "failed":
            raise AssetFailedError(
                f"asset {asset_id} failed: {_failure(asset)}", asset_id=asset_id, status=asset
            )
        return asset

    async def upload(
        self,
        file_path: str | os.PathLike[str],
        *,
        filename: str | None = None,
        wait: bool = True,
        wait_timeout: float | None = None,
        progress_callback: ProgressCallback | None = None,
        state_file: str | os.PathLike[str] | None = None,
        concurrency: int = 8,
        user_metadata: Mapping[str, str | int | float | bool] | None = None,
        request_options: RequestOptions | None = None,
    ) -> AssetDetail:
        """Upload a local file of any supported size as an asset, in one call.

        Up to 200 MB it goes in one direct ``POST /assets`` (streamed from disk); above,
        as a resumable multipart upload (up to 10 GB). Larger files are refused before
        any byte is sent.

        Args:
            file_path: the file.
            filename: the asset's name (the file's base name by default).
            wait: wait until the asset is ready (and raise if it failed).
            wait_timeout: seconds to wait for ready (``None``: no limit).
            progress_callback: called with an :class:`UploadProgress` as the file goes up
                (direct or multipart); a plain or a coroutine function.
            state_file: multipart resume file (see ``multipart_upload.upload_file``).
            concurrency: multipart chunks in flight.
            user_metadata: values are strings, numbers or booleans.
            request_options: per-call options of the API calls.

        Returns:
            The asset (ready when ``wait``).

        Raises:
            InvalidRequestError: no such file, or over 10 GB.
            AssetFailedError: ``wait`` and the asset failed.
            UploadError: a multipart upload could not finish (resumable).
        """
        path = os.fspath(file_path)
        size = await asyncio.to_thread(_file_size, path)
        if size > MAX_UPLOAD_BYTES:
            raise InvalidRequestError(
                f"{path!r} has {size} bytes; assets take at most 10 GB ({MAX_UPLOAD_BYTES} "
                "bytes): cut the file, or host it and pass its URL"
            )
        if size <= MAX_DIRECT_BYTES:
            created = await self.create(
                method="direct", file=path, filename=filename, user_metadata=user_metadata,
                on_upload_progress=_direct_progress(progress_callback),
                request_options=request_options,
            )  # fmt: skip
            asset_id = created.id or ""
        else:
            result = await self._uploads().upload_file(
                path, filename=filename, progress_callback=progress_callback,
                state_file=state_file, concurrency=concurrency, user_metadata=user_metadata,
                request_options=request_options,
            )  # fmt: skip
            asset_id = result.asset_id
        if wait:
            return await self.wait_for_ready(
                asset_id, timeout=wait_timeout, request_options=request_options
            )
        return await self.retrieve(asset_id, request_options=request_options)
