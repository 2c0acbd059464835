"""What the subcommands share: exit codes, the client (real or fake), usage errors."""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from twelvelabs_async.errors import TwelveLabsError

if TYPE_CHECKING:
    from twelvelabs_async.client import AsyncTwelveLabs

__all__ = [
    "EXIT_ABORTED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_SOME_FAILED",
    "EXIT_TERMINATED",
    "EXIT_USAGE",
    "DefaultsHelpFormatter",
    "UsageError",
    "open_client",
]

#: Every input was embedded (or the search printed its results).
EXIT_OK = 0
#: Some inputs failed; their errors are in the summary (the others were embedded). Also an
#: API request of ``search`` that failed (no connection, a server error).
EXIT_SOME_FAILED = 1
#: The command line or the configuration is wrong (no API key, bad option, locked journal).
EXIT_USAGE = 2
#: The API refused the key or the plan (401/403): the job stopped early.
EXIT_ABORTED = 3
#: Interrupted by Ctrl-C (SIGINT); the journal is consistent: run again to resume.
EXIT_INTERRUPTED = 130
#: Stopped by SIGTERM; the journal is consistent: run again to resume.
EXIT_TERMINATED = 143


class UsageError(TwelveLabsError):
    """A problem the user fixes on the command line or in the environment."""


class DefaultsHelpFormatter(argparse.HelpFormatter):
    """Appends ``(default: X)`` to every option whose help does not state its default."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if (
            "default" in text
            or not action.option_strings
            or action.default in (None, False, argparse.SUPPRESS)
        ):
            return text
        return f"{text} (default: %(default)s)"


@contextlib.asynccontextmanager
async def open_client(
    *, fake: bool, base_url: str | None, processing_time: float = 1.0
) -> AsyncIterator[AsyncTwelveLabs]:
    """Yield a client: for the real API, or for a fake server started in this process.

    Raises:
        UsageError: no API key for the real API.
    """
    from twelvelabs_async.client import AsyncTwelveLabs

    if fake:
        from twelvelabs_async.testing import FakeTwelveLabsServer

        async with (
            FakeTwelveLabsServer(processing_time=processing_time) as server,
            AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url) as client,
        ):
            yield client
        return
    if not os.environ.get("TWELVELABS_API_KEY"):
        raise UsageError(
            "no API key: set the TWELVELABS_API_KEY environment variable (the key is on the"
            " API Keys page of the Twelve Labs dashboard), or pass --fake to use the built-in"
            " fake server"
        )
    async with AsyncTwelveLabs(base_url=base_url) as client:
        yield client
