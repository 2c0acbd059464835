"""request_options in the official SDK's dict form, accepted (and typed) by every resource call."""

from __future__ import annotations

import inspect

import pytest
from aioresponses import aioresponses
from yarl import URL

from twelvelabs_async import AsyncTwelveLabs, InternalServerError, InvalidRequestError
from twelvelabs_async.resources import embed, embed_tasks, embed_v2, embed_v2_tasks
from twelvelabs_async.types import RequestOptionsDict

KEY = "tlk-request-options-key"
BASE = "https://api.test/v1.3"
TASK = "6655a1b2c3d4e5f601234567"
URL_STATUS = f"{BASE}/embed/tasks/{TASK}/status"
BODY = {"_id": TASK, "status": "ready", "model_name": "marengo3.0"}


async def test_official_dict_keys_reach_the_wire() -> None:
    """timeout_in_seconds, max_retries and additional_headers from a dict all take effect."""
    options: RequestOptionsDict = {
        "timeout_in_seconds": 20,
        "max_retries": 0,
        "additional_headers": {"X-Trace": "abc"},
    }
    async with AsyncTwelveLabs(KEY, base_url=BASE) as client:
        with aioresponses() as m:
            m.get(URL_STATUS, payload=BODY)
            m.get(URL_STATUS, status=500, payload={"code": "internal", "message": "x"})
            m.get(URL_STATUS, payload=BODY)
            await client.embed.tasks.status(TASK, request_options=options)
            # max_retries=0: the 500 is raised, the 200 queued after it is never asked for.
            with pytest.raises(InternalServerError):
                await client.embed.tasks.status(TASK, request_options=options)
        first = m.requests[("GET", URL(URL_STATUS))][0].kwargs
    assert first["headers"]["X-Trace"] == "abc"
    assert first["timeout"].total == 20


async def test_own_field_names_work_in_a_dict() -> None:
    """The dict form also takes this SDK's names (timeout, extra_headers)."""
    async with AsyncTwelveLabs(KEY, base_url=BASE) as client:
        with aioresponses() as m:
            m.get(URL_STATUS, payload=BODY)
            await client.embed.tasks.status(
                TASK, request_options={"timeout": 7, "extra_headers": {"X-Own": "1"}}
            )
        sent = m.requests[("GET", URL(URL_STATUS))][0].kwargs
    assert (sent["headers"]["X-Own"], sent["timeout"].total) == ("1", 7)


async def test_unsupported_official_key_is_refused_before_sending() -> None:
    """A key of the official TypedDict that this SDK does not support raises, naming it."""
    async with AsyncTwelveLabs(KEY, base_url=BASE) as client:
        with aioresponses() as m:
            with pytest.raises(InvalidRequestError, match="additional_query_parameters"):
                await client.embed.tasks.status(
                    TASK,
                    request_options={"additional_query_parameters": {"a": 1}},  # type: ignore[arg-type]
                )
            assert m.requests == {}


@pytest.mark.parametrize("module", [embed, embed_tasks, embed_v2, embed_v2_tasks])
def test_every_resource_signature_takes_the_dict(module: object) -> None:
    """Each public resource method types request_options as RequestOptions, its dict, or None."""
    seen = 0
    for _, cls in inspect.getmembers(module, inspect.isclass):
        if cls.__module__ != getattr(module, "__name__", None):
            continue
        for name, func in inspect.getmembers(cls, inspect.isfunction):
            if name.startswith("_"):
                continue
            param = inspect.signature(func).parameters.get("request_options")
            if param is None:
                continue
            seen += 1
            assert param.annotation == "RequestOptions | RequestOptionsDict | None", (
                f"{cls.__name__}.{name}"
            )
    assert seen >= 1
