"""The pre-commit hooks run the tools, versions and commands that the project pins."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
RUFF_REPO = "https://github.com/astral-sh/ruff-pre-commit"


def _config() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _repo(url: str) -> dict[str, Any]:
    (repo,) = [r for r in _config()["repos"] if r["repo"] == url]
    assert isinstance(repo, dict)
    return repo


def _hooks(url: str) -> dict[str, dict[str, Any]]:
    return {hook["id"]: hook for hook in _repo(url)["hooks"]}


def _dev_pin(name: str) -> str:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    dev: list[str] = pyproject["project"]["optional-dependencies"]["dev"]
    (pin,) = [d for d in dev if re.match(rf"{name}\s*==", d)]
    return pin.split("==", 1)[1].strip()


def _make_recipe(target: str) -> list[str]:
    """The command lines of a Makefile target, with the venv's bin folder spelled out."""
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    start = lines.index(next(line for line in lines if line.startswith(f"{target}:")))
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip().replace("$(BIN)", ".venv/bin"))
    return recipe


def test_ruff_hook_rev_is_the_ruff_pinned_for_development() -> None:
    """The ruff hooks run the same ruff version as `make lint` (the dev extra's pin)."""
    assert _repo(RUFF_REPO)["rev"] == "v" + _dev_pin("ruff")


def test_ruff_hooks_fix_then_format() -> None:
    """ruff check runs with --fix, and before ruff format so that fixes get formatted."""
    hooks = _hooks(RUFF_REPO)
    assert list(hooks) == ["ruff-check", "ruff-format"]
    assert hooks["ruff-check"]["args"] == ["--fix"]


def test_mypy_hook_is_make_type_from_the_project_venv() -> None:
    """mypy runs from .venv with the exact command of `make type`, so it needs no download."""
    mypy = _hooks("local")["mypy"]
    assert mypy["language"] == "system"
    assert mypy["pass_filenames"] is False
    assert mypy["entry"] == ".venv/bin/mypy --strict twelvelabs_async tests"
    assert _make_recipe("type") == [mypy["entry"]]
