"""Hidden temporary outputs left behind by killed jobs, and their removal.

A writer builds its output in ``.NAME.PID.tmp`` next to the target and renames it into
place at the end (see :mod:`twelvelabs_async.bulk._writers`). A job killed with SIGKILL
cannot remove that file, and it can be as large as the output. A new job removes the
temporaries of processes that no longer run; a temporary of a live process (another job
writing the same output) is left alone.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

__all__ = ["cleanup_stale_temporaries", "temporary_path"]

_log = logging.getLogger("twelvelabs_async.bulk")


def temporary_path(path: str | os.PathLike[str], pid: int | None = None) -> Path:
    """Return the hidden temporary file of ``path`` for process ``pid`` (default: this one)."""
    target = Path(path)
    return target.with_name(f".{target.name}.{os.getpid() if pid is None else pid}.tmp")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        # It exists but belongs to someone else, or the platform cannot tell: keep it.
        return True
    return True


def cleanup_stale_temporaries(path: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporaries of ``path`` whose writing process is gone.

    Args:
        path: the output file of a job.

    Returns:
        The files removed (empty when there were none, or the folder cannot be listed).
    """
    target = Path(path)
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(\d+)\.tmp$")
    try:
        candidates = list(target.parent.iterdir()) if target.parent.is_dir() else []
    except OSError:
        return []
    removed = []
    for candidate in candidates:
        match = pattern.match(candidate.name)
        if match is None or _alive(int(match.group(1))):
            continue
        try:
            candidate.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            _log.warning("cannot remove the stale temporary %s: %s", candidate, exc)
            continue
        _log.info("removed %s, left behind by a job that no longer runs", candidate)
        removed.append(candidate)
    return removed
