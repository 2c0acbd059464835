"""The one seam between resources and HTTP: a :class:`Requester`, and the :class:`Resource` base.

The client hands every resource a requester (its transport); a resource never imports the
client and never reads a private attribute of it. A new resource is one module::

    class Things(Resource):
        async def retrieve(self, thing_id: str, *, request_options=None) -> Thing:
            return await self._call("GET", ("things", thing_id), Thing,
                                    options=request_options)

:meth:`Resource._call` sends the request and turns the body into the model, in one place,
so that everything a response carries (headers, status) can be observed there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from twelvelabs_async._wire import MultipartField, Path, Response
    from twelvelabs_async.types import ProgressCallback, RequestOptions

__all__ = ["Requester", "Resource"]

M = TypeVar("M")


class Requester(Protocol):
    """What a resource may ask of the HTTP layer: one request, answered with a 2xx response.

    The transport implements it; tests of a resource may pass any object that does.
    """

    async def request(
        self,
        method: str,
        path: Path,
        *,
        params: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
        json: Any = None,
        multipart: Iterable[MultipartField] | None = None,
        options: RequestOptions | Mapping[str, Any] | None = None,
        create: bool = False,
        on_progress: ProgressCallback | None = None,
    ) -> Response:
        """Send one call (retrying what is safe) and return the first 2xx response."""
        ...


class Resource:
    """Base of every resource: holds the requester and turns responses into models.

    Args:
        requester: sends the requests (the client's transport).
    """

    def __init__(self, requester: Requester) -> None:
        self._requester = requester

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    async def _send(self, method: str, path: Path, **kwargs: Any) -> Response:
        """Send one request through the requester; the raw response, for callers that need it."""
        return await self._requester.request(method, path, **kwargs)

    async def _call(self, method: str, path: Path, model: type[M], **kwargs: Any) -> M:
        """Send one request and read its body as ``model``.

        Raises:
            ResponseValidationError: the body does not fit ``model``.
        """
        # Imported here: ``client.embed`` must not load the converter and the models for a
        # program that never calls it (a sys.modules lookup once loaded).
        from twelvelabs_async._convert import loads

        response = await self._send(method, path, **kwargs)
        return loads(response.body, model)
