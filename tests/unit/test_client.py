"""Client configuration, session lifecycle, copies and concurrency."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest
from aioresponses import aioresponses
from yarl import URL

from twelvelabs_async import (
    AsyncTwelveLabs,
    ClientClosedError,
    InvalidRequestError,
    Timeout,
)
from twelvelabs_async.client import DEFAULT_BASE_URL
from twelvelabs_async.resources.embed import Embed
from twelvelabs_async.testing import FakeTwelveLabsServer

KEY = "tlk-client-test-key-abcdef"
BASE = "https://api.test/v1.3"
TASK = "6655a1b2c3d4e5f601234567"
STATUS = f"embed/tasks/{TASK}/status"
STATUS_BODY = {"_id": TASK, "status": "processing", "model_name": "marengo3.0"}


async def read_status(client: AsyncTwelveLabs) -> None:
    """One public GET through the client (v1 task status)."""
    await client.embed.tasks.status(TASK)


def sent_headers(m: aioresponses, base: str = BASE) -> list[dict[str, str]]:
    """The headers of every status request the mock received, in order."""
    calls = m.requests.get(("GET", URL(f"{base}/{STATUS}")), [])
    return [dict(call.kwargs["headers"]) for call in calls]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests start with neither configuration variable set."""
    monkeypatch.delenv("TWELVELABS_API_KEY", raising=False)
    monkeypatch.delenv("TWELVELABS_BASE_URL", raising=False)


def test_missing_key_says_how_to_set_it() -> None:
    """No argument and no environment variable raises, naming TWELVELABS_API_KEY."""
    with pytest.raises(InvalidRequestError, match="TWELVELABS_API_KEY"):
        AsyncTwelveLabs()


async def test_key_and_base_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment supplies key and base URL when no argument does; both reach the wire."""
    monkeypatch.setenv("TWELVELABS_API_KEY", KEY)
    monkeypatch.setenv("TWELVELABS_BASE_URL", "https://eu.example.com/v1.3/")
    async with AsyncTwelveLabs() as client:
        assert client.base_url == "https://eu.example.com/v1.3"
        with aioresponses() as m:
            m.get(f"{client.base_url}/{STATUS}", payload=STATUS_BODY)
            await read_status(client)
    assert [h["x-api-key"] for h in sent_headers(m, client.base_url)] == [KEY]


async def test_explicit_arguments_win(monkeypatch: pytest.MonkeyPatch) -> None:
    """Explicit key and base URL beat the environment, on the wire too."""
    monkeypatch.setenv("TWELVELABS_API_KEY", "from-env")
    monkeypatch.setenv("TWELVELABS_BASE_URL", "https://env.example.com/v1.3")
    async with AsyncTwelveLabs(KEY, base_url=BASE) as client:
        assert client.base_url == BASE
        with aioresponses() as m:
            m.get(f"{BASE}/{STATUS}", payload=STATUS_BODY)
            await read_status(client)
    assert [h["x-api-key"] for h in sent_headers(m)] == [KEY]


def test_default_base_url() -> None:
    """Without configuration the public v1.3 URL is used."""
    assert AsyncTwelveLabs(KEY).base_url == DEFAULT_BASE_URL == "https://api.twelvelabs.io/v1.3"


@pytest.mark.parametrize(
    "url", ["http://api.example.com/v1.3", "http://10.0.0.5/v1.3", "ftp://x/v1.3", "nohost"]
)
def test_insecure_or_bad_base_urls_are_refused(url: str) -> None:
    """Plain http to a non-loopback host, other schemes and host-less URLs are refused."""
    with pytest.raises(InvalidRequestError):
        AsyncTwelveLabs(KEY, base_url=url)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/v1.3", "http://localhost/v1.3", "http://[::1]:80/v1.3"]
)
def test_loopback_http_is_allowed(url: str) -> None:
    """Plain http is fine on loopback, where the key never leaves the machine."""
    assert AsyncTwelveLabs(KEY, base_url=url).base_url == url


def test_allow_insecure_http() -> None:
    """allow_insecure_http=True accepts plain http to another host."""
    client = AsyncTwelveLabs(KEY, base_url="http://api.example.com/v1.3", allow_insecure_http=True)
    assert client.base_url.startswith("http://")


def test_repr_hides_the_key() -> None:
    """repr() shows the configuration but never the key."""
    text = repr(AsyncTwelveLabs(KEY, base_url=BASE))
    assert KEY not in text
    assert BASE in text


def test_timeouts() -> None:
    """A float is the total timeout; connect_timeout sets the connect part."""
    assert AsyncTwelveLabs(KEY, timeout=30).timeout == Timeout(total=30, connect=10.0)
    client = AsyncTwelveLabs(KEY, timeout=Timeout(total=None, connect=2), connect_timeout=3)
    assert client.timeout == Timeout(total=None, connect=3)
    with pytest.raises(InvalidRequestError):
        AsyncTwelveLabs(KEY, timeout=-1)


@pytest.mark.parametrize("kwargs", [{"max_retries": -1}, {"connection_limit": 0}])
def test_invalid_options(kwargs: dict[str, Any]) -> None:
    """Negative retries and a zero connection limit are refused."""
    with pytest.raises(InvalidRequestError):
        AsyncTwelveLabs(KEY, **kwargs)


def test_built_outside_a_loop_then_used_inside() -> None:
    """A client made at import time (no loop running) works once a loop runs."""
    client = AsyncTwelveLabs(KEY, base_url=BASE)

    async def use() -> int:
        with aioresponses() as m:
            m.get(f"{BASE}/{STATUS}", payload=STATUS_BODY)
            await read_status(client)
        await client.aclose()
        return len(sent_headers(m))

    assert asyncio.run(use()) == 1


async def test_concurrent_first_calls_create_one_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many concurrent first calls share one lazily created session with a 256 pool limit."""
    made: list[aiohttp.ClientSession] = []

    real = aiohttp.ClientSession

    def counting(*args: Any, **kwargs: Any) -> aiohttp.ClientSession:
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(aiohttp, "ClientSession", counting)
    async with AsyncTwelveLabs(KEY, base_url=BASE) as client:
        with aioresponses() as m:
            m.get(f"{BASE}/{STATUS}", payload=STATUS_BODY, repeat=True)
            await asyncio.gather(*(read_status(client) for _ in range(50)))
        assert len(made) == 1
        assert made[0].connector is not None
        assert made[0].connector.limit == 256
    assert made[0].closed


