"""A hostile list server cannot keep a pager walking: every walk ends, v1 and v2 alike."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from listkit import list_server, page_info, task

from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async._pagination import DEFAULT_MAX_PAGES, AsyncPager
from twelvelabs_async.errors import APIError, InvalidRequestError, TooManyPagesError

APIS = ["v1", "v2"]


def tasks_of(client: AsyncTwelveLabs, api: str) -> Any:
    """The task resource of one API version."""
    return client.embed.tasks if api == "v1" else client.embed.v2.tasks


def endless(number: int) -> dict[str, Any]:
    """Full pages of new ids for ever, claiming a billion pages."""
    data = [task(number * 10 + i) for i in range(10)]
    return {"data": data, "page_info": page_info(number, 10**9, 10, 10**10)}


def no_page_info(number: int) -> dict[str, Any]:
    """Full pages of new ids for ever, with no page_info at all."""
    return {"data": [task(number * 10 + i) for i in range(10)]}


def same_ids(number: int) -> dict[str, Any]:
    """The same ten ids on every page, with the page number and a billion pages claimed."""
    return {"data": [task(i) for i in range(10)], "page_info": page_info(number, 10**9, 10, 99)}


@pytest.mark.parametrize("api", APIS)
async def test_a_billion_pages_claimed_stops_at_max_pages_with_a_typed_error(api: str) -> None:
    """total_page=10**9 with new ids on each page raises TooManyPagesError after max_pages."""
    async with list_server(endless) as (server, client):
        seen: list[str] = []

        async def walk() -> None:
            async for t in tasks_of(client, api).list(page_limit=10, max_pages=25):
                seen.append(t.id)

        with pytest.raises(TooManyPagesError) as info:
            await walk()
    assert server.asked == list(range(1, 26))
    assert len(seen) == 250
    assert info.value.max_pages == 25
    assert info.value.items_read == 250
    assert isinstance(info.value, APIError)
    assert "max_pages=" in str(info.value)


@pytest.mark.parametrize("api", APIS)
async def test_full_pages_without_page_info_stop_at_max_pages(api: str) -> None:
    """Full pages and no page_info at all: the walk raises at the cap instead of looping."""
    async with list_server(no_page_info) as (server, client):
        with pytest.raises(TooManyPagesError):
            await tasks_of(client, api).list(page_limit=10, max_pages=7).to_list()
    assert server.asked == list(range(1, 8))


@pytest.mark.parametrize("api", APIS)
async def test_the_same_ids_on_every_page_end_the_walk_after_one_page(api: str) -> None:
    """A page repeating the previous page's ids is not yielded and ends the walk."""
    async with list_server(same_ids) as (server, client):
        ids = [t.id async for t in tasks_of(client, api).list()]
    assert ids == [task(i)["_id"] for i in range(10)]
    assert server.asked == [1, 2]


@pytest.mark.parametrize("api", APIS)
async def test_the_same_ids_without_page_info_end_the_walk(api: str) -> None:
    """Without page_info too, the second copy of a page ends the walk."""

    def pages(number: int) -> dict[str, Any]:
        return {"data": [task(i) for i in range(10)]}

    async with list_server(pages) as (server, client):
        ids = [t.id async for t in tasks_of(client, api).list(page_limit=10)]
    assert len(ids) == 10
    assert server.asked == [1, 2]


async def test_pages_that_come_back_in_a_cycle_end_the_walk() -> None:
    """Pages A, B, A, B...: the third page repeats the first one, and the walk stops there."""

    def pages(number: int) -> dict[str, Any]:
        first = 0 if number % 2 else 10
        return {"data": [task(first + i) for i in range(10)]}

    async with list_server(pages) as (server, client):
        ids = [t.id async for t in client.embed.tasks.list(page_limit=10)]
    assert len(ids) == 20
    assert server.asked == [1, 2, 3]


async def test_the_same_page_number_on_every_answer_ends_the_walk() -> None:
    """A server answering page_info.page=1 to every request gives one page, not a loop."""

    def pages(number: int) -> dict[str, Any]:
        data = [task(number * 10 + i) for i in range(10)]
        return {"data": data, "page_info": page_info(1, 10**9, 10, 10**10)}

    async with list_server(pages) as (server, client):
        ids = [t.id async for t in client.embed.v2.tasks.list()]
    assert len(ids) == 10
    assert server.asked == [1, 2]


@pytest.mark.parametrize("api", APIS)
async def test_the_first_total_page_seen_bounds_the_walk(api: str) -> None:
    """total_page=3 on the first page wins over a later page claiming a billion pages."""

    def pages(number: int) -> dict[str, Any]:
        total = 3 if number == 1 else 10**9
        data = [task(number * 10 + i) for i in range(10)]
        return {"data": data, "page_info": page_info(number, total, 10, 30)}

    async with list_server(pages) as (server, client):
        ids = [t.id async for t in tasks_of(client, api).list()]
    assert len(ids) == 30
    assert server.asked == [1, 2, 3]


async def test_next_page_chains_obey_the_cap() -> None:
    """Walking with await next_page() raises at max_pages too, after max_pages requests."""
    async with list_server(endless) as (server, client):
        first = await client.embed.tasks.list(max_pages=5)

        async def walk() -> None:
            pager: AsyncPager[Any] | None = first
            while pager is not None:
                pager = await pager.next_page()

        with pytest.raises(TooManyPagesError):
            await walk()
    assert server.asked == [1, 2, 3, 4, 5]


async def test_a_bad_max_pages_is_refused_before_any_request() -> None:
    """max_pages=0 raises InvalidRequestError from list() itself, naming the argument."""
    async with list_server(endless) as (server, client):
        with pytest.raises(InvalidRequestError, match="max_pages"):
            client.embed.tasks.list(max_pages=0)
    assert server.asked == []


@attrs.frozen
class _Resp:
    data: list[int]
    page_info: None = None


async def test_the_default_cap_is_ten_thousand_pages() -> None:
    """Without max_pages a walk reads DEFAULT_MAX_PAGES (10,000) pages, then raises."""
    asked: list[int] = []

    async def fetch(number: int) -> _Resp:
        asked.append(number)
        return _Resp(data=[number])

    assert DEFAULT_MAX_PAGES == 10_000
    with pytest.raises(TooManyPagesError):
        await AsyncPager(fetch).to_list()
    assert len(asked) == 10_000
