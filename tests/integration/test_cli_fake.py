"""``embed`` and ``search`` with ``--fake``: exit codes, outputs, summaries."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from twelvelabs_async._samples import make_samples
from twelvelabs_async.cli import EXIT_OK, EXIT_SOME_FAILED, main


def test_embed_then_search_with_the_fake(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """embed writes every sample to the index (exit 0); search ranks the named file first."""
    make_samples(tmp_path / "media")
    out = tmp_path / "out.npz"
    code = main(
        ["embed", str(tmp_path / "media"), "--out", str(out), "--fake", "--progress", "none"]
    )
    captured = capsys.readouterr()
    assert code == EXIT_OK, captured.err
    assert "6 inputs: 6 embedded, 0 failed" in captured.out
    assert (tmp_path / "out.npz.journal.jsonl").exists()
    with np.load(out) as data:
        assert len(set(data["input_index"].tolist())) == 6
    code = main(["search", "--index", str(out), "penalty", "--top", "3", "--fake"])
    lines = capsys.readouterr().out.splitlines()
    assert code == EXIT_OK
    assert lines[0].startswith("Top 3 of")
    assert "penalty.mp4" in lines[1]


def test_some_inputs_failing_exits_1_and_lists_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing file fails alone: the others are embedded, the summary names it, exit 1."""
    (video,) = make_samples(tmp_path, videos=True)[:1]
    code = main(["embed", str(video), str(tmp_path / "missing.mp4"), "--out",
                 str(tmp_path / "o.jsonl"), "--fake", "--progress", "plain"])  # fmt: skip
    captured = capsys.readouterr()
    assert code == EXIT_SOME_FAILED
    assert "1 embedded, 1 failed" in captured.out
    assert "missing.mp4" in captured.out
    assert (tmp_path / "o.jsonl").read_bytes().count(b"\n") > 0
