"""Checks of the task-list filters that v1 and v2 share (``GET /embed/tasks``, ``/embed-v2/tasks``).

* ``started_at`` / ``ended_at``: a timezone-aware ``datetime`` or an RFC 3339 string with an
  offset, sent as UTC ``YYYY-MM-DDTHH:MM:SSZ`` (the documented pattern; fractions of a
  second are dropped). A naive time is refused: its zone would be a guess. ``ended_at``
  must be later than ``started_at``.
* ``status``: any non-blank string (the known values are listed in the message; a new one
  is sent as given). ``page`` >= 1; ``page_limit`` 1 to 50.
"""

from __future__ import annotations

import datetime as dt

from . import limits
from ._validate_v1 import _fail, _integer, _string, _type_name

__all__ = ["KNOWN_STATUSES", "MAX_PAGE_LIMIT", "build_list_query", "format_rfc3339"]

MAX_PAGE_LIMIT = limits.MAX_PAGE_LIMIT
KNOWN_STATUSES = ("processing", "ready", "failed")


def format_rfc3339(name: str, value: object) -> str:
    """Turn a ``datetime`` or RFC 3339 string into the UTC form the API documents.

    Args:
        name: the argument's name, for the message.
        value: a timezone-aware ``datetime``, or a string such as ``2026-07-20T08:15:30Z``.

    Returns:
        ``YYYY-MM-DDTHH:MM:SSZ`` in UTC.

    Raises:
        InvalidRequestError: not a datetime or parseable string, or it has no timezone.
    """
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            _fail(
                f"{name}={value!r} is not an RFC 3339 date-time; use e.g. "
                "'2026-07-20T08:15:30Z' or a timezone-aware datetime"
            )
    elif isinstance(value, dt.datetime):
        parsed = value
    else:
        _fail(f"{name} must be a datetime or an RFC 3339 string, got {_type_name(value)} {value!r}")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        _fail(
            f"{name}={value!r} has no timezone; give one (e.g. a trailing 'Z' or "
            "datetime.now(timezone.utc)) so the filter is not off by your UTC offset"
        )
    return parsed.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_list_query(
    *,
    started_at: object = None,
    ended_at: object = None,
    status: object = None,
    page: object = None,
    page_limit: object = None,
) -> tuple[dict[str, str], int, int | None]:
    """Check task-list filters (v1 and v2 share them).

    Returns:
        ``(filters, first_page, page_limit)``: the query without ``page``, the page to start
        at (1 when not given) and the page size (``None`` for the server's default).

    Raises:
        InvalidRequestError: a filter is of the wrong type or out of range.
    """
    query: dict[str, str] = {}
    if started_at is not None:
        query["started_at"] = format_rfc3339("started_at", started_at)
    if ended_at is not None:
        query["ended_at"] = format_rfc3339("ended_at", ended_at)
    if "started_at" in query and "ended_at" in query and query["ended_at"] <= query["started_at"]:
        _fail(
            f"ended_at ({query['ended_at']}) must be later than started_at "
            f"({query['started_at']}); the filter would match nothing"
        )
    if status is not None:
        query["status"] = _string("status", status, hint=f" (one of {', '.join(KNOWN_STATUSES)})")
    first = 1
    if page is not None:
        first = _integer("page", page)
        if first < 1:
            _fail(f"page must be >= 1 (pages are numbered from 1), got {first}")
    limit = None
    if page_limit is not None:
        limit = _integer("page_limit", page_limit)
        if not 1 <= limit <= MAX_PAGE_LIMIT:
            _fail(f"page_limit must be between 1 and {MAX_PAGE_LIMIT}, got {limit}")
        query["page_limit"] = str(limit)
    return query, first, limit
