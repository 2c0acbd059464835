"""Secrets and transport safety: the key stays out of every artefact; no unsafe transport.

A distinctive key is used everywhere, then every artefact a user could see or ship is
searched for it: log records at DEBUG, reprs, exception messages and the locals of
every SDK frame of a failed call's traceback (error trackers print them), journal and
output files, and the command line's stdout and stderr.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiohttp import web
from aiohttp.typedefs import Handler
from relkit import client_for

from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async.bulk import BulkEmbedJob
from twelvelabs_async.errors import APIError, APIStatusError, InvalidRequestError
from twelvelabs_async.testing import FakeTwelveLabsServer
from twelvelabs_async.types import RequestOptions

KEY = "tlk_SECRET_9b1e4c7d2a_do_not_leak"
WRONG_KEY = "tlk_WRONG_5e8f0a_never_printed"
REPO = Path(__file__).resolve().parents[2]


def sdk_frame_locals(exc: BaseException) -> list[tuple[str, str]]:
    """``(where, repr)`` of every local of every SDK frame in ``exc``'s traceback."""
    out = []
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if "twelvelabs_async" in frame.f_code.co_filename:
            for name, value in frame.f_locals.items():
                try:
                    out.append((f"{frame.f_code.co_name}:{name}", repr(value)))
                except Exception:  # a broken repr cannot leak anything
                    continue
        tb = tb.tb_next
    return out


def files_under(root: Path) -> list[Path]:
    """Every file below ``root``."""
    return [p for p in root.rglob("*") if p.is_file()]


def listing(folder: Path) -> list[str]:
    """The sorted names in ``folder``."""
    return sorted(p.name for p in folder.iterdir())


def assert_clean(text: str, where: str) -> None:
    """Fail when ``text`` holds either key."""
    assert KEY not in text, f"the API key leaked into {where}"
    assert WRONG_KEY not in text, f"a rejected API key leaked into {where}"


