"""Resource hygiene: no growth in file descriptors, tasks or memory; clean cancellation.

Figures are compared with a baseline taken after a warm-up in the same process, against
generous bounds (connection pools, caches and the allocator keep some slack); nothing
here measures time.
"""

from __future__ import annotations

import asyncio
import gc
import os
import random
import tracemalloc
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from relkit import client_for

from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async.testing import FakeTwelveLabsServer

TASK = {"_id": "task-1", "status": "ready", "model_name": "marengo3.0"}


def open_fds() -> int:
    """The number of file descriptors this process holds."""
    return len(os.listdir("/proc/self/fd"))


def rss_bytes() -> int:
    """The resident set size of this process, in bytes."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def other_tasks() -> set[asyncio.Task[Any]]:
    """Tasks of the running loop other than the current one and the in-process servers'."""
    tasks = asyncio.all_tasks() - {asyncio.current_task()}
    return {t for t in tasks if not _server_side(t)}


def _server_side(task: asyncio.Task[Any]) -> bool:
    # The fake server shares the loop: its connection handlers are not the client's, and
    # neither is the loop's accept of a new connection to it (a client never accepts).
    code = getattr(task.get_coro(), "cr_code", None)
    filename = code.co_filename if code is not None else ""
    if code is not None and code.co_name == "_accept_connection2":
        return True
    return "aiohttp/web_" in filename or "twelvelabs_async/testing" in filename


async def settle() -> None:
    """Let closed transports finish closing and collect garbage."""
    for _ in range(3):
        await asyncio.sleep(0.01)
    gc.collect()


@pytest.fixture
async def tiny_api() -> AsyncIterator[str]:
    """A minimal aiohttp.web app answering the v1 status endpoint; yields its base URL."""

    async def status(_request: web.Request) -> web.Response:
        return web.json_response(TASK)

    app = web.Application()
    app.router.add_get("/v1.3/embed/tasks/{task_id}/status", status)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}/v1.3"
    await runner.cleanup()


@pytest.mark.slow
async def test_client_open_close_cycles_leak_nothing(tiny_api: str) -> None:
    """1,000 client open/request/close cycles leave fds, tasks and traced memory flat."""

    async def cycle(n: int) -> None:
        for _ in range(n):
            async with AsyncTwelveLabs(api_key="tlk_hygiene", base_url=tiny_api) as client:
                status = await client.embed.tasks.status("task-1")
                assert status.status == "ready"

    await cycle(50)
    await settle()
    tracemalloc.start()
    try:
        fds, tasks = open_fds(), len(other_tasks())
        mem = tracemalloc.get_traced_memory()[0]
        await cycle(1000)
        await settle()
        grown = tracemalloc.get_traced_memory()[0] - mem
    finally:
        tracemalloc.stop()
    print(
        f"open/close x1000: fds {open_fds() - fds:+d}, tasks {len(other_tasks()) - tasks:+d}, "
        f"traced memory {grown / 1024:+.0f} KiB"
    )
    assert open_fds() - fds <= 2
    assert len(other_tasks()) <= tasks
    # A leaked session or connector per cycle costs well over 2 KiB: 1,000 would pass 2 MiB.
    assert grown < 1024 * 1024


@pytest.mark.slow
async def test_ten_thousand_requests_leak_nothing(tiny_api: str) -> None:
    """10,000 requests through one client leave fds, tasks, live objects and RSS flat."""
    async with AsyncTwelveLabs(api_key="tlk_hygiene", base_url=tiny_api) as client:

        async def burst(n: int, width: int = 50) -> None:
            async def one_lane(k: int) -> None:
                for _ in range(k):
                    await client.embed.tasks.status("task-1")

            await asyncio.gather(*(one_lane(n // width) for _ in range(width)))

        # tracemalloc would triple the run time here: live objects and RSS are used instead.
        await burst(1000)
        await settle()
        fds, tasks = open_fds(), len(other_tasks())
        objects, rss = len(gc.get_objects()), rss_bytes()
        await burst(10_000)
        await settle()
        d_objects, d_rss = len(gc.get_objects()) - objects, rss_bytes() - rss
        print(
            f"10k requests: fds {open_fds() - fds:+d}, tasks {len(other_tasks()) - tasks:+d}, "
            f"objects {d_objects:+d}, RSS {d_rss / 1024:+.0f} KiB"
        )
        # The pool may open a few more keep-alive connections than in the warm-up.
        assert open_fds() - fds <= 60
        assert len(other_tasks()) <= tasks
        # One leaked object per request would add 10,000.
        assert d_objects < 2_000
        assert d_rss < 16 * 1024 * 1024


def _calls(
    client: AsyncTwelveLabs, task_id: str, v2_id: str, video: bytes
) -> list[Callable[[], Awaitable[Any]]]:
    return [
        lambda: client.embed.tasks.status(task_id),
        lambda: client.embed.tasks.retrieve(task_id),
        lambda: client.embed.tasks.list().to_list(),
        lambda: client.embed.tasks.wait_for_done(task_id, sleep_interval=0.005, timeout=5),
        lambda: client.embed.tasks.create(model_name="marengo3.0", video_file=("clip.mp4", video)),
        lambda: client.embed.create(model_name="marengo3.0", text="a cat"),
        lambda: client.embed.v2.create(input_type="text", model_name="marengo3.0", text="a cat"),
        lambda: client.embed.v2.tasks.retrieve(v2_id),
        lambda: client.embed.v2.tasks.wait_for_done(v2_id, sleep_interval=0.005, timeout=5),
    ]


@pytest.mark.slow
async def test_cancelling_any_call_at_any_moment_leaves_nothing_behind() -> None:
    """Cancelling an awaited call at a random moment (200 seeds) leaves no task, fd or warning."""
    video = os.urandom(3 * 1024 * 1024)  # several chunks, so uploads can be cut mid-body
    gc.collect()  # earlier tests' garbage must not be counted here
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with FakeTwelveLabsServer(processing_time=0.02) as server:
            server.faults.latency(0.02)
            async with client_for(server, max_retries=1) as client:
                created = await client.embed.tasks.create(
                    model_name="marengo3.0", video_url="https://cdn.example.com/a.mp4"
                )
                v2 = await client.embed.v2.tasks.create(
                    input_type="video",
                    model_name="marengo3.0",
                    video={"media_source": {"url": "https://cdn.example.com/b.mp4"}},
                )
                calls = _calls(client, created.id or "", v2.id, video)
                await calls[0]()
                await settle()
                fds, tasks = open_fds(), other_tasks()
                cancelled = 0
                for seed in range(200):
                    rng = random.Random(seed)
                    call = rng.choice(calls)
                    job = asyncio.ensure_future(call())
                    await asyncio.sleep(rng.uniform(0, 0.025))
                    if job.cancel():
                        cancelled += 1
                        with pytest.raises(asyncio.CancelledError):
                            await job
                    else:
                        await job  # it finished first: its result must be intact
                    # Nothing may outlive the cancelled call (a background read, a sleep).
                    await asyncio.sleep(0)
                    assert other_tasks() <= tasks, seed
                # The client is still usable after all these cancellations.
                assert (await calls[0]()).status is not None
                await settle()
                print(f"cancelled {cancelled} of 200 calls; fds {open_fds() - fds:+d}")
                assert cancelled > 100
                assert open_fds() - fds <= 20
        await settle()
    assert not [w for w in caught if not issubclass(w.category, DeprecationWarning)], [
        str(w.message) for w in caught
    ]
