"""``examples/bulk_embed.py`` run as a script against a fake server started in the test."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest

from twelvelabs_async.testing import FakeTwelveLabsServer

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "bulk_embed.py"
NAMES = ("goal.mp4", "crowd.mov", "kickoff.mp4", "penalty.mkv", "nested/corner.webm")


@pytest.fixture
async def fake() -> AsyncIterator[FakeTwelveLabsServer]:
    """A fake API whose tasks stay processing briefly, so the script polls them."""
    async with FakeTwelveLabsServer(processing_time=0.2) as server:
        yield server


def _make_videos(folder: Path) -> list[Path]:
    paths = []
    for seed, name in enumerate(NAMES):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        # The fake does not decode media: distinct bytes behind an mp4-like header do.
        path.write_bytes(b"\x00\x00\x00\x18ftypisom" + bytes([seed]) * 2048)
        paths.append(path)
    (folder / "notes.txt").write_text("not a video")
    return paths


async def _run(
    fake: FakeTwelveLabsServer, *args: str, pythonpath: str | None = None
) -> tuple[int, str, str]:
    env = {
        **os.environ,
        "TWELVELABS_API_KEY": fake.api_key,
        "TWELVELABS_BASE_URL": fake.base_url,
    }
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(SCRIPT),
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), 60)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def _is_file(path: Path) -> bool:
    return path.is_file()


def _read(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as data:
        return {name: data[name] for name in data.files}


async def test_second_run_creates_nothing_and_rewrites_a_complete_npz(
    fake: FakeTwelveLabsServer, tmp_path: Path
) -> None:
    """Run twice on one folder: the first creates one task a video, the second none at all."""
    videos = _make_videos(tmp_path / "videos")
    out = tmp_path / "vectors.npz"
    args = (str(tmp_path / "videos"), "--out", str(out), "--poll-interval", "0.05")

    code, stdout, stderr = await _run(fake, *args)
    assert code == 0, stdout + stderr
    assert len(fake.requests_to("embed.tasks.create")) == len(videos)
    assert "5 inputs: 5 embedded, 0 failed (5 tasks created" in stdout
    assert "100%" in stderr  # tqdm is installed here: the bar ran to the end
    first = _read(out)
    assert sorted(set(first["source"].tolist())) == sorted(str(p) for p in videos)
    assert first["vectors"].shape == (len(first["source"]), 512)
    assert str(first["model_name"]) == "marengo3.0"
    assert _is_file(Path(f"{out}.journal.jsonl"))
    retrieves = len(fake.requests_to("embed.tasks.retrieve"))

    code, stdout, stderr = await _run(fake, *args)
    assert code == 0, stdout + stderr
    assert len(fake.requests_to("embed.tasks.create")) == len(videos)  # zero new creates
    assert "5 inputs: 5 embedded, 0 failed (0 tasks created" in stdout
    assert "5 resumed from the journal" in stdout
    # The results came back by task id, one retrieve each.
    assert len(fake.requests_to("embed.tasks.retrieve")) == retrieves + len(videos)
    second = _read(out)
    assert second.keys() == first.keys()
    for name, values in first.items():
        np.testing.assert_array_equal(second[name], values, err_msg=name)


async def test_without_tqdm_progress_is_printed_line_by_line(
    fake: FakeTwelveLabsServer, tmp_path: Path
) -> None:
    """When tqdm cannot be imported the script prints one line per created and finished video."""
    _make_videos(tmp_path / "videos")
    blocker = tmp_path / "no_tqdm"
    blocker.mkdir()
    (blocker / "tqdm.py").write_text("raise ImportError('tqdm hidden by the test')\n")
    out = tmp_path / "vectors.npz"
    code, stdout, stderr = await _run(
        fake,
        str(tmp_path / "videos"),
        "--out",
        str(out),
        "--poll-interval",
        "0.05",
        pythonpath=str(blocker),
    )
    assert code == 0, stdout + stderr
    assert "embedding 5 videos (install tqdm for a progress bar)" in stdout
    lines = stdout.splitlines()
    assert sum(" created  " in line for line in lines) == 5
    assert sum(" done     " in line for line in lines) == 5
    assert "[5/5] done" in stdout
    assert "100%" not in stderr


async def test_empty_folder_exits_2_without_a_request(
    fake: FakeTwelveLabsServer, tmp_path: Path
) -> None:
    """A folder without videos is a usage error (exit 2) and sends nothing."""
    (tmp_path / "empty").mkdir()
    code, _stdout, stderr = await _run(fake, str(tmp_path / "empty"))
    assert code == 2
    assert "no video files under" in stderr
    assert fake.requests == []


def _run_plain(*args: str) -> tuple[int, str, str]:
    import subprocess

    env = {k: v for k, v in os.environ.items() if not k.startswith("TWELVELABS_")}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    return done.returncode, done.stdout, done.stderr


def test_without_a_key_it_says_so_once_and_points_to_fake(tmp_path: Path) -> None:
    """No key and no --fake: exit 2, one error and the --fake hint, no progress bar drawn."""
    _make_videos(tmp_path / "videos")
    code, out, err = _run_plain(str(tmp_path / "videos"), "--out", str(tmp_path / "v.npz"))
    assert code == 2
    assert err.count("no API key") == 1
    assert "--fake" in err
    assert "embedding" not in err  # the bar's label: no bar was drawn
    assert out == ""


def test_fake_runs_without_a_key_and_writes_every_video(tmp_path: Path) -> None:
    """--fake embeds the folder against an in-process fake server with no key set."""
    _make_videos(tmp_path / "videos")
    out_path = tmp_path / "v.npz"
    code, out, err = _run_plain(str(tmp_path / "videos"), "--out", str(out_path), "--fake")
    assert code == 0, err
    assert "5 embedded, 0 failed" in out
    with np.load(out_path) as data:
        assert len(set(data["source"].tolist())) == 5
    assert not (tmp_path / "v.npz.journal.jsonl").exists()
