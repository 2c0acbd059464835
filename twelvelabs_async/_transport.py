"""The only module that does HTTP (and the only one importing aiohttp's client side).

Internal API for resources::

    response = await transport.request(
        "GET", ("embed-v2", "tasks", task_id),       # or "embed/tasks" (no leading slash)
        params={"page": 1, "embedding_option": ["visual", "audio"]},  # repeated keys
        options=request_options,                      # per-call RequestOptions or None
    )
    response.status, response.headers, response.body, response.request_id, response.json()

    await transport.request("POST", "embed-v2/tasks", json={...}, create=True)
    await transport.request("POST", "embed/tasks", create=True,
        multipart=[
            ("model_name", "marengo3.0"),             # str (or int/float/bool) -> text field
            ("video_embedding_scope", "clip"),        # repeated names allowed
            ("video_embedding_scope", "video"),
        ],
        files=[("video_file", video_file)],           # any FileInput; here a str is a PATH
    )

* ``multipart`` values that are ``str`` are text fields; anything else there must be a
  file input that is not a ``str`` (an :class:`~twelvelabs_async._uploads.UploadFile`
  from :func:`~twelvelabs_async._uploads.to_upload`, bytes, a path object, ...).
  ``files`` takes any file input, ``str`` paths included; its parts follow ``multipart``'s.
  Call :func:`~twelvelabs_async._uploads.to_upload` in the resource if you want the
  file checked together with the other arguments; the transport checks it anyway before
  sending anything.

* ``path`` is relative to the base URL (whose ``/v1.3`` path is kept). A ``str`` is used
  as written (already safe); a tuple/list is a sequence of segments, each fully quoted:
  use that form whenever a segment (a task id) comes from a user.
* ``params``: a mapping or a list of pairs; sequence values repeat the key; ``None``
  values are dropped; bools are sent as ``true``/``false``.
* Returns a :class:`Response` for any 2xx status; raises
  :class:`~twelvelabs_async.errors.APIStatusError` subclasses for other statuses,
  :class:`~twelvelabs_async.errors.APIConnectionError` / ``APITimeoutError`` when no
  response arrived. No aiohttp exception escapes; ``asyncio.CancelledError`` passes through.

Retries (see :mod:`twelvelabs_async._retry` for the waits): connection errors, 408, 429
and 5xx, up to ``max_retries`` times. A call made with ``create=True`` is retried only
when nothing can have been created (see :func:`_retry.create_may_retry_status`).

Redirects are not followed by aiohttp: a same-origin redirect of a GET is followed here
(up to 5 hops); any other redirect raises, so the ``x-api-key`` header never travels to
another host (aiohttp strips ``Authorization`` on such redirects but not custom headers).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import random
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

import aiohttp
import attrs
import orjson
from aiohttp import payload as aiohttp_payload
from multidict import CIMultiDict
from yarl import URL

from twelvelabs_async import _retry
from twelvelabs_async._uploads import NotReplayableError, PartReader, UploadFile, to_upload
from twelvelabs_async._version import __version__
from twelvelabs_async.errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    ClientClosedError,
    InvalidRequestError,
    ResponseValidationError,
    find_request_id,
    make_status_error,
)
from twelvelabs_async.types import ProgressCallback, RequestOptions, Timeout

__all__ = ["ClientSession", "Path", "Response", "SessionPool", "Transport"]

logger = logging.getLogger("twelvelabs_async")

#: Re-exported so that ``client.py`` can type its ``session`` argument without importing aiohttp.
ClientSession = aiohttp.ClientSession

#: A relative path: a safe string, or segments to be quoted one by one.
Path = str | Sequence[str]

_MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


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
    request_id: str | None
    method: str
    path: str

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


class SessionPool:
    """Owns (or borrows) the aiohttp session shared by a client and its ``with_options`` copies.

    The session is created lazily on first use, inside the running loop, so a client can be
    built at import time. Creation has no ``await`` in it, so concurrent first calls cannot
    create two sessions.
    """

    def __init__(
        self,
        *,
        session: aiohttp.ClientSession | None,
        connection_limit: int,
        trust_env: bool,
    ) -> None:
        self._session = session
        self._owned = session is None
        self._limit = connection_limit
        self._trust_env = trust_env
        self._closed = False

    @property
    def closed(self) -> bool:
        """Whether :meth:`aclose` was called."""
        return self._closed

    def get(self) -> aiohttp.ClientSession:
        """Return the session, creating it in the running loop on first use."""
        if self._closed:
            raise ClientClosedError("this client was closed; create a new AsyncTwelveLabs")
        if self._session is None:
            connector = aiohttp.TCPConnector(
                limit=self._limit, limit_per_host=self._limit, ttl_dns_cache=300
            )
            self._session = aiohttp.ClientSession(
                connector=connector, trust_env=self._trust_env, auto_decompress=True
            )
        elif self._session.closed:
            raise ClientClosedError("the aiohttp session given to the client was closed")
        return self._session

    async def aclose(self) -> None:
        """Close the session if this pool created it (idempotent)."""
        if self._closed:
            return
        self._closed = True
        session, self._session = self._session, None
        if self._owned and session is not None:
            await session.close()


@attrs.define(eq=False)
class _Attempt:
    """What one attempt's upload did, so that its errors are reported as ours."""

    readers: list[PartReader] = attrs.Factory(list)
    user_error: BaseException | None = None


