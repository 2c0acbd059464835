"""Bad input to every public method raises a clear error before any byte is sent.

Each case runs against a live fake server and then checks its request log is empty, so
"refused before sending" is observed, not assumed. Unreadable paths use what still fails
as root: a directory, a FIFO (opening one would block the event loop) and a missing file.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import math
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from relkit import client_for

from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async.errors import InvalidRequestError
from twelvelabs_async.testing import FakeTwelveLabsServer

V = "https://cdn.example.com/a.mp4"
MODEL = "marengo3.0"
VIDEO = {"media_source": {"url": V}}

Case = Callable[[AsyncTwelveLabs, Path], Awaitable[Any]]


def _cases() -> dict[str, Case]:
    # Typed as the variable, not the return value, so that mypy checks each call in the lambdas.
    cases: dict[str, Case] = {
        # client.embed.create
        "embed/model-None": lambda c, _p: c.embed.create(model_name=None, text="x"),  # type: ignore[arg-type]
        "embed/model-int": lambda c, _p: c.embed.create(model_name=3, text="x"),  # type: ignore[arg-type]
        "embed/model-empty": lambda c, _p: c.embed.create(model_name="", text="x"),
        "embed/text-int": lambda c, _p: c.embed.create(model_name=MODEL, text=5),  # type: ignore[arg-type]
        "embed/text-blank": lambda c, _p: c.embed.create(model_name=MODEL, text="   "),
        "embed/nothing": lambda c, _p: c.embed.create(model_name=MODEL),
        "embed/image-both": lambda c, _p: c.embed.create(
            model_name=MODEL, image_url="https://a.example/b.png", image_file=b"x"
        ),
        "embed/image-missing": lambda c, p: c.embed.create(
            model_name=MODEL, image_file=str(p / "none.png")
        ),
        "embed/image-dir": lambda c, p: c.embed.create(model_name=MODEL, image_file=str(p)),
        "embed/image-fifo": lambda c, p: c.embed.create(
            model_name=MODEL, image_file=str(p / "fifo")
        ),
        "embed/audio-offset-negative": lambda c, _p: c.embed.create(
            model_name=MODEL, audio_url="https://a.example/b.mp3", audio_start_offset_sec=-1
        ),
        "embed/audio-offset-nan": lambda c, _p: c.embed.create(
            model_name=MODEL, audio_url="https://a.example/b.mp3", audio_start_offset_sec=math.nan
        ),
        "embed/audio-offset-str": lambda c, _p: c.embed.create(
            model_name=MODEL,
            audio_url="https://a.example/b.mp3",
            audio_start_offset_sec="1",  # type: ignore[arg-type]
        ),
        "embed/image-url-empty": lambda c, _p: c.embed.create(model_name=MODEL, image_url=""),
        # client.embed.tasks.create
        "tasks.create/no-video": lambda c, _p: c.embed.tasks.create(model_name=MODEL),
        "tasks.create/file-and-url": lambda c, _p: c.embed.tasks.create(
            model_name=MODEL, video_url=V, video_file=b"x"
        ),
        "tasks.create/clip-1": lambda c, _p: c.embed.tasks.create(
            model_name=MODEL, video_url=V, video_clip_length=1
        ),
        "tasks.create/clip-inf": lambda c, _p: c.embed.tasks.create(
            model_name=MODEL, video_url=V, video_clip_length=math.inf
        ),
        "tasks.create/clip-bool": lambda c, _p: c.embed.tasks.create(
            model_name=MODEL, video_url=V, video_clip_length=True
        ),
        "tasks.create/one-offset": lambda c, _p: c.embed.tasks.create(
            model_name=MODEL, video_url=V, video_start_offset_sec=1
        ),
        "tasks.create/end-before-start": lambda c, _p: c.embed.tasks.create(
            model_name=MODEL, video_url=V, video_start_offset_sec=10, video_end_offset_sec=5
        ),
        "tasks.create/scope-int": lambda c, _p: c.embed.tasks.create(
            model_name=MODEL,
            video_url=V,
            video_embedding_scope=5,  # type: ignore[arg-type]
        ),
        "tasks.create/scope-empty": lambda c, _p: c.embed.tasks.create(
            model_name=MODEL, video_url=V, video_embedding_scope=[]
        ),
        "tasks.create/fifo": lambda c, p: c.embed.tasks.create(
            model_name=MODEL, video_file=str(p / "fifo")
        ),
        "tasks.create/dir": lambda c, p: c.embed.tasks.create(model_name=MODEL, video_file=p),
        "tasks.create/missing": lambda c, p: c.embed.tasks.create(
            model_name=MODEL, video_file=str(p / "none.mp4")
        ),
        "tasks.create/file-int": lambda c, _p: c.embed.tasks.create(
            model_name=MODEL,
            video_file=5,  # type: ignore[arg-type]
        ),
        "tasks.create/text-mode-file": lambda c, _p: c.embed.tasks.create(
            model_name=MODEL,
            video_file=io.StringIO("not bytes"),  # type: ignore[arg-type]
        ),
        "tasks.create/progress-not-callable": lambda c, _p: c.embed.tasks.create(
            model_name=MODEL,
            video_file=b"\0" * 64,
            on_upload_progress=5,  # type: ignore[arg-type]
        ),
        "tasks.create/url-empty": lambda c, _p: c.embed.tasks.create(
            model_name=MODEL, video_url=""
        ),
        # status / retrieve / list / wait (v1)
        "tasks.status/empty": lambda c, _p: c.embed.tasks.status(""),
        "tasks.status/None": lambda c, _p: c.embed.tasks.status(None),  # type: ignore[arg-type]
        "tasks.status/int": lambda c, _p: c.embed.tasks.status(5),  # type: ignore[arg-type]
        "tasks.status/dotdot": lambda c, _p: c.embed.tasks.status(".."),
        "tasks.status/slash": lambda c, _p: c.embed.tasks.status("../x"),
        "tasks.retrieve/option-int": lambda c, _p: c.embed.tasks.retrieve(
            "abc",
            embedding_option=5,  # type: ignore[arg-type]
        ),
        "tasks.retrieve/option-empty": lambda c, _p: c.embed.tasks.retrieve(
            "abc", embedding_option=[]
        ),
        "tasks.list/page-0": lambda c, _p: c.embed.tasks.list(page=0).to_list(),
        "tasks.list/limit-51": lambda c, _p: c.embed.tasks.list(page_limit=51).to_list(),
        "tasks.list/limit-str": lambda c, _p: c.embed.tasks.list(page_limit="5").to_list(),  # type: ignore[arg-type]
        "tasks.list/started-junk": lambda c, _p: c.embed.tasks.list(
            started_at="yesterday"
        ).to_list(),
        "tasks.list/started-naive": lambda c, _p: c.embed.tasks.list(
            started_at=dt.datetime(2026, 1, 1)
        ).to_list(),
        "tasks.list/ended-before-started": lambda c, _p: c.embed.tasks.list(
            started_at="2026-02-01T00:00:00Z", ended_at="2026-01-01T00:00:00Z"
        ).to_list(),
        "tasks.list/status-empty": lambda c, _p: c.embed.tasks.list(status="").to_list(),
        "tasks.wait/interval-0": lambda c, _p: c.embed.tasks.wait_for_done("abc", sleep_interval=0),
        "tasks.wait/interval-nan": lambda c, _p: c.embed.tasks.wait_for_done(
            "abc", sleep_interval=math.nan
        ),
        "tasks.wait/timeout-str": lambda c, _p: c.embed.tasks.wait_for_done(
            "abc",
            timeout="5",  # type: ignore[arg-type]
        ),
        "tasks.wait/callback-not-callable": lambda c, _p: c.embed.tasks.wait_for_done(
            "abc",
            callback=5,  # type: ignore[arg-type]
        ),
        "tasks.wait/empty-id": lambda c, _p: c.embed.tasks.wait_for_done(""),
        "tasks.create_and_retrieve/callback-not-callable": lambda c, _p: (
            c.embed.tasks.create_and_retrieve(
                model_name=MODEL,
                video_url=V,
                callback="print",  # type: ignore[arg-type]
            )
        ),
        # client.embed.v2.create
        "v2.create/no-input": lambda c, _p: c.embed.v2.create(input_type="text", model_name=MODEL),
        "v2.create/model-None": lambda c, _p: c.embed.v2.create(
            input_type="text",
            model_name=None,  # type: ignore[arg-type]
            text="x",
        ),
        "v2.create/text-empty": lambda c, _p: c.embed.v2.create(
            input_type="text", model_name=MODEL, text=""
        ),
        "v2.create/conflicting-inputs": lambda c, _p: c.embed.v2.create(
            input_type="text", model_name=MODEL, text="x", video=VIDEO
        ),
        "v2.create/type-mismatch": lambda c, _p: c.embed.v2.create(
            input_type="video", model_name=MODEL, text="x"
        ),
        "v2.create/input-type-int": lambda c, _p: c.embed.v2.create(
            input_type=5,  # type: ignore[arg-type]
            model_name=MODEL,
            text="x",
        ),
        "v2.create/video-str": lambda c, _p: c.embed.v2.create(
            input_type="video",
            model_name=MODEL,
            video="clip.mp4",  # type: ignore[arg-type]
        ),
        "v2.create/two-sources": lambda c, _p: c.embed.v2.create(
            input_type="video",
            model_name=MODEL,
            video={"media_source": {"url": V, "asset_id": "a"}},
        ),
        "v2.create/start-after-end": lambda c, _p: c.embed.v2.create(
            input_type="video",
            model_name=MODEL,
            video={"media_source": {"url": V}, "start_sec": 10, "end_sec": 2},
        ),
        "v2.create/auto-truncate-str": lambda c, _p: c.embed.v2.create(
            input_type="text",
            model_name=MODEL,
            text="x",
            auto_truncate="yes",  # type: ignore[arg-type]
        ),
        # client.embed.v2.tasks
        "v2.tasks.create/no-input": lambda c, _p: c.embed.v2.tasks.create(
            input_type="video", model_name=MODEL
        ),
        "v2.tasks.create/text": lambda c, _p: c.embed.v2.tasks.create(
            input_type="text", model_name=MODEL
        ),
        "v2.tasks.create/two-inputs": lambda c, _p: c.embed.v2.tasks.create(
            input_type="video", model_name=MODEL, video=VIDEO, audio=VIDEO
        ),
        "v2.tasks.retrieve/empty": lambda c, _p: c.embed.v2.tasks.retrieve(""),
        "v2.tasks.retrieve/None": lambda c, _p: c.embed.v2.tasks.retrieve(None),  # type: ignore[arg-type]
        "v2.tasks.list/limit-51": lambda c, _p: c.embed.v2.tasks.list(page_limit=51).to_list(),
        "v2.tasks.wait/interval-0": lambda c, _p: c.embed.v2.tasks.wait_for_done(
            "abc", sleep_interval=0
        ),
        "v2.tasks.wait/timeout-negative": lambda c, _p: c.embed.v2.tasks.wait_for_done(
            "abc", timeout=-1
        ),
        "v2.tasks.wait/callback-not-callable": lambda c, _p: c.embed.v2.tasks.wait_for_done(
            "abc",
            callback=5,  # type: ignore[arg-type]
        ),
        "v2.tasks.create_and_retrieve/callback-not-callable": lambda c, _p: (
            c.embed.v2.tasks.create_and_retrieve(
                input_type="video",
                model_name=MODEL,
                video=VIDEO,
                callback=5,  # type: ignore[arg-type]
            )
        ),
        # request_options on any call
        "options/str": lambda c, _p: c.embed.tasks.status("abc", request_options="fast"),  # type: ignore[arg-type]
        "options/timeout-negative": lambda c, _p: c.embed.tasks.status(
            "abc",
            request_options={"timeout": -1},
        ),
        "options/unsupported-key": lambda c, _p: c.embed.tasks.status(
            "abc",
            request_options={"additional_query_parameters": {}},  # type: ignore[arg-type]
        ),
        "options/retries-negative": lambda c, _p: c.embed.tasks.status(
            "abc",
            request_options={"max_retries": -1},
        ),
    }
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a FIFO (no writer: opening it for reading would block)."""
    folder = tmp_path_factory.mktemp("bad")
    os.mkfifo(folder / "fifo")
    return folder


