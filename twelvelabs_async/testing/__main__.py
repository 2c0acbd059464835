"""Run the fake server from a shell: ``python -m twelvelabs_async.testing --port 8765``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Sequence

from twelvelabs_async.testing.server import DEFAULT_API_KEY, FakeTwelveLabsServer


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
    parser.add_argument("--api-key", default=DEFAULT_API_KEY, help="the accepted x-api-key")
    parser.add_argument("--seed", type=int, default=0, help="seed for ids and fault draws")
    return parser


async def _serve(args: argparse.Namespace) -> None:
    server = FakeTwelveLabsServer(
        api_key=args.api_key,
        host=args.host,
        port=args.port,
        processing_time=args.processing_time,
        default_duration=args.default_duration,
        seed=args.seed,
    )
    async with server:
        print(server.base_url, flush=True)
        await asyncio.Event().wait()


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and serve until interrupted.

    Args:
        argv: Command-line arguments (defaults to ``sys.argv[1:]``).

    Returns:
        The process exit status.
    """
    args = _parser().parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
