"""Retry and error paths of the transport, against aioresponses, with the waits recorded."""

from __future__ import annotations

import asyncio
import email.utils
import re
import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aioresponses import aioresponses
from yarl import URL

from twelvelabs_async import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncTwelveLabs,
    InternalServerError,
    RateLimitError,
    RequestOptions,
)

BASE = "https://api.test/v1.3"
KEY = "tlk-unit-test-key-0000"
NOW = 1_800_000_000.0
TASKS = f"{BASE}/embed/tasks"


@pytest.fixture
def waits() -> list[float]:
    """The sleeps the transport asked for, in order."""
    return []


@pytest.fixture
async def client(waits: list[float]) -> AsyncIterator[AsyncTwelveLabs]:
    """A client whose sleeps are recorded instead of slept, with fixed jitter and clock."""

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)

    c = AsyncTwelveLabs(KEY, base_url=BASE)
    c._transport.sleep = fake_sleep
    c._transport.random = lambda: 0.5
    c._transport.clock = lambda: NOW
    yield c
    await c.aclose()


def attempts(m: aioresponses, method: str, url: str) -> int:
    """Number of requests aioresponses saw for one method and URL."""
    return len(m.requests.get((method, URL(url)), []))


# Backoff with jitter fixed at 0.5: the n-th retry waits 0.75 * min(8, 0.5 * 2**(n-1)).
B1, B2 = 0.375, 0.75


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"Retry-After": email.utils.formatdate(NOW + 7, usegmt=True)}, 7.0),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"X-Ratelimit-Reset": str(int(NOW + 4))}, 4.0),
    ],
    ids=["retry-after-seconds", "retry-after-date", "retry-after-ms", "x-ratelimit-reset"],
)
async def test_429_waits_what_the_header_says(
    client: AsyncTwelveLabs, waits: list[float], headers: dict[str, str], expected: float
) -> None:
    """A 429 is retried after exactly the wait its rate-limit header asks for."""
    with aioresponses() as m:
        m.get(TASKS, status=429, headers=headers, payload={"code": "too_many_requests"})
        m.get(TASKS, status=200, payload={"data": []})
        resp = await client._transport.request("GET", "embed/tasks")
        assert resp.json() == {"data": []}
        assert attempts(m, "GET", TASKS) == 2
    assert waits == [pytest.approx(expected)]


async def test_500_then_200_backs_off(client: AsyncTwelveLabs, waits: list[float]) -> None:
    """A 500 on a GET is retried after the first backoff step and the 200 is returned."""
    with aioresponses() as m:
        m.get(TASKS, status=500, body=b"oops")
        m.get(TASKS, status=200, payload={"ok": True})
        resp = await client._transport.request("GET", "embed/tasks")
        assert resp.status == 200
        assert attempts(m, "GET", TASKS) == 2
    assert waits == [B1]


async def test_backoff_grows_and_gives_up(client: AsyncTwelveLabs, waits: list[float]) -> None:
    """Persistent 503s are tried 1 + max_retries times with growing waits, then raised."""
    with aioresponses() as m:
        m.get(TASKS, status=503, body=b"busy", repeat=True)
        with pytest.raises(InternalServerError) as info:
            await client._transport.request("GET", "embed/tasks")
        assert attempts(m, "GET", TASKS) == 3
    assert waits == [B1, B2]
    assert info.value.status_code == 503


async def test_connection_reset_is_retried_for_a_get(
    client: AsyncTwelveLabs, waits: list[float]
) -> None:
    """A connection reset on a GET is retried."""
    with aioresponses() as m:
        m.get(TASKS, exception=aiohttp.ClientOSError(104, "Connection reset by peer"))
        m.get(TASKS, status=200, payload={})
        await client._transport.request("GET", "embed/tasks")
        assert attempts(m, "GET", TASKS) == 2
    assert waits == [B1]


async def test_connection_reset_on_create_is_not_retried(
    client: AsyncTwelveLabs, waits: list[float]
) -> None:
    """A reset during a create may follow a created task, so it is raised after one attempt."""
    with aioresponses() as m:
        m.post(TASKS, exception=aiohttp.ServerDisconnectedError())
        with pytest.raises(APIConnectionError) as info:
            await client._transport.request("POST", "embed/tasks", json={}, create=True)
        assert attempts(m, "POST", TASKS) == 1
    assert waits == []
    assert "POST embed/tasks" in str(info.value)


async def test_total_timeout_maps_to_api_timeout_error(
    client: AsyncTwelveLabs, waits: list[float]
) -> None:
    """aiohttp's bare TimeoutError becomes APITimeoutError (also a TimeoutError) after retries."""
    with aioresponses() as m:
        m.get(TASKS, exception=TimeoutError(), repeat=True)
        with pytest.raises(APITimeoutError) as info:
            await client._transport.request("GET", "embed/tasks")
        assert attempts(m, "GET", TASKS) == 3
    assert isinstance(info.value, TimeoutError)
    assert waits == [B1, B2]


async def test_read_timeout_on_create_is_not_retried(
    client: AsyncTwelveLabs, waits: list[float]
) -> None:
    """A read timeout on a create leaves the outcome unknown, so it is not retried."""
    with aioresponses() as m:
        m.post(TASKS, exception=aiohttp.SocketTimeoutError())
        with pytest.raises(APITimeoutError):
            await client._transport.request("POST", "embed/tasks", json={}, create=True)
        assert attempts(m, "POST", TASKS) == 1
    assert waits == []


async def test_non_json_502_keeps_an_excerpt(client: AsyncTwelveLabs, waits: list[float]) -> None:
    """An HTML 502 page is retried, then raised with a short one-line excerpt of the page."""
    page = "<html><head><title>502 Bad Gateway</title></head>\n<body>" + "x" * 5000 + "</body>"
    with aioresponses() as m:
        m.get(TASKS, status=502, body=page, repeat=True)
        with pytest.raises(InternalServerError) as info:
            await client._transport.request("GET", "embed/tasks")
        assert attempts(m, "GET", TASKS) == 3
    message = str(info.value)
    assert message.startswith("502: <html><head><title>502 Bad Gateway")
    assert "\n" not in message
    assert len(message) < 300
    assert info.value.raw_body == page.encode()
    assert info.value.body is None
    assert waits == [B1, B2]


async def test_max_retries_zero_per_call(client: AsyncTwelveLabs, waits: list[float]) -> None:
    """RequestOptions(max_retries=0) makes one attempt only."""
    with aioresponses() as m:
        m.get(TASKS, status=500, repeat=True)
        with pytest.raises(InternalServerError):
            await client._transport.request(
                "GET", "embed/tasks", options=RequestOptions(max_retries=0)
            )
        assert attempts(m, "GET", TASKS) == 1
    assert waits == []


async def test_max_retries_zero_on_the_client(waits: list[float]) -> None:
    """A client built with max_retries=0 makes one attempt only."""
    async with AsyncTwelveLabs(KEY, base_url=BASE, max_retries=0) as c:
        c._transport.sleep = waits.append  # type: ignore[assignment]
        with aioresponses() as m:
            m.get(TASKS, status=429, headers={"Retry-After": "1"}, repeat=True)
            with pytest.raises(RateLimitError) as info:
                await c._transport.request("GET", "embed/tasks")
            assert attempts(m, "GET", TASKS) == 1
    assert info.value.retry_after == 1.0
    assert waits == []


async def test_create_500_is_not_retried(client: AsyncTwelveLabs, waits: list[float]) -> None:
    """A 500 on a create may come after the task was stored: one attempt only."""
    with aioresponses() as m:
        m.post(TASKS, status=500, payload={"code": "internal_error", "message": "boom"})
        with pytest.raises(InternalServerError):
            await client._transport.request("POST", "embed/tasks", json={}, create=True)
        assert attempts(m, "POST", TASKS) == 1
    assert waits == []


@pytest.mark.parametrize("status", [502, 504, 408])
async def test_create_ambiguous_statuses_are_not_retried(
    client: AsyncTwelveLabs, waits: list[float], status: int
) -> None:
    """502, 504 and 408 on a create are ambiguous, so they are raised after one attempt."""
    with aioresponses() as m:
        m.post(TASKS, status=status, body=b"proxy said no")
        with pytest.raises(APIStatusError):
            await client._transport.request("POST", "embed/tasks", json={}, create=True)
        assert attempts(m, "POST", TASKS) == 1
    assert waits == []


async def test_create_429_is_retried(client: AsyncTwelveLabs, waits: list[float]) -> None:
    """A 429 on a create is rejected before processing, so it is retried."""
    with aioresponses() as m:
        m.post(TASKS, status=429, headers={"Retry-After": "2"})
        m.post(TASKS, status=200, payload={"_id": "t1"})
        resp = await client._transport.request("POST", "embed/tasks", json={}, create=True)
        assert resp.json() == {"_id": "t1"}
        assert attempts(m, "POST", TASKS) == 2
    assert waits == [2.0]


async def test_create_503_never_retried_even_with_retry_after(
    client: AsyncTwelveLabs, waits: list[float]
) -> None:
    """A 503 on a create is not retried, Retry-After or not: the task may exist already."""
    with aioresponses() as m:
        m.post(TASKS, status=503, headers={"Retry-After": "1"})
        with pytest.raises(InternalServerError, match="outcome is unknown"):
            await client._transport.request("POST", "embed/tasks", json={}, create=True)
        assert attempts(m, "POST", TASKS) == 1
    assert waits == []


async def test_create_retried_when_connection_refused(
    client: AsyncTwelveLabs, waits: list[float]
) -> None:
    """A refused connection sent nothing, so even a create is retried."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # The port is closed now: connecting is refused.
    async with AsyncTwelveLabs(KEY, base_url=f"http://127.0.0.1:{port}/v1.3") as c:
        c._transport.sleep = client._transport.sleep
        c._transport.random = lambda: 0.5
        with pytest.raises(APIConnectionError) as info:
            await c._transport.request("POST", "embed/tasks", json={}, create=True)
    assert not isinstance(info.value, APIStatusError)
    assert waits == [B1, B2]


async def test_header_wait_over_the_cap_raises_at_once(
    client: AsyncTwelveLabs, waits: list[float]
) -> None:
    """A Retry-After beyond max_retry_wait raises RateLimitError with retry_after, unslept."""
    with aioresponses() as m:
        m.get(TASKS, status=429, headers={"Retry-After": "3600"}, repeat=True)
        with pytest.raises(RateLimitError) as info:
            await client._transport.request("GET", "embed/tasks")
        assert attempts(m, "GET", TASKS) == 1
    assert waits == []
    assert info.value.retry_after == 3600.0
    assert any("max_retry_wait" in note for note in info.value.__notes__)


async def test_4xx_is_not_retried(client: AsyncTwelveLabs, waits: list[float]) -> None:
    """A 400 is the caller's mistake and is raised after one attempt."""
    with aioresponses() as m:
        m.get(TASKS, status=400, payload={"code": "parameter_invalid", "message": "bad"})
        with pytest.raises(APIStatusError) as info:
            await client._transport.request("GET", "embed/tasks")
        assert attempts(m, "GET", TASKS) == 1
    assert info.value.code == "parameter_invalid"
    assert waits == []


async def test_cancellation_is_not_swallowed(client: AsyncTwelveLabs) -> None:
    """Cancelling a call in flight raises CancelledError, not an SDK error."""
    started = asyncio.Event()

    async def hang(url: URL, **kwargs: object) -> None:
        started.set()
        await asyncio.Event().wait()

    with aioresponses() as m:
        m.get(TASKS, callback=hang)
        task = asyncio.create_task(client._transport.request("GET", "embed/tasks"))
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_query_params_repeat_and_drop_none(client: AsyncTwelveLabs) -> None:
    """Sequence values repeat the key, None values are dropped and bools are lowercase."""
    with aioresponses() as m:
        m.get(re.compile(r"^https://api\.test/v1\.3/embed/tasks\?.*$"), payload={})
        await client._transport.request(
            "GET",
            "embed/tasks",
            params={"embedding_option": ["visual", "audio"], "status": None, "flag": True},
        )
        ((_, url),) = m.requests.keys()
    # aioresponses sorts the query; the order on the wire is pinned in test_transport_requests.
    assert sorted(url.query.items()) == [
        ("embedding_option", "audio"),
        ("embedding_option", "visual"),
        ("flag", "true"),
    ]
