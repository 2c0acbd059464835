"""A fake Twelve Labs Embed API server for tests, demos and benchmarks.

The fake speaks the real wire format of all nine Embed endpoints (v1 ``/embed``,
``/embed/tasks``; v2 ``/embed-v2``, ``/embed-v2/tasks``) under ``/v1.3``, so that both this
SDK and the official ``twelvelabs`` SDK work against it unchanged. It never contacts the
real service and costs nothing.

In a test (an async context manager binding 127.0.0.1 on a free port)::

    from twelvelabs_async.testing import FakeTwelveLabsServer

    async with FakeTwelveLabsServer(processing_time=0) as server:
        server.state.set_duration("match.mp4", 31.0)
        client = AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url)
        ...
        assert len(server.requests_to("embed.tasks.create")) == 1

With pytest, the ``fake_twelvelabs`` fixture gives a started server and
``fake_twelvelabs_client`` an ``AsyncTwelveLabs`` pointed at it (needs pytest-asyncio).
Options go in a marker::

    @pytest.mark.fake_twelvelabs(processing_time=0, default_duration=12)
    async def test_embed(fake_twelvelabs_client, fake_twelvelabs): ...

To make the SDK's own waits (retry backoff, polling intervals, the bulk rate gate) take
no time in a test, and see what they would have been::

    with no_sleep() as waits:
        await client.embed.tasks.wait_for_done(task.id)
    assert waits.delays

From a shell (prints the base URL; Ctrl-C stops it)::

    python -m twelvelabs_async.testing --port 8765 --processing-time 2 --api-key tlk_demo

What it does:

- **Validation** as documented: clip length 2-10, both offsets or neither, one media
  source, ``multi_input`` up to 10 sources, segmentation ranges, ``embedding_type`` needing
  two options, ``embedding_dimension`` only for ``marengo3.5``, ``page_limit`` up to 50,
  known models. v1 errors are flat ``{code, message}``; v2 errors are nested
  ``{error: {code, message, details}}``; a bad key gets 401 ``api_key_invalid``.
- **Tasks** are ``processing`` for ``processing_time`` seconds, then ``ready`` (or
  ``failed``). ``server.state.complete(task_id)`` ends them at once,
  ``server.state.fail(task_id)`` fails one and ``server.state.advance(seconds)`` moves the
  clock.
- **Embeddings** are deterministic unit vectors (1024 values for
  ``Marengo-retrieval-2.7``, 512 for ``marengo3.0``, 128/256/512 for ``marengo3.5``).
  Media vectors lean towards the text vector of their file stem, so the text ``"match"`` is
  most similar to the segments of ``match.mp4``.
- **Faults** (``server.faults``, or the ``faults=`` argument, or ``POST /_fake/faults``):
  ``latency``, ``rate_limit`` (429 + ``Retry-After`` + ``X-Ratelimit-*``),
  ``server_error`` (500/502/503, with ``task_created`` deciding whether a create happened),
  ``drop_connection``, ``truncate_body``, ``stall``, ``malformed_json``,
  ``unknown_status``, ``fail_task`` and ``embed_error``; each can target ``endpoints``,
  ``methods``, a ``rate`` share, ``skip`` and ``times``, drawn from a seeded generator::

      server.faults.server_error(503, endpoints=["embed.tasks.create"], times=1)
      server.faults.rate_limit(limit=5, window=60)
      server.faults.fail_tasks(names=["broken.mp4"])

- **Assets and multipart uploads** (``server.assets``, an :class:`AssetsFake`): assets go
  ``processing`` -> ``ready`` (or ``failed`` for names in ``fail_filenames``) after
  ``processing_time``; sessions cut files into ``chunk_size`` chunks; presigned chunk URLs
  are served by a **second host** (``server.assets.storage``, another port of 127.0.0.1)
  that checks single use, expiry and the ``upload_headers``, records every header it got in
  ``storage.puts``, and keeps each chunk's size and SHA-256 (``assets[id].chunks``). Faults:
  ``storage.fail_puts = n``, ``storage.expire_all()``, ``url_lifetime``,
  ``expire_session(upload_id)``.
- **Request log**: ``server.requests`` holds a :class:`RequestRecord` per request (method,
  path, endpoint, query, headers without the key, whether the key matched, form fields,
  uploaded file names/sizes/SHA-256, JSON body, status, created task id, faults fired).
"""

from twelvelabs_async.testing._assets import AssetsFake
from twelvelabs_async.testing._faults import (
    CREATE_ENDPOINTS,
    ENDPOINTS,
    TASK_ERROR_MESSAGES,
    Fault,
    Faults,
)
from twelvelabs_async.testing._no_sleep import SleepRecorder, no_sleep
from twelvelabs_async.testing._state import RequestRecord, ServerState, Task, UploadedFile
from twelvelabs_async.testing._storage_host import StorageHost, StoragePut
from twelvelabs_async.testing.server import DEFAULT_API_KEY, FakeTwelveLabsServer

__all__ = [
    "CREATE_ENDPOINTS",
    "DEFAULT_API_KEY",
    "ENDPOINTS",
    "TASK_ERROR_MESSAGES",
    "AssetsFake",
    "FakeTwelveLabsServer",
    "Fault",
    "Faults",
    "RequestRecord",
    "ServerState",
    "SleepRecorder",
    "StorageHost",
    "StoragePut",
    "Task",
    "UploadedFile",
    "no_sleep",
]
