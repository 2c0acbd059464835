"""An async pager over page-numbered lists (v1 and v2 ``GET .../tasks``, and any list to come).

``list()`` returns an :class:`AsyncPager` at once. Awaiting it loads the first page (one
request), as the official SDK's coroutine ``list()`` does; iterating it without ``await``
reads page after page::

    pager = await client.embed.tasks.list(page_limit=50)     # one request: page 1
    pager.items, pager.has_next, pager.response.headers
    page2 = await pager.next_page()                          # one request, or None
    async for task in pager:                                 # page 1 again from memory,
        ...                                                  # then one request per page
    async for task in client.embed.tasks.list(status="ready"):   # no await: same walk
        ...
    async for page in client.embed.tasks.list().iter_pages():    # page by page
        page.items, page.page_info, page.response.headers

Stopping rules, so that a walk always ends and never asks for a page it does not need:

* ``page_info.total_page`` says how many pages exist: the walk stops after that page
  without asking for an empty one. The first ``total_page`` seen counts; a later page
  claiming more pages does not extend the walk.
* Without ``total_page``, it stops on an empty page, or on a page shorter than the page size
  when the page size is known (``page_limit`` or ``page_info.limit_per_page``).
* A page that repeats one already read (the same items, or the same ``page_info.page``),
  or that is not the page asked for (a server ignoring ``page``), ends the walk: it is not
  yielded again, and a warning is logged.
* After ``max_pages`` pages (default :data:`DEFAULT_MAX_PAGES`) a server still offering
  another page makes the walk raise :class:`~twelvelabs_async.errors.TooManyPagesError`
  rather than read for ever; pass a larger ``max_pages`` to ``list()`` for longer lists.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Hashable, Sequence
from typing import Any, Generic, Protocol, TypeVar

import attrs

from twelvelabs_async.errors import InvalidRequestError, TooManyPagesError
from twelvelabs_async.resources._base import capture_response

__all__ = ["DEFAULT_MAX_PAGES", "AsyncPager", "ListResponse", "Page"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

#: Pages one walk reads at most (500,000 tasks at 50 a page) before it raises.
DEFAULT_MAX_PAGES = 10_000

_log = logging.getLogger("twelvelabs_async.pagination")


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
        has_next: whether the walk will ask for another page after this one.
        response: the HTTP response (``.headers``, ``.status``, ``.request_id``), or
            ``None`` when the page was not fetched through a resource.
        result: the whole parsed list response, for anything else it carries.
    """

    items: list[T]
    page_info: Any
    number: int
    has_next: bool = False
    response: Any = attrs.field(default=None, repr=False)
    result: Any = attrs.field(default=None, repr=False)


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _item_key(item: object) -> Hashable:
    ident = getattr(item, "id", None)
    if isinstance(ident, str):
        return ident
    try:
        hash(item)
    except TypeError:
        return repr(item)
    return item


class _Walk:
    """What one walk has seen so far: enough to tell a repeated page and to stop."""

    def __init__(self, max_pages: int, page_limit: int | None) -> None:
        self.max_pages = max_pages
        self.page_limit = page_limit
        self.pages = 0
        self.items = 0
        self.total: int | None = None
        self.last_reported: int | None = None
        self.last_key: tuple[Hashable, ...] | None = None
        # Hashes, not the keys themselves: memory stays small over thousands of pages.
        self.seen: set[int] = set()

    def check_cap(self) -> None:
        if self.pages >= self.max_pages:
            raise TooManyPagesError(
                f"the list still offered another page after {self.max_pages} pages "
                f"({self.items} items); stopping so that a misbehaving server cannot keep "
                "this loop going. If the list really is that long, pass a larger "
                f"max_pages= to list() (e.g. max_pages={self.max_pages * 10}), or narrow "
                "it with started_at / ended_at / status",
                max_pages=self.max_pages,
                items_read=self.items,
            )

    def accept(self, items: list[Any], info: Any, number: int) -> bool:
        """Record a fetched page; ``False`` when it must not be yielded (the walk ends)."""
        reported = _int_or_none(getattr(info, "page", None))
        key = tuple(_item_key(i) for i in items)
        if self.pages:
            why = None
            if reported is not None and reported != number:
                why = f"answered page {reported} when page {number} was asked for"
            elif items and (key == self.last_key or hash(key) in self.seen):
                why = f"sent the items of an earlier page again as page {number}"
            elif self.total is not None and number > self.total:
                why = f"offered page {number} past total_page={self.total}"
            if why is not None:
                _log.warning("the list server %s; the walk stops there", why)
                return False
        self.pages += 1
        self.items += len(items)
        self.last_reported = reported
        self.last_key = key
        if items:
            self.seen.add(hash(key))
        if self.total is None:
            self.total = _int_or_none(getattr(info, "total_page", None))
        return True

    def has_next(self, items: list[Any], info: Any, number: int) -> bool:
        reported = _int_or_none(getattr(info, "page", None))
        if reported is not None and reported != number:
            return False
        if self.total is not None:
            return number < self.total and bool(items)
        if not items:
            return False
        size = self.page_limit or _int_or_none(getattr(info, "limit_per_page", None))
        return size is None or len(items) >= size