class _Progress:
    def __init__(self, callback: ProgressCallback | None, total: int | None) -> None:
        self._callback = callback
        self._total = total
        self._sent = 0

    async def advance(self, n: int) -> None:
        self._sent += n
        if self._callback is not None:
            result = self._callback(self._sent, self._total)
            if inspect.isawaitable(result):
                await result


class _StreamPayload(aiohttp_payload.Payload):
    """Streams a :class:`PartReader` chunk by chunk, with an exact size when it is known."""

    def __init__(
        self, reader: PartReader, upload: UploadFile, progress: _Progress, attempt: _Attempt
    ) -> None:
        super().__init__(None, content_type=upload.content_type, filename=upload.filename)
        self._size = reader.size
        self._reader = reader
        self._progress = progress
        self._attempt = attempt

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        raise TypeError("a streamed upload cannot be decoded")

    async def write(self, writer: Any) -> None:
        try:
            while chunk := await self._reader.read():
                await writer.write(chunk)
                await self._progress.advance(len(chunk))
        except (asyncio.CancelledError, OSError):
            raise
        except Exception as exc:
            # aiohttp wraps anything raised here; keep the original to re-raise it unchanged.
            self._attempt.user_error = exc
            raise

    async def close(self) -> None:
        await self._reader.aclose()


MultipartField = tuple[str, Any]


