"""The fake server's lifecycle: :class:`FakeTwelveLabsServer`."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from types import TracebackType

from aiohttp import web

from twelvelabs_async.errors import InvalidRequestError, InvalidStateError
from twelvelabs_async.testing._app import make_app
from twelvelabs_async.testing._assets import AssetsFake
from twelvelabs_async.testing._faults import Fault, Faults
from twelvelabs_async.testing._state import RequestRecord, ServerState

DEFAULT_API_KEY = "tlk_fake_test_key"
"""The key a fake server accepts unless told otherwise (not a real key)."""


class FakeTwelveLabsServer:
    """A local stand-in for the Twelve Labs Embed API, speaking its wire format.

    Use it as an async context manager; it binds ``host`` on a free port unless ``port``
    is given::

        async with FakeTwelveLabsServer(processing_time=0) as server:
            client = AsyncTwelveLabs(api_key=server.api_key, base_url=server.base_url)

    The key is strict by default, so that tests of 401 handling mean something: only
    ``api_key`` is accepted. ``accept_any_key=True`` accepts any non-empty key (what
    ``python -m twelvelabs_async.testing`` does unless given ``--api-key``), for code
    that brings its own key, such as the official SDK's.

    Args:
        api_key: The ``x-api-key`` value accepted; anything else gets 401.
        accept_any_key: Accept any non-empty ``x-api-key`` instead (a missing or empty
            one still gets 401).
        host: Interface to bind.
        port: Port to bind; 0 picks a free one.
        processing_time: Seconds a new task stays ``processing`` before it ends.
        default_duration: Duration in seconds of media without a hint
            (see :meth:`ServerState.set_duration`).
        faults: Initial fault rules, as :class:`Fault` objects or mappings of its fields.
        seed: Seed for task ids and fault draws, for reproducible runs.
        hash_uploads: Whether to SHA-256 uploaded files (off saves CPU on huge uploads).
        base_path: Path prefix of the API, ``/v1.3`` like the real service.
        max_logged_requests: How many of the most recent requests :attr:`requests` keeps
            (``None``, the default, keeps every one, as a test reading the log expects); a
            long-running server keeps its memory bounded with it (each record is about
            1.5 KB). Older records are dropped in batches of an eighth of the limit, counted
            in :attr:`dropped_requests`.
    """

    def __init__(
        self,
        *,
        api_key: str = DEFAULT_API_KEY,
        accept_any_key: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
        processing_time: float = 0.5,
        default_duration: float = 30.0,
        faults: Iterable[Fault | dict[str, object]] = (),
        seed: int = 0,
        hash_uploads: bool = True,
        base_path: str = "/v1.3",
        max_logged_requests: int | None = None,
    ) -> None:
        if processing_time < 0:
            raise InvalidRequestError("processing_time must be 0 or more seconds")
        if max_logged_requests is not None and (
            isinstance(max_logged_requests, bool)
            or not isinstance(max_logged_requests, int)
            or max_logged_requests < 1
        ):
            raise InvalidRequestError(
                f"max_logged_requests must be a whole number of 1 or more, or None to keep "
                f"every request; got {max_logged_requests!r}"
            )
        self._api_key = api_key
        self.accept_any_key = accept_any_key
        self.host = host
        self.port = port
        self.base_path = "/" + base_path.strip("/") if base_path.strip("/") else ""
        self.hash_uploads = hash_uploads
        rules = [f if isinstance(f, Fault) else Fault.from_dict(f) for f in faults]
        self.faults = Faults(rules, seed=seed)
        self.state = ServerState(processing_time, default_duration, seed=seed)
        self.requests: list[RequestRecord] = []
        self.max_logged_requests = max_logged_requests
        #: Records dropped from :attr:`requests` to stay within ``max_logged_requests``.
        self.dropped_requests = 0
        #: Assets, multipart sessions and the storage host (a second port) serving chunks.
        self.assets = AssetsFake()
        self._runner: web.AppRunner | None = None
        self._closing = asyncio.Event()

    def __repr__(self) -> str:
        where = self.root_url if self._runner else "not started"
        return f"FakeTwelveLabsServer({where}, tasks={len(self.state.tasks)})"

    @property
    def api_key(self) -> str:
        """The accepted API key (a fake value, safe to show in test output)."""
        return self._api_key

    def accepts_key(self, key: str | None) -> bool:
        """Whether a request carrying this ``x-api-key`` value is let in."""
        if self.accept_any_key:
            return bool(key and key.strip())
        return key == self._api_key

    @property
    def root_url(self) -> str:
        """``http://host:port`` without the API base path."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The base URL to give a client, including ``/v1.3``."""
        return self.root_url + self.base_path

    async def start(self) -> FakeTwelveLabsServer:
        """Bind the socket and start serving; returns the server for chaining."""
        if self._runner is not None:
            raise InvalidStateError("the fake server is already running")
        self._closing = asyncio.Event()
        runner = web.AppRunner(make_app(self), access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        # A deep backlog lets thousands of clients connect at once without SYN retries.
        site = web.TCPSite(runner, self.host, self.port, backlog=4096)
        await site.start()
        self._runner = runner
        sockets = runner.addresses
        self.port = int(sockets[0][1])
        return self

    async def close(self) -> None:
        """Stop serving; stalled requests are released and their connections dropped."""
        self._closing.set()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> FakeTwelveLabsServer:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def wait_closing(self, seconds: float) -> bool:
        """Wait up to ``seconds``; return whether the server started closing meanwhile."""
        try:
            await asyncio.wait_for(self._closing.wait(), seconds)
        except TimeoutError:
            return False
        return True

    def log_request(self, record: RequestRecord) -> None:
        """Append ``record`` to :attr:`requests`, dropping the oldest past the limit."""
        self.requests.append(record)
        limit = self.max_logged_requests
        # Trimmed in batches: dropping one record per request would move the whole list
        # each time.
        if limit is not None and len(self.requests) > limit + limit // 8:
            excess = len(self.requests) - limit
            del self.requests[:excess]
            self.dropped_requests += excess

    def requests_to(self, endpoint: str) -> list[RequestRecord]:
        """Return the recorded requests of one endpoint (e.g. ``"embed.tasks.create"``).

        Like every view of the log, only the records still kept under ``max_logged_requests``.
        """
        return [r for r in self.requests if r.endpoint == endpoint]

    @property
    def created_task_ids(self) -> list[str]:
        """Ids of every task created, in order, including those whose answer was lost.

        Read from the request log: under ``max_logged_requests``, the kept records only.
        """
        return [r.task_id for r in self.requests if r.task_created and r.task_id]
