"""Every benchmark script still runs end to end at tiny sizes and prints its table.

Nothing here looks at a speed: the figures are noise at these sizes. The point is that the
scripts cannot rot silently (an API change, a renamed fake-server option).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("twelvelabs")

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
TABLE_HEAD = "| benchmark | metric | ours | official | baseline | ratio | goal | met |"


def _run(*args: str, quick: bool = False) -> str:
    env = dict(os.environ)
    env.pop("TWELVELABS_BASE_URL", None)
    env["BENCH_QUICK"] = "1" if quick else ""
    done = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, f"{args[0]} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _rows(output: str, bench: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(f"| {bench} |")]


@pytest.mark.parametrize(
    ("script", "args", "bench", "rows"),
    [
        ("retrieve.py", ["--segments", "20", "--runs", "1"], "retrieve decode", 1),
        ("decode.py", ["--segments", "20", "--runs", "1"], "decode", 2),
        ("polling.py", ["--calls", "40", "--concurrency", "8", "--runs", "1"], "polling", 2),
        (
            "bulk_tasks.py",
            [
                *("--tasks", "6", "--concurrency", "3", "--runs", "1"),
                *("--processing-time", "0.1", "--sleep-interval", "0.05"),
            ],
            "bulk",
            4,
        ),
        ("upload_compare.py", ["--size-mib", "2", "--runs", "1"], "upload memory", 1),
        ("multipart_upload.py", ["--size-mib", "16", "--runs", "1"], "multipart upload", 3),
        ("import_time.py", ["--runs", "1"], "import time", 2),
        (
            "store_ingest.py",
            ["--segments", "3000", "--dim", "64", "--runs", "1", "--queries", "3"],
            "store search",
            1,
        ),
        (
            "output_memory.py",
            ["--inputs", "30", "--formats", "none,lance"],
            "output memory lance",
            1,
        ),
    ],
)
def test_benchmark_script_prints_its_table(
    script: str, args: list[str], bench: str, rows: int
) -> None:
    """Each benchmark completes at tiny sizes and prints the table with its rows filled in."""
    output = _run(str(BENCH / script), *args)
    assert TABLE_HEAD in output
    found = _rows(output, bench)
    assert len(found) == rows, output
    for line in found:
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert cells[2], f"no figure for ours in {line}"


def test_run_all_writes_results_with_machine_facts(tmp_path: Path) -> None:
    """run_all.py runs the selected benchmark and writes the machine facts and the table."""
    out = tmp_path / "RESULTS.md"
    _run(str(BENCH / "run_all.py"), "--only", "import", "--out", str(out), quick=True)
    text = out.read_text()
    for fact in ("- date: ", "- CPU: ", "- packages: "):
        assert fact in text
    assert TABLE_HEAD in text
    assert len(_rows(text, "import time")) == 2


def test_polling_versions_compares_a_git_revision() -> None:
    """polling_versions.py imports a revision from git beside the checkout and times both."""
    if subprocess.run(["git", "rev-parse", "HEAD"], cwd=BENCH, capture_output=True).returncode:
        pytest.skip("not a git checkout")
    output = _run(
        str(BENCH / "polling_versions.py"),
        *("--rev", "HEAD", "--calls", "20", "--rounds", "1", "--concurrency", "4"),
    )
    rows = [line for line in output.splitlines() if line.startswith("| ")]
    names = [line.split("|")[1].strip() for line in rows[1:]]
    assert names[0] == "checkout"
    assert names[-1] == "aiohttp+orjson"
    assert len(names) == 3, output
