"""The transport: one call's preparation, its attempts, and the retry loop around them."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

import aiohttp
import attrs
import orjson
from multidict import CIMultiDictProxy
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
from twelvelabs_async._transport._headers import build_headers, check_headers
from twelvelabs_async._transport._options import DEFAULT_OPTIONS, as_options
from twelvelabs_async._transport._read import DEFAULT_MAX_RESPONSE_SIZE, client_timeout, read_body
from twelvelabs_async._transport._redirect import (
    MAX_REDIRECTS,
    REDIRECTS,
    redirect_target,
    too_many_redirects,
)
from twelvelabs_async._transport._session import SessionPool
from twelvelabs_async._uploads import NotReplayableError, UploadFile
from twelvelabs_async._wire import (
    MultipartField,
    Path,
    Response,
    multipart_fields,
    query_pairs,
    relative_path,
)
from twelvelabs_async.errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    InvalidRequestError,
    ResponseTooLargeError,
    make_status_error,
)
from twelvelabs_async.types import ProgressCallback, RequestOptions, Timeout

__all__ = ["Transport"]

logger = logging.getLogger("twelvelabs_async")


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
    # What every call is built from cannot change after construction (``copy`` makes a new
    # transport), so the per-call defaults below are prepared once and never go stale.
    base_url: str = attrs.field(on_setattr=attrs.setters.frozen)
    _api_key: str = attrs.field(alias="api_key", repr=False, on_setattr=attrs.setters.frozen)
    timeout: Timeout = attrs.field(factory=Timeout, on_setattr=attrs.setters.frozen)
    max_retries: int = 2
    max_retry_wait: float = _retry.DEFAULT_MAX_RETRY_WAIT
    headers: Mapping[str, str] = attrs.field(factory=dict, on_setattr=attrs.setters.frozen)
    max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE
    sleep: Callable[[float], Awaitable[None]] = _timing.sleep
    random: Callable[[], float] = random.random
    clock: Callable[[], float] = time.time
    # Headers (plain, JSON) and timeouts (read timeout on, off) of a call without options:
    # status polling builds them thousands of times otherwise (measured ~10-40 us a call).
    _plain_headers: CIMultiDictProxy[str] = attrs.field(init=False, repr=False)
    _json_headers: CIMultiDictProxy[str] = attrs.field(init=False, repr=False)
    _read_timeout: aiohttp.ClientTimeout = attrs.field(init=False, repr=False)
    _computed_timeout: aiohttp.ClientTimeout = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        # Read-only views: aiohttp copies them into each request, so no call can change
        # what later calls send.
        self._plain_headers = CIMultiDictProxy(
            build_headers(self.headers, None, api_key=self._api_key, json_body=False)
        )
        self._json_headers = CIMultiDictProxy(
            build_headers(self.headers, None, api_key=self._api_key, json_body=True)
        )
        self._read_timeout = client_timeout(self.timeout, None, computed=False)
        self._computed_timeout = client_timeout(self.timeout, None, computed=True)

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
            ResponseTooLargeError: a body larger than ``max_response_size``.
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
        check_headers(opts.extra_headers, argument="request_options extra_headers")
        progress = opts.on_progress or on_progress
        if progress is not None and not callable(progress):
            raise InvalidRequestError(
                f"the upload progress callback must be callable, got {type(progress).__name__}"
            )
        call = Call(
            method=method,
            rel=rel,
            url=URL(self.base_url + "/" + rel, encoded=True),
            query=query_pairs(params),
            headers=self._call_headers(opts, json_body=body is not None),
            timeout=self._timeout_for(opts, computed=method == "POST" and not create),
            body=body,
            fields=multipart_fields(multipart) if multipart is not None else None,
            on_progress=progress,
        )
        limit = opts.max_response_size or self.max_response_size
        retries = self.max_retries if opts.max_retries is None else opts.max_retries
        session = self.pool.get()
        attempt = redirects = 0
        while True:
            attempt += 1
            try:
                out = await self._send(session, call, attempt, limit)
            except ResponseTooLargeError as exc:
                raise _unknown_if_create(exc, call, create) from None
            if out.error is None:
                if 200 <= out.status < 300:
                    return Response(out.status, out.headers, out.raw, method, rel)
                if out.status in REDIRECTS:
                    if redirects >= MAX_REDIRECTS:
                        raise too_many_redirects(out.status, out.headers, out.raw, method, rel)
                    # Raises unless it is a GET (or HEAD) redirected within the origin.
                    call.url = redirect_target(
                        call.url, out.status, out.headers, out.raw, method, rel
                    )
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
            wait = self._wait_or_raise(out, call, attempt, retries, create=create)
            logger.info(
                "%s %s: retrying in %.2f s (attempt %d of %d)",
                method,
                rel,
                wait,
                attempt + 1,
                retries + 1,
            )
            await self.sleep(wait)

    async def _send(
        self, session: aiohttp.ClientSession, call: Call, attempt: int, limit: int
    ) -> Outcome:
        """Make one attempt; map every aiohttp failure to an :class:`Outcome` with an error."""
        # Checked once per attempt: a disabled logger then costs no formatting and no clock.
        info = logger.isEnabledFor(logging.INFO)
        debug = info and logger.isEnabledFor(logging.DEBUG)
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
                out.raw = await read_body(resp, limit, f"{call.method} {call.rel}")
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

    def _wait_or_raise(
        self, out: Outcome, call: Call, attempt: int, retries: int, *, create: bool
    ) -> float:
        """Return how long to wait before the next attempt, or raise the outcome's error."""
        error = out.error
        assert error is not None
        self._redact(error)
        wait = _retry.header_wait(out.headers, now=self.clock()) if out.status else None
        if isinstance(error, APIStatusError):
            error.retry_after = wait
        if not out.retry_ok or attempt > retries:
            if not out.nothing_sent:
                _unknown_if_create(error, call, create)
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
        if not opts.extra_headers:
            return self._json_headers if json_body else self._plain_headers
        return build_headers(
            self.headers, opts.extra_headers, api_key=self._api_key, json_body=json_body
        )

    def _timeout_for(self, opts: RequestOptions, *, computed: bool) -> aiohttp.ClientTimeout:
        if opts.timeout is None:
            return self._computed_timeout if computed else self._read_timeout
        return client_timeout(self.timeout, opts.timeout, computed=computed)

    def _redact(self, error: APIError) -> None:
        # Belt and braces: should a server or proxy echo the key back, it must not end up in
        # an exception that is logged or shown.
        if self._api_key and any(self._api_key in str(a) for a in error.args):
            error.args = tuple(str(a).replace(self._api_key, "***") for a in error.args)
        if isinstance(error, APIStatusError) and error.api_message:
            error.api_message = error.api_message.replace(self._api_key, "***")


def _unknown_if_create(error: APIError, call: Call, create: bool) -> APIError:
    """Say in a create's error that the task may exist, and how to look for it."""
    if not create:
        return error
    if isinstance(error, APIStatusError) and error.status_code < 500 and error.status_code != 408:
        return error  # the API refused the request: nothing was created
    if not isinstance(error, APIStatusError | APIConnectionError | ResponseTooLargeError):
        return error
    lister = "embed.v2.tasks.list()" if call.rel.startswith("embed-v2/") else "embed.tasks.list()"
    error.args = (
        f"{error.args[0] if error.args else error}; the outcome is unknown: the task may "
        f"have been created. Not retried, so as not to pay twice: look for it with "
        f"client.{lister} (newest first) before creating it again (a bulk job does this "
        "by itself)",
        *error.args[1:],
    )
    return error
