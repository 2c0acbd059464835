"""``examples/web_app.py`` on 127.0.0.1 against the fake server, in process and as a script."""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType
from typing import Any

import aiohttp
import numpy as np
import pytest
from aiohttp.test_utils import TestServer

from twelvelabs_async import ClientClosedError
from twelvelabs_async.testing import FakeTwelveLabsServer

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
STEMS = ("goal", "crowd", "kickoff", "penalty")
VIDEOS = tuple(f"https://cdn.example.com/videos/{stem}.mp4" for stem in STEMS)


def _load_example(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look the module up in sys.modules while the class body is built.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


web_app = _load_example("web_app")


@pytest.fixture
async def fake() -> AsyncIterator[FakeTwelveLabsServer]:
    """A fake API whose tasks finish at once."""
    async with FakeTwelveLabsServer(processing_time=0) as server:
        yield server


def _settings(fake: FakeTwelveLabsServer, **changes: Any) -> Any:
    values: dict[str, Any] = {
        "api_key": fake.api_key,
        "base_url": fake.base_url,
        "videos": VIDEOS,
        "poll_interval": 0.05,
        **changes,
    }
    return web_app.Settings(**values)


@contextlib.asynccontextmanager
async def _serve(settings: Any) -> AsyncIterator[tuple[TestServer, aiohttp.ClientSession]]:
    app = web_app.make_app(settings)
    server = TestServer(app, host="127.0.0.1")
    async with server, aiohttp.ClientSession() as http:
        yield server, http


async def _get(
    http: aiohttp.ClientSession, server: TestServer, path: str, **params: str
) -> tuple[int, Any, Any]:
    async with http.get(server.make_url(path), params=params) as resp:
        return resp.status, await resp.json(), resp.headers


async def test_concurrent_searches_share_one_client(
    fake: FakeTwelveLabsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twenty concurrent searches all succeed through one client and rank the named video first."""
    made: list[object] = []

    class CountingClient(web_app.AsyncTwelveLabs):  # type: ignore[misc, name-defined]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(web_app, "AsyncTwelveLabs", CountingClient)
    async with _serve(_settings(fake)) as (server, http):
        queries = [STEMS[i % len(STEMS)] for i in range(20)]
        answers = await asyncio.gather(*(_get(http, server, "/search", q=q) for q in queries))
    assert len(made) == 1
    for q, (status, body, _headers) in zip(queries, answers, strict=True):
        assert status == 200, body
        assert body["query"] == q
        assert len(body["results"]) == 5
        assert body["results"][0]["source"].endswith(f"/{q}.mp4")
        scores = [r["score"] for r in body["results"]]
        assert scores == sorted(scores, reverse=True)
    assert len(fake.requests_to("embed.tasks.create")) == len(VIDEOS)
    assert len(fake.requests_to("embed.create")) == 20


async def test_catalogue_endpoint_describes_the_embedded_videos(
    fake: FakeTwelveLabsServer,
) -> None:
    """GET / lists every start-up video and the number of segments built from them."""
    async with _serve(_settings(fake)) as (server, http):
        status, body, _ = await _get(http, server, "/")
    assert status == 200
    assert body["sources"] == sorted(VIDEOS)
    assert body["segments"] > len(VIDEOS)


async def test_rate_limit_answers_503_with_retry_after(fake: FakeTwelveLabsServer) -> None:
    """An API 429 asking for 30 s becomes a 503 with Retry-After: 30 at once, without retrying."""
    async with _serve(_settings(fake)) as (server, http):
        rule = fake.faults.rate_limit(retry_after=30, endpoints=["embed.create"])
        status, body, headers = await _get(http, server, "/search", q="goal")
        assert status == 503
        assert headers["Retry-After"] == "30"
        assert body["error"]["code"] == "rate_limited"
        assert rule.fired == 1
        assert len(fake.requests_to("embed.create")) == 1
        fake.faults.clear()
        status, _body, _ = await _get(http, server, "/search", q="goal")
        assert status == 200


async def test_slow_api_answers_504_within_the_query_budget(fake: FakeTwelveLabsServer) -> None:
    """A stalled query embedding is cut off by the per-request timeout and answered 504."""
    settings = _settings(fake, query_timeout=0.3, query_retries=1)
    async with _serve(settings) as (server, http):
        fake.faults.stall(endpoints=["embed.create"])
        status, body, _ = await _get(http, server, "/search", q="goal")
    assert status == 504
    assert body["error"]["code"] == "upstream_timeout"
    # The budget allows one retry: two attempts reached the API, no more.
    assert len(fake.requests_to("embed.create")) == 2


async def test_api_server_error_answers_502(fake: FakeTwelveLabsServer) -> None:
    """A 500 that outlasts the retries becomes a 502 naming only the error class."""
    async with _serve(_settings(fake, query_retries=0)) as (server, http):
        fake.faults.server_error(500, endpoints=["embed.create"])
        status, body, _ = await _get(http, server, "/search", q="goal")
    assert status == 502
    assert body["error"] == {
        "code": "upstream_error",
        "message": "the embedding API failed (InternalServerError)",
    }


async def test_blank_query_answers_422_before_any_request(fake: FakeTwelveLabsServer) -> None:
    """A blank query is refused by the SDK (InvalidRequestError): 422, and nothing is sent."""
    async with _serve(_settings(fake)) as (server, http):
        status, body, _ = await _get(http, server, "/search", q="   ")
    assert status == 422
    assert body["error"]["code"] == "query_rejected"
    assert "text must not be empty" in body["error"]["message"]
    assert fake.requests_to("embed.create") == []


async def test_bad_service_parameters_answer_400(fake: FakeTwelveLabsServer) -> None:
    """A missing q or an out-of-range top is the caller's mistake (400), and costs no API call."""
    async with _serve(_settings(fake)) as (server, http):
        missing = await _get(http, server, "/search")
        too_many = await _get(http, server, "/search", q="goal", top="500")
        not_a_number = await _get(http, server, "/search", q="goal", top="five")
    assert [a[0] for a in (missing, too_many, not_a_number)] == [400, 400, 400]
    assert missing[1]["error"]["code"] == "missing_query"
    assert too_many[1]["error"]["code"] == not_a_number[1]["error"]["code"] == "bad_top"
    assert fake.requests_to("embed.create") == []


def _write_index(path: Path, dim: int = 512) -> None:
    rng = np.random.default_rng(0)
    np.savez(
        path,
        vectors=rng.standard_normal((3, dim)).astype(np.float32),
        start_sec=np.array([0.0, 6.0, np.nan]),
        end_sec=np.array([6.0, 12.0, np.nan]),
        option=np.array(["visual", "visual", "image"]),
        scope=np.array(["clip", "clip", ""]),
        source=np.array(["a.mp4", "a.mp4", "b.jpg"]),
        model_name=np.array("marengo3.0"),
        api=np.array("v1"),
    )


async def test_api_400_answers_422(fake: FakeTwelveLabsServer) -> None:
    """A query the API rejects with 400 (BadRequestError) is answered 422 with the API's reason."""
    async with _serve(_settings(fake)) as (server, http):
        fake.faults.client_error(
            400, message="The text parameter is invalid.", endpoints=["embed.create"]
        )
        status, body, _ = await _get(http, server, "/search", q="goal")
    assert status == 422
    assert "parameter_invalid" in body["error"]["message"]
    assert "The text parameter is invalid." in body["error"]["message"]
    # A 400 is final: exactly one query request reached the API.
    assert len(fake.requests_to("embed.create")) == 1


async def test_index_catalogue_needs_no_task(fake: FakeTwelveLabsServer, tmp_path: Path) -> None:
    """With --index the catalogue comes from the .npz: no task is created, times stay null."""
    index = tmp_path / "index.npz"
    _write_index(index)
    async with _serve(_settings(fake, videos=(), index=str(index))) as (server, http):
        status, body, _ = await _get(http, server, "/search", q="goal", top="3")
    assert status == 200
    assert fake.requests_to("embed.tasks.create") == []
    assert {r["source"] for r in body["results"]} == {"a.mp4", "b.jpg"}
    image = next(r for r in body["results"] if r["source"] == "b.jpg")
    assert image["start_sec"] is None
    assert image["end_sec"] is None


async def test_shutdown_closes_the_shared_client(fake: FakeTwelveLabsServer) -> None:
    """After the app stops, its client refuses further calls: cleanup closed it."""
    async with _serve(_settings(fake)) as (server, _http):
        client = server.app[web_app.CLIENT]
    with pytest.raises(ClientClosedError):
        await client.embed.create(model_name="marengo3.0", text="goal")


async def test_script_reads_env_and_port_and_stops_on_sigterm(
    fake: FakeTwelveLabsServer,
) -> None:
    """Run as a script with the env pointing at the fake and --port 0, it serves, then exits 0."""
    env = {
        **os.environ,
        "TWELVELABS_API_KEY": fake.api_key,
        "TWELVELABS_BASE_URL": fake.base_url,
    }
    args = ["--port", "0", "--poll-interval", "0.05", "--video", VIDEOS[0], "--video", VIDEOS[3]]
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(EXAMPLES / "web_app.py"),
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None
    try:
        url = None
        while url is None:
            line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode()
            assert line, "the script exited before serving"
            if line.startswith("Serving on "):
                url = line.split()[2]
        async with aiohttp.ClientSession() as http, http.get(url + "search?q=penalty") as resp:
            body = await resp.json()
        assert resp.status == 200
        assert body["results"][0]["source"] == VIDEOS[3]
        proc.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(proc.communicate(), 30)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == 0, err.decode()
    assert "Stopped; the client is closed." in out.decode()
    assert len(fake.requests_to("embed.tasks.create")) == 2


async def test_signal_handlers_are_removed_before_the_loop_closes() -> None:
    """serve() restores SIGTERM's disposition itself, so no signal reaches a closing loop."""
    before = signal.getsignal(signal.SIGTERM)
    settings = web_app.Settings(poll_interval=0.05)
    task = asyncio.create_task(web_app.serve(settings, "127.0.0.1", 0, fake=True))
    for _ in range(600):
        if signal.getsignal(signal.SIGTERM) != before or task.done():
            break
        await asyncio.sleep(0.05)
    assert not task.done(), "serve() ended before installing its handlers"
    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.wait_for(task, 30)
    assert signal.getsignal(signal.SIGTERM) == before


@pytest.mark.slow
async def test_script_stops_cleanly_on_sigterm_run_after_run() -> None:
    """Four runs, each stopped by SIGTERM (then more), exit without a word on stderr."""
    for _ in range(4):
        proc = await asyncio.create_subprocess_exec(
            sys.executable, str(EXAMPLES / "web_app.py"), "--fake", "--port", "0",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert proc.stdout is not None
        assert proc.stderr is not None
        try:
            while not (await asyncio.wait_for(proc.stdout.readline(), 60)).startswith(b"Serving"):
                pass
            proc.send_signal(signal.SIGTERM)
            # More signals while it shuts down: the window where a closing loop once
            # wrote to its closed wake-up descriptor.
            for _ in range(20):
                await asyncio.sleep(0.005)
                if proc.returncode is not None:
                    break
                # os.kill, not send_signal: Popen.send_signal polls first, and a poll that
                # reaps the child hides its exit status from asyncio's watcher.
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGTERM)
            _, err = await asyncio.wait_for(proc.communicate(), 30)
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        # 0: stopped by the first signal; -15: a later one ended the shutdown the default way.
        assert proc.returncode in (0, -signal.SIGTERM)
        assert err.decode() == ""
