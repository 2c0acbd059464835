"""The one seam between resources and HTTP: a :class:`Requester`, and the :class:`Resource` base.

The client hands every resource a requester (its transport); a resource never imports the
client and never reads a private attribute of it. A new resource is one module::

    class Things(Resource):
        async def retrieve(self, thing_id: str, *, request_options=None) -> Thing:
            return await self._call("GET", ("things", thing_id), Thing,
                                    options=request_options)

Every request goes through :func:`send`, which notes the HTTP response for whoever asked
to see it (:func:`capture_response`). That is how every resource gets, with no code of its
own, the official SDK's ``with_raw_response`` view::

    raw = await client.embed.tasks.with_raw_response.retrieve(task_id)
    raw.headers["x-request-id"], raw.status_code, raw.data  # one request, not two
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import inspect
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, Protocol, Self, TypeVar

if TYPE_CHECKING:
    from twelvelabs_async._wire import MultipartField, Path, Response
    from twelvelabs_async.types import ProgressCallback, RequestOptions

__all__ = ["RawResponse", "RawView", "Requester", "Resource", "capture_response", "send"]

M = TypeVar("M")
T = TypeVar("T")


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


@functools.cache
def _loads() -> Callable[[bytes, type[M]], M]:
    """The converter's ``loads``, imported on first use.

    ``client.embed`` must not load the converter and the models for a program that never
    calls it; an import statement in ``_call`` itself cost about 2 us on every request.
    """
    from twelvelabs_async._convert import loads

    return loads


class _Capture:
    """Holds the last HTTP response seen while a capture is active."""

    __slots__ = ("response",)

    def __init__(self) -> None:
        self.response: Response | None = None


# A mutable holder rather than the response itself: tasks started inside a capture get a
# copy of the context, and must still report to the same holder.
_CAPTURE: contextvars.ContextVar[_Capture | None] = contextvars.ContextVar(
    "twelvelabs_async_capture", default=None
)


@contextlib.contextmanager
def capture_response() -> Iterator[_Capture]:
    """Note the last HTTP response that :func:`send` returns inside the ``with`` block.

    Yields:
        A holder whose ``.response`` is the last response (``None`` if no request was made).
    """
    holder = _Capture()
    token = _CAPTURE.set(holder)
    try:
        yield holder
    finally:
        _CAPTURE.reset(token)


async def send(requester: Requester, method: str, path: Path, **kwargs: Any) -> Response:
    """Send one request through ``requester``, noting the response for an active capture.

    Returns:
        The 2xx response.
    """
    response = await requester.request(method, path, **kwargs)
    holder = _CAPTURE.get()
    if holder is not None:
        holder.response = response
    return response


class RawResponse(Generic[T]):
    """A call's result together with the HTTP response it came from (official SDK shape).

    Attributes:
        data: what the call returns normally (the parsed model).
        response: the HTTP response (``None`` when the call made no request).
    """

    __slots__ = ("data", "response")

    def __init__(self, data: T, response: Response | None) -> None:
        self.data = data
        self.response = response

    @property
    def headers(self) -> Mapping[str, str]:
        """The response headers (case-insensitive); empty when no request was made."""
        return self.response.headers if self.response is not None else {}

    @property
    def status_code(self) -> int | None:
        """The HTTP status of the response."""
        return self.response.status if self.response is not None else None

    @property
    def request_id(self) -> str | None:
        """The response's request id header, if any (quote it to support)."""
        return self.response.request_id if self.response is not None else None

    async def close(self) -> None:
        """Do nothing: the body was read whole (kept for code written for the official SDK)."""

    def __repr__(self) -> str:
        return f"RawResponse(status_code={self.status_code}, data={type(self.data).__name__})"


class RawView(Generic[M]):
    """``resource.with_raw_response``: the resource's methods, returning :class:`RawResponse`.

    Each method makes exactly the requests it makes normally; the view only keeps the
    last HTTP response. A method that returns a pager (``list``) gives the pager itself
    with its first page loaded, whose ``.response`` holds the headers, as in the official
    SDK.
    Methods that make several requests (``wait_for_done``, ``create_and_retrieve``) report
    the last one.

    Args:
        resource: the resource whose methods are wrapped.
    """

    __slots__ = ("_resource",)

    def __init__(self, resource: M) -> None:
        self._resource = resource

    def __repr__(self) -> str:
        return f"{type(self._resource).__name__}.with_raw_response"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        target = getattr(self._resource, name)
        if isinstance(target, Resource):
            return target.with_raw_response
        if not callable(target):
            raise AttributeError(f"{name} is not a method of {type(self._resource).__name__}")
        return _raw_method(target)


def _raw_method(method: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    async def call(*args: Any, **kwargs: Any) -> Any:
        with capture_response() as holder:
            result = method(*args, **kwargs)
            if inspect.isawaitable(result):
                result = await result
        from twelvelabs_async._pagination import AsyncPager

        if isinstance(result, AsyncPager):
            # The official raw ``list`` returns the pager itself; its ``.response`` has the
            # headers of the page it loaded.
            return result
        return RawResponse(result, holder.response)

    call.__name__ = getattr(method, "__name__", "call")
    call.__doc__ = getattr(method, "__doc__", None)
    return call


class Resource:
    """Base of every resource: holds the requester and turns responses into models.

    Args:
        requester: sends the requests (the client's transport).
    """

    def __init__(self, requester: Requester) -> None:
        self._requester = requester

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    @property
    def with_raw_response(self) -> RawView[Self]:
        """This resource's methods, each returning a :class:`RawResponse` (``.data``,
        ``.headers``, ``.status_code``) instead of the bare model; no extra request."""
        return RawView(self)

    async def _send(self, method: str, path: Path, **kwargs: Any) -> Response:
        """Send one request through the requester; the raw response, for callers that need it."""
        return await send(self._requester, method, path, **kwargs)

    async def _call(self, method: str, path: Path, model: type[M], **kwargs: Any) -> M:
        """Send one request and read its body as ``model``.

        Raises:
            ResponseValidationError: the body does not fit ``model``.
        """
        # send() directly, not self._send(): one coroutine frame less on every status poll.
        response = await send(self._requester, method, path, **kwargs)
        return _loads()(response.body, model)
