"""Temporary outputs of killed jobs are removed by the next job; those of live ones are kept."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from twelvelabs_async.bulk._temporaries import cleanup_stale_temporaries, temporary_path


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_only_temporaries_of_dead_processes_go(tmp_path: Path) -> None:
    """A dead writer's .OUT.PID.tmp is removed; this process's, others' and lookalikes stay."""
    out = tmp_path / "out.npz"
    dead = temporary_path(out, _dead_pid())
    mine = temporary_path(out)
    other_output = temporary_path(tmp_path / "other.npz", _dead_pid())
    lookalike = tmp_path / ".out.npz.notapid.tmp"
    for path in (dead, mine, other_output, lookalike):
        path.write_bytes(b"x")
    assert cleanup_stale_temporaries(out) == [dead]
    assert not dead.exists()
    assert mine.exists()
    assert other_output.exists()
    assert lookalike.exists()


def test_the_name_matches_the_file_a_writer_leaves(tmp_path: Path) -> None:
    """The file a streaming writer builds before its rename is the one cleanup looks for."""
    from twelvelabs_async.bulk._writers import open_writer

    out = tmp_path / "vectors.jsonl"
    writer = open_writer(out, {"model_name": "marengo3.0", "api": "v1"})
    try:
        assert [p.name for p in tmp_path.iterdir()] == [temporary_path(out).name]
    finally:
        writer.abort()


def test_a_missing_folder_is_not_an_error(tmp_path: Path) -> None:
    """Cleaning next to an output whose folder does not exist yet removes nothing."""
    assert cleanup_stale_temporaries(tmp_path / "nope" / "out.npz") == []
