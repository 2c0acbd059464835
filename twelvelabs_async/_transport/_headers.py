"""The headers of a call: defaults, the user's extra headers (checked first), then the key."""

from __future__ import annotations

import re
from collections.abc import Mapping

from multidict import CIMultiDict

from twelvelabs_async._version import __version__
from twelvelabs_async.errors import InvalidRequestError

__all__ = ["build_headers", "check_headers"]

# RFC 9110 token characters: anything else in a name is refused by servers, or worse, read
# as the start of another header.
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# Every C0 control character but tab, and DEL: CR/LF would end the header line early (and
# start another one), NUL cuts it short on many servers.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")

_BASE = {"User-Agent": f"twelvelabs-async/{__version__}", "Accept": "application/json"}


def check_headers(headers: object, *, argument: str) -> None:
    """Refuse header names and values that cannot go on the wire as one header line.

    Args:
        headers: a mapping of header names to values (``None`` or empty: nothing to check).
        argument: how the caller spelled the argument, for the message.

    Raises:
        InvalidRequestError: naming the argument and the header (never the value, which
            may be a credential).
    """
    if not headers:
        return
    if not isinstance(headers, Mapping):
        raise InvalidRequestError(
            f"{argument} must be a mapping of header names to values, got {type(headers).__name__}"
        )
    for name, value in headers.items():
        if not isinstance(name, str) or not _TOKEN.fullmatch(name):
            raise InvalidRequestError(
                f"{argument}: {name!r} is not a valid header name (use letters, digits and "
                "!#$%&'*+-.^_`|~ only)"
            )
        if not isinstance(value, str):
            raise InvalidRequestError(
                f"{argument}: header {name!r} needs a str value, got {type(value).__name__}"
            )
        if _CONTROL.search(value):
            raise InvalidRequestError(
                f"{argument}: the value of header {name!r} contains a control character "
                "(CR, LF, NUL, ...); a header value must be a single line of text"
            )


def build_headers(
    client: Mapping[str, str],
    extra: Mapping[str, str] | None,
    *,
    api_key: str,
    json_body: bool,
) -> CIMultiDict[str]:
    """The headers of one call: ours, the client's, the call's, then the key (which wins)."""
    headers: CIMultiDict[str] = CIMultiDict(_BASE)
    headers.update(client)
    if extra:
        headers.update(extra)
    if json_body:
        headers["Content-Type"] = "application/json"
    headers["x-api-key"] = api_key
    return headers
