"""The Embed API resource (``client.embed``); placeholder filled in by the resources work."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from twelvelabs_async._transport import Transport
    from twelvelabs_async.client import AsyncTwelveLabs

__all__ = ["Embed"]


class Embed:
    """Embed API v1 calls; ``.v2`` will hold Embed API v2.

    Args:
        client: the owning client; requests go through its transport.
    """

    def __init__(self, client: AsyncTwelveLabs) -> None:
        self._client = client
        self._transport: Transport = client._transport
