"""Run every snippet in one process and print one JSON line of outcomes.

Usage: ``python run_snippets.py official|ours`` with ``TWELVELABS_BASE_URL`` set. ``ours``
runs each snippet after :func:`official_snippets.migrate`; ``official`` runs it as written.
Each snippet is a whole program (it calls ``asyncio.run`` itself) in a fresh namespace.
"""

from __future__ import annotations

import contextlib
import io
import sys
import traceback

import orjson
from official_snippets import SNIPPETS, migrate


def main(which: str) -> int:
    """Run the snippets; print ``{name: "ok" | traceback}`` as JSON."""
    outcomes: dict[str, str] = {}
    for name, code in SNIPPETS.items():
        source = migrate(code) if which == "ours" else code
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                exec(compile(source, f"<{name}>", "exec"), {"__name__": "__main__"})
        # BaseException: a snippet's SystemExit is an outcome to report, like any error.
        except BaseException:
            outcomes[name] = traceback.format_exc()
        else:
            outcomes[name] = "ok"
    sys.stdout.write(orjson.dumps(outcomes).decode() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
