"""The only package that does HTTP (and the only one importing aiohttp's client side).

``_session`` owns the aiohttp session, ``_attempt`` builds one attempt's body and maps
aiohttp's failures, ``_options`` reads per-call options; this module holds the retry loop.

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
            ("video_file", to_upload(video_file, field="video_file")),  # a str is a PATH
        ],
    )

* ``multipart`` values that are ``str`` are text fields; anything else there must be a
  file input that is not a ``str`` (an :class:`~twelvelabs_async._uploads.UploadFile`
  from :func:`~twelvelabs_async._uploads.to_upload`, bytes, a path object, ...).
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

import logging
import random
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

import aiohttp
import attrs
import orjson
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from twelvelabs_async import _retry, _timing
from twelvelabs_async._transport._attempt import (
    Attempt,
    Call,
    Outcome,
    body_size,
    build_form,
    map_error,
)
from twelvelabs_async._transport._options import DEFAULT_OPTIONS, as_options
from twelvelabs_async._transport._session import ClientSession, SessionPool
from twelvelabs_async._uploads import NotReplayableError, UploadFile
from twelvelabs_async._version import __version__
from twelvelabs_async._wire import (
    MultipartField,
    Path,
    Response,
    multipart_fields,
    query_pairs,
    relative_path,
)
from twelvelabs_async.errors import (
    APIError,
    APIStatusError,
    InvalidRequestError,
    make_status_error,
)
from twelvelabs_async.types import ProgressCallback, RequestOptions, Timeout

__all__ = ["ClientSession", "Path", "Response", "SessionPool", "Transport"]

logger = logging.getLogger("twelvelabs_async")

_MAX_REDIRECTS = 5
# Prepared URLs kept per transport: polling asks for the same few URLs thousands of times.
_MAX_CACHED_URLS = 512
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_DEBUG = logging.DEBUG
_INFO = logging.INFO


def _reset_cache(instance: Transport, _attribute: object, value: Any) -> Any:
    # A changed default must not be answered from the per-call cache built before it.
    instance._cache = None
    return value


@attrs.define(eq=False)
class _Defaults:
    """What every call without per-call options shares, built once per :class:`Transport`."""

    # Out of the repr: they hold x-api-key, and this is a local of every request frame.
    headers: CIMultiDictProxy[str] = attrs.field(repr=False)
    json_headers: CIMultiDictProxy[str] = attrs.field(repr=False)
    timeout: aiohttp.ClientTimeout


@attrs.define
class Transport:
    """Sends requests with the client's defaults; copies share one :class:`SessionPool`.

    Attributes:
        sleep: the coroutine function used to wait between attempts (a test hook); the
            package's own, which ``testing.no_sleep()`` switches, by default.
        random: returns a float in [0, 1) for backoff jitter (a test hook).
        clock: returns the current UTC epoch seconds, for ``X-Ratelimit-Reset`` (a test hook).
    """

    pool: SessionPool
    base_url: str
    _api_key: str = attrs.field(alias="api_key", repr=False, on_setattr=_reset_cache)
    timeout: Timeout = attrs.field(factory=Timeout, on_setattr=_reset_cache)
    max_retries: int = 2
    max_retry_wait: float = _retry.DEFAULT_MAX_RETRY_WAIT
    headers: Mapping[str, str] = attrs.field(factory=dict, on_setattr=_reset_cache)
    sleep: Callable[[float], Awaitable[None]] = _timing.sleep
    random: Callable[[], float] = random.random
    clock: Callable[[], float] = time.time
    # Built on first use; attrs.evolve (copy) starts the copy without it.
    _cache: _Defaults | None = attrs.field(default=None, init=False, repr=False)
    # Full URL string -> URL. Reusing one URL object lets aiohttp answer host, port and
    # origin from the object's own caches instead of parsing them again on every call.
    _urls: dict[str, URL] = attrs.field(factory=dict, init=False, repr=False)

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
        options: RequestOptions | Mapping[str, Any] | None = None,
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
            options: per-call overrides: a :class:`RequestOptions`, or a dict with its
                field names or the official SDK's (``timeout_in_seconds``,
                ``additional_headers``).
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
        rel = relative_path(path)
        if json is not None and multipart is not None:
            raise InvalidRequestError("a request has either a JSON body or a multipart body")
        body: bytes | None = None
        if json is not None:
            try:
                body = orjson.dumps(json)
            except TypeError as exc:
                raise InvalidRequestError(
                    f"the request body is not JSON-serialisable: {exc}"
                ) from None
        opts = DEFAULT_OPTIONS if options is None else as_options(options)
        progress = opts.on_progress or on_progress
        if progress is not None and not callable(progress):
            raise InvalidRequestError(
                f"the upload progress callback must be callable, got {type(progress).__name__}"
            )
        defaults = self._cache or self._build_cache()
        call = Call(
            method=method,
            rel=rel,
            url=self._url(rel),
            query=query_pairs(params),
            headers=self._call_headers(opts, json_body=body is not None),
            timeout=defaults.timeout if opts.timeout is None else self._timeout(opts),
            body=body,
            fields=multipart_fields(multipart) if multipart is not None else None,
            on_progress=progress,
        )
        retries = self.max_retries if opts.max_retries is None else opts.max_retries
        session = self.pool.get()
        attempt = redirects = 0
        while True:
            attempt += 1
            out = await self._send(session, call, attempt)
            if out.error is None:
                if 200 <= out.status < 300:
                    return Response(out.status, out.headers, out.raw, method, rel)
                if out.status in _REDIRECTS and redirects < _MAX_REDIRECTS:
                    call.url = self._redirect_target(call.url, out, method, rel)
                    call.query = []  # the Location carries its own query
                    redirects += 1
                    attempt -= 1
                    continue
                out.error = make_status_error(out.status, out.headers, out.raw, method, rel)
                out.retry_ok = (
                    _retry.create_may_retry_status(out.status, out.headers)
                    if create
                    else _retry.is_retryable_status(out.status)
                )
            elif create and not out.nothing_sent:
                out.retry_ok = False
            wait = self._wait_or_raise(out, call, attempt, retries)
            logger.info(
                "%s %s: retrying in %.2f s (attempt %d of %d)",
                method,
                rel,
                wait,
                attempt + 1,
                retries + 1,
            )
            await self.sleep(wait)

    async def _send(self, session: aiohttp.ClientSession, call: Call, attempt: int) -> Outcome:
        """Make one attempt; map every aiohttp failure to an :class:`Outcome` with an error."""
        # Checked once per attempt: a disabled logger then costs no formatting and no clock.
        info = logger.isEnabledFor(_INFO)
        debug = info and logger.isEnabledFor(_DEBUG)
        started = time.monotonic() if info else 0.0
        state = Attempt()
        out = Outcome()
        try:
            data = call.body if call.fields is None else build_form(call, state)
            if debug:
                logger.debug("%s %s request body: %s bytes", call.method, call.rel, body_size(data))
            async with session.request(
                call.method,
                call.url,
                params=call.query,
                data=data,
                headers=call.headers,
                timeout=call.timeout,
                allow_redirects=False,
            ) as resp:
                out.raw = await resp.read()
                out.status, out.headers = resp.status, resp.headers
        except NotReplayableError as exc:
            raise InvalidRequestError(str(exc)) from None
        except (aiohttp.ClientError, TimeoutError) as exc:
            if state.user_error is not None:
                # The progress callback or the file itself failed: the caller's problem,
                # reported as raised, never retried.
                raise state.user_error from None
            out.error, out.nothing_sent, out.retry_ok = map_error(exc, call)
        finally:
            for reader in state.readers:
                await reader.aclose()
        if info:
            logger.info(
                "%s %s -> %s (attempt %d, %.3f s)",
                call.method,
                call.rel,
                out.status or type(out.error).__name__,
                attempt,
                time.monotonic() - started,
            )
            if debug and out.status:
                logger.debug("%s %s response body: %d bytes", call.method, call.rel, len(out.raw))
        return out

    def _url(self, rel: str) -> URL:
        full = self.base_url + "/" + rel
        url = self._urls.get(full)
        if url is None:
            if len(self._urls) >= _MAX_CACHED_URLS:
                self._urls.clear()
            url = self._urls[full] = URL(full, encoded=True)
        return url

    def _wait_or_raise(self, out: Outcome, call: Call, attempt: int, retries: int) -> float:
        """Return how long to wait before the next attempt, or raise the outcome's error."""
        error = out.error
        assert error is not None
        self._redact(error)
        wait = _retry.header_wait(out.headers, now=self.clock()) if out.status else None
        if isinstance(error, APIStatusError):
            error.retry_after = wait
        if not out.retry_ok or attempt > retries:
            raise error
        if wait is not None and wait > self.max_retry_wait:
            error.add_note(
                f"not retried: the server asked to wait {wait:.0f} s, more than "
                f"max_retry_wait={self.max_retry_wait:.0f} s"
            )
            raise error
        if call.fields is not None and not all(
            f.replayable for _, f in call.fields if isinstance(f, UploadFile)
        ):
            error.add_note(
                "not retried: the upload is a one-shot stream (an async iterable or a "
                "non-seekable file); pass a path, bytes or a seekable file to allow retries"
            )
            raise error
        return wait if wait is not None else _retry.backoff(attempt, self.random())

    def _call_headers(self, opts: RequestOptions, *, json_body: bool) -> Mapping[str, str]:
        # Returned, never kept in a local of request(): frame locals get printed by error
        # trackers, and these headers carry the key.
        if opts.extra_headers:
            return self._headers(opts, json_body=json_body)
        defaults = self._cache or self._build_cache()
        return defaults.json_headers if json_body else defaults.headers

    def _build_cache(self) -> _Defaults:
        headers = self._headers(DEFAULT_OPTIONS, json_body=False)
        json_headers = self._headers(DEFAULT_OPTIONS, json_body=True)
        # Read-only views: aiohttp copies them into each request, and nothing may change
        # what later calls send.
        self._cache = _Defaults(
            headers=CIMultiDictProxy(headers),
            json_headers=CIMultiDictProxy(json_headers),
            timeout=self._timeout(DEFAULT_OPTIONS),
        )
        return self._cache

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

    def _redirect_target(self, url: URL, out: Outcome, method: str, rel: str) -> URL:
        location = out.headers.get("Location")
        target = url.join(URL(location)) if location else None
        same_origin = target is not None and (
            target.host == url.host
            and (target.scheme, target.port) in {(url.scheme, url.port), ("https", 443)}
        )
        if target is not None and same_origin and method in {"GET", "HEAD"}:
            return target
        where = f"{target.scheme}://{target.host}" if target is not None else "nowhere"
        error = make_status_error(out.status, out.headers, out.raw, method, rel)
        error.args = (
            f"{out.status}: the API redirected {method} {rel} to {where}; not followed, so "
            "that the API key is never sent to another host or replayed in another request",
        )
        raise error

    def _redact(self, error: APIError) -> None:
        # Belt and braces: should a server or proxy echo the key back, it must not end up in
        # an exception that is logged or shown.
        if self._api_key and any(self._api_key in str(a) for a in error.args):
            error.args = tuple(str(a).replace(self._api_key, "***") for a in error.args)
        if isinstance(error, APIStatusError) and error.api_message:
            error.api_message = error.api_message.replace(self._api_key, "***")
