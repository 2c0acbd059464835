"""Which redirects are followed: same-origin GETs only, so the key never leaves the API."""

from __future__ import annotations

from collections.abc import Mapping

from yarl import URL

from twelvelabs_async.errors import APIStatusError, make_status_error

__all__ = ["MAX_REDIRECTS", "REDIRECTS", "redirect_target", "too_many_redirects"]

#: Redirects followed for one call before giving up.
MAX_REDIRECTS = 5
REDIRECTS = frozenset({301, 302, 303, 307, 308})

_WHY = "not followed, so that the API key is never sent to another host or replayed"


def redirect_target(
    url: URL, status: int, headers: Mapping[str, str], raw: bytes, method: str, rel: str
) -> URL:
    """Return where a redirect of a GET (or HEAD) to the same origin points.

    Raises:
        APIStatusError: the redirect has no usable ``Location``, leaves the origin, or
            answers another method; its message says where it pointed.
    """
    location = headers.get("Location")
    target: URL | None = None
    problem = "without a Location header"
    if location:
        try:
            target = url.join(URL(location))
        except (ValueError, TypeError):
            target = None
        if target is None or not target.is_absolute() or not target.host:
            target = None
            problem = f"to {location[:200]!r}, which is not a URL"
    if target is not None:
        same_origin = target.host == url.host and (target.scheme, target.port) in {
            (url.scheme, url.port),
            ("https", 443),
        }
        if same_origin and method in {"GET", "HEAD"}:
            return target
        problem = f"to {target.scheme}://{target.host}:{target.port}"
    error = make_status_error(status, headers, raw, method, rel)
    error.args = (f"{status}: the API redirected {method} {rel} {problem}; {_WHY}",)
    raise error


def too_many_redirects(
    status: int, headers: Mapping[str, str], raw: bytes, method: str, rel: str
) -> APIStatusError:
    """The error of a call redirected more than :data:`MAX_REDIRECTS` times (a loop)."""
    error = make_status_error(status, headers, raw, method, rel)
    location = (headers.get("Location") or "")[:200]
    error.args = (
        f"{status}: too many redirects: {method} {rel} was redirected more than "
        f"{MAX_REDIRECTS} times (last to {location!r}); the server is probably in a loop",
    )
    return error
