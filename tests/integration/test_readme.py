"""Every ``python`` snippet in README.md runs, as written, against the fake server.

The snippets use top-level ``await`` (as in a notebook), so each is compiled with
``PyCF_ALLOW_TOP_LEVEL_AWAIT`` and awaited here, with the environment pointing the client at
a fake server, in a folder holding only what the README tells a reader to make: the
``samples/`` written by ``python -m twelvelabs_async demo --samples samples``.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import CodeType
from typing import Any

import pytest

from twelvelabs_async.testing import FakeTwelveLabsServer

README = Path(__file__).resolve().parents[2] / "README.md"
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def _snippets() -> list[tuple[str, str]]:
    text = README.read_text(encoding="utf-8")
    out = []
    for match in _BLOCK.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        out.append((f"README.md:{line}", match.group(1)))
    return out


SAMPLES_COMMAND = "python -m twelvelabs_async demo --samples samples"


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the README's samples command writes, made by running that command."""
    assert f"```bash\n{SAMPLES_COMMAND}\n```" in README.read_text(encoding="utf-8")
    folder = tmp_path_factory.mktemp("readme-samples")
    subprocess.run(
        [sys.executable, *SAMPLES_COMMAND.split()[1:]], cwd=folder, check=True,
        capture_output=True, timeout=120,
    )  # fmt: skip
    return folder / "samples"


def test_readme_has_snippets() -> None:
    """The README keeps runnable examples for the endpoints (so this test cannot pass empty)."""
    joined = "\n".join(src for _, src in _snippets())
    assert len(_snippets()) >= 8
    for call in (
        "client.embed.create(",
        "client.embed.tasks.create(",
        "client.embed.tasks.status(",
        "client.embed.tasks.retrieve(",
        "client.embed.tasks.list(",
        "client.embed.tasks.wait_for_done(",
        "client.embed.v2.create(",
        "client.embed.v2.tasks.create(",
        "client.embed.v2.tasks.retrieve(",
        "client.embed.v2.tasks.list(",
        "client.embed.v2.tasks.wait_for_done(",
        "client.embed.v2.embed_text(",
    ):
        assert call in joined, f"no README example calls {call}"


# The older-SDK section shows the deprecated spellings on purpose.
@pytest.mark.filterwarnings("ignore:client.embed.task:DeprecationWarning")
@pytest.mark.parametrize(("where", "source"), _snippets(), ids=[w for w, _ in _snippets()])
async def test_readme_snippet_runs(
    where: str, source: str, samples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README snippet runs to the end without an error against the fake server."""
    shutil.copytree(samples, tmp_path / "samples")
    monkeypatch.chdir(tmp_path)
    async with FakeTwelveLabsServer(processing_time=0.2, default_duration=30.0) as server:
        monkeypatch.setenv("TWELVELABS_API_KEY", server.api_key)
        monkeypatch.setenv("TWELVELABS_BASE_URL", server.base_url)
        code: CodeType = compile(source, where, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        namespace: dict[str, Any] = {"__name__": "__readme__"}
        result = eval(code, namespace)  # top-level await makes this a coroutine
        if result is not None:
            await result
