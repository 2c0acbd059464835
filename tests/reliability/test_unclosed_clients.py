"""A client dropped without ``aclose()`` releases its connections quietly.

Code written for the official SDK never closes its clients (httpx does not complain); here a
dropped client must leave no warning, no logged "Unclosed client session", and no socket.
"""

from __future__ import annotations

import asyncio
import gc
import os
import subprocess
import sys
import textwrap
import warnings
from typing import Any

from aiohttp import web
from listkit import canned_server

from twelvelabs_async import AsyncTwelveLabs

CLIENTS = 1_000


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _ok(_request: web.Request) -> tuple[int, bytes, dict[str, str]]:
    return 200, b'{"_id": "6655a1b2c3d4e5f601234567", "status": "ready"}', {}


async def test_a_thousand_dropped_clients_leak_no_socket_and_say_nothing() -> None:
    """1,000 clients, each used once and dropped unclosed: fds back to the start, no warning."""
    loop = asyncio.get_running_loop()
    reported: list[dict[str, Any]] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: reported.append(context))
    try:
        async with canned_server(_ok) as (seen, url):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                before = _open_fds()
                for _ in range(CLIENTS):
                    client = AsyncTwelveLabs(api_key="tlk-unclosed", base_url=url)
                    await client.embed.tasks.status("6655a1b2c3d4e5f601234567")
                    del client
                gc.collect()
                for _ in range(3):  # the sockets close on the loop's next turns
                    await asyncio.sleep(0)
                after = _open_fds()
            assert len(seen) == CLIENTS
    finally:
        loop.set_exception_handler(previous)
    assert after <= before + 2, (before, after)
    assert [str(w.message) for w in caught] == []
    assert reported == []


SCRIPT = textwrap.dedent(
    """
    import asyncio

    from twelvelabs_async import AsyncTwelveLabs
    from twelvelabs_async.testing import FakeTwelveLabsServer

    async def main() -> None:
        async with FakeTwelveLabsServer(accept_any_key=True) as fake:
            client = AsyncTwelveLabs(api_key="YOUR_API_KEY", base_url=fake.base_url)
            await client.embed.v2.create(model_name="marengo3.0", text="never closed")
            global kept
            kept = AsyncTwelveLabs(api_key="YOUR_API_KEY", base_url=fake.base_url)
            await kept.embed.v2.create(model_name="marengo3.0", text="kept until exit")

    asyncio.run(main())
    print("done")
    """
)


def test_a_program_that_never_closes_its_client_exits_silently() -> None:
    """A script leaving one client to the collector and one alive at exit prints nothing."""
    for flags in ([], ["-W", "default"]):
        proc = subprocess.run(
            [sys.executable, *flags, "-c", SCRIPT],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == "done"
        assert "Unclosed" not in proc.stderr
        if not flags:
            assert proc.stderr == ""
