"""A semantic video search service: one shared client, per-request timeouts, mapped errors.

At start-up the service builds a catalogue of video segments, either by embedding a few
videos (``--video URL``, repeatable; v1 embedding tasks, run concurrently) or by loading an
``.npz`` written by ``examples/bulk_embed.py`` (``--index FILE``). Then::

    GET /search?q=a+goal+celebration&top=5

embeds the text ``q`` and answers with the catalogue segments closest to it by cosine
similarity. ``GET /`` describes the catalogue.

What it shows:

* **One client for the whole process**, opened in ``app.cleanup_ctx`` before the first
  request and closed at shutdown. Every request shares its connection pool; a client per
  request would pay a new TCP and TLS handshake on every search.
* **A per-request time budget**: each query embedding carries
  ``RequestOptions(timeout=..., max_retries=...)``, so a slow API turns into a quick 504
  rather than a hung request. The client's ``max_retry_wait`` stops a rate-limited
  request from sleeping for long inside a handler: the caller is told to come back.
* **Errors mapped to HTTP answers** by one middleware: ``RateLimitError`` -> 503 with
  ``Retry-After``; ``BadRequestError``, ``UnprocessableEntityError`` and
  ``InvalidRequestError`` -> 422 (the query cannot be embedded); ``APITimeoutError`` ->
  504; any other ``APIError`` -> 502.

Configuration: ``TWELVELABS_API_KEY`` and ``TWELVELABS_BASE_URL`` (read by the client),
and the options below. Run it against the real API::

    TWELVELABS_API_KEY=... python examples/web_app.py --index embeddings.npz --port 8080

or against a fake server started in the same process (free, offline; vectors are made up)::

    python examples/web_app.py --fake --port 8080
    curl 'http://127.0.0.1:8080/search?q=goal'
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import math
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from aiohttp import web

from twelvelabs_async import (
    APIError,
    APITimeoutError,
    AsyncTwelveLabs,
    BadRequestError,
    InvalidRequestError,
    RateLimitError,
    RequestOptions,
    TwelveLabsError,
    UnprocessableEntityError,
)
from twelvelabs_async.vectors import to_segment_array

#: Placeholder videos for ``--fake``: the fake server makes up vectors from a URL's file
#: name, so a search for "goal" finds goal.mp4. The real API cannot fetch these URLs.
FAKE_CATALOGUE = tuple(
    f"https://cdn.example.com/videos/{name}.mp4" for name in ("goal", "crowd", "kickoff", "penalty")
)
MAX_TOP = 50


@dataclasses.dataclass(frozen=True)
class Settings:
    """How the service is configured.

    Attributes:
        api_key: the API key; ``None`` reads ``$TWELVELABS_API_KEY``.
        base_url: the API base URL; ``None`` reads ``$TWELVELABS_BASE_URL``.
        model: the model of the catalogue and of the queries.
        videos: video URLs to embed at start-up.
        index: an ``.npz`` of segments to load at start-up instead.
        query_timeout: seconds one attempt to embed a query may take.
        query_retries: retries of a failed query embedding (a request's worst case is
            about ``(query_retries + 1) * query_timeout`` plus short backoffs).
        max_retry_wait: the longest a rate-limited call may wait before retrying; a
            longer ``Retry-After`` is passed on to the caller as a 503.
        poll_interval: seconds between status reads while the catalogue is embedded.
    """

    api_key: str | None = None
    base_url: str | None = None
    model: str = "marengo3.0"
    videos: tuple[str, ...] = ()
    index: str | None = None
    query_timeout: float = 10.0
    query_retries: int = 1
    max_retry_wait: float = 2.0
    poll_interval: float = 5.0


@dataclasses.dataclass(frozen=True)
class Catalogue:
    """Segment vectors (rows scaled to unit length) and where each one comes from."""

    vectors: npt.NDArray[np.float32]
    source: list[str]
    start: list[float | None]
    end: list[float | None]
    option: list[str]
    model: str

    def __len__(self) -> int:
        return len(self.source)

    def rank(self, query: npt.NDArray[np.float32], top: int) -> list[dict[str, Any]]:
        """Return the ``top`` segments closest to ``query``, best first, as JSON objects."""
        if query.shape[0] != self.vectors.shape[1]:
            raise ValueError(
                f"the query has {query.shape[0]} dimensions but the catalogue"
                f" {self.vectors.shape[1]}: embed both with the same model"
            )
        scores = self.vectors @ (query / (np.linalg.norm(query) or 1.0))
        best = np.argsort(-scores, kind="stable")[:top]
        return [
            {
                "source": self.source[i],
                "start_sec": self.start[i],
                "end_sec": self.end[i],
                "option": self.option[i],
                "score": round(float(scores[i]), 6),
            }
            for i in best
        ]


def _unit_rows(vectors: npt.ArrayLike) -> npt.NDArray[np.float32]:
    matrix = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.where(norms == 0, 1.0, norms)).astype(np.float32)


def _seconds(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def load_index(path: str, model: str) -> Catalogue:
    """Read an ``.npz`` written by ``bulk_embed.py`` (or ``python -m twelvelabs_async embed``).

    Args:
        path: the ``.npz`` file.
        model: the model to assume when the file does not name its own.

    Returns:
        The catalogue; queries are embedded with the file's model.
    """
    with np.load(path, allow_pickle=False) as data:
        stored_model = str(data["model_name"]) if "model_name" in data.files else model
        return Catalogue(
            vectors=_unit_rows(data["vectors"]),
            source=[str(s) for s in data["source"]],
            start=[_seconds(v) for v in data["start_sec"]],
            end=[_seconds(v) for v in data["end_sec"]],
            option=[str(o) for o in data["option"]],
            model=stored_model,
        )


async def embed_videos(client: AsyncTwelveLabs, settings: Settings) -> Catalogue:
    """Embed ``settings.videos`` concurrently (one v1 task each) into a catalogue.

    Args:
        client: the shared client.
        settings: the videos, the model and the polling interval.

    Returns:
        The catalogue of every clip of every video.

    Raises:
        TwelveLabsError: the first video that could not be embedded stops the start-up.
    """

    async def one(url: str) -> Any:
        return await client.embed.tasks.create_and_retrieve(
            model_name=settings.model,
            video_url=url,
            video_clip_length=6,
            video_embedding_scope=["clip"],
            sleep_interval=settings.poll_interval,
        )

    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(url)) for url in settings.videos]
    except ExceptionGroup as group_error:
        # One failed video stops the start-up; report it rather than a group of one.
        raise group_error.exceptions[0] from None
    rows: list[npt.NDArray[np.float32]] = []
    source: list[str] = []
    start: list[float | None] = []
    end: list[float | None] = []
    option: list[str] = []
    for url, task in zip(settings.videos, tasks, strict=True):
        segments = to_segment_array(task.result())
        rows.append(segments.vectors)
        source += [url] * len(segments)
        start += [_seconds(v) for v in segments.start]
        end += [_seconds(v) for v in segments.end]
        option += [o or "" for o in segments.option]
    return Catalogue(_unit_rows(np.concatenate(rows)), source, start, end, option, settings.model)


SETTINGS = web.AppKey("settings", Settings)
CLIENT = web.AppKey("client", AsyncTwelveLabs)
CATALOGUE = web.AppKey("catalogue", Catalogue)
QUERY_OPTIONS = web.AppKey("query_options", RequestOptions)


async def twelvelabs_client(app: web.Application) -> AsyncIterator[None]:
    """Open the one client of the process at start-up, build the catalogue, close at exit."""
    settings = app[SETTINGS]
    async with AsyncTwelveLabs(
        api_key=settings.api_key,
        base_url=settings.base_url,
        max_retry_wait=settings.max_retry_wait,
    ) as client:
        app[CLIENT] = client
        if settings.index:
            app[CATALOGUE] = load_index(settings.index, settings.model)
        else:
            app[CATALOGUE] = await embed_videos(client, settings)
        yield


def _error(status: int, code: str, message: str, **headers: str) -> web.Response:
    return web.json_response(
        {"error": {"code": code, "message": message}}, status=status, headers=headers
    )


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def api_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turn the SDK's exceptions into HTTP answers a caller can act on."""
    try:
        return await handler(request)
    except RateLimitError as exc:
        wait = max(1, math.ceil(exc.retry_after)) if exc.retry_after is not None else 1
        return _error(
            503,
            "rate_limited",
            "the embedding API is rate limited; try again later",
            **{"Retry-After": str(wait)},
        )
    except (BadRequestError, UnprocessableEntityError, InvalidRequestError) as exc:
        return _error(422, "query_rejected", f"the query cannot be embedded: {exc}")
    except APITimeoutError:
        return _error(504, "upstream_timeout", "the embedding API did not answer in time")
    except APIError as exc:
        # The details stay in the log; the caller learns only that the upstream failed.
        request.app.logger.warning("embedding API error: %s", exc)
        return _error(502, "upstream_error", f"the embedding API failed ({type(exc).__name__})")


