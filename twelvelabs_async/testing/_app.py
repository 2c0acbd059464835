"""The aiohttp application: routes, authentication, recording and fault injection."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import orjson
from aiohttp import web

from twelvelabs_async.testing import _assets, _multipart, _v1, _v2
from twelvelabs_async.testing._control import add_routes
from twelvelabs_async.testing._faults import Fault, Faults
from twelvelabs_async.testing._http import ApiError, Body, Call, Reply, error_body, read_body
from twelvelabs_async.testing._state import RequestRecord

if TYPE_CHECKING:
    from twelvelabs_async.testing.server import FakeTwelveLabsServer

Handler = Callable[[Call], Awaitable[Reply]]
SERVER_KEY: web.AppKey[FakeTwelveLabsServer] = web.AppKey("fake_twelvelabs_server")

_ROUTES: tuple[tuple[str, str, str, Handler], ...] = (
    ("POST", "/embed", "embed.create", _v1.embed_create),
    ("POST", "/embed/tasks", "embed.tasks.create", _v1.tasks_create),
    ("GET", "/embed/tasks", "embed.tasks.list", _v1.tasks_list),
    ("GET", "/embed/tasks/{task_id}/status", "embed.tasks.status", _v1.tasks_status),
    ("GET", "/embed/tasks/{task_id}", "embed.tasks.retrieve", _v1.tasks_retrieve),
    ("POST", "/embed-v2", "embed.v2.create", _v2.embed_create),
    ("POST", "/embed-v2/tasks", "embed.v2.tasks.create", _v2.tasks_create),
    ("GET", "/embed-v2/tasks", "embed.v2.tasks.list", _v2.tasks_list),
    ("GET", "/embed-v2/tasks/{task_id}", "embed.v2.tasks.retrieve", _v2.tasks_retrieve),
)
_HTML_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"
)
_SECRET_HEADERS = frozenset({"x-api-key", "authorization"})


def make_app(server: FakeTwelveLabsServer) -> web.Application:
    """Build the aiohttp application serving ``server``'s state under its base path.

    Args:
        server: The owner of the state, faults and request log.

    Returns:
        The application (routes under ``server.base_path``; controls under ``/_fake``).
    """
    app = web.Application(client_max_size=8 * 1024**3)
    app[SERVER_KEY] = server
    for method, path, name, handler in _ROUTES + _multipart.ROUTES + _assets.ROUTES:
        app.router.add_route(method, server.base_path + path, _endpoint(name, handler), name=name)
    _assets.attach(app, server.assets)
    add_routes(app)
    app.router.add_route("*", "/{tail:.*}", _unknown_route)
    return app


def _endpoint(
    name: str, handler: Handler
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def run(request: web.Request) -> web.StreamResponse:
        return await _pipeline(request, name, handler)

    return run


def _nested(endpoint: str | None) -> bool:
    return bool(endpoint and endpoint.startswith("embed.v2"))


def _error_reply(error: ApiError, endpoint: str | None) -> Reply:
    return Reply(status=error.status, body=error_body(error, _nested(endpoint)))


def _record(request: web.Request, endpoint: str | None) -> RequestRecord:
    server = request.app[SERVER_KEY]
    key = request.headers.get("x-api-key")
    record = RequestRecord(
        method=request.method,
        path=request.path,
        endpoint=endpoint,
        # str(): multidict keys are a str subclass, which orjson refuses as object keys.
        query={str(k): request.query.getall(k) for k in request.query},
        headers={str(k): v for k, v in request.headers.items() if k.lower() not in _SECRET_HEADERS},
        api_key_sent=key is not None,
        api_key_matched=server.accepts_key(key),
        received_at=time.time(),
    )
    server.log_request(record)
    return record


async def _pipeline(request: web.Request, endpoint: str, handler: Handler) -> web.StreamResponse:
    """Record, inject faults, authenticate, run the handler and send its answer."""
    server = request.app[SERVER_KEY]
    record = _record(request, endpoint)
    key = request.headers.get("x-api-key")
    body = Body()
    if request.method == "POST":
        body = await read_body(request, server.hash_uploads)
    record.form, record.files, record.json = body.form, body.file_list, body.json
    record.body_size = body.size
    rules = server.faults.pick(endpoint, request.method)
    extra: dict[str, str] = {"X-Api-Version": "1.3"}
    reply: Reply | None = None
    fired = record.faults
    for rule in rules:
        if rule.kind == "latency":
            fired.append("latency")
            await asyncio.sleep(rule.seconds)
        elif rule.kind == "stall":
            fired.append("stall")
            if await server.wait_closing(rule.seconds):
                return _drop(request, record)
    for rule in rules:
        if rule.kind == "client_error":
            fired.append(rule.kind)
            reply = _client_error(rule, endpoint)
            break
        if rule.kind in ("server_error", "drop_connection") and not rule.task_created:
            fired.append(rule.kind)
            if rule.kind == "drop_connection":
                return _drop(request, record)
            reply = _server_error(rule, endpoint)
            break
    if reply is None and not server.accepts_key(key):
        message = (
            "No API key was provided; send it in the x-api-key header."
            if key is None
            else "The API key is invalid or expired; check the x-api-key header."
        )
        reply = Reply(
            status=401, body=orjson.dumps({"code": "api_key_invalid", "message": message})
        )
    if reply is None:
        reply = _rate_limit(server.faults, rules, endpoint, extra, fired)
    if reply is None:
        call = Call(request=request, body=body, state=server.state, faults=server.faults)
        try:
            reply = await handler(call)
        except ApiError as error:
            reply = _error_reply(error, endpoint)
        record.task_id = reply.task_id
        record.task_created = reply.task_id is not None
        for rule in rules:
            if rule.kind in ("server_error", "drop_connection") and rule.task_created:
                fired.append(rule.kind)
                if rule.kind == "drop_connection":
                    return _drop(request, record)
                reply = _server_error(rule, endpoint)
                break
    reply.headers.update(extra)
    return await _send(request, record, reply, rules)


async def _unknown_route(request: web.Request) -> web.StreamResponse:
    record = _record(request, None)
    if request.body_exists:
        await request.release()
    record.status = 404
    message = f"No endpoint answers {request.method} {request.path}."
    return web.Response(
        status=404,
        body=orjson.dumps({"code": "not_found", "message": message}),
        content_type="application/json",
    )


def _drop(request: web.Request, record: RequestRecord) -> web.Response:
    record.status = None
    if request.transport is not None:
        request.transport.abort()
    return web.Response(status=204)


def _server_error(rule: Fault, endpoint: str) -> Reply:
    if rule.status == 502:
        return Reply(status=502, body=_HTML_502, content_type="text/html")
    if rule.status == 503:
        error = ApiError(503, "service_unavailable", "The service is temporarily unavailable.")
        reply = _error_reply(error, endpoint)
        reply.headers["Retry-After"] = _seconds(rule.retry_after)
        return reply
    error = ApiError(500, "internal_error", "An internal error occurred. Please try again later.")
    return _error_reply(error, endpoint)


_CLIENT_ERROR_CODES = {
    400: ("parameter_invalid", "One or more parameters are invalid."),
    401: ("api_key_invalid", "The API key is invalid or expired."),
    403: ("api_not_allowed", "Your plan does not allow this call."),
    404: ("resource_not_exist", "The resource does not exist."),
    429: ("too_many_requests", "You have exceeded the rate limit. Please try again later."),
}


def _client_error(rule: Fault, endpoint: str) -> Reply:
    code, message = _CLIENT_ERROR_CODES.get(
        rule.status, ("request_invalid", "The request could not be processed.")
    )
    error = ApiError(rule.status, rule.code or code, rule.message or message)
    return _error_reply(error, endpoint)


def _seconds(value: float) -> str:
    return str(max(0, math.ceil(value)))


def _rate_limit(
    faults: Faults, rules: list[Fault], endpoint: str, extra: dict[str, str], fired: list[str]
) -> Reply | None:
    for rule in rules:
        if rule.kind != "rate_limit":
            continue
        if rule.limit is None:
            retry_after, used, limit, reset = rule.retry_after, 1, 1, time.time() + rule.retry_after
            limited = True
        else:
            now = time.monotonic()
            limited, window_end, used = faults.over_limit(rule, now)
            limit = rule.limit
            retry_after = window_end - now
            reset = time.time() + (window_end - now)
        extra["X-Ratelimit-Limit"] = str(limit)
        extra["X-Ratelimit-Remaining"] = str(max(0, limit - used))
        extra["X-Ratelimit-Used"] = str(min(used, limit))
        extra["X-Ratelimit-Reset"] = str(math.ceil(reset))
        if limited:
            fired.append("rate_limit")
            extra["Retry-After"] = _seconds(retry_after)
            message = (
                f"You have exceeded the rate limit ({limit} requests). Please try again later "
                f"after {_seconds(retry_after)} seconds."
            )
            return _error_reply(ApiError(429, "too_many_requests", message), endpoint)
    return None


def _replace_status(body: bytes, value: str) -> bytes:
    payload = orjson.loads(body)
    if isinstance(payload, dict):
        if "status" in payload:
            payload["status"] = value
        if isinstance(payload.get("data"), list):
            for item in payload["data"]:
                if isinstance(item, dict) and "status" in item:
                    item["status"] = value
    return orjson.dumps(payload)


async def _send(
    request: web.Request, record: RequestRecord, reply: Reply, rules: list[Fault]
) -> web.StreamResponse:
    body = reply.body
    ok = 200 <= reply.status < 300
    truncate = False
    for rule in rules:
        if not ok:
            break
        if rule.kind == "unknown_status":
            record.faults.append(rule.kind)
            body = _replace_status(body, rule.value)
        elif rule.kind == "malformed_json":
            record.faults.append(rule.kind)
            body = body[: len(body) // 2] or b"{"
        elif rule.kind == "truncate_body":
            record.faults.append(rule.kind)
            truncate = True
    headers = dict(reply.headers)
    if not truncate:
        record.status = reply.status
        return web.Response(
            status=reply.status, body=body, headers=headers, content_type=reply.content_type
        )
    record.status = None
    response = web.StreamResponse(status=reply.status, headers=headers)
    response.content_type = reply.content_type
    response.content_length = len(body)
    await response.prepare(request)
    await response.write(body[: len(body) // 2])
    if request.transport is not None:
        request.transport.close()
    return response
