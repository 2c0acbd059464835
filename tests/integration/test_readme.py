"""Every ``python`` snippet in README.md runs, as written, against the fake server.

The snippets use top-level ``await`` (as in a notebook), so each is compiled with
``PyCF_ALLOW_TOP_LEVEL_AWAIT`` and awaited here, in a folder holding the sample media the
snippets name, with the environment pointing the client at a fake server.
"""

from __future__ import annotations

import ast
import re
import wave
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


def _write_samples(folder: Path) -> None:
    (folder / "match.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 4096)
    with wave.open(str(folder / "anthem.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x00" * 8000)
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 1024)


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
    ):
        assert call in joined, f"no README example calls {call}"


# The older-SDK section shows the deprecated spellings on purpose.
@pytest.mark.filterwarnings("ignore:client.embed.task:DeprecationWarning")
@pytest.mark.parametrize(("where", "source"), _snippets(), ids=[w for w, _ in _snippets()])
async def test_readme_snippet_runs(
    where: str, source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README snippet runs to the end without an error against the fake server."""
    _write_samples(tmp_path)
    monkeypatch.chdir(tmp_path)
    async with FakeTwelveLabsServer(processing_time=0.2, default_duration=30.0) as server:
        monkeypatch.setenv("TWELVELABS_API_KEY", server.api_key)
        monkeypatch.setenv("TWELVELABS_BASE_URL", server.base_url)
        code: CodeType = compile(source, where, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        namespace: dict[str, Any] = {"__name__": "__readme__"}
        result = eval(code, namespace)  # top-level await makes this a coroutine
        if result is not None:
            await result
