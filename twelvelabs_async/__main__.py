"""``python -m twelvelabs_async``: the command line (see :mod:`twelvelabs_async.cli`)."""

from __future__ import annotations

import sys

from twelvelabs_async.cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
