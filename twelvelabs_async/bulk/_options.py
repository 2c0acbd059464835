"""``BulkOptions``: every setting of a bulk job in one frozen object, checked once."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

import attrs

from twelvelabs_async.errors import InvalidRequestError

from ._calls import API_NAMES, ApiName

__all__ = ["BulkOptions", "BulkSettings"]

# Create keywords that v2 takes at the top level of the request, not in the media object.
_TOP_LEVEL = ("embedding_dimension", "embedding_uncertainty")


def _count(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidRequestError(f"{name} must be a positive integer, got {value!r}")


def _seconds(name: str, value: object, *, zero_ok: bool = False) -> None:
    ok = (
        not isinstance(value, bool)
        and isinstance(value, int | float)
        and math.isfinite(value)
        and (value >= 0 if zero_ok else value > 0)
    )
    if not ok:
        bound = ">= 0" if zero_ok else "> 0"
        raise InvalidRequestError(f"{name} must be a number of seconds {bound}, got {value!r}")


def _as_dict(value: Mapping[str, Any] | None) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidRequestError(
            f"options must be a mapping of create keywords, got {type(value).__name__}"
        )
    return dict(value)


def _names(value: Sequence[str] | None) -> tuple[str, ...] | None:
    if isinstance(value, str):
        raise InvalidRequestError("embedding_option must be a list of strings, not a string")
    return tuple(value) if value else None


@attrs.frozen(kw_only=True)
class BulkOptions:
    """What a bulk job does with every input; invalid values raise when it is built.

    ::

        settings = BulkOptions(model_name="marengo3.0", api="v2", concurrency=16,
                               options={"embedding_scope": ["clip", "asset"]})
        job = BulkEmbedJob(client, paths, settings, journal="job.jsonl")

    ``BulkEmbedJob(client, paths, model_name=..., concurrency=...)`` builds one from its
    keywords.

    Attributes:
        model_name: the model, e.g. ``"marengo3.0"``.
        api: ``"v1"`` (video tasks, other media by ``/embed``), ``"v2"`` (audio and video
            tasks, other media by ``/embed-v2``) or ``"v2-sync"`` (everything by
            ``/embed-v2``; media up to 10 minutes).
        concurrency: creates and uploads (and synchronous calls) in flight at once.
        wait_concurrency: tasks waited for at once (``None``: ``4 * concurrency``).
        options: create keywords applied to every input: for v1 tasks the keywords of
            ``tasks.create`` (``video_clip_length``, ``video_embedding_scope``, ...); for
            v2 the fields of the media object (``segmentation``, ``embedding_scope``, ...)
            plus top-level ``embedding_dimension`` / ``embedding_uncertainty``.
        embedding_option: which embeddings to get (``visual``, ``audio``,
            ``transcription``): v1 passes it to ``retrieve``, v2 to the media object.
        poll_interval: seconds between status reads of one task.
        task_timeout: give up waiting for one task after this many seconds (``None``:
            no limit); the input fails, and a resumed job waits for it again.
        max_attempts: tries of one step (create, wait) after transient errors.
        max_rate_limit_waits: 429s one input may meet before it fails.
        retry_failed: on resume, try again the inputs whose earlier failure was final
            (a failed task, a rejected request).
        reconcile_delay: seconds to wait after a create with an unknown outcome before
            looking for its task in the list.
        fsync: make journal lines durable (leave on outside tests).
    """

    model_name: str
    api: ApiName = "v1"
    concurrency: int = 8
    wait_concurrency: int | None = None
    options: Mapping[str, Any] = attrs.field(factory=dict, converter=_as_dict)
    embedding_option: tuple[str, ...] | None = attrs.field(default=None, converter=_names)
    poll_interval: float = 5.0
    task_timeout: float | None = None
    max_attempts: int = 4
    max_rate_limit_waits: int = 50
    retry_failed: bool = False
    reconcile_delay: float = 1.0
    fsync: bool = True

    def __attrs_post_init__(self) -> None:
        if self.api not in API_NAMES:
            raise InvalidRequestError(f"api must be one of {', '.join(API_NAMES)}")
        if not isinstance(self.model_name, str) or not self.model_name:
            raise InvalidRequestError("model_name must be a non-empty string, e.g. 'marengo3.0'")
        _count("concurrency", self.concurrency)
        if self.wait_concurrency is not None:
            _count("wait_concurrency", self.wait_concurrency)
        _count("max_attempts", self.max_attempts)
        if isinstance(self.max_rate_limit_waits, bool) or not isinstance(
            self.max_rate_limit_waits, int
        ):
            raise InvalidRequestError(
                f"max_rate_limit_waits must be an integer, got {self.max_rate_limit_waits!r}"
            )
        _seconds("poll_interval", self.poll_interval)
        if self.task_timeout is not None:
            _seconds("task_timeout", self.task_timeout)
        _seconds("reconcile_delay", self.reconcile_delay, zero_ok=True)

    @property
    def wait_limit(self) -> int:
        """Tasks waited for at once: ``wait_concurrency``, or ``4 * concurrency``."""
        return 4 * self.concurrency if self.wait_concurrency is None else self.wait_concurrency

    @property
    def top_level(self) -> dict[str, Any]:
        """The create keywords v2 takes at the top level of the request."""
        return {k: self.options[k] for k in _TOP_LEVEL if k in self.options}

    @property
    def create_keywords(self) -> dict[str, Any]:
        """The create keywords of the media object (v2) or of ``tasks.create`` (v1)."""
        opts = {k: v for k, v in self.options.items() if k not in _TOP_LEVEL}
        if self.embedding_option and self.api != "v1":
            opts.setdefault("embedding_option", list(self.embedding_option))
        return opts

    @property
    def retrieve_option(self) -> list[str] | None:
        """``embedding_option`` as a list, for v1 ``retrieve``."""
        return list(self.embedding_option) if self.embedding_option else None

    def key_options(self) -> dict[str, Any]:
        """What makes two runs the same job: it keys the inputs and heads the journal."""
        key: dict[str, Any] = {
            "api": self.api,
            "model_name": self.model_name,
            "options": self.create_keywords,
        }
        key.update(self.top_level)
        if self.embedding_option:
            key["embedding_option"] = list(self.embedding_option)
        return key


class BulkSettings(TypedDict, total=False):
    """The keyword form of :class:`BulkOptions` taken by ``BulkEmbedJob`` (same names)."""

    model_name: str
    api: ApiName
    concurrency: int
    wait_concurrency: int | None
    options: Mapping[str, Any] | None
    embedding_option: Sequence[str] | None
    poll_interval: float
    task_timeout: float | None
    max_attempts: int
    max_rate_limit_waits: int
    retry_failed: bool
    reconcile_delay: float
    fsync: bool


def build_options(settings: BulkOptions | None, keywords: Mapping[str, Any]) -> BulkOptions:
    """The job's settings: ``settings`` as given, or built from the keyword form.

    Raises:
        InvalidRequestError: both forms given, an unknown keyword, no ``model_name``, or an
            invalid value.
    """
    if settings is not None:
        if not isinstance(settings, BulkOptions):
            raise InvalidRequestError(
                f"the third argument must be a BulkOptions, got {type(settings).__name__}"
            )
        if keywords:
            raise InvalidRequestError(
                f"pass the job's settings either as BulkOptions or as keywords, not both "
                f"(got {', '.join(sorted(keywords))} as well)"
            )
        return settings
    known = {f.name for f in attrs.fields(BulkOptions)}
    unknown = sorted(set(keywords) - known)
    if unknown:
        raise InvalidRequestError(
            f"unknown bulk job setting(s) {', '.join(unknown)}; use {', '.join(sorted(known))}"
        )
    if "model_name" not in keywords:
        raise InvalidRequestError("model_name is required, e.g. model_name='marengo3.0'")
    return BulkOptions(**keywords)
