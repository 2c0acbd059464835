"""``AsyncTwelveLabs``: configuration, session lifecycle and the resource accessors."""

from __future__ import annotations

import ipaddress
import math
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from twelvelabs_async._retry import DEFAULT_MAX_RETRY_WAIT
from twelvelabs_async._transport import (
    DEFAULT_MAX_RESPONSE_SIZE,
    ClientSession,
    SessionPool,
    Transport,
    check_headers,
)
from twelvelabs_async.errors import InvalidRequestError
from twelvelabs_async.types import Timeout, _check_size

if TYPE_CHECKING:
    from twelvelabs_async.resources.assets import Assets
    from twelvelabs_async.resources.embed import Embed
    from twelvelabs_async.resources.multipart_upload import MultipartUpload

__all__ = ["DEFAULT_BASE_URL", "AsyncTwelveLabs"]

#: The API's base URL, version path included.
DEFAULT_BASE_URL = "https://api.twelvelabs.io/v1.3"
#: Connections kept per client: enough for hundreds of concurrent calls.
DEFAULT_CONNECTION_LIMIT = 256

_MISSING_KEY = (
    "no API key: pass AsyncTwelveLabs(api_key=...) or set the TWELVELABS_API_KEY environment "
    "variable (the key is on the API Keys page of the Twelve Labs dashboard)"
)


