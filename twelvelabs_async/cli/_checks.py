"""Checks of the ``embed`` command line, run once before any input, journal or output is touched.

Job-wide options (model, clip length, scopes, embedding options) are checked by building
one placeholder request with the SDK's own validators: a wrong ``--model`` is one usage
error (exit 2), not one failure per input, and no journal is started for a job that cannot
run.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

from twelvelabs_async.errors import InvalidRequestError

from ._common import UsageError

__all__ = ["check_inputs", "check_job_options"]

#: A placeholder media URL: the request built with it is checked, never sent.
_PROBE_URL = "https://probe.invalid/input.mp4"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_SUPPORTED_SCHEMES = ("http", "https")


def check_job_options(
    api: str,
    model_name: str,
    options: Mapping[str, Any],
    embedding_option: Sequence[str] | None,
) -> None:
    """Check the options every input of a job shares, with the SDK's request validators.

    Raises:
        UsageError: an option is invalid; the message is the validator's, plus the flags
            to look at.
    """
    from twelvelabs_async import _validate_v1, _validate_v2

    try:
        if api == "v1":
            _validate_v1.check_model_name(model_name)
            _validate_v1.build_task_fields(model_name=model_name, video_url=_PROBE_URL, **options)
            _validate_v1.build_retrieve_query(list(embedding_option or []) or None)
        else:
            video = {"media_source": {"url": _PROBE_URL}, **options}
            if embedding_option:
                video["embedding_option"] = list(embedding_option)
            if api == "v2-sync":
                _validate_v2.build_sync_body(input_type="video", model_name=model_name, video=video)
            else:
                _validate_v2.build_task_body(input_type="video", model_name=model_name, video=video)
    except InvalidRequestError as exc:
        raise UsageError(
            f"{exc} (check --model, --api, --clip-length, --scope and --option; nothing was"
            " sent and no journal was started)"
        ) from None


def check_inputs(inputs: Sequence[str]) -> None:
    """Refuse inputs that name a scheme other than http(s): they are neither URLs nor files.

    A one-letter scheme is a Windows drive (``C:\\videos``) and passes.

    Raises:
        UsageError: an input such as ``ftp://host/a.mp4`` or ``htp:/typo``.
    """
    for value in inputs:
        match = _SCHEME.match(value)
        if match is None or len(match.group(1)) == 1 or os.path.exists(value):
            continue
        scheme = match.group(1).lower()
        if scheme in _SUPPORTED_SCHEMES:
            if not value.lower().startswith(f"{scheme}://"):
                raise UsageError(
                    f"input {value!r} is not a valid URL: write it as {scheme}://host/path"
                )
            continue
        raise UsageError(
            f"input {value!r} uses the {scheme!r} scheme: only http:// and https:// URLs and"
            " local files can be embedded (download the file, or give an http(s) URL)"
        )
