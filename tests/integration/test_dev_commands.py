"""The README's Contributing commands do what it says, run as printed."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_BLOCK = re.compile(r"^## Contributing\n.*?^```bash\n(.*?)^```", re.S | re.M)


def _commands() -> list[str]:
    """The Contributing section's shell commands, without their comments."""
    match = _BLOCK.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert match, "README.md has no Contributing section with a bash block"
    return [line.split("#", 1)[0].strip() for line in match.group(1).splitlines()]


def _dry_run(target: str) -> str:
    """What ``make TARGET`` would run, without running it."""
    done = subprocess.run(
        ["make", "-n", target], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout


def test_readme_prints_the_three_commands() -> None:
    """Contributing names make check, make test and the pre-commit install line."""
    assert _commands() == ["make check", "make test", ".venv/bin/pre-commit install"]


def test_make_check_lints_types_and_runs_the_unit_tests() -> None:
    """make check runs ruff, mypy --strict on the package and the tests, then tests/unit."""
    steps = _dry_run("check")
    for step in (
        ".venv/bin/ruff check .",
        ".venv/bin/ruff format --check .",
        ".venv/bin/mypy --strict twelvelabs_async tests",
    ):
        assert step in steps
    assert re.search(r"^\.venv/bin/python -m pytest .*tests/unit$", steps, re.M), steps


def test_make_test_keeps_every_ci_step_and_measures_coverage() -> None:
    """make test still runs spec, gen-check, lint, type and the whole suite, under coverage."""
    steps = _dry_run("test")
    for step in (
        "openapi-spec-validator openapi/embed.yaml",
        "codegen/generate.py --check",
        ".venv/bin/ruff check .",
        ".venv/bin/mypy --strict twelvelabs_async tests",
        '.venv/bin/python -m coverage run -m pytest -m "not slow"',
        ".venv/bin/python -m coverage report",
        ".venv/bin/python -m pytest -m slow",
    ):
        assert step in steps


def test_pre_commit_install_as_printed_sets_up_the_hook(tmp_path: Path) -> None:
    """`.venv/bin/pre-commit install`, run in a checkout, writes the git pre-commit hook."""
    (command,) = [c for c in _commands() if "pre-commit" in c]
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True, timeout=30)
    (tmp_path / ".pre-commit-config.yaml").write_bytes(
        (ROOT / ".pre-commit-config.yaml").read_bytes()
    )
    (tmp_path / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    done = subprocess.run(
        shlex.split(command), cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    hook = tmp_path / ".git" / "hooks" / "pre-commit"
    assert "pre-commit" in hook.read_text(encoding="utf-8")


def test_readme_states_the_coverage_floor_of_pyproject() -> None:
    """The floor the README quotes is fail_under in pyproject.toml, so the two cannot drift."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    floor = pyproject["tool"]["coverage"]["report"]["fail_under"]
    assert f"(now {floor}%)" in (ROOT / "README.md").read_text(encoding="utf-8")