async def test_aclose_is_idempotent_and_final() -> None:
    """aclose() twice is fine; a call afterwards raises ClientClosedError."""
    client = AsyncTwelveLabs(KEY, base_url=BASE)
    with aioresponses() as m:
        m.get(f"{BASE}/{STATUS}", payload=STATUS_BODY)
        await read_status(client)
    await client.aclose()
    await client.aclose()
    with pytest.raises(ClientClosedError):
        await read_status(client)


async def test_user_session_is_not_closed() -> None:
    """A session passed in carries the calls (its default headers arrive) and stays open."""
    async with (
        FakeTwelveLabsServer() as server,
        aiohttp.ClientSession(headers={"X-Session-Owner": "app"}) as session,
    ):
        async with AsyncTwelveLabs(
            server.api_key, base_url=server.base_url, session=session
        ) as client:
            await client.embed.tasks.list().first_page()
        assert not session.closed
        assert server.requests[-1].headers.get("X-Session-Owner") == "app"


async def test_with_options_shares_the_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """A with_options copy has its own defaults, shares the session and does not close it."""
    made: list[aiohttp.ClientSession] = []
    real = aiohttp.ClientSession

    def counting(*args: Any, **kwargs: Any) -> aiohttp.ClientSession:
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(aiohttp, "ClientSession", counting)
    async with AsyncTwelveLabs(KEY, base_url=BASE, headers={"A": "1"}) as client:
        copy = client.with_options(timeout=5, max_retries=0, headers={"B": "2"})
        assert copy.max_retries == 0
        assert copy.timeout == Timeout(total=5, connect=10.0)
        assert client.max_retries == 2
        assert KEY not in repr(copy)
        with aioresponses() as m:
            m.get(f"{BASE}/{STATUS}", payload=STATUS_BODY, repeat=True)
            await read_status(copy)
            await copy.aclose()
            await read_status(client)
        copied, original = sent_headers(m)
        assert (copied["A"], copied["B"]) == ("1", "2")
        assert original["A"] == "1"
        assert "B" not in original
        assert len(made) == 1
    assert made[0].closed
    with pytest.raises(ClientClosedError):
        await read_status(client)


def test_embed_is_cached() -> None:
    """client.embed is built once and bound to the client."""
    client = AsyncTwelveLabs(KEY)
    assert isinstance(client.embed, Embed)
    assert client.embed is client.embed


def test_use_from_another_loop_is_refused() -> None:
    """A client whose session lives in one loop raises a clear error in another loop."""
    client = AsyncTwelveLabs(KEY, base_url=BASE)

    async def call() -> None:
        with aioresponses() as m:
            m.get(f"{BASE}/{STATUS}", payload=STATUS_BODY)
            await read_status(client)

    first = asyncio.new_event_loop()
    try:
        first.run_until_complete(call())
        with pytest.raises(ClientClosedError, match="another event loop"):
            asyncio.run(call())
        first.run_until_complete(client.aclose())
    finally:
        first.close()