class AsyncTwelveLabs:
    """Asynchronous client of the Twelve Labs Embed API.

    Safe to share across any number of concurrent tasks in one event loop. Use it as an
    async context manager, or call :meth:`aclose` when done::

        async with AsyncTwelveLabs() as client:
            task = await client.embed.tasks.create(...)

    Configuration resolves once, at construction: explicit argument, then environment
    variable (``TWELVELABS_API_KEY``, ``TWELVELABS_BASE_URL``), then default.

    Args:
        api_key: the API key; defaults to ``$TWELVELABS_API_KEY``.
        base_url: the API root including its version path; defaults to
            ``$TWELVELABS_BASE_URL``, then ``https://api.twelvelabs.io/v1.3``.
        timeout: seconds for one whole attempt (connect, upload, response), or a
            :class:`~twelvelabs_async.types.Timeout`. Default 600 s in all, 10 s to
            connect, and at most 60 s without a byte of the response.
        connect_timeout: seconds to open a connection (default 10 s); overrides the
            ``connect`` of a ``Timeout`` given as ``timeout``.
        max_retries: retries after a failed attempt (default 2; 0 disables them).
        max_retry_wait: the longest a ``Retry-After``-like header may make a retry wait
            (seconds); a server asking for longer gets its error raised at once.
        max_response_size: the largest response body read, in bytes (default 512 MiB);
            a larger one raises ``ResponseTooLargeError`` without being read.
        session: an aiohttp ``ClientSession`` to use; the client never closes it.
        connection_limit: the most connections open at once (default 256).
        headers: extra headers sent with every call.
        allow_insecure_http: allow an ``http://`` base URL on a non-loopback host (the API
            key would travel in clear text).
        trust_env: let aiohttp read proxy settings (``HTTPS_PROXY``...) from the environment.

    Raises:
        InvalidRequestError: no API key, or an invalid base URL or option.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | Timeout | None = None,
        connect_timeout: float | None = None,
        max_retries: int = 2,
        max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        session: ClientSession | None = None,
        connection_limit: int = DEFAULT_CONNECTION_LIMIT,
        headers: Mapping[str, str] | None = None,
        allow_insecure_http: bool = False,
        trust_env: bool = False,
    ) -> None:
        key = api_key if api_key is not None else os.environ.get("TWELVELABS_API_KEY")
        if not isinstance(key, str) or not key.strip():
            raise InvalidRequestError(_MISSING_KEY)
        if any(ord(c) < 0x20 or ord(c) == 0x7F for c in key.strip()):
            # Never echoed: it is a credential, even when mistyped.
            raise InvalidRequestError(
                "api_key contains a control character (a line break, NUL, ...); copy the key "
                "again from the API Keys page of the Twelve Labs dashboard"
            )
        url = base_url or os.environ.get("TWELVELABS_BASE_URL") or DEFAULT_BASE_URL
        url = _check_base_url(url, allow_insecure_http=allow_insecure_http)
        _check_int("max_retries", max_retries, minimum=0)
        _check_int("connection_limit", connection_limit, minimum=1)
        if (
            isinstance(max_retry_wait, bool)
            or not isinstance(max_retry_wait, int | float)
            or not math.isfinite(max_retry_wait)
            or max_retry_wait < 0
        ):
            raise InvalidRequestError(
                f"max_retry_wait must be a finite number of seconds >= 0, got {max_retry_wait!r}"
            )
        _check_size("max_response_size", max_response_size)
        check_headers(headers, argument="headers")
        pool = SessionPool(session=session, connection_limit=connection_limit, trust_env=trust_env)
        self._transport = Transport(
            pool=pool,
            base_url=url,
            api_key=key.strip(),
            timeout=_resolve_timeout(timeout, connect_timeout, Timeout()),
            max_retries=max_retries,
            max_retry_wait=float(max_retry_wait),
            headers=dict(headers or {}),
            max_response_size=max_response_size,
        )
        self._owns_pool = True
        self._embed: Embed | None = None

    @property
    def base_url(self) -> str:
        """The API root every path is relative to."""
        return self._transport.base_url

    @property
    def timeout(self) -> Timeout:
        """The default time limits of one attempt."""
        return self._transport.timeout

    @property
    def max_retries(self) -> int:
        """The default number of retries after a failed attempt."""
        return self._transport.max_retries

    @property
    def embed(self) -> Embed:
        """The Embed API (v1 sync and tasks; ``.v2`` for Embed API v2)."""
        if self._embed is None:
            from twelvelabs_async.resources.embed import Embed

            self._embed = Embed(self._transport)
        return self._embed

    @property
    def assets(self) -> Assets:
        """Assets: media kept by the platform (``upload`` takes any local file up to 10 GB)."""
        from twelvelabs_async.resources.assets import Assets

        return Assets(self._transport)

    @property
    def multipart_upload(self) -> MultipartUpload:
        """Multipart uploads of local files up to 10 GB (``upload_file`` does it all)."""
        from twelvelabs_async.resources.multipart_upload import MultipartUpload

        return MultipartUpload(self._transport)

    def with_options(
        self,
        *,
        timeout: float | Timeout | None = None,
        connect_timeout: float | None = None,
        max_retries: int | None = None,
        headers: Mapping[str, str] | None = None,
        max_response_size: int | None = None,
    ) -> AsyncTwelveLabs:
        """Return a client with other defaults that shares this one's connections.

        Closing the copy does nothing: the connections belong to the original client.

        Args:
            timeout: new default timeout (seconds or :class:`Timeout`).
            connect_timeout: new default connect timeout in seconds.
            max_retries: new default retry count.
            headers: headers added to (or replacing some of) the current extra headers.
            max_response_size: new largest response body read, in bytes.

        Returns:
            A new :class:`AsyncTwelveLabs`.
        """
        changes: dict[str, Any] = {}
        if timeout is not None or connect_timeout is not None:
            changes["timeout"] = _resolve_timeout(timeout, connect_timeout, self.timeout)
        if max_retries is not None:
            _check_int("max_retries", max_retries, minimum=0)
            changes["max_retries"] = max_retries
        if headers:
            check_headers(headers, argument="headers")
            changes["headers"] = {**self._transport.headers, **headers}
        if max_response_size is not None:
            _check_size("max_response_size", max_response_size)
            changes["max_response_size"] = max_response_size
        clone = object.__new__(AsyncTwelveLabs)
        clone._transport = self._transport.copy(**changes)
        clone._owns_pool = False
        clone._embed = None
        return clone

    async def aclose(self) -> None:
        """Close the connections this client opened (idempotent; a no-op on copies)."""
        if self._owns_pool:
            await self._transport.pool.aclose()

    async def __aenter__(self) -> AsyncTwelveLabs:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        t = self._transport
        return (
            f"AsyncTwelveLabs(base_url={t.base_url!r}, timeout={t.timeout!r}, "
            f"max_retries={t.max_retries!r})"
        )


def _check_int(name: str, value: object, *, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidRequestError(f"{name} must be an integer >= {minimum}, got {value!r}")


def _resolve_timeout(
    timeout: float | Timeout | None, connect: float | None, default: Timeout
) -> Timeout:
    if timeout is None:
        base = default
    elif isinstance(timeout, Timeout):
        base = timeout
    else:
        base = Timeout(total=timeout, connect=default.connect, read=default.read)
    if connect is not None:
        base = Timeout(total=base.total, connect=connect, read=base.read)
    return base


def _check_base_url(url: str, *, allow_insecure_http: bool) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidRequestError(
            f"base_url must be an http(s) URL such as {DEFAULT_BASE_URL!r}, got {url!r}"
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise InvalidRequestError("base_url must not carry a query, a fragment or credentials")
    if parts.scheme == "http" and not allow_insecure_http and not _is_loopback(parts.hostname):
        raise InvalidRequestError(
            f"refusing plain http:// base URL {url!r}: the API key would travel in clear "
            "text; use https, or pass allow_insecure_http=True if you really mean it"
        )
    return url.strip().rstrip("/")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
