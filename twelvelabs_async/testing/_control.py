"""Control endpoints under ``/_fake`` to steer a fake server from another process.

- ``GET /_fake/faults``: the fault rules; ``POST`` adds one rule (an object) or several
  (an array) using :class:`~twelvelabs_async.testing.Fault` field names; ``DELETE``
  removes them all.
- ``GET /_fake/requests``: the request log (its ``X-Fake-Dropped-Requests`` header counts
  the oldest records dropped to stay within ``max_logged_requests``); ``DELETE`` empties it.
- ``POST /_fake/tasks/complete``: ends every processing task (or ``{"task_id": ...}``).
- ``POST /_fake/durations``: ``{"match.mp4": 95.0, ...}`` sets media durations.

They need no API key and are never recorded in the request log.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import orjson
from aiohttp import web


def _server(request: web.Request) -> Any:
    from twelvelabs_async.testing._app import SERVER_KEY

    return request.app[SERVER_KEY]


def _json(payload: Any, status: int = 200) -> web.Response:
    return web.Response(status=status, body=orjson.dumps(payload), content_type="application/json")


async def _read(request: web.Request) -> Any:
    raw = await request.read()
    return orjson.loads(raw) if raw else None


async def _faults_get(request: web.Request) -> web.Response:
    return _json([rule.to_dict() for rule in _server(request).faults.rules])


async def _faults_post(request: web.Request) -> web.Response:
    faults = _server(request).faults
    try:
        payload = await _read(request)
        items = payload if isinstance(payload, list) else [payload]
        added = [faults.add(**item) for item in items]
    except (ValueError, TypeError) as exc:
        return _json({"code": "parameter_invalid", "message": str(exc)}, status=400)
    return _json([rule.to_dict() for rule in added], status=201)


async def _faults_delete(request: web.Request) -> web.Response:
    _server(request).faults.clear()
    return web.Response(status=204)


async def _requests_get(request: web.Request) -> web.Response:
    server = _server(request)
    response = _json([asdict(record) for record in server.requests])
    response.headers["X-Fake-Dropped-Requests"] = str(server.dropped_requests)
    return response


async def _requests_delete(request: web.Request) -> web.Response:
    _server(request).requests.clear()
    return web.Response(status=204)


async def _complete(request: web.Request) -> web.Response:
    payload = await _read(request)
    task_id = payload.get("task_id") if isinstance(payload, dict) else None
    try:
        _server(request).state.complete(task_id)
    except KeyError:
        return _json({"code": "resource_not_exist", "message": f"No task {task_id}."}, 404)
    return web.Response(status=204)


async def _durations(request: web.Request) -> web.Response:
    payload = await _read(request)
    if not isinstance(payload, dict):
        return _json({"code": "parameter_invalid", "message": "Send a JSON object."}, 400)
    for name, seconds in payload.items():
        _server(request).state.set_duration(str(name), float(seconds))
    return web.Response(status=204)


def add_routes(app: web.Application) -> None:
    """Register the ``/_fake`` control routes on ``app``."""
    app.router.add_get("/_fake/faults", _faults_get)
    app.router.add_post("/_fake/faults", _faults_post)
    app.router.add_delete("/_fake/faults", _faults_delete)
    app.router.add_get("/_fake/requests", _requests_get)
    app.router.add_delete("/_fake/requests", _requests_delete)
    app.router.add_post("/_fake/tasks/complete", _complete)
    app.router.add_post("/_fake/durations", _durations)