async def search(request: web.Request) -> web.Response:
    """``GET /search?q=TEXT&top=N``: the catalogue segments closest to ``TEXT``."""
    q = request.query.get("q")
    if q is None:
        return _error(400, "missing_query", "give the text to search for as ?q=...")
    try:
        top = int(request.query.get("top", "5"))
    except ValueError:
        top = 0
    if not 1 <= top <= MAX_TOP:
        return _error(400, "bad_top", f"top must be an integer from 1 to {MAX_TOP}")
    catalogue = request.app[CATALOGUE]
    # The shared client; blank text is left to the SDK, whose InvalidRequestError maps to 422.
    response = await request.app[CLIENT].embed.create(
        model_name=catalogue.model, text=q, request_options=request.app[QUERY_OPTIONS]
    )
    query = to_segment_array(response, modality="text").vectors[0]
    return web.json_response(
        {"query": q, "model": catalogue.model, "results": catalogue.rank(query, top)}
    )


async def info(request: web.Request) -> web.Response:
    """``GET /``: what the catalogue holds."""
    catalogue = request.app[CATALOGUE]
    return web.json_response(
        {
            "model": catalogue.model,
            "segments": len(catalogue),
            "sources": sorted(set(catalogue.source)),
            "search": "/search?q=TEXT&top=5",
        }
    )


