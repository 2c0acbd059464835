"""The command line as a new user meets it: the real entry point, in a subprocess, per mistake."""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from twelvelabs_async._samples import make_samples
from twelvelabs_async.testing import FakeTwelveLabsServer

pytestmark = pytest.mark.slow


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWELVELABS_")}
    env.update(extra)
    return env


def _cli(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "twelvelabs_async", *args],
        cwd=cwd, env=_env(**env), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


async def _cli_async(cwd: Path, *args: str, **env: str) -> tuple[int, str, str]:
    """Run the CLI while this process keeps serving a fake server."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "twelvelabs_async", *args, cwd=cwd, env=_env(**env),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


@pytest.fixture
def media(tmp_path: Path) -> Path:
    """A folder with the demo's six sample files, in the current test's folder."""
    make_samples(tmp_path / "media")
    return tmp_path


@pytest.fixture
def index(media: Path) -> Path:
    """An .npz index of the samples written by ``embed --fake``."""
    result = _cli(media, "embed", "media", "--fake", "--progress", "none", "--out", "idx.npz")
    assert result.returncode == 0, result.stderr
    return media / "idx.npz"


async def test_search_with_a_refused_key_exits_3_without_a_traceback(index: Path) -> None:
    """search meets a 401 like embed does: one error line and exit 3, not a traceback."""
    async with FakeTwelveLabsServer() as server:
        code, _, err = await _cli_async(
            index.parent, "search", "--index", str(index), "goal",
            TWELVELABS_API_KEY="tlk_wrong", TWELVELABS_BASE_URL=server.base_url,
        )  # fmt: skip
    assert code == 3, err
    assert "Traceback" not in err
    assert err.startswith("error: the API refused the key")


def test_search_with_no_server_exits_1_with_one_line(index: Path) -> None:
    """A refused connection in search is one error line and exit 1 (an API request failed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = _cli(
        index.parent, "search", "--index", str(index), "goal",
        TWELVELABS_API_KEY="tlk_x", TWELVELABS_BASE_URL=f"http://127.0.0.1:{port}/v1.3",
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert "APIConnectionError" in result.stderr


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--model", "Marengo3.0"], "did you mean 'marengo3.0'?"),
        (["--clip-length", "30"], "video_clip_length must be between 2 and 10"),
        (["--api", "v2", "--clip-length", "30"], "duration_sec must be a whole number"),
    ],
)
def test_a_bad_job_option_is_one_usage_error_and_creates_nothing(
    media: Path, flags: list[str], message: str
) -> None:
    """A wrong job-wide option gives exit 2 with the validator's message, before any journal."""
    result = _cli(media, "embed", "media", "--fake", "--out", "o.npz", *flags)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert "FAILED" not in result.stdout + result.stderr
    assert sorted(p.name for p in media.iterdir()) == ["media"]


def test_a_journal_of_another_job_names_new_journal_which_starts_afresh(media: Path) -> None:
    """A journal of another job (API v2) is refused with a --new-journal hint; that flag works."""
    first = _cli(media, "embed", "media/goal.mp4", "--fake", "--out", "o.npz",
                 "--api", "v2", "--progress", "none")  # fmt: skip
    assert first.returncode == 0, first.stderr
    second = _cli(media, "embed", "media/goal.mp4", "--fake", "--out", "o.npz")
    assert second.returncode == 2
    assert "--new-journal" in second.stderr
    third = _cli(media, "embed", "media/goal.mp4", "--fake", "--out", "o.npz", "--new-journal")
    assert third.returncode == 0, third.stderr
    assert "1 embedded" in third.stdout
    assert len(list(media.glob("o.npz.journal.jsonl.*.old"))) == 1


