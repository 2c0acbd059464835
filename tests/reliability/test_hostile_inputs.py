"""Hostile client options: NaN, infinity and control characters are refused before any byte.

A recording loopback server stands behind the client, so "before any byte" is checked by
its log staying empty, not assumed.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from twelvelabs_async import AsyncTwelveLabs, InvalidRequestError, RequestOptions, Timeout

KEY = "tlk-hostile-inputs-0123456789"
NAN, INF = math.nan, math.inf


class Recorder:
    """Answers ``{"ok": true}`` to anything and keeps the raw path of every request."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.app = web.Application()
        self.app.router.add_route("*", "/{tail:.*}", self.handle)

    async def handle(self, request: web.Request) -> web.Response:
        """Record and answer one request."""
        self.paths.append(request.raw_path)
        return web.json_response({"_id": "t1", "status": "ready"})


@pytest.fixture
async def recorder() -> AsyncIterator[tuple[Recorder, str]]:
    """A recording server on 127.0.0.1 and its base URL."""
    rec = Recorder()
    async with TestServer(rec.app, host="127.0.0.1") as server:
        yield rec, str(server.make_url("/v1.3"))


def _client(**options: Any) -> AsyncTwelveLabs:
    return AsyncTwelveLabs(KEY, base_url="http://127.0.0.1:9/v1.3", **options)


#: (what is built, the argument name the message must carry)
NUMERIC: list[tuple[Callable[[], object], str]] = [
    (lambda: _client(timeout=NAN), "total"),
    (lambda: _client(timeout=INF), "total"),
    (lambda: _client(connect_timeout=NAN), "connect"),
    (lambda: _client(connect_timeout=-INF), "connect"),
    (lambda: _client(max_retry_wait=NAN), "max_retry_wait"),
    (lambda: _client(max_retry_wait=INF), "max_retry_wait"),
    (lambda: _client(max_response_size=NAN), "max_response_size"),
    (lambda: _client(max_response_size=INF), "max_response_size"),
    (lambda: _client(max_retries=NAN), "max_retries"),
    (lambda: _client(connection_limit=INF), "connection_limit"),
    (lambda: _client().with_options(timeout=NAN), "total"),
    (lambda: _client().with_options(connect_timeout=INF), "connect"),
    (lambda: _client().with_options(max_retries=INF), "max_retries"),  # type: ignore[arg-type]
    (lambda: _client().with_options(max_response_size=NAN), "max_response_size"),  # type: ignore[arg-type]
    (lambda: Timeout(total=NAN), "total"),
    (lambda: Timeout(connect=INF), "connect"),
    (lambda: Timeout(read=NAN), "read"),
    (lambda: Timeout(read=INF), "read"),
    (lambda: RequestOptions(timeout=NAN), "timeout"),
    (lambda: RequestOptions(timeout=INF), "timeout"),
    (lambda: RequestOptions(timeout=Timeout(total=1, read=NAN)), "read"),
    (lambda: RequestOptions(max_retries=NAN), "max_retries"),  # type: ignore[arg-type]
    (lambda: RequestOptions(max_response_size=INF), "max_response_size"),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(
    ("build", "name"), NUMERIC, ids=[f"{i}-{n}" for i, (_, n) in enumerate(NUMERIC)]
)
def test_nan_and_infinity_are_refused(build: Callable[[], object], name: str) -> None:
    """NaN or infinity in any numeric option raises InvalidRequestError naming the option."""
    with pytest.raises(InvalidRequestError, match=name):
        build()


async def test_nan_retry_wait_no_longer_disables_the_cap() -> None:
    """``max_retry_wait=nan`` used to switch the Retry-After cap off; now it never gets that far."""
    with pytest.raises(InvalidRequestError, match="finite"):
        AsyncTwelveLabs(KEY, base_url="http://127.0.0.1:9/v1.3", max_retry_wait=NAN)


def test_read_timeout_defaults_to_a_minute() -> None:
    """A client gives up on a silent server after 60 s without a byte, by default."""
    assert Timeout().read == 60.0
    assert _client(timeout=5).timeout.read == 60.0
    assert _client(timeout=Timeout(total=5, read=2)).timeout.read == 2


BAD_VALUES = ["a\r\nX-Injected: 1", "a\nb", "a\rb", "a\x00b", "a\x7fb"]


@pytest.mark.parametrize("value", BAD_VALUES)
def test_client_headers_with_control_characters_are_refused(value: str) -> None:
    """A client or with_options header value with CR, LF, NUL or DEL is refused, by name."""
    with pytest.raises(InvalidRequestError, match=r"'X-Tag'.*control character"):
        _client(headers={"X-Tag": value})
    with pytest.raises(InvalidRequestError, match=r"'X-Tag'.*control character"):
        _client().with_options(headers={"X-Tag": value})


@pytest.mark.parametrize("name", ["X Tag", "X-Tag\r\n", "", "X:Tag"])
def test_invalid_header_names_are_refused(name: str) -> None:
    """A header name that is not an HTTP token is refused before the client exists."""
    with pytest.raises(InvalidRequestError, match="not a valid header name"):
        _client(headers={name: "v"})


@pytest.mark.parametrize("value", BAD_VALUES)
@pytest.mark.parametrize("spelling", ["ours", "official"])
async def test_call_headers_with_control_characters_send_nothing(
    recorder: tuple[Recorder, str], value: str, spelling: str
) -> None:
    """request_options headers with a control character raise before any byte is sent."""
    rec, url = recorder
    options: Any = (
        RequestOptions(extra_headers={"X-Trace": value})
        if spelling == "ours"
        else {"additional_headers": {"X-Trace": value}}
    )
    async with AsyncTwelveLabs(KEY, base_url=url) as client:
        with pytest.raises(InvalidRequestError, match="'X-Trace'"):
            await client.embed.tasks.status("t1", request_options=options)
        await client.embed.tasks.status("t1")
    assert rec.paths == ["/v1.3/embed/tasks/t1/status"]


def test_header_errors_never_show_the_value() -> None:
    """The refusal names the header, not its value (which may be a credential)."""
    with pytest.raises(InvalidRequestError) as info:
        _client(headers={"Authorization": "Bearer sk-secret-1234\n"})
    assert "sk-secret-1234" not in str(info.value)


@pytest.mark.parametrize("key", ["tlk-abc\r\nX-Evil: 1", "tlk-\x00abc", "tlk-a\nb"])
def test_api_key_with_control_characters_is_refused_unechoed(key: str) -> None:
    """A pasted key with a line break or NUL inside is refused without echoing it."""
    with pytest.raises(InvalidRequestError, match="api_key contains a control character") as info:
        AsyncTwelveLabs(key, base_url="http://127.0.0.1:9/v1.3")
    assert "abc" not in str(info.value)