def _check_max_pages(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidRequestError(f"max_pages must be an integer >= 1, got {value!r}")
    return value


class AsyncPager(Generic[T]):
    """Walks a page-numbered list lazily: await it for its first page, iterate it for items.

    Each walk (``async for``, :meth:`iter_pages`, :meth:`to_list`) starts again from the
    pager's first page; a loaded pager (awaited, or returned by :meth:`next_page`) reuses
    the page it holds instead of asking for it again.

    Args:
        fetch: coroutine function that fetches page number ``n`` (1-based) and returns the
            parsed list response (anything with ``data`` and ``page_info``). The HTTP
            response is picked up when it sends through :func:`~twelvelabs_async.resources.
            _base.send`.
        page: the first page to read (the API's default is 1).
        page_limit: items per page as requested, if known; used to detect the last page
            when the API sends no ``page_info``.
        max_pages: the most pages one walk reads before it raises
            :class:`~twelvelabs_async.errors.TooManyPagesError`.

    Raises:
        InvalidRequestError: ``max_pages`` is not an integer >= 1.
    """

    def __init__(
        self,
        fetch: Callable[[int], Awaitable[ListResponse[T]]],
        *,
        page: int = 1,
        page_limit: int | None = None,
        max_pages: int = DEFAULT_MAX_PAGES,
    ) -> None:
        self._fetch = fetch
        self._start = page
        self._page_limit = page_limit
        self._max_pages = _check_max_pages(max_pages)
        self._page: Page[T] | None = None
        self._walk: _Walk | None = None
        self._next: AsyncPager[T] | None = None

    def __repr__(self) -> str:
        loaded = "" if self._page is None else f", loaded={len(self._page.items)} items"
        return f"AsyncPager(page={self._start}, page_limit={self._page_limit}{loaded})"

    def __await__(self) -> Generator[Any, None, AsyncPager[T]]:
        return self._load().__await__()

    async def _load(self) -> AsyncPager[T]:
        if self._page is None:
            walk = self._new_walk()
            self._page = await self._read(walk, self._start)
            self._walk = walk
        return self

    def _new_walk(self) -> _Walk:
        return _Walk(self._max_pages, self._page_limit)

    async def _read(self, walk: _Walk, number: int) -> Page[T]:
        """Fetch page ``number``; the first page of a walk is always accepted."""
        page = await self._try_read(walk, number)
        if page is None:  # pragma: no cover - accept() never refuses a walk's first page
            raise AssertionError("the first page of a walk was refused")
        return page

    async def _try_read(self, walk: _Walk, number: int) -> Page[T] | None:
        walk.check_cap()
        with capture_response() as holder:
            result = await self._fetch(number)
        items = list(result.data or ())
        info = result.page_info
        if not walk.accept(items, info, number):
            return None
        return Page(
            items=items,
            page_info=info,
            number=number,
            has_next=walk.has_next(items, info, number),
            response=holder.response,
            result=result,
        )

    def _loaded(self) -> Page[T]:
        if self._page is None:
            raise InvalidRequestError(
                "this pager has no page loaded: write `pager = await client.embed.tasks."
                "list(...)` to read the first page, or iterate it with `async for`"
            )
        return self._page

    @property
    def items(self) -> list[T]:
        """The loaded page's items (after ``await``)."""
        return self._loaded().items

    @property
    def has_next(self) -> bool:
        """Whether another page follows the loaded one (unlike the official SDK's, not
        always ``True``)."""
        return self._loaded().has_next

    @property
    def response(self) -> Any:
        """The HTTP response of the loaded page (``.headers``, ``.status``)."""
        return self._loaded().response

    @property
    def page_info(self) -> Any:
        """The loaded page's ``page_info`` block (``None`` when the API sent none)."""
        return self._loaded().page_info

    @property
    def current_page(self) -> Page[T]:
        """The loaded page as a :class:`Page`."""
        return self._loaded()

    async def next_page(self) -> AsyncPager[T] | None:
        """Load the page after the loaded one (one request; the same pager if called again).

        Returns:
            A loaded pager for the next page, or ``None`` when there is none (no request).

        Raises:
            InvalidRequestError: the pager was not awaited first.
            TooManyPagesError: ``max_pages`` pages were read along this chain already.
        """
        page = self._loaded()
        if self._next is not None or not page.has_next:
            return self._next
        walk = self._walk if self._walk is not None else self._new_walk()
        following = await self._try_read(walk, page.number + 1)
        if following is None:
            return None
        pager = AsyncPager(
            self._fetch,
            page=following.number,
            page_limit=self._page_limit,
            max_pages=self._max_pages,
        )
        pager._page, pager._walk = following, walk
        self._next = pager
        return pager

    async def first_page(self) -> Page[T]:
        """Return the first page: the loaded one, else fetched with one request.

        Returns:
            The page, with its ``items``, ``page_info`` and ``response``.
        """
        if self._page is not None:
            return self._page
        return await self._read(self._new_walk(), self._start)

    async def iter_pages(self) -> AsyncIterator[Page[T]]:
        """Yield each page in turn, stopping after the last one without an extra request.

        Yields:
            Pages in order, starting at the pager's first (or loaded) page. An empty first
            page is yielded once, so callers can still read its ``page_info``.

        Raises:
            TooManyPagesError: the server still offered pages after ``max_pages``.
        """
        walk = self._new_walk()
        if self._page is not None:
            page = self._page
            walk.accept(page.items, page.page_info, page.number)
        else:
            page = await self._read(walk, self._start)
        while True:
            yield page
            if not page.has_next:
                return
            following = await self._try_read(walk, page.number + 1)
            if following is None:
                return
            page = following

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
