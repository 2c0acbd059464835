"""Run the fake server from a shell: ``python -m twelvelabs_async.testing --port 8765``.

It accepts any non-empty API key unless ``--api-key`` names the one to accept, so that any
client (the official SDK included) can be pointed at it with whatever key it has. At start
it prints the base URL (first line, for scripts), the key rule, and how to point this SDK
and the official one at it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Sequence

from twelvelabs_async.testing.server import DEFAULT_API_KEY, FakeTwelveLabsServer

#: Requests a shell server keeps in its log by default: it may serve a bulk job for hours.
LOG_LIMIT = 100_000


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m twelvelabs_async.testing",
        description="Serve a fake Twelve Labs Embed API on a local port.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port; 0 picks a free one")
    parser.add_argument(
        "--processing-time", type=float, default=2.0, help="seconds a task stays processing"
    )
    parser.add_argument(
        "--default-duration", type=float, default=30.0, help="media duration without a hint"
    )
    parser.add_argument(
        "--api-key",
        default=None,
        help="accept only this x-api-key (default: accept any non-empty key)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for ids and fault draws")
    parser.add_argument(
        "--max-logged-requests",
        type=int,
        default=LOG_LIMIT,
        help=f"keep the last N requests in GET /_fake/requests (default {LOG_LIMIT:,}, about "
        "150 MB; 0 keeps every one)",
    )
    return parser


def banner(base_url: str, api_key: str | None) -> list[str]:
    """The lines printed at start: base URL, key rule, how to point both SDKs at it.

    Args:
        base_url: the server's base URL (with ``/v1.3``).
        api_key: the one key accepted, or ``None`` when any non-empty key is.

    Returns:
        The lines, the base URL first.
    """
    if api_key is None:
        rule = "API key: any non-empty x-api-key is accepted (--api-key KEY accepts only KEY)"
        key = "any-key"
    else:
        rule = f"API key: only {api_key!r} is accepted"
        key = api_key
    use = (
        f"Use it: export TWELVELABS_BASE_URL={base_url} TWELVELABS_API_KEY={key}; then "
        "twelvelabs_async.AsyncTwelveLabs() or "
        f'twelvelabs.AsyncTwelveLabs(api_key="{key}") (both read TWELVELABS_BASE_URL)'
    )
    return [base_url, rule, use]


async def _serve(args: argparse.Namespace) -> None:
    server = FakeTwelveLabsServer(
        api_key=DEFAULT_API_KEY if args.api_key is None else args.api_key,
        accept_any_key=args.api_key is None,
        host=args.host,
        port=args.port,
        processing_time=args.processing_time,
        default_duration=args.default_duration,
        seed=args.seed,
        max_logged_requests=args.max_logged_requests or None,
    )
    async with server:
        print("\n".join(banner(server.base_url, args.api_key)), flush=True)
        await asyncio.Event().wait()


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and serve until interrupted.

    Args:
        argv: Command-line arguments (defaults to ``sys.argv[1:]``).

    Returns:
        The process exit status.
    """
    args = _parser().parse_args(argv)
    if args.api_key is not None and not args.api_key.strip():
        _parser().error("--api-key must not be empty")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
