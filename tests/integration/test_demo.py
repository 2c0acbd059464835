"""``make demo`` runs ``python -m twelvelabs_async demo --out demo-out``; so do these tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

lancedb = pytest.importorskip("lancedb")

pytestmark = pytest.mark.slow


def _run_demo(cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWELVELABS_")}
    return subprocess.run(
        [sys.executable, "-m", "twelvelabs_async", "demo", "--out", "demo-out"],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_makefile_demo_target_runs_this_command() -> None:
    """The Makefile's demo target depends on venv and runs the command tested below."""
    makefile = (Path(__file__).parents[2] / "Makefile").read_text()
    target = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert target.split("\n", 1)[0].split() == ["venv"]
    assert "-m twelvelabs_async demo --out demo-out" in target


def test_demo_embeds_samples_and_finds_the_queried_file(tmp_path: Path) -> None:
    """Without a key the demo uses the fake, embeds every sample and ranks goal.mp4 first."""
    result = _run_demo(tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "fake server" in out
    assert "6 inputs: 6 embedded, 0 failed" in out
    assert "not semantic" in out  # the fake's results are explained, not passed off
    search = out.split("Search 'goal' over the clips in the LanceDB table", 1)[1].splitlines()
    assert all("goal.mp4" in line for line in search[1:6])
    assert all("/clip" in line for line in search[1:6])
    table = lancedb.connect(tmp_path / "demo-out" / "vectors.lance").open_table("segments")
    assert table.schema.field("vector").type.list_size == 512
    assert table.count_rows() == 66


def test_demo_runs_again_in_the_same_folder(tmp_path: Path) -> None:
    """A second demo run in the same folder succeeds too (a fresh fake, a fresh journal)."""
    assert _run_demo(tmp_path).returncode == 0
    again = _run_demo(tmp_path)
    assert again.returncode == 0, again.stderr
    assert "6 embedded, 0 failed" in again.stdout
    table = lancedb.connect(tmp_path / "demo-out" / "vectors.lance").open_table("segments")
    assert table.count_rows() == 66  # the second run replaced the rows, it did not add
