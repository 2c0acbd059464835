"""Retry policy: what may be retried, and how long to wait first. Pure functions, no I/O.

Waits:

* The server's own word wins: ``retry-after-ms`` (milliseconds), then ``Retry-After``
  (seconds or an HTTP date), then ``X-Ratelimit-Reset`` (UTC epoch seconds; a value too
  small to be an epoch is read as seconds to wait).
* Without such a header: capped exponential backoff with "equal jitter": the n-th retry
  waits between half and all of ``min(BACKOFF_CAP, BACKOFF_BASE * 2**(n-1))``, so waits
  grow but never collapse to zero (which would hammer a struggling server).
* A header that asks for more than ``max_retry_wait`` (default 60 s) is not obeyed: the
  transport raises the error at once (a 429 becomes :class:`RateLimitError` with
  ``retry_after`` set) rather than parking the caller for minutes. A bulk job can catch it,
  and read ``retry_after`` to schedule the item later.

Creates (``create=True``) are retried on a status only when nothing can have been created:
a 429, because the rate limiter rejects a request before it is processed. Nothing else:

* not 503, even with ``Retry-After``: a load balancer may shed a request unprocessed, but
  an API server that created the task and then failed may answer the same, and a retry
  would make (and bill) a second task;
* not 500 (the handler may have failed after inserting the task), not 502 or 504 (a proxy
  says the upstream failed or was too slow, which it may have done after creating the
  task), not 408 (some proxies send it after forwarding a request).

The error of such a create says that the outcome is unknown and how to look the task up;
a bulk job looks it up in the task list itself before creating again.

Connection failures are retried for a create only when the request surely never left:
refused, DNS failure, connect timeout. A read timeout or a reset after the body was sent
leaves the outcome unknown, so it is never retried for a create.
"""

from __future__ import annotations

import email.utils
import math
from collections.abc import Mapping

__all__ = [
    "BACKOFF_BASE",
    "BACKOFF_CAP",
    "DEFAULT_MAX_RETRY_WAIT",
    "backoff",
    "create_may_retry_status",
    "header_wait",
    "is_retryable_status",
]

#: Seconds before the first retry (before jitter).
BACKOFF_BASE = 0.5
#: The longest backoff between two attempts (before jitter), in seconds.
BACKOFF_CAP = 8.0
#: The longest a response header may make us sleep before a retry, in seconds.
DEFAULT_MAX_RETRY_WAIT = 60.0

# An X-Ratelimit-Reset below this (2001-09-09) cannot be an epoch: read it as a delay.
_EPOCH_FLOOR = 1_000_000_000


def is_retryable_status(status: int) -> bool:
    """Whether a status is worth retrying for a request that is safe to repeat."""
    return status in (408, 429) or status >= 500


def create_may_retry_status(status: int, headers: Mapping[str, str]) -> bool:
    """Whether a create call answered with ``status`` surely created nothing (see module doc).

    ``headers`` are not consulted: no header proves that a failed create created nothing.
    """
    del headers
    return status == 429


def backoff(
    retry_number: int,
    rand: float,
    *,
    base: float = BACKOFF_BASE,
    cap: float = BACKOFF_CAP,
    growth: float = 2.0,
    jitter: tuple[float, float] = (0.5, 1.0),
) -> float:
    """Return the wait before retry number ``retry_number``: the package's one backoff rule.

    The ceiling ``d = min(cap, base * growth**(n-1))`` grows with each retry; the wait is
    ``d`` times a factor drawn from ``jitter``. The defaults are the transport's retries
    ("equal jitter": between half and all of ``d``, so waits never collapse to zero). The
    polling interval is ``growth=1`` with ``jitter=(0.9, 1.1)`` (±10 % around the
    interval); the bulk rate gate and item retries use their own ``base`` and ``cap``.

    Args:
        retry_number: 1 for the first retry, 2 for the second, ...
        rand: a uniform random float in [0, 1).
        base: the ceiling of the first retry, in seconds.
        cap: the largest ceiling, in seconds.
        growth: the factor by which the ceiling grows per retry.
        jitter: the ``(low, high)`` factors of the ceiling that ``rand`` spans.

    Returns:
        Seconds in ``[low * d, high * d]``.
    """
    ceiling = min(cap, base * growth ** max(0, retry_number - 1))
    low, high = jitter
    return float(ceiling * (low + (high - low) * rand))


def header_wait(headers: Mapping[str, str], *, now: float) -> float | None:
    """Return the wait a response asks for, in seconds, or ``None`` if it says nothing usable.

    Args:
        headers: the response headers (looked up case-insensitively).
        now: the current UTC epoch time in seconds.

    Returns:
        A non-negative number of seconds, or ``None``.
    """
    ms = _number(_get(headers, "retry-after-ms"))
    if ms is not None:
        return ms / 1000
    value = _get(headers, "retry-after")
    if value is not None:
        seconds = _number(value)
        if seconds is not None:
            return seconds
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            when = None
        if when is not None and when.tzinfo is not None:
            return max(0.0, when.timestamp() - now)
    reset = _number(_get(headers, "x-ratelimit-reset"))
    if reset is not None:
        return reset if reset < _EPOCH_FLOOR else max(0.0, reset - now)
    return None


def _get(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        for key, val in headers.items():
            if key.lower() == name:
                return val
    return value


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    if not math.isfinite(number) or number < 0:
        return None
    return number