@attrs.define
class Transport:
    """Sends requests with the client's defaults; copies share one :class:`SessionPool`.

    Attributes:
        sleep: the coroutine function used to wait between attempts (a test hook).
        random: returns a float in [0, 1) for backoff jitter (a test hook).
        clock: returns the current UTC epoch seconds, for ``X-Ratelimit-Reset`` (a test hook).
    """

    pool: SessionPool
    base_url: str
    _api_key: str = attrs.field(alias="api_key", repr=False)
    timeout: Timeout = attrs.Factory(Timeout)
    max_retries: int = 2
    max_retry_wait: float = _retry.DEFAULT_MAX_RETRY_WAIT
    headers: Mapping[str, str] = attrs.Factory(dict)
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    random: Callable[[], float] = random.random
    clock: Callable[[], float] = time.time

    def copy(self, **changes: Any) -> Transport:
        """Return a copy with some defaults changed, sharing the session pool."""
        return attrs.evolve(self, **changes)

    async def request(
        self,
        method: str,
        path: Path,
        *,
        params: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
        json: Any = None,
        multipart: Iterable[MultipartField] | None = None,
        files: Iterable[tuple[str, Any]] | None = None,
        options: RequestOptions | None = None,
        create: bool = False,
        on_progress: ProgressCallback | None = None,
    ) -> Response:
        """Send one API call, retrying what is safe to retry.

        Args:
            method: the HTTP method.
            path: relative path: a safe ``str`` or a sequence of segments to quote.
            params: query parameters (mapping or pairs; sequences repeat the key).
            json: a JSON-serialisable body (encoded with orjson).
            multipart: ``(name, value)`` pairs: a ``str``/``int``/``float``/``bool`` value
                is a text field; an :class:`UploadFile` or any other file input is a file.
            files: ``(name, file input)`` pairs, sent after ``multipart``; a ``str`` is a path.
            options: per-call overrides.
            create: the call creates something billable: retry only when nothing was created.
            on_progress: upload progress callback (``options.on_progress`` wins if both set).

        Returns:
            The :class:`Response` of the first 2xx answer.

        Raises:
            InvalidRequestError: bad arguments; raised before anything is sent.
            APIStatusError: a non-2xx answer that was not (or no longer) retried.
            APIConnectionError: no response, after retries.
        """
        method = method.upper()
        rel = _relative_path(path)
        url = URL(self.base_url + "/" + rel, encoded=True)
        if files is not None:
            multipart = [
                *(multipart or ()),
                *((name, to_upload(value, field=name)) for name, value in files),
            ]
        if json is not None and multipart is not None:
            raise InvalidRequestError("a request has either a JSON body or a multipart body")
        query = _query_pairs(params)
        body: bytes | None = None
        if json is not None:
            try:
                body = orjson.dumps(json)
            except TypeError as exc:
                raise InvalidRequestError(
                    f"the request body is not JSON-serialisable: {exc}"
                ) from None
        fields = _multipart_fields(multipart) if multipart is not None else None
        opts = options or RequestOptions()
        timeout = self._timeout(opts)
        retries = self.max_retries if opts.max_retries is None else opts.max_retries
        progress_cb = opts.on_progress or on_progress
        headers = self._headers(opts, json_body=body is not None)
        session = self.pool.get()

        attempt = 0
        redirects = 0
        while True:
            attempt += 1
            started = time.monotonic()
            state = _Attempt()
            nothing_sent = False
            error: APIError
            resp_headers: Mapping[str, str]
            try:
                data = body if fields is None else self._form(fields, progress_cb, state)
                async with session.request(
                    method,
                    url,
                    params=query,
                    data=data,
                    headers=headers,
                    timeout=timeout,
                    allow_redirects=False,
                ) as resp:
                    raw = await resp.read()
                    status, resp_headers = resp.status, resp.headers
            except NotReplayableError as exc:
                raise InvalidRequestError(str(exc)) from None
            except aiohttp.ClientError as exc:
                if state.user_error is not None:
                    raise state.user_error from None
                error, nothing_sent = _map_client_error(exc, method, rel)
                status, resp_headers, raw = 0, CIMultiDict[str](), b""
            except TimeoutError:
                if state.user_error is not None:
                    raise state.user_error from None
                error = APITimeoutError(
                    f"{method} {rel} timed out after {timeout.total} s "
                    "(raise the timeout for large uploads or slow links)"
                )
                status, resp_headers, raw = 0, CIMultiDict[str](), b""
            finally:
                for reader in state.readers:
                    await reader.aclose()
            elapsed = time.monotonic() - started
            logger.info(
                "%s %s -> %s (attempt %d, %.3f s)",
                method,
                rel,
                status or type(error).__name__,
                attempt,
                elapsed,
            )
            if status:
                logger.debug("%s %s response body: %d bytes", method, rel, len(raw))
                if 200 <= status < 300:
                    return Response(
                        status=status,
                        headers=resp_headers,
                        body=raw,
                        request_id=find_request_id(resp_headers),
                        method=method,
                        path=rel,
                    )
                if status in _REDIRECTS:
                    url = self._redirect_target(url, resp_headers, status, method, rel, raw)
                    query = []  # the Location carries its own query
                    redirects += 1
                    if redirects > _MAX_REDIRECTS:
                        raise make_status_error(status, resp_headers, raw, method, rel)
                    attempt -= 1
                    continue
                error = make_status_error(status, resp_headers, raw, method, rel)
                retryable = (
                    _retry.create_may_retry_status(status, resp_headers)
                    if create
                    else _retry.is_retryable_status(status)
                )
            else:
                retryable = nothing_sent or not create
                if isinstance(error, _NotRetryable):
                    retryable = False
            self._redact(error)
            wait = _retry.header_wait(resp_headers, now=self.clock()) if status else None
            if isinstance(error, APIStatusError):
                error.retry_after = wait
            if not retryable or attempt > retries:
                raise error
            if wait is not None and wait > self.max_retry_wait:
                error.add_note(
                    f"not retried: the server asked to wait {wait:.0f} s, more than "
                    f"max_retry_wait={self.max_retry_wait:.0f} s"
                )
                raise error
            if fields is not None and not all(
                f.replayable for _, f in fields if isinstance(f, UploadFile)
            ):
                error.add_note(
                    "not retried: the upload is a one-shot stream (an async iterable or a "
                    "non-seekable file); pass a path, bytes or a seekable file to allow retries"
                )
                raise error
            if wait is None:
                wait = _retry.backoff(attempt, self.random())
            logger.info(
                "%s %s: retrying in %.2f s (attempt %d of %d)",
                method,
                rel,
                wait,
                attempt + 1,
                retries + 1,
            )
            await self.sleep(wait)

    def _timeout(self, opts: RequestOptions) -> aiohttp.ClientTimeout:
        t = opts.timeout
        if t is None:
            t = self.timeout
        elif not isinstance(t, Timeout):
            t = Timeout(total=float(t), connect=self.timeout.connect)
        # sock_connect, not connect: waiting for a free pooled connection under heavy
        # concurrency must not count as a connect failure.
        return aiohttp.ClientTimeout(total=t.total, sock_connect=t.connect)

    def _headers(self, opts: RequestOptions, *, json_body: bool) -> CIMultiDict[str]:
        headers: CIMultiDict[str] = CIMultiDict(
            {"User-Agent": f"twelvelabs-async/{__version__}", "Accept": "application/json"}
        )
        headers.update(self.headers)
        if opts.extra_headers:
            headers.update(opts.extra_headers)
        if json_body:
            headers["Content-Type"] = "application/json"
        headers["x-api-key"] = self._api_key
        return headers

    def _form(
        self, fields: list[MultipartField], callback: ProgressCallback | None, state: _Attempt
    ) -> aiohttp.MultipartWriter:
        uploads = [v for _, v in fields if isinstance(v, UploadFile)]
        readers = []
        for upload in uploads:
            readers.append(upload.open())
            state.readers.append(readers[-1])
        sizes = [r.size for r in readers]
        total = None if any(s is None for s in sizes) else sum(s or 0 for s in sizes)
        progress = _Progress(callback, total)
        writer = aiohttp.MultipartWriter("form-data")
        it = iter(readers)
        for name, value in fields:
            if isinstance(value, UploadFile):
                part: aiohttp_payload.Payload = _StreamPayload(next(it), value, progress, state)
                part.set_content_disposition("form-data", name=name, filename=value.filename)
            else:
                part = aiohttp_payload.StringPayload(value)
                part.set_content_disposition("form-data", name=name)
            writer.append_payload(part)
        return writer

    def _redirect_target(
        self,
        url: URL,
        headers: Mapping[str, str],
        status: int,
        method: str,
        rel: str,
        raw: bytes,
    ) -> URL:
        location = headers.get("Location")
        target = url.join(URL(location)) if location else None
        same_origin = target is not None and (
            target.host == url.host
            and (target.scheme, target.port) in {(url.scheme, url.port), ("https", 443)}
        )
        if target is not None and same_origin and method in {"GET", "HEAD"}:
            return target
        where = f"{target.scheme}://{target.host}" if target is not None else "nowhere"
        error = make_status_error(status, headers, raw, method, rel)
        error.args = (
            f"{status}: the API redirected {method} {rel} to {where}; not followed, so that "
            "the API key is never sent to another host or replayed in another request",
        )
        raise error

    def _redact(self, error: APIError) -> None:
        # Belt and braces: should a server or proxy echo the key back, it must not end up in
        # an exception that is logged or shown.
        if self._api_key and any(self._api_key in str(a) for a in error.args):
            error.args = tuple(str(a).replace(self._api_key, "***") for a in error.args)
        if isinstance(error, APIStatusError) and error.api_message:
            error.api_message = error.api_message.replace(self._api_key, "***")


