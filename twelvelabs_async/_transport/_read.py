"""Reading a response body within a size limit, and the timeouts of one attempt."""

from __future__ import annotations

import aiohttp

from twelvelabs_async.errors import ResponseTooLargeError
from twelvelabs_async.types import Timeout

__all__ = ["DEFAULT_MAX_RESPONSE_SIZE", "client_timeout", "read_body"]

#: The largest response body read by default: a retrieve of 3,600 segments of 1,024 floats
#: is about 78 MB of JSON, so this leaves room for several embedding options at once.
DEFAULT_MAX_RESPONSE_SIZE = 512 * 1024 * 1024

_HINT = (
    "raise the limit with AsyncTwelveLabs(max_response_size=...) or for one call with "
    "request_options=RequestOptions(max_response_size=...)"
)


async def read_body(resp: aiohttp.ClientResponse, limit: int, where: str) -> bytes:
    """Read the whole body, refusing to hold more than ``limit`` bytes of it at any point.

    The declared ``Content-Length`` is checked before reading; then the bytes read are
    counted, on the wire and after decompression, so that neither an endless chunked body
    nor a small compressed one that inflates without end can grow past the limit.

    Raises:
        ResponseTooLargeError: the body is (or declared itself) larger than ``limit``; the
            connection is closed, the rest is never read.
    """
    declared = resp.content_length
    if declared is not None and declared > limit:
        resp.close()
        raise _too_large(where, limit, declared, declared=True)
    encoding = resp.headers.get("Content-Encoding", "")
    if declared is not None and encoding.lower() in ("", "identity"):
        # aiohttp reads exactly the declared length, no more: already bounded, and one
        # read keeps the large retrieves as fast as before.
        return await resp.read()
    content = resp.content
    chunks: list[bytes] = []
    size = 0
    while chunk := await content.readany():
        size += len(chunk)
        # The wire count (absent on an empty body) bounds a body that inflates to little.
        wire = getattr(content, "total_compressed_bytes", None) or 0
        if size > limit or wire > limit:
            resp.close()
            raise _too_large(where, limit, max(size, wire), declared=False)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(where: str, limit: int, size: int, *, declared: bool) -> ResponseTooLargeError:
    seen = f"it declared {size} bytes" if declared else f"more than {limit} bytes arrived"
    return ResponseTooLargeError(
        f"{where}: the response is larger than max_response_size={limit} bytes ({seen}); "
        f"it was not read: {_HINT}",
        limit=limit,
        size=size,
        declared=declared,
    )


def client_timeout(
    default: Timeout, override: float | Timeout | None, *, computed: bool
) -> aiohttp.ClientTimeout:
    """aiohttp's timeouts for one attempt: the client's, or a call's override of them.

    Args:
        default: the client's timeouts.
        override: the call's ``RequestOptions.timeout``, if any.
        computed: the answer is computed while the client waits (a sync embedding of up
            to 10 minutes of media): the client's read timeout does not apply, only one
            given for the call as a :class:`Timeout`.
    """
    t = default
    read = None if computed else default.read
    if isinstance(override, Timeout):
        t, read = override, override.read
    elif override is not None:
        t = Timeout(total=float(override), connect=default.connect, read=default.read)
    # sock_connect, not connect: waiting for a free pooled connection under heavy
    # concurrency must not count as a connect failure. sock_read is inactivity: it restarts
    # with every chunk received, and starts once the request body is sent.
    return aiohttp.ClientTimeout(total=t.total, sock_connect=t.connect, sock_read=read)
