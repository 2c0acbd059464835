"""Official-SDK programs run here with only their imports changed, and on the official SDK.

Both runs go against the shell fake (``python -m twelvelabs_async.testing``), which takes
the documentation's placeholder key ``YOUR_API_KEY`` like any other; the base URL reaches
both SDKs through ``TWELVELABS_BASE_URL``. None of the programs closes its client.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from official_snippets import IMPORTS, SNIPPETS, migrate

HERE = Path(__file__).parent
SDKS = ["ours", "official"]


@pytest.fixture(scope="module")
def shell_fake() -> Iterator[str]:
    """The shell fake on a free port, with any key accepted; yields its base URL."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "twelvelabs_async.testing",
            "--port",
            "0",
            "--processing-time",
            "0.3",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stdout is not None:
            proc.stdout.close()


_RUNS: dict[str, tuple[dict[str, str], str]] = {}


def run(which: str, url: str) -> tuple[dict[str, str], str]:
    """Run every snippet on one SDK (once per module); return the outcomes and stderr."""
    if which not in _RUNS:
        if which == "official":
            pytest.importorskip("twelvelabs")
        env = {**os.environ, "TWELVELABS_BASE_URL": url}
        env.pop("TWELVELABS_API_KEY", None)
        proc = subprocess.run(
            [sys.executable, str(HERE / "run_snippets.py"), which],
            cwd=HERE,
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        _RUNS[which] = (orjson.loads(proc.stdout.splitlines()[-1]), proc.stderr)
    return _RUNS[which]


@pytest.mark.parametrize("name", sorted(SNIPPETS))
@pytest.mark.parametrize("sdk", SDKS)
def test_snippet_runs(sdk: str, name: str, shell_fake: str) -> None:
    """The snippet runs to its end on this SDK (ours: with only the imports changed)."""
    outcomes, _stderr = run(sdk, shell_fake)
    assert outcomes[name] == "ok", outcomes[name]


def test_our_run_prints_nothing_on_stderr(shell_fake: str) -> None:
    """Clients never closed leave no "Unclosed client session" (nor anything else) behind."""
    _outcomes, stderr = run("ours", shell_fake)
    assert stderr == ""


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_migration_changes_only_imports(name: str) -> None:
    """migrate() touches import lines only: every other line is the official program's."""
    code = SNIPPETS[name]
    migrated = migrate(code)
    assert "twelvelabs_async" in migrated

    def body(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.startswith(("from ", "import "))]

    assert body(migrated) == body(code)
    changed = [line for line in migrated.splitlines() if "twelvelabs_async" in line]
    assert all(line.startswith(tuple(IMPORTS.values())) for line in changed)
