"""The commands of the README's "Search what you embedded" section run exactly as printed."""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import sys
from pathlib import Path

import pytest

from twelvelabs_async.testing import FakeTwelveLabsServer

pytest.importorskip("lancedb")
pytest.importorskip("milvus_lite")
pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parents[2] / "README.md"


def _section_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Search what you embedded", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^```bash\n(.*?)^```", section, re.S | re.M)
    return [line for block in blocks for line in block.splitlines() if line.startswith("python ")]


def test_section_prints_the_store_commands() -> None:
    """The section shows embed into and search over both stores (so the run below is not empty)."""
    commands = _section_commands()
    assert len(commands) == 4
    assert any("--out vectors.lance" in c for c in commands)
    assert any("--where" in c and "milvus://" in c for c in commands)


async def test_store_commands_run_as_printed(tmp_path: Path) -> None:
    """Each printed command succeeds against a fake server; each search finds goal.mp4 first."""
    videos = tmp_path / "samples"  # the folder the README's commands name
    videos.mkdir()
    for name in ("goal", "crowd", "kickoff"):
        (videos / f"{name}.mp4").write_bytes(b"\0\0\0\x18ftypisom" + name.encode() * 512)
    async with FakeTwelveLabsServer(processing_time=0) as server:
        env = dict(os.environ)
        env.update(TWELVELABS_API_KEY=server.api_key, TWELVELABS_BASE_URL=server.base_url)
        for command in _section_commands():
            argv = shlex.split(command)
            assert argv[:3] == ["python", "-m", "twelvelabs_async"]
            proc = await asyncio.create_subprocess_exec(
                sys.executable, *argv[1:], cwd=tmp_path, env=env,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )  # fmt: skip
            stdout, stderr = await proc.communicate()
            assert proc.returncode == 0, f"{command}\n{stdout.decode()}\n{stderr.decode()}"
            if argv[3] == "search":
                lines = stdout.decode().splitlines()
                assert lines[0].startswith("Top 5 of 45 segments")
                assert all("goal.mp4" in line and "/clip" in line for line in lines[1:6])
