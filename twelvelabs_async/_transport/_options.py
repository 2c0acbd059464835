"""Per-call request options: what a resource's ``request_options`` argument may be."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from twelvelabs_async.errors import InvalidRequestError
from twelvelabs_async.types import RequestOptions

__all__ = ["DEFAULT_OPTIONS", "as_options"]

#: The official SDK's ``request_options`` keys (a TypedDict) and ours they map to.
_OPTION_ALIASES = {"timeout_in_seconds": "timeout", "additional_headers": "extra_headers"}


#: Shared by every call made without options (``RequestOptions`` is frozen).
DEFAULT_OPTIONS = RequestOptions()


def as_options(options: object) -> RequestOptions:
    """Accept ``RequestOptions``, ``None`` or a dict (as the official SDK takes) of options.

    Raises:
        InvalidRequestError: an unknown option, a bad value, or not a mapping at all.
    """
    if options is None:
        return DEFAULT_OPTIONS
    if isinstance(options, RequestOptions):
        return options
    if isinstance(options, Mapping):
        fields = {f.name for f in attrs.fields(RequestOptions)}
        values: dict[str, Any] = {}
        for key, value in options.items():
            name = _OPTION_ALIASES.get(key, key)
            if name not in fields:
                known = ", ".join(sorted(fields | set(_OPTION_ALIASES)))
                raise InvalidRequestError(
                    f"request_options: unsupported option {key!r}; use {known}"
                )
            values[name] = value
        try:
            return RequestOptions(**values)
        except (TypeError, ValueError) as exc:
            raise InvalidRequestError(f"request_options: {exc}") from None
    raise InvalidRequestError(
        "request_options must be a RequestOptions or a dict of its fields, got "
        f"{type(options).__name__}"
    )
