"""An async pager over the page-numbered task lists (v1 and v2 ``GET .../tasks``).

``list()`` returns an :class:`AsyncPager` at once (it is not a coroutine); no request is
made until it is iterated::

    async for task in client.embed.tasks.list(status="ready"):   # every item, every page
        ...
    async for page in client.embed.tasks.list().iter_pages():    # page by page
        page.items, page.page_info
    page = await client.embed.tasks.list(page_limit=50).first_page()

Stopping rule: the API's ``page_info.total_page`` says how many pages exist, so the pager
stops after that page without asking for an empty one. When ``page_info`` (or its
``total_page``) is missing it stops on an empty page, or on a page shorter than the
page size when the page size is known. A page whose ``page_info.page`` is not the page
asked for (a server ignoring ``page``) ends the walk instead of looping forever.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, Generic, Protocol, TypeVar

import attrs

__all__ = ["AsyncPager", "ListResponse", "Page", "PageInfoLike"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class PageInfoLike(Protocol):
    """What the pager reads from a response's ``page_info`` (every field may be missing)."""

    @property
    def page(self) -> int | None: ...

    @property
    def total_page(self) -> int | None: ...

    @property
    def limit_per_page(self) -> int | None: ...


class ListResponse(Protocol[T_co]):
    """A list response: the generated v1 and v2 task list models fit this shape."""

    @property
    def data(self) -> Sequence[T_co] | None: ...

    @property
    def page_info(self) -> Any: ...


@attrs.frozen
class Page(Generic[T]):
    """One page of a list.

    Attributes:
        items: the items of this page (empty when the API sent none).
        page_info: the API's paging block (``page``, ``total_page``, ``limit_per_page``,
            ``total_results``), or ``None`` when the response had none.
        number: the page number that was requested (1-based).
        response: the whole parsed response, for anything else it carries.
    """

    items: list[T]
    page_info: Any
    number: int
    response: Any = attrs.field(default=None, repr=False)

    @property
    def has_next(self) -> bool:
        """Whether another page may follow, by the same rule the pager stops on."""
        return _has_next(self, None)


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _is_other_page(page: Page[Any]) -> bool:
    """Whether the server answered with another page than the one asked for."""
    reported = _int_or_none(getattr(page.page_info, "page", None))
    return reported is not None and reported != page.number


def _has_next(page: Page[Any], page_limit: int | None) -> bool:
    info = page.page_info
    if _is_other_page(page):
        return False
    total = _int_or_none(getattr(info, "total_page", None))
    if total is not None:
        return page.number < total and bool(page.items)
    if not page.items:
        return False
    size = page_limit or _int_or_none(getattr(info, "limit_per_page", None))
    return size is None or len(page.items) >= size


class AsyncPager(Generic[T]):
    """Walks a page-numbered list lazily: iterate it for items, or ``iter_pages()`` for pages.

    Each iteration starts again from the first page, so a pager can be walked twice (it
    then reads the list twice; the list may have changed in between).

    Args:
        fetch: coroutine function that fetches page number ``n`` (1-based) and returns the
            parsed list response (anything with ``data`` and ``page_info``).
        page: the first page to read (the API's default is 1).
        page_limit: items per page as requested, if known; used to detect the last page
            when the API sends no ``page_info``.
    """

    def __init__(
        self,
        fetch: Callable[[int], Awaitable[ListResponse[T]]],
        *,
        page: int = 1,
        page_limit: int | None = None,
    ) -> None:
        self._fetch = fetch
        self._start = page
        self._page_limit = page_limit

    def __repr__(self) -> str:
        return f"AsyncPager(page={self._start}, page_limit={self._page_limit})"

    async def _get(self, number: int) -> Page[T]:
        response = await self._fetch(number)
        items = list(response.data or ())
        return Page(items=items, page_info=response.page_info, number=number, response=response)

    async def first_page(self) -> Page[T]:
        """Fetch only the first page (one request).

        Returns:
            The page, with its ``items`` and ``page_info``.
        """
        return await self._get(self._start)

    async def iter_pages(self) -> AsyncIterator[Page[T]]:
        """Yield each page in turn, stopping after the last one without an extra request.

        Yields:
            Pages in order, starting at the pager's first page. An empty first page is
            yielded once, so callers can still read its ``page_info``.
        """
        number = self._start
        while True:
            page = await self._get(number)
            if number != self._start and _is_other_page(page):
                # The server ignored the page number: its items were already yielded, and
                # asking for the next page would loop forever.
                return
            yield page
            if not _has_next(page, self._page_limit):
                return
            number += 1

    async def __aiter__(self) -> AsyncIterator[T]:
        """Yield every item of every page, in the API's order (newest first)."""
        async for page in self.iter_pages():
            for item in page.items:
                yield item

    async def to_list(self, *, limit: int | None = None) -> list[T]:
        """Collect items into a list, reading no more pages than needed.

        Args:
            limit: stop after this many items; ``None`` reads every page.

        Returns:
            The items, in the API's order.
        """
        out: list[T] = []
        if limit is not None and limit <= 0:
            return out
        async for page in self.iter_pages():
            out.extend(page.items)
            if limit is not None and len(out) >= limit:
                return out[:limit]
        return out
