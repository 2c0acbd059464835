"""The task list of v1 and v2 (``GET /embed/tasks``, ``GET /embed-v2/tasks``).

Both endpoints take the same filters and answer the same page shape, so one function
builds the pager for either path.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from twelvelabs_async._convert import loads
from twelvelabs_async._pagination import DEFAULT_MAX_PAGES, AsyncPager
from twelvelabs_async._validate_list import build_list_query
from twelvelabs_async.models import MediaEmbeddingTask, TasksListResponse
from twelvelabs_async.resources._base import send

if TYPE_CHECKING:
    from twelvelabs_async.resources._base import Requester
    from twelvelabs_async.types import RequestOptions, RequestOptionsDict

__all__ = ["task_pager"]


def task_pager(
    requester: Requester,
    path: str,
    *,
    started_at: dt.datetime | str | None,
    ended_at: dt.datetime | str | None,
    status: str | None,
    page: int | None,
    page_limit: int | None,
    request_options: RequestOptions | RequestOptionsDict | None,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> AsyncPager[MediaEmbeddingTask]:
    """Check the list filters now and return a pager that reads ``path`` page by page.

    Args:
        requester: sends the requests (the client's transport).
        path: ``"embed/tasks"`` or ``"embed-v2/tasks"``.
        started_at: tasks created after this time (aware datetime or RFC 3339 string).
        ended_at: tasks created before this time.
        status: the status filter.
        page: the first page to read (1-based).
        page_limit: items per page, 1 to 50.
        request_options: per-call options, applied to every page.
        max_pages: the most pages one walk reads before raising ``TooManyPagesError``.

    Returns:
        The pager; no request is made until it is awaited or iterated.

    Raises:
        InvalidRequestError: a filter (or ``max_pages``) has the wrong type or range.
    """
    params, first, limit = build_list_query(
        started_at=started_at,
        ended_at=ended_at,
        status=status,
        page=page,
        page_limit=page_limit,
    )

    async def fetch(number: int) -> TasksListResponse:
        query = {**params, "page": str(number)}
        response = await send(requester, "GET", path, params=query, options=request_options)
        return loads(response.body, TasksListResponse)

    return AsyncPager(fetch, page=first, page_limit=limit, max_pages=max_pages)
