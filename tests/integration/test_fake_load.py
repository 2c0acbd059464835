"""The fake server under load: thousands of concurrent requests from one session."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator

import aiohttp
import pytest

from twelvelabs_async.testing import FakeTwelveLabsServer


@pytest.mark.slow
async def test_two_thousand_concurrent_requests_all_answer_200() -> None:
    """2,000 concurrent status and retrieve requests on one session all answer 200."""
    async with FakeTwelveLabsServer(processing_time=0) as server:
        connector = aiohttp.TCPConnector(limit=0)
        headers = {"x-api-key": server.api_key}
        async with aiohttp.ClientSession(connector=connector, headers=headers) as http:
            data = aiohttp.FormData(
                [("model_name", "marengo3.0"), ("video_url", "https://x/v.mp4")],
                default_to_multipart=True,
            )
            async with http.post(server.base_url + "/embed/tasks", data=data) as resp:
                task_id = (await resp.json())["_id"]
            paths = [f"/embed/tasks/{task_id}", f"/embed/tasks/{task_id}/status"]

            async def one(i: int) -> int:
                async with http.get(server.base_url + paths[i % 2]) as resp:
                    await resp.read()
                    return resp.status

            # The timeout only guards against a hang; it is not a speed assertion.
            statuses = await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(2000))), 120)
    assert statuses == [200] * 2000
    assert len(server.requests) == 2001


@pytest.mark.slow
async def test_large_upload_is_counted_and_hashed_while_streaming() -> None:
    """A 64 MiB streamed upload is recorded with its exact size and SHA-256."""
    chunk = b"\x5a" * (1024 * 1024)
    digest = hashlib.sha256()
    for _ in range(64):
        digest.update(chunk)

    async def body() -> AsyncIterator[bytes]:

        for _ in range(64):
            yield chunk

    with aiohttp.MultipartWriter("form-data") as form:
        form.append("marengo3.0").set_content_disposition("form-data", name="model_name")
        part = form.append(body())
        part.set_content_disposition("form-data", name="video_file", filename="big.mp4")
    async with FakeTwelveLabsServer(processing_time=0) as server:
        key = {"x-api-key": server.api_key}
        async with (
            aiohttp.ClientSession(headers=key) as http,
            http.post(server.base_url + "/embed/tasks", data=form) as resp,
        ):
            assert resp.status == 200
    (upload,) = server.requests[0].files
    assert upload.size == 64 * 1024 * 1024
    assert upload.sha256 == digest.hexdigest()
