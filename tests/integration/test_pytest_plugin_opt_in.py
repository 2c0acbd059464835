"""The pytest plugin is opt-in: a plain run of another project never loads it; both documented
ways of enabling it work."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
PLUGIN = "twelvelabs_async.testing.pytest_plugin"

UNRELATED_TEST = """
import sys


def test_nothing_of_the_sdk_is_loaded(request):
    names = [name for name, _ in request.config.pluginmanager.list_name_plugin()]
    assert not [n for n in names if "twelvelabs" in str(n)], names
    assert not [m for m in sys.modules if m.startswith("twelvelabs_async")]
"""

FIXTURE_TEST = """
from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async.testing import FakeTwelveLabsServer


async def test_fixtures(fake_twelvelabs, fake_twelvelabs_client, twelvelabs_no_sleep):
    assert isinstance(fake_twelvelabs, FakeTwelveLabsServer)
    assert isinstance(fake_twelvelabs_client, AsyncTwelveLabs)
    assert twelvelabs_no_sleep.active
"""


def _project(folder: Path, **files: str) -> Path:
    """A minimal project of its own (own rootdir and ini), unrelated to this repository."""
    folder.mkdir()
    (folder / "pyproject.toml").write_text(
        "[tool.pytest.ini_options]\n"
        'asyncio_mode = "auto"\n'
        'asyncio_default_fixture_loop_scope = "function"\n'
        'filterwarnings = ["error"]\n'
    )
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def _pytest(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _readme_command() -> list[str]:
    found = re.findall(r"`(pytest -p [^`]+)`", README.read_text(encoding="utf-8"))
    assert found, "the README no longer shows how to enable the plugin on the command line"
    return shlex.split(found[0])


def test_plain_run_of_another_project_does_not_load_the_plugin(tmp_path: Path) -> None:
    """With the SDK installed, an unrelated project's pytest run loads none of it."""
    project = _project(tmp_path / "other", **{"test_other.py": UNRELATED_TEST})
    run = _pytest(project)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout


def test_without_opt_in_the_fixtures_are_absent(tmp_path: Path) -> None:
    """Asking for the fixtures without enabling the plugin fails with pytest's own error."""
    project = _project(tmp_path / "other", **{"test_fix.py": FIXTURE_TEST})
    run = _pytest(project)
    assert run.returncode != 0
    assert "fixture 'fake_twelvelabs' not found" in run.stdout


def test_the_readme_command_line_opt_in_works(tmp_path: Path) -> None:
    """The command the README prints (pytest -p ...) enables the fixtures."""
    command = _readme_command()
    assert command[:3] == ["pytest", "-p", PLUGIN]
    project = _project(tmp_path / "cli", **{"test_fix.py": FIXTURE_TEST})
    # ``python -m pytest`` is the ``pytest`` script of this interpreter.
    run = _pytest(project, *command[1:])
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout


def test_the_conftest_line_opt_in_works(tmp_path: Path) -> None:
    """The conftest.py line the README shows enables the fixtures."""
    text = README.read_text(encoding="utf-8")
    line = f'pytest_plugins = ["{PLUGIN}"]'
    assert line in text
    project = _project(
        tmp_path / "conftest", **{"conftest.py": line + "\n", "test_fix.py": FIXTURE_TEST}
    )
    run = _pytest(project)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout
