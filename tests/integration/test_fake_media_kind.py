"""The fake server refuses an upload of the wrong media kind as the API does: 400, flat body."""

from __future__ import annotations

import struct
from typing import Any

import aiohttp
import orjson

from twelvelabs_async.testing import FakeTwelveLabsServer

MP4 = struct.pack(">I4s4sI", 24, b"ftyp", b"isom", 512) + b"\0" * 2048
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\0" * 2048


async def _post(server: FakeTwelveLabsServer, path: str, field: str, content: bytes) -> Any:
    form = aiohttp.FormData()
    form.add_field("model_name", "marengo3.0")
    form.add_field(field, content, filename="upload.bin", content_type="application/octet-stream")
    async with (
        aiohttp.ClientSession(headers={"x-api-key": server.api_key}) as http,
        http.post(f"{server.base_url}{path}", data=form) as resp,
    ):
        return resp.status, orjson.loads(await resp.read())


async def test_a_video_sent_as_image_file_is_a_flat_400() -> None:
    """POST /embed with an MP4 as image_file answers 400 {code, message}, no vector."""
    async with FakeTwelveLabsServer() as server:
        status, body = await _post(server, "/embed", "image_file", MP4)
    assert status == 400
    assert set(body) >= {"code", "message"}
    assert "error" not in body
    assert body["code"] == "parameter_invalid"
    assert "image_file" in body["message"]


async def test_an_image_sent_as_video_file_is_refused_and_a_real_image_passes() -> None:
    """A JPEG as video_file is refused; the same JPEG as image_file is embedded."""
    async with FakeTwelveLabsServer() as server:
        status, body = await _post(server, "/embed/tasks", "video_file", JPEG)
        assert status == 400
        assert "video_file" in body["message"]
        status, body = await _post(server, "/embed", "image_file", JPEG)
        assert status == 200
        assert body["image_embedding"]["segments"][0]["float"]
