"""The command line: ``python -m twelvelabs_async {embed,search,demo}`` (or ``twelvelabs-async``).

Examples::

    python -m twelvelabs_async embed videos/ https://cdn.example.com/a.mp4 \\
        --model marengo3.0 --out out.npz --concurrency 8 --journal job.jsonl
    python -m twelvelabs_async search --index out.npz "a goal in the last minute" --top 5
    python -m twelvelabs_async demo

Exit codes, the same for every subcommand: 0 everything done; 1 some inputs failed
(listed in the summary) or an API request failed (no connection, a server error); 2 usage
or configuration error (bad option, no API key, locked or foreign journal, missing extra);
3 the API refused the key or plan (401, 403) and the command stopped; 130 interrupted by
Ctrl-C; 143 stopped by SIGTERM. After 1, 130 or 143, running the same command again resumes from
the journal: nothing already created is created again.

The API key is read from ``TWELVELABS_API_KEY`` and never printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence

from twelvelabs_async.bulk import JournalError
from twelvelabs_async.errors import (
    APIError,
    AuthenticationError,
    InvalidRequestError,
    PermissionDeniedError,
    TwelveLabsError,
)

from ._common import (
    EXIT_ABORTED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_SOME_FAILED,
    EXIT_TERMINATED,
    EXIT_USAGE,
    UsageError,
)
from ._demo import add_demo_parser, run_demo
from ._embed import add_embed_parser, run_embed
from ._search import add_search_parser, run_search

__all__ = [
    "EXIT_ABORTED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_SOME_FAILED",
    "EXIT_TERMINATED",
    "EXIT_USAGE",
    "build_parser",
    "main",
]


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m twelvelabs_async",
        description="Bulk embedding and search with the Twelve Labs Embed API.",
        epilog="Exit codes: 0 done, 1 some inputs or an API request failed, 2 usage error,"
        " 3 key refused, 130 interrupted, 143 terminated. Run again with the same journal to"
        " resume.",
    )
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="log requests and retries (-vv: debug)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_embed_parser(sub)
    add_search_parser(sub)
    add_demo_parser(sub)
    return parser


_COMMANDS: dict[str, Callable[[argparse.Namespace], Awaitable[int]]] = {
    "embed": run_embed,
    "search": run_search,
    "demo": run_demo,
}


async def _run(args: argparse.Namespace) -> int:
    task = asyncio.current_task()
    terminated = False

    def on_sigterm() -> None:
        nonlocal terminated
        terminated = True
        if task is not None:
            task.cancel()

    loop = asyncio.get_running_loop()
    # Not every platform has signal handlers in asyncio (Windows): SIGTERM then just kills.
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGTERM, on_sigterm)
    try:
        return await _COMMANDS[args.command](args)
    except asyncio.CancelledError:
        if terminated:
            return EXIT_TERMINATED
        raise
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGTERM)


def _exit_code(exc: BaseException) -> int | None:
    """Print one line for an error the user can act on and return its exit code.

    Every subcommand ends here, so the same error gives the same message and code whether
    ``embed``, ``search`` or ``demo`` met it. Anything else (a bug) keeps its traceback.
    """
    if isinstance(exc, UsageError | InvalidRequestError | JournalError | ImportError | OSError):
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if isinstance(exc, AuthenticationError | PermissionDeniedError):
        print(
            f"error: the API refused the key or plan: {exc} (check TWELVELABS_API_KEY)",
            file=sys.stderr,
        )
        return EXIT_ABORTED
    if isinstance(exc, APIError | TwelveLabsError):
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_SOME_FAILED
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Args:
        argv: the arguments (default ``sys.argv[1:]``).

    Returns:
        The exit code (see the module docstring).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.verbose:
        # Without -v, warnings still reach stderr through logging's last-resort handler.
        level = logging.INFO if args.verbose == 1 else logging.DEBUG
        logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    try:
        code = asyncio.run(_run(args))
    except KeyboardInterrupt:
        print(
            "\nInterrupted. The journal is consistent: run the same command again to resume.",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    except Exception as exc:  # mapped to an exit code, or raised again
        mapped = _exit_code(exc)
        if mapped is None:
            raise
        return mapped
    if code == EXIT_TERMINATED:
        print("\nTerminated. Run the same command again to resume.", file=sys.stderr)
    return code