def make_app(settings: Settings) -> web.Application:
    """Build the application; the client and catalogue appear when it starts.

    Args:
        settings: the service's configuration.

    Returns:
        The application, ready for ``web.AppRunner`` or ``aiohttp.test_utils.TestServer``.
    """
    app = web.Application(middlewares=[api_errors])
    app[SETTINGS] = settings
    app[QUERY_OPTIONS] = RequestOptions(
        timeout=settings.query_timeout, max_retries=settings.query_retries
    )
    app.cleanup_ctx.append(twelvelabs_client)
    app.router.add_get("/", info)
    app.router.add_get("/search", search)
    return app


async def serve(settings: Settings, host: str, port: int, *, fake: bool) -> None:
    """Serve until SIGINT or SIGTERM.

    Args:
        settings: the service's configuration.
        host: the interface to bind.
        port: the port to bind (0 picks a free one; the bound port is printed).
        fake: start a fake Twelve Labs server in this process and use it.
    """
    async with contextlib.AsyncExitStack() as stack:
        if fake:
            from twelvelabs_async.testing import FakeTwelveLabsServer

            server = await stack.enter_async_context(FakeTwelveLabsServer(processing_time=0.5))
            print(f"FAKE Twelve Labs API at {server.base_url}: the vectors are made up", flush=True)
            settings = dataclasses.replace(
                settings,
                api_key=server.api_key,
                base_url=server.base_url,
                poll_interval=0.2,
                videos=settings.videos or FAKE_CATALOGUE,
            )
        runner = web.AppRunner(make_app(settings), access_log=None)
        await runner.setup()  # runs the start-up: opens the client, builds the catalogue
        stack.push_async_callback(runner.cleanup)
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound = runner.addresses[0][1]
        catalogue = runner.app[CATALOGUE]
        print(f"{len(catalogue)} segments of {len(set(catalogue.source))} videos", flush=True)
        print(f"Serving on http://{host}:{bound}/ (Ctrl-C stops)", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            await stop.wait()
        finally:  # not left to the loop's close, which shuts the wake-up fd before them
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)
    print("Stopped; the client is closed.", flush=True)


def parse_args(argv: Sequence[str] | None = None) -> tuple[Settings, argparse.Namespace]:
    """Read the command line into :class:`Settings` and the serving options."""
    p = argparse.ArgumentParser(description="Semantic video search over the Twelve Labs API.")
    p.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port; 0 picks a free one")
    p.add_argument("--video", action="append", default=[], help="video URL to embed (repeat)")
    p.add_argument("--index", help="an .npz of segments (from bulk_embed.py) instead")
    p.add_argument("--model", default="marengo3.0", help="model name (default marengo3.0)")
    p.add_argument("--query-timeout", type=float, default=10.0, help="seconds per attempt")
    p.add_argument("--query-retries", type=int, default=1, help="retries of a query embedding")
    p.add_argument("--poll-interval", type=float, default=5.0, help="task status poll seconds")
    p.add_argument("--fake", action="store_true", help="use a fake server in this process")
    args = p.parse_args(argv)
    if not (args.fake or args.video or args.index):
        p.error("give --video URL (repeatable) or --index FILE.npz, or --fake to try it offline")
    settings = Settings(
        model=args.model,
        videos=tuple(args.video),
        index=args.index,
        query_timeout=args.query_timeout,
        query_retries=args.query_retries,
        poll_interval=args.poll_interval,
    )
    return settings, args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the service; returns the exit status (2 for a configuration problem)."""
    settings, args = parse_args(argv)
    try:
        asyncio.run(serve(settings, args.host, args.port, fake=args.fake))
    except (TwelveLabsError, OSError, ValueError) as exc:
        print(f"cannot start: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
