"""Shared test set-up: the package's pytest plugin (opt-in), and an aioresponses shim.

aioresponses 0.7.9 predates aiohttp 3.14, which made ``stream_writer`` a required
argument of ``ClientResponse`` and pauses a ``StreamReader`` whose buffer passes twice
its limit (aioresponses feeds the whole body at once, with a 64 KiB limit and no
transport, so bodies over ~128 KiB break). The shim below fixes both without pinning
aiohttp below 3.14, which carries a security fix.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aioresponses.core as _ar_core
from aiohttp import ClientResponse
from aiohttp.base_protocol import BaseProtocol
from aiohttp.streams import StreamReader

# The fake-server fixtures are opt-in, as for any user of the package.
pytest_plugins = ["twelvelabs_async.testing.pytest_plugin"]


class _NoWriter:
    output_size = 0


class _ShimResponse(ClientResponse):
    def __init__(self, method: str, url: Any, **kwargs: Any) -> None:
        kwargs.setdefault("stream_writer", _NoWriter())
        super().__init__(method, url, **kwargs)


def _stream_reader_factory(loop: asyncio.AbstractEventLoop | None = None) -> StreamReader:
    protocol = BaseProtocol(loop=loop)  # type: ignore[arg-type]
    return StreamReader(protocol, limit=2**30, loop=loop)


_orig_build = _ar_core.RequestMatch._build_response


def _build_response(self: Any, *args: Any, **kwargs: Any) -> ClientResponse:
    if kwargs.get("response_class") is None:
        kwargs["response_class"] = _ShimResponse
    elif not issubclass(kwargs["response_class"], _ShimResponse):
        base = kwargs["response_class"]
        kwargs["response_class"] = type("Shim" + base.__name__, (_ShimResponse, base), {})
    return _orig_build(self, *args, **kwargs)


# core imported this name from aioresponses.compat without re-exporting it; core's own global is
# the one its responses are built with, so that is the one to replace.
_ar_core.stream_reader_factory = _stream_reader_factory  # type: ignore[attr-defined]

_ar_core.RequestMatch._build_response = _build_response  # type: ignore[method-assign]
