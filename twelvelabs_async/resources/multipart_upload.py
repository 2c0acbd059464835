"""Multipart uploads (``client.multipart_upload``): local files up to 10 GB become assets.

The five calls of the API under the official SDK's names (``create``, ``get_status``,
``report_chunk_batch``, ``get_additional_presigned_urls``, ``list_incomplete_uploads``),
and :meth:`MultipartUpload.upload_file`, which does the whole job::

    result = await client.multipart_upload.upload_file("match.mp4", state_file="match.up")
    result.asset_id, result.asset_url

Resume: an upload cut short (an exception, Ctrl-C, even SIGKILL) continues where it
stopped. With ``state_file=`` the session (id, chunk size, upload headers) is written to a
small JSON file as soon as it is opened, and the same call run again uploads only the
chunks the session does not count yet; the file is removed once the upload is complete.
``resume=upload_id`` continues a session by id alone (from ``UploadError.upload_id``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from twelvelabs_async._pagination import DEFAULT_MAX_PAGES, AsyncPager
from twelvelabs_async._transport._storage import FileSlices, Storage
from twelvelabs_async.errors import APIStatusError, InvalidRequestError
from twelvelabs_async.models import (
    CreateMultipartUploadResponse,
    IncompleteUpload,
    ListIncompleteUploadsResponse,
    MultipartUploadStatusResponse,
    ReportChunkBatchResponse,
    RequestAdditionalPresignedUrLsResponse,
)
from twelvelabs_async.resources._base import Requester, Resource
from twelvelabs_async.resources._chunked import (
    ProgressCallback,
    UploadProgress,
    run_chunks,
)
from twelvelabs_async.resources._upload_session import open_session
from twelvelabs_async.resources._upload_state import (
    UploadResult,
    UploadState,
    check_positive,
    guess_type,
    load_state,
    path_of,
    urls_of,
)

if TYPE_CHECKING:
    from twelvelabs_async.types import RequestOptions

__all__ = [
    "MAX_MULTIPART_BYTES",
    "MultipartUpload",
    "UploadProgress",
    "UploadResult",
    "UploadState",
]


#: The largest file a multipart upload takes (10 GB).
MAX_MULTIPART_BYTES = 10 * 1000**3
_TYPES = ("video", "audio", "image")


class MultipartUpload(Resource):
    """``/assets/multipart-uploads``: the raw calls and :meth:`upload_file`.

    Args:
        requester: sends the API requests (the client's transport).
        storage: sends chunk PUTs; built from the requester's connection pool by default.
    """

    def __init__(self, requester: Requester, storage: Storage | None = None) -> None:
        super().__init__(requester)
        self._storage = storage

    def _get_storage(self) -> Storage:
        if self._storage is None:
            pool = getattr(self._requester, "pool", None)
            timeout = getattr(self._requester, "timeout", None)
            if pool is None or timeout is None:
                raise InvalidRequestError("chunk uploads need the client's transport")
            self._storage = Storage(pool, timeout)
        return self._storage

    async def create(
        self,
        *,
        filename: str,
        type: str,
        total_size: int,
        enable_hls: bool | None = None,
        enable_thumbnail: bool | None = None,
        user_metadata: Mapping[str, str | int | float | bool] | None = None,
        request_options: RequestOptions | None = None,
    ) -> CreateMultipartUploadResponse:
        """Open an upload session (``POST /assets/multipart-uploads``).

        Args:
            filename: the file's name.
            type: ``video``, ``audio`` or ``image``.
            total_size: the file's size in bytes (up to 10 GB; images up to 32 MB).
            enable_hls: also prepare an HLS stream.
            enable_thumbnail: also prepare a thumbnail.
            user_metadata: values are strings, numbers or booleans.
            request_options: per-call timeout, retries and headers.

        Returns:
            The session: ``upload_id``, ``asset_id``, ``chunk_size``, the first URLs.
        """
        check_positive("total_size", total_size)
        if total_size > MAX_MULTIPART_BYTES:
            raise InvalidRequestError(
                f"total_size is {total_size} bytes; multipart uploads take at most 10 GB"
            )
        body: dict[str, Any] = {"filename": filename, "type": type, "total_size": total_size}
        for key, value in (
            ("enable_hls", enable_hls),
            ("enable_thumbnail", enable_thumbnail),
            ("user_metadata", dict(user_metadata) if user_metadata is not None else None),
        ):
            if value is not None:
                body[key] = value
        return await self._call(
            "POST",
            "assets/multipart-uploads",
            CreateMultipartUploadResponse,
            json=body,
            options=request_options,
            create=True,
        )

    async def get_status(
        self,
        upload_id: str,
        *,
        page: int | None = None,
        page_limit: int | None = None,
        request_options: RequestOptions | None = None,
    ) -> MultipartUploadStatusResponse:
        """Read one page of a session's status (``GET /assets/multipart-uploads/{id}``).

        Args:
            upload_id: the session.
            page: the page of the chunk list (1-based).
            page_limit: chunks per page, up to 50.
            request_options: per-call timeout, retries and headers.

        Returns:
            The status, with this page of ``uploaded_chunks``.
        """
        params = {"page": page, "page_limit": page_limit}
        return await self._call(
            "GET",
            ("assets", "multipart-uploads", upload_id),
            MultipartUploadStatusResponse,
            params=params,
            options=request_options,
        )

    async def report_chunk_batch(
        self,
        upload_id: str,
        *,
        completed_chunks: Sequence[Mapping[str, Any]],
        request_options: RequestOptions | None = None,
    ) -> ReportChunkBatchResponse:
        """Report uploaded chunks (``POST /assets/multipart-uploads/{id}``).

        Args:
            upload_id: the session.
            completed_chunks: ``{"chunk_index", "proof" (the ETag), "proof_type": "etag",
                "chunk_size"}`` dicts, any order; duplicates are counted and ignored.
            request_options: per-call timeout, retries and headers.

        Returns:
            The counts; ``url`` is set once every chunk is reported.
        """
        chunks = [dict(c) for c in completed_chunks]
        return await self._call(
            "POST",
            ("assets", "multipart-uploads", upload_id),
            ReportChunkBatchResponse,
            json={"completed_chunks": chunks},
            options=request_options,
        )

    async def get_additional_presigned_urls(
        self,
        upload_id: str,
        *,
        start: int,
        count: int,
        request_options: RequestOptions | None = None,
    ) -> RequestAdditionalPresignedUrLsResponse:
        """Fresh URLs for chunks ``start`` to ``start + count - 1`` (at most 50).

        Raises:
            InvalidRequestError: ``start`` < 1, or ``count`` not 1 to 50.
        """
        check_positive("start", start)
        check_positive("count", count)
        if count > 50:
            raise InvalidRequestError(f"count is at most 50 per call, got {count}")
        return await self._call(
            "POST",
            ("assets", "multipart-uploads", upload_id, "presigned-urls"),
            RequestAdditionalPresignedUrLsResponse,
            json={"start": start, "count": count},
            options=request_options,
        )

    def list_incomplete_uploads(
        self,
        *,
        page: int | None = None,
        page_limit: int | None = None,
        request_options: RequestOptions | None = None,
        max_pages: int = DEFAULT_MAX_PAGES,
    ) -> AsyncPager[IncompleteUpload]:
        """Sessions not complete yet (``GET /assets/multipart-uploads``): a pager (awaitable).

        Returns:
            A pager of ``IncompleteUpload`` (``upload_id``, ``status``, sizes).
        """

        async def fetch(number: int) -> ListIncompleteUploadsResponse:
            params = {"page": number, "page_limit": page_limit}
            return await self._call(
                "GET",
                "assets/multipart-uploads",
                ListIncompleteUploadsResponse,
                params=params,
                options=request_options,
            )

        return AsyncPager(fetch, page=page or 1, page_limit=page_limit, max_pages=max_pages)

    async def upload_file(
        self,
        file_path: str | os.PathLike[str],
        *,
        filename: str | None = None,
        file_type: str | None = None,
        batch_size: int = 10,
        max_workers: int | None = None,
        concurrency: int = 8,
        progress_callback: ProgressCallback | None = None,
        max_retries: int = 3,
        retry_delay: float = 1.0,
        resume: str | UploadState | None = None,
        state_file: str | os.PathLike[str] | None = None,
        on_session: Callable[[UploadState], object] | None = None,
        enable_hls: bool | None = None,
        enable_thumbnail: bool | None = None,
        user_metadata: Mapping[str, str | int | float | bool] | None = None,
        request_options: RequestOptions | None = None,
    ) -> UploadResult:
        """Upload a local file (up to 10 GB) as an asset, chunk by chunk, resumably.

        Args:
            file_path: the file.
            filename: the asset's name (the file's base name by default).
            file_type: ``video``, ``audio`` or ``image`` (guessed from the name).
            batch_size: chunks per report.
            max_workers: the official SDK's name for ``concurrency`` (wins when given).
            concurrency: chunks in flight at once.
            progress_callback: called with an :class:`UploadProgress` at the start and
                after every chunk; a plain or a coroutine function.
            max_retries: retries of one chunk, each on a fresh URL.
            retry_delay: the base of the backoff before a chunk's retries (doubled each time,
                with jitter).
            resume: continue a session: its ``upload_id``, or an :class:`UploadState`.
            state_file: a JSON file holding the session: resumed when it exists and
                matches the file, written when a session opens, removed at the end.
            on_session: called with the :class:`UploadState` once the session is known
                (to store it elsewhere, as the bulk journal does).
            enable_hls: also prepare an HLS stream.
            enable_thumbnail: also prepare a thumbnail.
            user_metadata: values are strings, numbers or booleans.
            request_options: per-call options of the API calls.

        Returns:
            An :class:`UploadResult` (``asset_id``, ``asset_url``); the asset is then
            ``processing``: see ``client.assets.wait_for_ready``.

        Raises:
            InvalidRequestError: a bad argument, or a file over 10 GB (nothing was sent).
            UploadError: a chunk kept failing, the session expired, or the file changed;
                its ``upload_id`` resumes the upload.
            APIError: an API call failed.
        """
        path = path_of(file_path)
        workers = max_workers if max_workers is not None else concurrency
        for name, value in (("concurrency", workers), ("batch_size", batch_size)):
            check_positive(name, value)
        check_positive("max_retries", max_retries, zero=True)
        if progress_callback is not None and not callable(progress_callback):
            raise InvalidRequestError("progress_callback must be callable")
        name = filename or os.path.basename(path)
        kind = file_type or guess_type(name)
        if kind not in _TYPES:
            raise InvalidRequestError(f"file_type must be video, audio or image, got {kind!r}")
        storage = self._get_storage()
        source = await asyncio.to_thread(FileSlices, path)
        try:
            if source.size == 0:
                raise InvalidRequestError(
                    f"{path!r} is empty (0 bytes); there is nothing to upload"
                )
            if source.size > MAX_MULTIPART_BYTES:
                raise InvalidRequestError(
                    f"{path!r} has {source.size} bytes; assets take at most 10 GB "
                    f"({MAX_MULTIPART_BYTES} bytes)"
                )
            state = load_state(state_file, source) if resume is None else resume
            plan, asset_id = await open_session(
                self,
                state, source, name, kind, state_file, on_session,
                enable_hls=enable_hls, enable_thumbnail=enable_thumbnail,
                user_metadata=user_metadata, request_options=request_options,
            )  # fmt: skip
            skipped = len(plan.done)
            reported_asset: list[str] = []

            async def fetch_urls(start: int, count: int) -> list[tuple[int, str, Any]]:
                got = await self.get_additional_presigned_urls(
                    plan.upload_id, start=start, count=count, request_options=request_options
                )
                return urls_of(got.upload_urls)

            async def report(batch: list[dict[str, Any]]) -> str | None:
                answer = await self.report_chunk_batch(
                    plan.upload_id, completed_chunks=batch, request_options=request_options
                )
                if answer.asset_id and not reported_asset:
                    reported_asset.append(answer.asset_id)  # known here on resume by id
                return answer.url

            try:
                url, sent = await run_chunks(
                    plan, source, storage, fetch_urls=fetch_urls, report=report,
                    concurrency=workers, batch_size=batch_size, max_retries=max_retries,
                    retry_delay=retry_delay, progress=progress_callback, asset_id=asset_id,
                )  # fmt: skip
            except APIStatusError as exc:
                # An API call of the session failed for good (it expired, say): say how to go on.
                exc.add_note(
                    f"multipart upload {plan.upload_id}: resume it with "
                    f"resume={plan.upload_id!r} or the same state_file; an expired session "
                    "needs a new upload"
                )
                raise
        finally:
            source.close()
        if state_file is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(state_file)
        asset_id = asset_id or (reported_asset[0] if reported_asset else "")
        return UploadResult(asset_id, url or "", plan.upload_id, sent, skipped)
