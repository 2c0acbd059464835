"""The command line's argument handling, exit codes for usage errors, ranking and progress lines."""

from __future__ import annotations

import array
import io
from pathlib import Path

import numpy as np
import pytest

from twelvelabs_async.bulk import BulkEvent, BulkItem, Segment
from twelvelabs_async.cli import EXIT_USAGE, main
from twelvelabs_async.cli._common import UsageError
from twelvelabs_async.cli._embed import expand_inputs
from twelvelabs_async.cli._progress import make_progress
from twelvelabs_async.cli._search import Index, load_index, rank


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """A bad flag exits 2 with argparse's message."""
    with pytest.raises(SystemExit) as exc:
        main(["embed", "a.mp4", "--api", "v9"])
    assert exc.value.code == EXIT_USAGE
    assert "invalid choice" in capsys.readouterr().err


def test_missing_api_key_exits_2_and_suggests_fake(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without TWELVELABS_API_KEY and without --fake, embed exits 2 and says what to do."""
    monkeypatch.delenv("TWELVELABS_API_KEY", raising=False)
    (tmp_path / "a.mp4").write_bytes(b"x")
    code = main(["embed", str(tmp_path / "a.mp4"), "--out", str(tmp_path / "o.npz")])
    err = capsys.readouterr().err
    assert code == EXIT_USAGE
    assert "TWELVELABS_API_KEY" in err
    assert "--fake" in err


def test_unknown_output_format_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An output name without a known extension is a usage error, reported before any work."""
    (tmp_path / "a.mp4").write_bytes(b"x")
    code = main(["embed", str(tmp_path / "a.mp4"), "--out", str(tmp_path / "o.csv"), "--fake"])
    assert code == EXIT_USAGE
    assert ".npz, .jsonl or .parquet" in capsys.readouterr().err


def test_directories_expand_to_their_media_files_sorted(tmp_path: Path) -> None:
    """A directory becomes its media files (recursively, sorted); other files are skipped."""
    (tmp_path / "sub").mkdir()
    for name in ("b.mp4", "a.wav", "notes.txt", "sub/c.mov"):
        (tmp_path / name).write_bytes(b"x")
    listing = tmp_path / "list.txt"
    listing.write_text("# a comment\nhttps://cdn.example.com/x.mp4\n\n")
    got = expand_inputs([str(tmp_path)], str(listing))
    names = [Path(p).name for p in got]
    assert names == ["a.wav", "b.mp4", "c.mov", "x.mp4"]


def test_documents_join_a_directory_only_where_marengo_35_takes_them(tmp_path: Path) -> None:
    """With documents on, .pdf, .txt and .md files of a directory are inputs too."""
    for name in ("a.mp4", "b.pdf", "c.txt", "d.md", "e.docx"):
        (tmp_path / name).write_bytes(b"x")
    plain = [Path(p).name for p in expand_inputs([str(tmp_path)], None)]
    with_docs = [Path(p).name for p in expand_inputs([str(tmp_path)], None, documents=True)]
    assert plain == ["a.mp4"]
    assert with_docs == ["a.mp4", "b.pdf", "c.txt", "d.md"]


def test_no_inputs_is_a_usage_error() -> None:
    """An empty input list is refused with a clear message."""
    with pytest.raises(UsageError, match="nothing to embed"):
        expand_inputs([], None)


def _index() -> Index:
    return Index(
        {
            "vectors": np.array([[1, 0], [0, 1], [1, 1]], dtype=np.float32),
            "start_sec": np.array([0.0, 6.0, 12.0]),
            "end_sec": np.array([6.0, 12.0, 18.0]),
            "option": np.array(["visual", "audio", "visual"]),
            "scope": np.array(["clip", "clip", "clip"]),
            "source": np.array(["a.mp4", "a.mp4", "b.mp4"]),
            "model_name": np.array("marengo3.0"),
        }
    )


def test_rank_orders_by_cosine_similarity() -> None:
    """Rows come back best first by cosine similarity, regardless of vector length."""
    ranked = rank(_index(), [2.0, 0.1], top=3)
    assert [row for row, _ in ranked] == [0, 2, 1]
    assert ranked[0][1] == pytest.approx(2.0 / np.hypot(2.0, 0.1), rel=1e-5)


def test_rank_filters_by_option_and_checks_dimensions() -> None:
    """--option keeps matching rows only; a query of another dimension is a usage error."""
    assert [row for row, _ in rank(_index(), [0.0, 1.0], top=5, option="visual")] == [2, 0]
    with pytest.raises(UsageError, match="2-dimensional"):
        rank(_index(), [1.0, 0.0, 0.0], top=1)


def test_load_index_reports_missing_and_foreign_files(tmp_path: Path) -> None:
    """A missing index or an .npz without the expected arrays gives a usage error."""
    with pytest.raises(UsageError, match="does not exist"):
        load_index(str(tmp_path / "none.npz"))
    np.savez(tmp_path / "other.npz", x=np.zeros(2))
    with pytest.raises(UsageError, match="lacks the array"):
        load_index(str(tmp_path / "other.npz"))


def test_plain_progress_prints_outcomes_with_counts() -> None:
    """Without a terminal, progress is one line per created task and per outcome."""
    out = io.StringIO()
    progress = make_progress("auto", 2, out)
    item = BulkItem(0, "a.mp4", "k", "/m/a.mp4", task_id="t1",
                    segments=[Segment(array.array("f", [1.0]))])  # fmt: skip
    progress(BulkEvent("created", 0, "/m/a.mp4", task_id="t1"))
    progress(BulkEvent("done", 0, "/m/a.mp4", item=item))
    progress(BulkEvent("failed", 1, "/m/b.mp4", error=ValueError("broken")))
    lines = out.getvalue().splitlines()
    assert lines == [
        "[0/2] created   a.mp4: task t1",
        "[1/2] done      a.mp4: 1 segments",
        "[2/2] FAILED    b.mp4: broken",
    ]
