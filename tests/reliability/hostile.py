"""Hostile loopback servers written for the tests: raw HTTP over asyncio sockets.

Each server answers every request with one scripted response, whatever was asked, so the
tests control every byte the client reads (lengths that lie, bodies without end, bombs).
The client side of memory tests runs in a subprocess (:data:`CLIENT_SCRIPT`) whose peak
RSS is read from ``/proc/self/status``, so that the test process's own memory never
blurs the figure.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

#: Writes one response on a connection (the request was read already).
Responder = Callable[[asyncio.StreamWriter], Awaitable[None]]

MIB = 1024 * 1024


@contextlib.asynccontextmanager
async def raw_server(respond: Responder) -> AsyncIterator[str]:
    """Serve ``respond`` on 127.0.0.1; yields the base URL (``http://127.0.0.1:PORT/v1.3``)."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if length:
                await reader.readexactly(length)
            await respond(writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the client hung up on a body it refused: the point of the test
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/v1.3"
    finally:
        server.close()
        # Handlers still writing to a client that left end on their own broken pipe.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(server.wait_closed(), 2)


def head(status: int = 200, **headers: str) -> bytes:
    """An HTTP/1.1 status line and headers (``content_length`` -> ``Content-Length``)."""
    lines = [f"HTTP/1.1 {status} X"]
    lines += [f"{k.replace('_', '-')}: {v}" for k, v in headers.items()]
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def declared_huge(writer: asyncio.StreamWriter) -> None:
    """Declare 2 GiB, then send zeros (up to 256 MiB, so a failing client cannot take the box)."""
    writer.write(head(content_length=str(2 * 1024 * MIB), content_type="application/json"))
    await _zeros(writer, 256 * MIB, chunk=b"0" * MIB)


async def endless_chunked(writer: asyncio.StreamWriter) -> None:
    """A chunked body that does not end (capped at 256 MiB for the machine's sake)."""
    writer.write(head(transfer_encoding="chunked", content_type="application/json"))
    block = b"0" * MIB
    frame = f"{len(block):x}\r\n".encode() + block + b"\r\n"
    await _zeros(writer, 256 * MIB, chunk=frame)


async def gzip_bomb(writer: asyncio.StreamWriter) -> None:
    """About 0.5 MB of gzip on the wire that inflates to 512 MiB of zeros."""
    writer.write(
        head(transfer_encoding="chunked", content_encoding="gzip", content_type="application/json")
    )
    deflate = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(MIB)
    for _ in range(512):
        piece = deflate.compress(zeros)
        if piece:
            writer.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            await writer.drain()
    tail = deflate.flush()
    writer.write(f"{len(tail):x}\r\n".encode() + tail + b"\r\n0\r\n\r\n")
    await writer.drain()


async def _zeros(writer: asyncio.StreamWriter, total: int, *, chunk: bytes) -> None:
    sent = 0
    while sent < total:
        writer.write(chunk)
        await writer.drain()
        sent += len(chunk)


#: Run in a subprocess as ``python -c CLIENT_SCRIPT BASE_URL LIMIT``: makes one GET with
#: ``max_response_size=LIMIT`` and prints a JSON line with the outcome and the growth of
#: peak RSS (VmHWM) during the call.
CLIENT_SCRIPT = """
import asyncio, json, sys
from twelvelabs_async import AsyncTwelveLabs, ResponseTooLargeError

def peak():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM")

async def main(url, limit):
    async with AsyncTwelveLabs("tlk-hostile-0123456789", base_url=url, max_retries=0,
                               timeout=20, max_response_size=limit) as client:
        before = peak()
        try:
            await client.embed.tasks.status("task-1")
            outcome, message = "returned", ""
        except ResponseTooLargeError as exc:
            outcome, message = "too_large", str(exc)
        except Exception as exc:
            outcome, message = type(exc).__name__, str(exc)
        print(json.dumps({"outcome": outcome, "message": message, "growth": peak() - before}))

asyncio.run(main(sys.argv[1], int(sys.argv[2])))
"""


async def run_client(base_url: str, limit: int) -> dict[str, Any]:
    """Run :data:`CLIENT_SCRIPT` against ``base_url``; return its JSON line."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        CLIENT_SCRIPT,
        base_url,
        str(limit),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, err.decode()
    result: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    return result
