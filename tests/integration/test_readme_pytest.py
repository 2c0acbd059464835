"""The README's pytest example passes in a project of its own, with a plain pytest setup.

pytest-asyncio's default mode is strict: without the ``asyncio`` marker the README showed
once, an async test using the fixtures fails with "async def functions are not natively
supported". Here the README's conftest line and test are written into a temporary project
with an empty ``[pytest]`` configuration and run by pytest in a subprocess.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parents[2] / "README.md"


def _block(containing: str, language: str = "python") -> str:
    text = README.read_text(encoding="utf-8")
    pattern = re.compile(rf"^```{language}\n(.*?)^```", re.S | re.M)
    blocks: list[str] = [b for b in pattern.findall(text) if containing in b]
    assert len(blocks) == 1, f"expected one README python block with {containing!r}"
    return blocks[0]


def _pytest(
    project: Path, config: str, *, marked: bool = True, name: str = "pytest.ini"
) -> subprocess.CompletedProcess[str]:
    test = _block("fake_twelvelabs_client")
    if not marked:
        test = test.replace("@pytest.mark.asyncio\n", "")
    (project / name).write_text(config, encoding="utf-8")
    (project / "conftest.py").write_text(_block("pytest_plugins"), encoding="utf-8")
    (project / "test_readme_example.py").write_text(test, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWELVELABS_", "PYTEST_"))}
    # The plugin is opt-in: the README's conftest line alone is what loads it here.
    args = ["-q", "-p", "no:cacheprovider"]
    if name == "pyproject.toml":  # the README's full settings: not even a warning
        args += ["-W", "error"]
    return subprocess.run(
        [sys.executable, "-m", "pytest", *args],
        cwd=project, env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip


def test_the_documented_marker_form_passes_in_strict_mode(tmp_path: Path) -> None:
    """With an empty [pytest] section (strict mode), the README's marked test passes."""
    result = _pytest(tmp_path, "[pytest]\n")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_the_documented_auto_mode_passes_without_the_marker(tmp_path: Path) -> None:
    """With the README's pyproject settings (auto mode), the unmarked test passes, warning-free."""
    config = _block("asyncio_mode", "toml")
    result = _pytest(tmp_path, config, marked=False, name="pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_without_the_marker_strict_mode_fails_as_the_readme_warns(tmp_path: Path) -> None:
    """The marker is what makes it pass: strict mode without it fails (the README's reason)."""
    result = _pytest(tmp_path, "[pytest]\n", marked=False)
    assert result.returncode == 1
    assert "async def functions are not natively supported" in result.stdout