@pytest.fixture
async def live() -> AsyncIterator[tuple[FakeTwelveLabsServer, AsyncTwelveLabs]]:
    """A fake server and a client of it that never retries."""
    async with (
        FakeTwelveLabsServer(processing_time=0) as server,
        client_for(server, max_retries=0, timeout=5) as client,
    ):
        yield server, client


@pytest.mark.parametrize("name", list(CASES))
async def test_bad_input_is_refused_before_sending(
    name: str, live: tuple[FakeTwelveLabsServer, AsyncTwelveLabs], bad_files: Path
) -> None:
    """Each bad argument raises InvalidRequestError with a message; nothing reaches the server."""
    server, client = live
    # A hang detector only; note that a blocking open() of the FIFO would stall the loop
    # itself, which is why FIFOs are refused from their stat, before any open.
    async with asyncio.timeout(10):
        with pytest.raises(InvalidRequestError) as info:
            await CASES[name](client, bad_files)
    assert len(str(info.value)) > 15
    assert server.requests == []


async def test_official_style_request_options_dict_is_honoured(
    live: tuple[FakeTwelveLabsServer, AsyncTwelveLabs],
) -> None:
    """request_options as the official SDK's dict (timeout_in_seconds, additional_headers) works."""
    server, client = live
    task = await client.embed.tasks.create(model_name=MODEL, video_url=V)
    options = {"timeout_in_seconds": 5, "max_retries": 0, "additional_headers": {"X-Trace": "t1"}}
    status = await client.embed.tasks.status(task.id or "", request_options=options)  # type: ignore[arg-type]
    assert status.id == task.id
    assert server.requests[-1].headers.get("X-Trace") == "t1"
