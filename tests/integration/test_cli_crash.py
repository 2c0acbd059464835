"""The ``embed`` command killed mid-job (SIGKILL, SIGINT, SIGTERM) and started again."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import orjson
import pytest

from twelvelabs_async.testing import FakeTwelveLabsServer

pytestmark = pytest.mark.slow


def _files(root: Path, n: int) -> list[str]:
    root.mkdir()
    for i in range(n):
        (root / f"take{i:02d}.mp4").write_bytes(b"\0\0\0\x18ftypisom" + bytes([i]) * 2048)
    return [str(root)]


def _count(journal: Path, kind: str) -> int:
    if not journal.exists():
        return 0
    return sum(
        1 for line in journal.read_bytes().splitlines() if f'"type":"{kind}"'.encode() in line
    )


async def _start(server: FakeTwelveLabsServer, args: list[str]) -> asyncio.subprocess.Process:
    env = dict(os.environ)
    env.update(TWELVELABS_API_KEY=server.api_key, TWELVELABS_BASE_URL=server.base_url)
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "twelvelabs_async", "embed", *args,
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def _wait_for(journal: Path, kind: str, count: int, proc: asyncio.subprocess.Process) -> None:
    for _ in range(1200):  # a guard against hanging, not a speed requirement
        if _count(journal, kind) >= count:
            return
        if proc.returncode is not None:
            raise AssertionError(f"the job ended (rc {proc.returncode}) before {count} {kind}")
        await asyncio.sleep(0.05)
    raise AssertionError(f"the journal never reached {count} {kind!r} records")


async def test_sigkill_twice_then_resume_creates_nothing_twice(tmp_path: Path) -> None:
    """Killed twice with SIGKILL, the rerun ends with every result and one task per file."""
    inputs = _files(tmp_path / "media", 30)
    journal, out = tmp_path / "job.jsonl", tmp_path / "out.npz"
    args = [*inputs, "--out", str(out), "--journal", str(journal), "--concurrency", "4",
            "--poll-interval", "0.1", "--progress", "plain"]  # fmt: skip
    async with FakeTwelveLabsServer(processing_time=1.0) as server:
        server.faults.latency(0.05, endpoints=["embed.tasks.create"])
        for kill_after in (4, 14):
            proc = await _start(server, args)
            await _wait_for(journal, "created", kill_after, proc)
            proc.send_signal(signal.SIGKILL)
            await proc.communicate()
            assert proc.returncode == -signal.SIGKILL
        proc = await _start(server, args)
        stdout, stderr = await proc.communicate()
    assert proc.returncode == 0, stderr.decode()
    assert not out.with_name(f".{out.name}.{proc.pid}.tmp").exists()
    per_file = Counter(
        r.files[0].filename for r in server.requests_to("embed.tasks.create") if r.task_created
    )
    assert len(per_file) == 30
    assert set(per_file.values()) == {1}
    with np.load(out) as data:
        assert sorted(set(data["input_index"].tolist())) == list(range(30))
        assert len({os.path.basename(s) for s in data["source"]}) == 30
    assert "30 embedded, 0 failed" in stdout.decode()
    assert server.api_key not in stdout.decode() + stderr.decode()


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
async def test_interrupt_exits_with_its_code_and_a_consistent_journal(
    tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    """SIGINT exits 130 and SIGTERM 143; the journal reads back whole and the rerun finishes."""
    inputs = _files(tmp_path / "media", 10)
    journal, out = tmp_path / "job.jsonl", tmp_path / "out.npz"
    args = [*inputs, "--out", str(out), "--journal", str(journal), "--poll-interval", "0.1",
            "--progress", "none"]  # fmt: skip
    async with FakeTwelveLabsServer(processing_time=2.0) as server:
        proc = await _start(server, args)
        await _wait_for(journal, "created", 3, proc)
        proc.send_signal(sig)
        _, stderr = await proc.communicate()
        assert proc.returncode == code, stderr.decode()
        assert b"run the same command again" in stderr.lower()
        assert journal.read_bytes().endswith(b"\n")
        assert all(orjson.loads(line) for line in journal.read_bytes().splitlines())
        assert not out.exists()
        server.state.advance(5)
        proc = await _start(server, args)
        _, stderr = await proc.communicate()
    assert proc.returncode == 0, stderr.decode()
    assert len(server.created_task_ids) == 10
