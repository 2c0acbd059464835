"""The only package that does HTTP (and the only one importing aiohttp's client side).

``_core`` holds :class:`Transport` and its retry loop; ``_session`` owns the aiohttp session,
``_attempt`` builds one attempt's body and maps aiohttp's failures, ``_read`` reads a body
within its size limit, ``_headers`` checks and builds headers, ``_redirect`` decides which
redirects are followed, ``_options`` reads per-call options.

Internal API for resources::

    response = await transport.request(
        "GET", ("embed-v2", "tasks", task_id),       # or "embed/tasks" (no leading slash)
        params={"page": 1, "embedding_option": ["visual", "audio"]},  # repeated keys
        options=request_options,                      # per-call RequestOptions or None
    )
    response.status, response.headers, response.body, response.request_id, response.json()

    await transport.request("POST", "embed-v2/tasks", json={...}, create=True)
    await transport.request("POST", "embed/tasks", create=True,
        multipart=[
            ("model_name", "marengo3.0"),             # str (or int/float/bool) -> text field
            ("video_embedding_scope", "clip"),        # repeated names allowed
            ("video_embedding_scope", "video"),
            ("video_file", to_upload(video_file, field="video_file")),  # a str is a PATH
        ],
    )

* ``multipart`` values that are ``str`` are text fields; anything else there must be a
  file input that is not a ``str`` (an :class:`~twelvelabs_async._uploads.UploadFile`
  from :func:`~twelvelabs_async._uploads.to_upload`, bytes, a path object, ...).
  Call :func:`~twelvelabs_async._uploads.to_upload` in the resource if you want the
  file checked together with the other arguments; the transport checks it anyway before
  sending anything.

* ``path`` is relative to the base URL (whose ``/v1.3`` path is kept). A ``str`` is used
  as written (already safe); a tuple/list is a sequence of segments, each fully quoted:
  use that form whenever a segment (a task id) comes from a user.
* ``params``: a mapping or a list of pairs; sequence values repeat the key; ``None``
  values are dropped; bools are sent as ``true``/``false``.
* Returns a :class:`Response` for any 2xx status; raises
  :class:`~twelvelabs_async.errors.APIStatusError` subclasses for other statuses,
  :class:`~twelvelabs_async.errors.APIConnectionError` / ``APITimeoutError`` when no
  response arrived. No aiohttp exception escapes; ``asyncio.CancelledError`` passes through.

Retries (see :mod:`twelvelabs_async._retry` for the waits): connection errors, 408, 429
and 5xx, up to ``max_retries`` times. A call made with ``create=True`` is retried only
when nothing can have been created (a 429, or a connection that never opened); any other
failure of a create says in its message that the task may exist and how to look for it.

Bodies are read within ``max_response_size`` (client default, or per call), else
:class:`~twelvelabs_async.errors.ResponseTooLargeError`. Header values are checked for
control characters before anything is sent.

Redirects are not followed by aiohttp: a same-origin redirect of a GET is followed here
(up to 5 hops, then a "too many redirects" error); any other redirect raises, so the
``x-api-key`` header never travels to another host (aiohttp strips ``Authorization`` on
such redirects but not custom headers).
"""

from twelvelabs_async._transport._core import Transport
from twelvelabs_async._transport._headers import check_headers
from twelvelabs_async._transport._read import DEFAULT_MAX_RESPONSE_SIZE
from twelvelabs_async._transport._session import ClientSession, SessionPool
from twelvelabs_async._wire import Path, Response

__all__ = [
    "DEFAULT_MAX_RESPONSE_SIZE",
    "ClientSession",
    "Path",
    "Response",
    "SessionPool",
    "Transport",
    "check_headers",
]