async def test_key_never_in_logs_reprs_exceptions_or_traceback_locals(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """DEBUG logs, reprs, error messages and traceback locals of failed calls never hold the key."""
    caplog.set_level(logging.DEBUG)
    async with (
        FakeTwelveLabsServer(api_key=KEY, processing_time=0) as server,
        client_for(server, max_retries=1) as client,
    ):
        texts = [repr(client), repr(client.embed), repr(client.embed.v2), repr(client.embed.tasks)]
        task = await client.embed.tasks.create(model_name="marengo3.0", video_file=("a.mp4", b"x"))
        texts.append(repr(await client.embed.tasks.retrieve(task.id or "")))
        errors: list[BaseException] = []
        for fault in ("500", "drop", "stall"):
            server.faults.clear()
            if fault == "500":
                server.faults.server_error(500)
            elif fault == "drop":
                server.faults.drop_connection()
            else:
                server.faults.stall(30)
            with pytest.raises(APIError) as info:
                await client.embed.tasks.status(
                    task.id or "", request_options=RequestOptions(timeout=0.2)
                )
            errors.append(info.value)
        server.faults.clear()
        async with AsyncTwelveLabs(api_key=WRONG_KEY, base_url=server.base_url) as wrong:
            with pytest.raises(APIStatusError) as info:
                await wrong.embed.tasks.status(task.id or "")
            errors.append(info.value)
    for exc in errors:
        texts += [str(exc), repr(exc), *getattr(exc, "__notes__", [])]
        texts += [r for _, r in sdk_frame_locals(exc)]
    for i, text in enumerate(texts):
        assert_clean(text, f"text #{i}")
    for record in caplog.records:
        assert_clean(record.getMessage(), f"log record {record.name}")


async def test_key_echoed_by_the_server_is_redacted_from_the_error() -> None:
    """A server or proxy that echoes the key in an error body does not put it in the message."""

    async def echo(request: web.Request) -> web.Response:
        text = f"bad key {request.headers.get('x-api-key')}"
        return web.json_response({"code": "api_key_invalid", "message": text}, status=401)

    app = web.Application()
    app.router.add_get("/v1.3/embed/tasks/{tid}/status", echo)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/v1.3"
    try:
        async with AsyncTwelveLabs(api_key=KEY, base_url=url) as client:
            with pytest.raises(APIStatusError) as info:
                await client.embed.tasks.status("t1")
    finally:
        await runner.cleanup()
    assert_clean(str(info.value), "the error message")
    assert_clean(info.value.api_message or "", "api_message")
    assert "***" in str(info.value)


async def test_bulk_job_journal_and_outputs_hold_no_key(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A bulk job with failures, journal and outputs writes the key nowhere, even at DEBUG."""
    caplog.set_level(logging.DEBUG)
    video = tmp_path / "clip.mp4"
    video.write_bytes(os.urandom(2048))
    async with (
        FakeTwelveLabsServer(api_key=KEY, processing_time=0.05) as server,
        client_for(server, max_retries=1) as client,
    ):
        server.faults.fail_tasks(names=["broken"])
        server.faults.server_error(500, endpoints=["embed.tasks.status"], rate=0.3)
        inputs = [
            str(video),
            "https://cdn.example.com/ok.mp4",
            "https://cdn.example.com/broken.mp4",
        ]
        outputs: list[Path] = []
        for name in ("out.jsonl", "out.npz"):
            job = BulkEmbedJob(
                client,
                inputs,
                model_name="marengo3.0",
                journal=tmp_path / f"{name}.journal",
                output=tmp_path / name,
                poll_interval=0.02,
                fsync=False,
            )
            summary = await job.run()
            if summary.succeeded:  # a job that embedded nothing writes no output
                outputs.append(tmp_path / name)
            assert summary.failed >= 1  # the failure path is exercised too
            for item in summary.failures:
                assert_clean(f"{item!r} {item.error!s} {item.error!r}", "a failed item")
    written = files_under(tmp_path)
    assert set(outputs) <= set(written)
    assert len(written) >= 3 + len(outputs)  # the video, two journals, the outputs
    for path in written:
        assert KEY.encode() not in path.read_bytes(), path
    for record in caplog.records:
        assert_clean(record.getMessage(), f"log record {record.name}")


@pytest.fixture
def threaded_fake() -> Iterator[FakeTwelveLabsServer]:
    """A fake server (key ``KEY``) on its own loop in a thread, for subprocess clients."""
    ready = threading.Event()
    loop = asyncio.new_event_loop()
    holder: dict[str, Any] = {}

    async def start() -> None:
        server = FakeTwelveLabsServer(api_key=KEY, processing_time=0.05)
        server.faults.fail_tasks(names=["broken"])
        holder["server"] = await server.start()
        ready.set()

    thread = threading.Thread(target=lambda: (loop.run_until_complete(start()), loop.run_forever()))
    thread.start()
    ready.wait(10)
    yield holder["server"]
    asyncio.run_coroutine_threadsafe(holder["server"].close(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    loop.close()


@pytest.mark.slow
def test_cli_output_journal_and_logs_hold_no_key(
    tmp_path: Path, threaded_fake: FakeTwelveLabsServer
) -> None:
    """The embed command at -vv, with failures and with a refused key, prints the key nowhere."""
    urls = ["https://cdn.example.com/ok.mp4", "https://cdn.example.com/broken.mp4"]
    outputs = []
    for key, out in ((KEY, "good.jsonl"), (WRONG_KEY, "refused.jsonl")):
        env = {**os.environ, "TWELVELABS_API_KEY": key, "PYTHONPATH": str(REPO)}
        args = ["-vv", "embed", *urls, "--out", str(tmp_path / out), "--progress", "plain"]
        args += ["--base-url", threaded_fake.base_url, "--poll-interval", "0.02"]
        proc = subprocess.run(
            [sys.executable, "-m", "twelvelabs_async", *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            timeout=60,
            check=False,
        )
        outputs.append(proc)
        assert_clean(proc.stdout.decode() + proc.stderr.decode(), f"CLI output ({out})")
    assert outputs[0].returncode == 1, outputs[0].stderr.decode()[-2000:]  # one input failed
    assert outputs[1].returncode == 3, outputs[1].stderr.decode()[-2000:]  # key refused
    assert b"DEBUG" in outputs[0].stderr  # the logs really were on
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path
            assert WRONG_KEY.encode() not in path.read_bytes(), path


async def test_key_is_not_sent_on_a_redirect_to_another_host() -> None:
    """A redirect to another host (or port) is not followed, so the key never reaches it."""
    seen: list[str | None] = []

    async def target(request: web.Request) -> web.Response:
        seen.append(request.headers.get("x-api-key"))
        return web.json_response({"_id": "t1", "status": "ready"})

    other = web.Application()
    other.router.add_route("*", "/{tail:.*}", target)
    other_runner = web.AppRunner(other, access_log=None)
    await other_runner.setup()
    await web.TCPSite(other_runner, "127.0.0.2", 0).start()
    other_root = f"http://127.0.0.2:{other_runner.addresses[0][1]}"
    locations = [f"{other_root}/v1.3/embed/tasks/t1/status"]

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound(locations[0])

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", redirect)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = runner.addresses[0][1]
    try:
        async with AsyncTwelveLabs(api_key=KEY, base_url=f"http://127.0.0.1:{port}/v1.3") as c:
            with pytest.raises(APIStatusError, match="not followed"):
                await c.embed.tasks.status("t1")
            # Same host, another port: another origin, also refused.
            locations[0] = f"http://127.0.0.1:{other_runner.addresses[0][1]}/v1.3/x"
            with pytest.raises(APIStatusError, match="not followed"):
                await c.embed.tasks.status("t1")
            # A POST is never replayed to a redirect target.
            locations[0] = f"http://127.0.0.1:{port}/v1.3/embed-v2"
            with pytest.raises(APIStatusError, match="not followed"):
                await c.embed.v2.create(input_type="text", model_name="marengo3.0", text="x")
    finally:
        await runner.cleanup()
        await other_runner.cleanup()
    assert seen == []


@pytest.mark.parametrize(
    "url",
    [
        "http://api.example.com/v1.3",
        "http://10.0.0.5:8080/v1.3",
        "http://0.0.0.0/v1.3",
        "http://localhost.example.com/v1.3",
        "http://127.0.0.1.nip.io/v1.3",
    ],
)
def test_plain_http_off_loopback_is_refused(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A plain http:// base URL off loopback is refused (argument or env) unless allowed."""
    with pytest.raises(InvalidRequestError, match="allow_insecure_http"):
        AsyncTwelveLabs(api_key=KEY, base_url=url)
    monkeypatch.setenv("TWELVELABS_BASE_URL", url)
    with pytest.raises(InvalidRequestError, match="allow_insecure_http") as info:
        AsyncTwelveLabs(api_key=KEY)
    assert_clean(str(info.value), "the refusal message")
    assert AsyncTwelveLabs(api_key=KEY, allow_insecure_http=True).base_url == url


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/v1.3", "http://localhost/v1.3", "http://[::1]:9/v1.3"]
)
def test_plain_http_on_loopback_is_allowed(url: str) -> None:
    """Loopback http:// (the fake server, a local proxy) needs no opt-in."""
    assert AsyncTwelveLabs(api_key=KEY, base_url=url).base_url == url


def _hostile(value: Any) -> Any:
    """Rewrite every server-supplied name to a path that escapes the output folder."""
    if isinstance(value, dict):
        out = {k: _hostile(v) for k, v in value.items()}
        for name in ("input_filename", "input_url"):
            if name in out:
                out[name] = "../../escaped/../../tmp/evil.npz"
        return out
    if isinstance(value, list):
        return [_hostile(v) for v in value]
    return value


async def test_server_supplied_names_never_become_paths(tmp_path: Path) -> None:
    """Filenames in API responses never decide where a bulk job writes."""
    work = tmp_path / "work"
    work.mkdir()
    before = listing(tmp_path.parent)

    @web.middleware
    async def hostile(request: web.Request, handler: Handler) -> web.StreamResponse:
        response = await handler(request)
        if isinstance(response, web.Response) and response.status == 200:
            body = response.body
            assert isinstance(body, bytes)
            data = _hostile(orjson.loads(body))
            return web.Response(body=orjson.dumps(data), content_type="application/json")
        return response

    from twelvelabs_async.testing import _app as fake_app
    from twelvelabs_async.testing import server as fake_module

    original = fake_app.make_app

    def make_app(server: FakeTwelveLabsServer) -> web.Application:
        app = original(server)
        app.middlewares.append(hostile)
        return app

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fake_module, "make_app", make_app)
        server = await FakeTwelveLabsServer(processing_time=0).start()
    try:
        async with client_for(server) as client:
            video = work / "clip.mp4"
            video.write_bytes(b"\0" * 1024)
            for api in ("v1", "v2"):
                job = BulkEmbedJob(
                    client,
                    [str(video), "https://cdn.example.com/a.mp4", {"text": "hello"}],
                    model_name="marengo3.0",
                    api=api,
                    journal=work / f"{api}.journal",
                    output=work / f"{api}.npz",
                    poll_interval=0.01,
                    fsync=False,
                )
                summary = await job.run()
                assert summary.failed == 0, [str(i.error) for i in summary.failures]
    finally:
        await server.close()
    assert listing(tmp_path.parent) == before
    assert listing(tmp_path) == ["work"]
    assert "evil.npz" not in listing(Path("/tmp"))
    names = listing(work)
    assert names == ["clip.mp4", "v1.journal", "v1.npz", "v2.journal", "v2.npz"], names
