"""Import time of the package against the official ``twelvelabs`` package.

Each sample is a fresh interpreter that times its own import with ``time.perf_counter()``
(interpreter start-up excluded), alternating between the packages. Two statements each:

* bare import: ``from twelvelabs_async import AsyncTwelveLabs`` against
  ``from twelvelabs import AsyncTwelveLabs``;
* ready to call: the same plus ``AsyncTwelveLabs(...).embed.tasks`` (our resources and
  models load on first use; the official client loads everything at import).

Goal: ours <= half the official package's time (bare import). When missed, run
``python -X importtime -c "import twelvelabs_async"`` to see which modules cost most.

Run: ``.venv/bin/python benchmarks/import_time.py [--runs N]``
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from _harness import Row, Sample, python_env, quick_mode, render, rotate

_TIMER = "import time; _t = time.perf_counter(); {stmt}; print(repr(time.perf_counter() - _t))"
STATEMENTS = {
    "import": {
        "ours": "from twelvelabs_async import AsyncTwelveLabs",
        "official": "from twelvelabs import AsyncTwelveLabs",
    },
    "ready": {
        "ours": "from twelvelabs_async import AsyncTwelveLabs; "
        "AsyncTwelveLabs('k', base_url='http://127.0.0.1:9/v1.3').embed.tasks",
        "official": "from twelvelabs import AsyncTwelveLabs; "
        "AsyncTwelveLabs(api_key='k', base_url='http://127.0.0.1:9/v1.3').embed.tasks",
    },
}


def _sample(stmt: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", _TIMER.format(stmt=stmt)],
        capture_output=True,
        text=True,
        env=python_env(),
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1]) * 1e3


def run(runs: int | None = None) -> list[Row]:
    """Measure and return the table rows (milliseconds)."""
    runs = runs or (3 if quick_mode() else 11)
    rows = []
    for kind, stmts in STATEMENTS.items():
        ms = {name: Sample() for name in stmts}
        for name in stmts:  # warm the file-system cache and .pyc files first
            _sample(stmts[name])
        for i in range(runs):
            for name in rotate(list(stmts), i):
                ms[name].add(_sample(stmts[name]))
        share = ms["ours"].median / ms["official"].median
        rows.append(
            Row(
                "import time",
                f"{kind} ms",
                ms["ours"],
                ms["official"],
                ratio=share,
                ratio_text=f"ours/official {share:.2f}",
                goal="ours <= 0.5x official" if kind == "import" else "",
                met=share <= 0.5 if kind == "import" else None,
            )
        )
    return rows


def main() -> None:
    """Parse arguments, measure and print the table."""
    parser = argparse.ArgumentParser(description="import time benchmark")
    parser.add_argument("--runs", type=int, default=None)
    args = parser.parse_args()
    print(render(run(args.runs)))


if __name__ == "__main__":
    main()
