"""pytest fixtures for testing against the fake Twelve Labs server.

Opt-in, so that installing the package changes no other project's test run. Enable it
with ``pytest -p twelvelabs_async.testing.pytest_plugin``, or in a ``conftest.py``::

    pytest_plugins = ["twelvelabs_async.testing.pytest_plugin"]

It provides:

- ``fake_twelvelabs``: a started :class:`~twelvelabs_async.testing.FakeTwelveLabsServer`.
- ``fake_twelvelabs_client``: an ``AsyncTwelveLabs`` client pointed at that server.
- ``twelvelabs_no_sleep``: the SDK's waits take no time for the test (see
  :func:`~twelvelabs_async.testing.no_sleep`); yields the recorder of the waits.

Constructor options come from a marker::

    @pytest.mark.fake_twelvelabs(processing_time=0, default_duration=12.0)
    async def test_embed(fake_twelvelabs_client, fake_twelvelabs): ...

The server fixtures are async, so they need pytest-asyncio (or another async plugin).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, TypeVar, cast

import pytest

from twelvelabs_async.testing._no_sleep import SleepRecorder, no_sleep
from twelvelabs_async.testing.server import FakeTwelveLabsServer

_MARKER = "fake_twelvelabs"
_DEFAULTS: dict[str, Any] = {"processing_time": 0.5}


def pytest_configure(config: pytest.Config) -> None:
    """Declare the ``fake_twelvelabs`` marker (keeps ``--strict-markers`` happy)."""
    config.addinivalue_line(
        "markers",
        f"{_MARKER}(**options): FakeTwelveLabsServer options for the fake_twelvelabs fixture",
    )


def _options(request: pytest.FixtureRequest) -> dict[str, Any]:
    options = dict(_DEFAULTS)
    for marker in reversed(list(request.node.iter_markers(_MARKER))):
        options.update(marker.kwargs)
    return options


_fixture: Any
try:
    from pytest_asyncio import fixture as _fixture
except ImportError:  # pragma: no cover - depends on the user's environment
    # pytest itself then reports that an async fixture needs an async plugin.
    _fixture = pytest.fixture

_F = TypeVar("_F", bound=Callable[..., Any])


def _async_fixture(func: _F) -> _F:
    return cast(_F, _fixture(func))


@_async_fixture
async def fake_twelvelabs(request: pytest.FixtureRequest) -> AsyncIterator[FakeTwelveLabsServer]:
    """Yield a fake Twelve Labs server on 127.0.0.1 (options from the marker)."""
    async with FakeTwelveLabsServer(**_options(request)) as server:
        yield server


@_async_fixture
async def fake_twelvelabs_client(fake_twelvelabs: FakeTwelveLabsServer) -> AsyncIterator[Any]:
    """Yield an ``AsyncTwelveLabs`` client talking to the ``fake_twelvelabs`` server."""
    # Imported here so that the plugin loads even where the client cannot.
    from twelvelabs_async.client import AsyncTwelveLabs

    client = AsyncTwelveLabs(api_key=fake_twelvelabs.api_key, base_url=fake_twelvelabs.base_url)
    async with client:
        yield client


@pytest.fixture
def twelvelabs_no_sleep() -> Iterator[SleepRecorder]:
    """Make the SDK's retry, polling and rate-gate waits take no time; yield their record."""
    with no_sleep() as waits:
        yield waits
