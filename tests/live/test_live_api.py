"""Opt-in checks against the real Twelve Labs API.

They run only when ``TWELVELABS_API_KEY`` is set (and spend a little of that account's quota);
otherwise every test here is skipped. Base URL from ``TWELVELABS_BASE_URL`` if set.
"""

from __future__ import annotations

import os

import pytest

from twelvelabs_async import AsyncTwelveLabs, NotFoundError

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        not os.environ.get("TWELVELABS_API_KEY"),
        reason="live API tests need TWELVELABS_API_KEY",
    ),
]


async def test_live_v2_text_embedding_has_512_dimensions() -> None:
    """A v2 text embedding with marengo3.0 returns one 512-value vector."""
    async with AsyncTwelveLabs() as client:
        res = await client.embed.v2.create(model_name="marengo3.0", input_type="text", text="a cat")
    assert len(res.data) == 1
    assert len(res.data[0].embedding) == 512


async def test_live_v1_text_embedding_has_512_dimensions() -> None:
    """A v1 /embed text call with marengo3.0 returns one 512-value segment."""
    async with AsyncTwelveLabs() as client:
        res = await client.embed.create(model_name="marengo3.0", text="a cat")
    assert res.text_embedding is not None
    assert res.text_embedding.segments is not None
    assert res.text_embedding.segments[0].float_ is not None
    assert len(res.text_embedding.segments[0].float_) == 512


async def test_live_unknown_v2_task_is_not_found() -> None:
    """Retrieving a v2 task id that does not exist raises NotFoundError."""
    async with AsyncTwelveLabs() as client:
        with pytest.raises(NotFoundError):
            await client.embed.v2.tasks.retrieve("000000000000000000000000")


async def test_live_task_list_walks_pages() -> None:
    """Listing v1 tasks walks the pages without error (possibly zero items)."""
    async with AsyncTwelveLabs() as client:
        tasks = await client.embed.tasks.list(page_limit=50).to_list(limit=120)
    assert all(t.id for t in tasks)
