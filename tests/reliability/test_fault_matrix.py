"""Every public call under every injected fault, over real sockets against the fake server.

Each case arms one fault on the endpoint the call uses and checks that the call either
succeeds (after retries) or raises the documented error type, within its timeout, and
that no create is ever made twice. ``transient`` faults fire once; ``persistent`` ones
fire on every request. The outcomes are summed up in ``docs/fault-matrix.md``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from relkit import TOO_LARGE_BYTES, ExtraFaults, client_for, fault_server

from twelvelabs_async import AsyncTwelveLabs, models
from twelvelabs_async.errors import (
    APIConnectionError,
    APITimeoutError,
    InternalServerError,
    RateLimitError,
    ResponseTooLargeError,
    ResponseValidationError,
    WaitTimeoutError,
)
from twelvelabs_async.testing import FakeTwelveLabsServer

#: Hang detector only: every case ends far sooner or the SDK hangs.
HANG_GUARD = 20.0
#: Per-attempt timeout used in the stall cases (the stall lasts far longer).
STALL_TIMEOUT = 0.3
#: Per-attempt timeout otherwise (generous: the machine is shared and noisy).
NORMAL_TIMEOUT = 10.0
VIDEO_URL = "https://cdn.example.com/clips/match.mp4"


@dataclass
class Ctx:
    """Tasks created before the fault is armed."""

    v1_task: str
    v2_task: str


@dataclass(frozen=True)
class Method:
    """One public call: its kind (GET, create, sync, poll), its endpoint and how to call it."""

    name: str
    kind: str
    endpoint: str
    call: Callable[[AsyncTwelveLabs, Ctx], Awaitable[Any]]
    result: type


def _v2_video() -> dict[str, Any]:
    return {"media_source": {"url": VIDEO_URL}}


METHODS = [
    Method(
        "embed.create",
        "sync",
        "embed.create",
        lambda c, _x: c.embed.create(model_name="marengo3.0", text="a cat on a sofa"),
        models.EmbeddingResponse,
    ),
    Method(
        "embed.tasks.create",
        "create",
        "embed.tasks.create",
        lambda c, _x: c.embed.tasks.create(model_name="marengo3.0", video_url=VIDEO_URL),
        models.TasksCreateResponse,
    ),
    Method(
        "embed.tasks.status",
        "GET",
        "embed.tasks.status",
        lambda c, x: c.embed.tasks.status(x.v1_task),
        models.TasksStatusResponse,
    ),
    Method(
        "embed.tasks.retrieve",
        "GET",
        "embed.tasks.retrieve",
        lambda c, x: c.embed.tasks.retrieve(x.v1_task),
        models.TasksRetrieveResponse,
    ),
    Method(
        "embed.tasks.list",
        "GET",
        "embed.tasks.list",
        lambda c, _x: c.embed.tasks.list(page_limit=10).to_list(),
        list,
    ),
    Method(
        "embed.tasks.wait_for_done",
        "poll",
        "embed.tasks.status",
        lambda c, x: c.embed.tasks.wait_for_done(x.v1_task, sleep_interval=0.01, timeout=2.0),
        models.TasksStatusResponse,
    ),
    Method(
        "embed.v2.create",
        "sync",
        "embed.v2.create",
        lambda c, _x: c.embed.v2.create(
            input_type="text", model_name="marengo3.0", text="a cat on a sofa"
        ),
        models.EmbeddingSuccessResponse,
    ),
    Method(
        "embed.v2.tasks.create",
        "create",
        "embed.v2.tasks.create",
        lambda c, _x: c.embed.v2.tasks.create(
            input_type="video", model_name="marengo3.0", video=_v2_video()
        ),
        models.V2TasksCreateResponse,
    ),
    Method(
        "embed.v2.tasks.retrieve",
        "GET",
        "embed.v2.tasks.retrieve",
        lambda c, x: c.embed.v2.tasks.retrieve(x.v2_task),
        models.EmbeddingTaskResponse,
    ),
    Method(
        "embed.v2.tasks.list",
        "GET",
        "embed.v2.tasks.list",
        lambda c, _x: c.embed.v2.tasks.list(page_limit=10).to_list(),
        list,
    ),
    Method(
        "embed.v2.tasks.wait_for_done",
        "poll",
        "embed.v2.tasks.retrieve",
        lambda c, x: c.embed.v2.tasks.wait_for_done(x.v2_task, sleep_interval=0.01, timeout=2.0),
        models.EmbeddingTaskResponse,
    ),
]

FAULTS = [
    "429_retry_after",
    "429_bare",
    "500",
    "502_html",
    "503",
    "drop_before_response",
    "drop_mid_body",
    "truncated_json",
    "stall",
    "not_json",
    "unknown_status",
    "strip_objects",
    "too_large",
]

#: Faults after which no retry can help: a complete 200 whose body is unusable, or too big.
_BAD_BODY: dict[str, type[Exception]] = {
    "truncated_json": ResponseValidationError,
    "not_json": ResponseValidationError,
    "too_large": ResponseTooLargeError,
}
#: The clients' max_response_size: above every normal answer, below the too_large fault's.
MAX_RESPONSE = TOO_LARGE_BYTES // 2
#: Faults that a create may retry: the request surely created nothing. Not a 503, even
#: with Retry-After: the server may have created the task before failing.
_CREATE_RETRIES = {"429_retry_after", "429_bare"}
_STATUS_ERRORS: dict[str, type[Exception]] = {
    "429_retry_after": RateLimitError,
    "429_bare": RateLimitError,
    "500": InternalServerError,
    "502_html": InternalServerError,
    "503": InternalServerError,
    "drop_before_response": APIConnectionError,
    "drop_mid_body": APIConnectionError,
    "stall": APITimeoutError,
}


def expected(kind: str, fault: str, persistent: bool) -> type[Exception] | None:
    """The documented outcome: ``None`` for success, else the exception type."""
    if fault in _BAD_BODY:
        return _BAD_BODY[fault]
    if fault == "strip_objects":
        return None
    if fault == "unknown_status":
        # A wait keeps polling an unknown status: only a persistent one outlives its timeout.
        return WaitTimeoutError if (persistent and kind == "poll") else None
    if persistent:
        return _STATUS_ERRORS[fault]
    if kind == "create" and fault not in _CREATE_RETRIES:
        return _STATUS_ERRORS[fault]
    return None


def retried(kind: str, fault: str) -> bool:
    """Whether the transport retries this fault for this kind of call."""
    if fault in _BAD_BODY or fault in ("strip_objects", "unknown_status"):
        return False
    return kind != "create" or fault in _CREATE_RETRIES


def arm(
    server: FakeTwelveLabsServer, extra: ExtraFaults, fault: str, endpoint: str, times: int | None
) -> None:
    """Arm ``fault`` on ``endpoint`` for ``times`` requests (``None``: every request)."""
    on: dict[str, Any] = {"endpoints": [endpoint], "times": times}
    f = server.faults
    if fault == "429_retry_after":
        f.rate_limit(retry_after=0, **on)
    elif fault == "500":
        f.server_error(500, **on)
    elif fault == "502_html":
        f.server_error(502, **on)
    elif fault == "503":
        f.server_error(503, retry_after=0, **on)
    elif fault == "drop_before_response":
        f.drop_connection(**on)
    elif fault == "drop_mid_body":
        f.truncate_body(**on)
    elif fault == "truncated_json":
        f.malformed_json(**on)
    elif fault == "stall":
        f.stall(seconds=60, **on)
    elif fault == "unknown_status":
        f.unknown_status("queued", **on)
    else:

        def match(request: Any) -> bool:
            return bool(request.match_info.route.name == endpoint)

        extra.set(fault, match, times)


def attempts(server: FakeTwelveLabsServer, extra: ExtraFaults, endpoint: str, fault: str) -> int:
    """Requests the call made to ``endpoint`` (429s sent by the middleware included)."""
    seen = len(server.requests_to(endpoint))
    return seen + (extra.fired if fault == "429_bare" else 0)


async def run_case(method: Method, fault: str, *, persistent: bool) -> None:
    """Run one (method, fault) case and check its outcome against :func:`expected`."""
    retries = 1 if persistent else 2
    timeout = STALL_TIMEOUT if fault == "stall" else NORMAL_TIMEOUT
    async with (
        fault_server(processing_time=0) as (server, extra),
        client_for(
            server, timeout=NORMAL_TIMEOUT, max_retries=retries, max_response_size=MAX_RESPONSE
        ) as setup,
    ):
        # The tasks are made with the generous timeout: only the call under test gets the
        # short one of the stall cases, which a loaded machine could exceed on a create.
        client = setup.with_options(timeout=timeout)
        ctx = Ctx(
            v1_task=(
                await setup.embed.tasks.create(model_name="marengo3.0", video_url=VIDEO_URL)
            ).id
            or "",
            v2_task=(
                await setup.embed.v2.tasks.create(
                    input_type="video", model_name="marengo3.0", video=_v2_video()
                )
            ).id,
        )
        server.requests.clear()
        created_before = len(server.created_task_ids)
        arm(server, extra, fault, method.endpoint, None if persistent else 1)
        want = expected(method.kind, fault, persistent)
        async with asyncio.timeout(HANG_GUARD):
            if want is None:
                result = await method.call(client, ctx)
                assert isinstance(result, method.result)
                if method.result is list:
                    assert result, "the list lost its tasks"
            else:
                with pytest.raises(want) as info:
                    await method.call(client, ctx)
                if want is not WaitTimeoutError:
                    # A wider class would hide a mislabelled failure (a timeout
                    # reported as a wait timeout, a status error as a connection one).
                    assert not isinstance(info.value, WaitTimeoutError)
                if method.kind == "create" and fault not in _CREATE_RETRIES | _BAD_BODY.keys():
                    # The caller must learn that a task may exist, and how to look for it.
                    assert "outcome is unknown" in str(info.value)
                    assert "tasks.list()" in str(info.value)
        if want is not None and want is not WaitTimeoutError:
            n = attempts(server, extra, method.endpoint, fault)
            want_n = retries + 1 if retried(method.kind, fault) else 1
            if fault.startswith("drop") and method.kind in ("GET", "poll"):
                # aiohttp itself resends an idempotent request once when a pooled
                # keep-alive connection turns out closed; that retry is not ours.
                assert want_n <= n <= 2 * want_n, n
            else:
                assert n == want_n, n
        if method.kind == "create":
            assert len(server.created_task_ids) - created_before <= 1


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
async def test_transient_fault(method: Method, fault: str) -> None:
    """A one-off fault is retried unless a retry could duplicate a create or the body is bad."""
    await run_case(method, fault, persistent=False)


@pytest.mark.slow
@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
async def test_persistent_fault(method: Method, fault: str) -> None:
    """A fault on every request raises the documented error after the allowed attempts."""
    await run_case(method, fault, persistent=True)
