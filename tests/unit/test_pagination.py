"""Tests of the async pager, with fake page fetch functions."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from twelvelabs_async._pagination import AsyncPager, Page
from twelvelabs_async.errors import NotFoundError


@attrs.define
class Info:
    page: int | None = None
    total_page: int | None = None
    limit_per_page: int | None = None
    total_results: int | None = None


@attrs.define
class Resp:
    data: list[int] | None
    page_info: Info | None = None


class Pages:
    """A fake list endpoint: records which page numbers were asked for."""

    def __init__(self, pages: list[Resp]) -> None:
        self.pages = pages
        self.asked: list[int] = []

    async def __call__(self, number: int) -> Resp:
        self.asked.append(number)
        if number > len(self.pages):
            return Resp(data=[], page_info=None)
        return self.pages[number - 1]


def numbered(total: int, per_page: int) -> list[Resp]:
    """Pages of consecutive ints with a correct page_info block."""
    n_pages = max(1, -(-total // per_page))
    out = []
    for p in range(1, n_pages + 1):
        items = list(range((p - 1) * per_page, min(total, p * per_page)))
        out.append(Resp(items, Info(p, n_pages, per_page, total)))
    return out


async def test_walks_all_items_and_stops_at_total_page() -> None:
    """Iterating yields every item of every page and makes exactly total_page requests."""
    fake = Pages(numbered(27, 10))
    items = [x async for x in AsyncPager(fake, page_limit=10)]
    assert items == list(range(27))
    assert fake.asked == [1, 2, 3]


async def test_full_last_page_needs_no_extra_request() -> None:
    """When the last page is full, total_page still prevents a request for an empty page."""
    fake = Pages(numbered(20, 10))
    items = [x async for x in AsyncPager(fake, page_limit=10)]
    assert len(items) == 20
    assert fake.asked == [1, 2]


async def test_iter_pages_exposes_items_and_page_info() -> None:
    """iter_pages yields Page objects with items, page_info and the requested number."""
    fake = Pages(numbered(15, 10))
    pages = [p async for p in AsyncPager(fake).iter_pages()]
    assert [p.number for p in pages] == [1, 2]
    assert [len(p.items) for p in pages] == [10, 5]
    assert pages[0].page_info.total_results == 15
    assert pages[0].has_next
    assert not pages[1].has_next


async def test_first_page_makes_one_request() -> None:
    """first_page fetches only the starting page."""
    fake = Pages(numbered(50, 10))
    page = await AsyncPager(fake).first_page()
    assert page.items == list(range(10))
    assert page.page_info.total_page == 5
    assert fake.asked == [1]


async def test_starts_at_requested_page() -> None:
    """A pager created with page=3 starts there and continues to total_page."""
    fake = Pages(numbered(45, 10))
    items = [x async for x in AsyncPager(fake, page=3)]
    assert items == list(range(20, 45))
    assert fake.asked == [3, 4, 5]


async def test_missing_page_info_stops_on_short_page() -> None:
    """Without page_info, a page shorter than page_limit is taken as the last one."""
    fake = Pages([Resp([1, 2]), Resp([3, 4]), Resp([5])])
    items = [x async for x in AsyncPager(fake, page_limit=2)]
    assert items == [1, 2, 3, 4, 5]
    assert fake.asked == [1, 2, 3]


async def test_missing_page_info_and_limit_stops_on_empty_page() -> None:
    """Without page_info or a known page size, the pager stops at the first empty page."""
    fake = Pages([Resp([1, 2]), Resp([3]), Resp(None)])
    items = [x async for x in AsyncPager(fake)]
    assert items == [1, 2, 3]
    assert fake.asked == [1, 2, 3]


async def test_page_info_without_total_uses_limit_per_page() -> None:
    """If page_info lacks total_page, its limit_per_page detects the short last page."""
    fake = Pages([Resp([1, 2], Info(limit_per_page=2)), Resp([3], Info(limit_per_page=2))])
    items = [x async for x in AsyncPager(fake)]
    assert items == [1, 2, 3]
    assert fake.asked == [1, 2]


async def test_empty_first_page() -> None:
    """An empty first page yields no items after exactly one request, and is itself visible."""
    fake = Pages([Resp([], Info(1, 0, 10, 0))])
    assert [x async for x in AsyncPager(fake)] == []
    assert fake.asked == [1]
    pages = [p async for p in AsyncPager(fake).iter_pages()]
    assert len(pages) == 1
    assert pages[0].items == []


async def test_empty_page_before_total_page_stops() -> None:
    """An empty page stops the walk even if total_page claims more pages exist."""
    fake = Pages([Resp([1], Info(1, 5, 1, 5)), Resp([], Info(2, 5, 1, 5))])
    assert [x async for x in AsyncPager(fake)] == [1]
    assert fake.asked == [1, 2]


async def test_stops_when_server_ignores_the_page_number() -> None:
    """A page whose page_info names another page than asked ends the walk (no endless loop)."""
    fake = Pages([Resp([1, 2], Info(1, 3, 2, 6))] * 3)

    async def always_first(number: int) -> Resp:
        fake.asked.append(number)
        return fake.pages[0]

    assert [x async for x in AsyncPager(always_first)] == [1, 2]
    assert fake.asked == [1, 2]


async def test_no_request_until_iterated() -> None:
    """Creating a pager makes no request."""
    fake = Pages(numbered(5, 10))
    AsyncPager(fake)
    assert fake.asked == []


async def test_to_list_with_limit_reads_only_needed_pages() -> None:
    """to_list(limit=n) stops reading pages once n items are collected."""
    fake = Pages(numbered(100, 10))
    got = await AsyncPager(fake).to_list(limit=15)
    assert got == list(range(15))
    assert fake.asked == [1, 2]
    assert await AsyncPager(fake).to_list(limit=0) == []


async def test_errors_propagate_from_fetch() -> None:
    """An API error while fetching a later page propagates to the iterating code."""

    async def fetch(n: int) -> Resp:
        if n == 2:
            raise NotFoundError("nope", status_code=404)
        return Resp([1], Info(1, 3, 1, 3))

    got: list[int] = []

    async def walk() -> None:
        async for x in AsyncPager(fetch):
            got.append(x)

    with pytest.raises(NotFoundError):
        await walk()
    assert got == [1]


async def test_pager_can_be_walked_twice() -> None:
    """Each iteration starts from the first page again."""
    fake = Pages(numbered(3, 2))
    pager: AsyncPager[Any] = AsyncPager(fake)
    assert [x async for x in pager] == [x async for x in pager]
    assert fake.asked == [1, 2, 1, 2]


def test_page_is_generic_and_frozen() -> None:
    """Page is an immutable value holding items, page_info and number."""
    page: Page[int] = Page(items=[1], page_info=None, number=1)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        page.number = 2  # type: ignore[misc]
    assert "number=1" in repr(page)
