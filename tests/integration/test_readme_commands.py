"""Every shell command README.md prints runs as printed, in a fresh folder, against the fake.

The commands are the lines of the README's ``bash`` blocks and the command column of its
examples table, in the order a reader meets them. They run with ``bash`` in a temporary
folder that holds only links to what a clone provides (``.venv``, ``examples/``, the
``Makefile`` and ``pyproject.toml``), with no ``TWELVELABS_*`` variable set, the venv's
``bin`` first on ``PATH``. Each must exit 0, except:

* those in :data:`NOT_RUN`, with the reason;
* servers (:data:`SERVERS`), which run until stopped: each must print that it is ready,
  answer, and exit 0 on SIGTERM with nothing on stderr.

A command added to the README is run by default: this test fails until it works.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"

#: Commands not run here, and why. Matched by prefix.
NOT_RUN = {
    "make test": "the whole suite, which runs this test",
    "pip install": "installs into the running environment",
    "python -m pip wheel": "builds from the checkout; the wheel is an installation step",
}
#: Servers, by prefix, with the line that says they are ready.
SERVERS = {
    "python -m twelvelabs_async.testing": "http://127.0.0.1:",
    ".venv/bin/python examples/web_app.py": "Serving on ",
}
_BASH = re.compile(r"^```bash\n(.*?)^```", re.S | re.M)
_SPAN = re.compile(r"`([^`]+)`")


def _strip_comment(line: str) -> str:
    return re.split(r"\s+#\s", line, maxsplit=1)[0].strip()


def readme_commands() -> list[str]:
    """The commands of the README's bash blocks and examples table, in reading order."""
    text = README.read_text(encoding="utf-8")
    found: list[tuple[int, str]] = []
    for block in _BASH.finditer(text):
        for line in block.group(1).splitlines():
            command = _strip_comment(line)
            if command:
                found.append((block.start(), command))
    table = text.split("\n## Examples\n", 1)[1].split("\n## ", 1)[0]
    offset = text.index(table)
    for row in table.splitlines():
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[2] != "command" and not set(cells[2]) <= {"-"}:
            for span in _SPAN.findall(cells[2]):
                found.append((text.index(row, offset), span))
    return [command for _, command in sorted(found, key=lambda f: f[0])]


def _folder(tmp_path: Path) -> Path:
    # What `make check` reads too (the package, the tests and the spec), so that it runs here
    # as printed.
    for name in ("examples", "Makefile", "pyproject.toml", "twelvelabs_async", "tests"):
        (tmp_path / name).symlink_to(REPO / name)
    (tmp_path / ".venv").symlink_to(Path(sys.prefix))
    # A checkout is a git repository (`pre-commit install` writes its hook there).
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return tmp_path


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWELVELABS_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def _run_server(command: str, ready: str, cwd: Path) -> str | None:
    """Start a server command, check it answers, stop it; return why it was not run."""
    proc = subprocess.Popen(
        ["bash", "-c", f"exec {command}"], cwd=cwd, env=_env(), text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout is not None
    try:
        line = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line or ready in line:
                break
        if ready not in line:
            _, err = proc.communicate(timeout=30)
            if "address already in use" in err.lower():
                return "its port is in use on this machine"
            pytest.fail(f"{command!r} never said {ready!r}; stderr:\n{err}")
        url = re.search(r"http://\S+", line)
        assert url is not None, line
        base = url.group(0).rstrip("/")
        target = f"{base}/search?q=goal" if "web_app" in command else f"{base}/embed/tasks"
        request = urllib.request.Request(target, headers={"x-api-key": "tlk_fake_test_key"})
        with urllib.request.urlopen(request, timeout=30) as resp:
            assert resp.status == 200, target
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.returncode is None:
            proc.kill()
            proc.wait()
    # The fake server's own command line stops on SIGTERM the default way.
    assert proc.returncode in (0, -signal.SIGTERM), (command, err)
    assert err == "", (command, err)
    return None


def test_readme_prints_the_commands_a_reader_needs() -> None:
    """The README's commands cover the samples, embed, search, the examples and the fake."""
    commands = readme_commands()
    for needed in (
        "python -m twelvelabs_async demo --samples samples",
        "python -m twelvelabs_async search",
        ".venv/bin/python examples/bulk_embed.py",
        ".venv/bin/jupyter execute examples/quickstart.ipynb",
        "python -m twelvelabs_async.testing",
    ):
        assert any(c.startswith(needed) for c in commands), needed
    first_sample_use = min(i for i, c in enumerate(commands) if "samples" in c)
    assert commands[first_sample_use].endswith("demo --samples samples")


def test_every_readme_command_runs_as_printed(tmp_path: Path) -> None:
    """Each README command exits 0 in a fresh folder without a key (servers stop cleanly)."""
    cwd = _folder(tmp_path)
    stamp = subprocess.run(
        ["make", "-q", ".venv/.installed-stamp"], cwd=cwd, env=_env(), check=False
    )
    if stamp.returncode != 0:
        pytest.fail("the venv is older than pyproject.toml: run `make venv` first")
    not_run: list[str] = []
    for command in readme_commands():
        reason = next((why for p, why in NOT_RUN.items() if command.startswith(p)), None)
        if reason is not None:
            not_run.append(f"{command}: {reason}")
            continue
        ready = next((r for p, r in SERVERS.items() if command.startswith(p)), None)
        if ready is not None:
            skipped = _run_server(command, ready, cwd)
            if skipped:
                not_run.append(f"{command}: {skipped}")
            continue
        result = subprocess.run(
            ["bash", "-c", command], cwd=cwd, env=_env(), capture_output=True, text=True,
            timeout=300, check=False,
        )  # fmt: skip
        assert result.returncode == 0, (
            f"README command failed ({result.returncode}): {command}\n"
            f"stdout:\n{result.stdout[-2000:]}\nstderr:\n{result.stderr[-2000:]}"
        )
    assert len(not_run) <= len(NOT_RUN) + len(SERVERS) + 4, not_run


def test_install_commands_install_from_a_checkout_or_a_wheel() -> None:
    """The install commands name a path or wheel (the package is not on an index yet), with
    extras that exist and the wheel name the build makes; the index form is for later."""
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    version = re.search(
        r'__version__ = "([^"]+)"', (REPO / "twelvelabs_async" / "_version.py").read_text()
    )
    assert version is not None
    installs = [c for c in readme_commands() if c.startswith("pip install")]
    assert installs
    for command in installs:
        target = command.removeprefix("pip install ").strip("'")
        assert target.startswith(".") or " @ file://" in target, command
        extras = re.search(r"\[([^\]]+)\]", target)
        for extra in extras.group(1).split(",") if extras else []:
            assert extra in project["optional-dependencies"], (command, extra)
        if target.endswith(".whl"):
            wheel = f"{project['name'].replace('-', '_')}-{version.group(1)}-py3-none-any.whl"
            assert target.endswith("/" + wheel), (command, wheel)
    text = README.read_text(encoding="utf-8")
    assert "not on PyPI yet" in text
    assert "Once\nthe package is published" in text or "Once the package is published" in text