class _NotRetryable(APIConnectionError):
    """A connection failure that a retry cannot fix (TLS certificate, bad URL)."""


def _map_client_error(exc: aiohttp.ClientError, method: str, rel: str) -> tuple[APIError, bool]:
    """Map an aiohttp error to ours; the flag says whether the request surely was not sent."""
    where = f"{method} {rel}"
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return APITimeoutError(f"{where}: timed out while connecting"), True
    if isinstance(exc, aiohttp.ServerTimeoutError):
        return APITimeoutError(f"{where}: timed out waiting for the server"), False
    if isinstance(exc, aiohttp.ClientConnectorCertificateError | aiohttp.ClientSSLError):
        return _NotRetryable(f"{where}: TLS failure: {exc}"), True
    if isinstance(exc, aiohttp.ClientConnectorError):
        # Refused, unreachable, DNS: the request never left this machine.
        return APIConnectionError(f"{where}: cannot connect: {exc}"), True
    if isinstance(exc, aiohttp.InvalidURL):
        return _NotRetryable(f"{where}: invalid URL: {exc}"), True
    return APIConnectionError(f"{where}: connection failed: {type(exc).__name__}: {exc}"), False


def _relative_path(path: Path) -> str:
    if isinstance(path, str):
        if not path or path.startswith("/"):
            raise InvalidRequestError(f"path must be relative and non-empty, got {path!r}")
        return quote(path, safe="/:@!$&'()*+,;=-._~%")
    segments = list(path)
    for seg in segments:
        if not isinstance(seg, str) or seg in ("", ".", ".."):
            raise InvalidRequestError(f"invalid path segment {seg!r} (an empty or missing id?)")
    return "/".join(quote(seg, safe="") for seg in segments)


def _scalar(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    raise InvalidRequestError(f"parameter {key!r}: cannot send a {type(value).__name__}")


def _query_pairs(
    params: Mapping[str, Any] | Iterable[tuple[str, Any]] | None,
) -> list[tuple[str, str]]:
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


def _multipart_fields(multipart: Iterable[MultipartField]) -> list[MultipartField]:
    fields: list[MultipartField] = []
    for name, value in multipart:
        if value is None:
            continue
        if isinstance(value, str | bool | int | float):
            fields.append((name, _scalar(name, value)))
        else:
            fields.append((name, to_upload(value, field=name)))
    return fields