def test_stale_temporaries_of_dead_processes_are_removed(media: Path) -> None:
    """A .OUT.PID.tmp of a process that is gone is removed on start; a live one is kept."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    stale = media / f".o.npz.{gone.pid}.tmp"
    live = media / f".o.npz.{os.getpid()}.tmp"
    stale.write_bytes(b"x" * 1024)
    live.write_bytes(b"y")
    result = _cli(media, "embed", "media/goal.mp4", "--fake", "--out", "o.npz")
    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    assert live.exists()


def test_a_refused_output_format_creates_no_file(media: Path) -> None:
    """--out e7.csv is refused (exit 2) and leaves no journal or output behind."""
    result = _cli(media, "embed", "media", "--fake", "--out", "e7.csv")
    assert result.returncode == 2
    assert ".npz, .jsonl or .parquet" in result.stderr
    assert sorted(p.name for p in media.iterdir()) == ["media"]


def test_a_job_without_success_writes_no_output_and_an_empty_index_is_refused(
    media: Path,
) -> None:
    """Only a failed input: no output file; search on an empty index says so with exit 2."""
    result = _cli(media, "embed", "missing.mp4", "--fake", "--out", "o.npz")
    assert result.returncode == 1
    assert not (media / "o.npz").exists()
    empty = media / "empty.npz"
    np.savez(empty, vectors=np.zeros((0, 512), np.float32), start_sec=np.zeros(0),
             end_sec=np.zeros(0), option=np.array([], str), scope=np.array([], str),
             source=np.array([], str), model_name=np.array("marengo3.0"))  # fmt: skip
    search = _cli(media, "search", "--index", "empty.npz", "goal", "--fake")
    assert search.returncode == 2
    assert "holds no segments" in search.stderr


@pytest.mark.parametrize("value", ["ftp://x.test/a.mp4", "htp:/broken", "s3://bucket/a.mp4"])
def test_unknown_schemes_are_refused_by_name(media: Path, value: str) -> None:
    """An input with a scheme other than http(s) is a usage error naming it, not a path."""
    result = _cli(media, "embed", value, "--fake", "--out", "o.npz")
    assert result.returncode == 2
    scheme = value.split(":", 1)[0]
    assert f"uses the {scheme!r} scheme" in result.stderr
    assert repr(value) in result.stderr


def test_failed_sources_are_printed_as_given(media: Path) -> None:
    """The summary names a failed input exactly as typed, not as a normalised path."""
    given = "media//../media/./missing.mp4"
    result = _cli(media, "embed", given, "media/goal.mp4", "--fake", "--out", "o.npz")
    assert result.returncode == 1
    assert f"failed #0 {given}:" in result.stdout


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet", ".npz"])
def test_search_reads_every_format_embed_writes(media: Path, suffix: str) -> None:
    """An index in any format embed --out writes can be searched, with the same best hit."""
    out = f"idx{suffix}"
    made = _cli(media, "embed", "media", "--fake", "--progress", "none", "--out", out)
    assert made.returncode == 0, made.stderr
    result = _cli(media, "search", "--index", out, "penalty", "--top", "2", "--fake")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Top 2 of 66 segments")
    assert "penalty.mp4" in lines[1]


def test_search_refuses_other_files_with_a_clear_message(media: Path) -> None:
    """A file embed never writes is refused with the formats that can be searched."""
    (media / "notes.csv").write_text("a,b\n")
    result = _cli(media, "search", "--index", "notes.csv", "goal", "--fake")
    assert result.returncode == 2
    assert ".npz, .jsonl, .ndjson, .parquet" in result.stderr
    assert "pickle" not in result.stderr


def test_embed_help_shows_every_default(tmp_path: Path) -> None:
    """embed --help states the default of --out and of every option that has one."""
    from twelvelabs_async.cli import build_parser

    result = _cli(tmp_path, "embed", "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "(default: embeddings.npz)" in text
    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for action in subparsers.choices["embed"]._actions:
        if action.option_strings and action.default not in (None, False, "==SUPPRESS=="):
            assert f"default: {action.default}" in text, action.option_strings


@pytest.mark.parametrize("mode", ["bar", "auto"])
def test_progress_on_a_terminal_of_unknown_width_prints_lines(media: Path, mode: str) -> None:
    """On a 0x0 terminal (a fresh pty) bar and auto fall back to one line per input."""
    import pty
    import select

    master, slave = pty.openpty()
    assert os.get_terminal_size(slave).columns == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "twelvelabs_async", "embed", "media", "--fake", "--out", "o.npz",
         "--progress", mode], cwd=media, env=_env(), stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=slave,
    )  # fmt: skip
    os.close(slave)
    seen = b""
    try:
        while select.select([master], [], [], 60)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(master)
        assert proc.wait(60) == 0
    text = seen.decode()
    assert text.count(" done ") == 6, text
    assert "[6/6]" in text


def test_demo_explains_its_task_count_and_the_fakes_search_hits(tmp_path: Path) -> None:
    """The demo says why 6 inputs made 4 tasks and that the fake leans vectors by file name."""
    result = _cli(tmp_path, "demo", "--out", "demo-out", "--progress", "none")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    tasks = [line for line in lines if "6 inputs gave 4 tasks" in line]
    assert len(tasks) == 1
    assert "synchronous /embed" in tasks[0]
    lean = [line for line in lines if "file name" in line]
    assert len(lean) == 1
    assert "goal.mp4" in lean[0]


def test_demo_samples_writes_the_files_and_exits(tmp_path: Path) -> None:
    """demo --samples DIR writes the sample media and embeds nothing."""
    result = _cli(tmp_path, "demo", "--samples", "samples")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "samples").iterdir())
    assert "goal.mp4" in names
    assert "anthem.wav" in names
    assert not (tmp_path / "demo-out").exists()


def test_no_key_is_a_usage_error_that_creates_nothing(media: Path) -> None:
    """Without a key or --fake, embed exits 2 naming both remedies and writes no file."""
    result = _cli(media, "embed", "media", "--out", "o.npz")
    assert result.returncode == 2
    assert "TWELVELABS_API_KEY" in result.stderr
    assert "--fake" in result.stderr
    assert sorted(p.name for p in media.iterdir()) == ["media"]
