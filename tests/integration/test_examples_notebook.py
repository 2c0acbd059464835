"""``examples/quickstart.ipynb`` executed cell by cell with nbclient against its built-in fake."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "quickstart.ipynb"


@pytest.fixture
def kernel_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point Jupyter at a python3 kernelspec running this interpreter, and keep $HOME clean."""
    spec_dir = tmp_path / "jupyter" / "kernels" / "python3"
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (test)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    # JUPYTER_PATH comes first in the search: a user's own python3 kernel cannot win.
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "mpl"))
    # No key: the notebook must start its fake server rather than call the real API.
    monkeypatch.delenv("TWELVELABS_API_KEY", raising=False)
    monkeypatch.delenv("TWELVELABS_BASE_URL", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    return work


def _listdir(path: Path) -> list[str]:
    return sorted(p.name for p in path.iterdir())


def _stdout(cell: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def test_kernel_resolves_to_this_interpreter(kernel_env: Path) -> None:
    """The python3 kernel the notebook names starts the interpreter running the tests."""
    spec = KernelSpecManager().get_kernel_spec("python3")
    assert spec.argv[0] == sys.executable


def test_quickstart_runs_every_cell_against_the_fake(kernel_env: Path) -> None:
    """Every cell runs without error; the fake is announced, watched, plotted and searched."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=60,
        resources={"metadata": {"path": str(kernel_env)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, on any error

    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    setup, watch, segments, plot, query, cleanup = (_stdout(cell) for cell in code)
    assert "FAKE SERVER: TWELVELABS_API_KEY is not set" in setup
    match = re.search(r"task \S+: ready after (\d+) status reads", watch)
    assert match, watch
    # processing_time 3 s polled every 0.5 s: the callback saw the task before it was ready.
    assert int(match.group(1)) >= 2
    assert "8 clips, 512 dimensions each" in segments
    # The drawing branch ran (the fallback test shows the message when matplotlib is absent).
    assert "matplotlib is not installed" not in plot
    best = re.search(r"best match: ([-+.\d]+) for 'goal', ([-+.\d]+) for the cat", query)
    assert best, query
    assert float(best.group(1)) > float(best.group(2)) + 0.3
    assert cleanup.strip() == "closed"
    assert _listdir(kernel_env) == []  # the notebook leaves no file behind in its folder


def test_quickstart_without_matplotlib_or_tqdm_prints_instead(
    kernel_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the optional extras every cell runs: status lines print, the plot is skipped."""
    hidden = tmp_path / "hidden"
    for name in ("matplotlib", "tqdm"):
        (hidden / name).mkdir(parents=True)
        (hidden / name / "__init__.py").write_text(
            f"raise ImportError('{name} hidden by the test')"
        )
    monkeypatch.setenv("PYTHONPATH", str(hidden))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        nb, kernel_name="python3", timeout=60, resources={"metadata": {"path": str(kernel_env)}}
    )
    client.execute()

    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    watch, plot = _stdout(code[1]), _stdout(code[3])
    assert re.search(r"^\s+\d+\.\d s  processing$", watch, re.MULTILINE), watch
    assert re.search(r"^\s+\d+\.\d s  ready$", watch, re.MULTILINE), watch
    assert all(o.output_type == "stream" for o in code[1].outputs)  # no widget was made
    assert "matplotlib is not installed" in plot


def test_committed_notebook_has_no_outputs() -> None:
    """The notebook in git carries no outputs or execution counts (clean diffs, no stale data)."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == []
            assert cell.execution_count is None
