"""The one way segments are pulled out of an embedding result.

:func:`iter_segments` reads every result shape the API returns, by attribute name only so
that it does not depend on the generated classes (nor on numpy):

* a v1 task retrieve response (``video_embedding.segments``);
* a v1 ``/embed`` response (``text_embedding``, ``image_embedding``, ``audio_embedding``;
  each segment tagged with its modality as ``option`` when it carries none);
* a v2 sync or task response (``data``);
* a plain list of such segments.

``twelvelabs_async.vectors`` stacks the records into arrays, bulk jobs turn them into
:class:`~twelvelabs_async.bulk.Segment` rows for the writers and the vector stores.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from twelvelabs_async.errors import InvalidRequestError

__all__ = ["V1_MODALITIES", "SegmentRecord", "iter_segments", "modality_error_messages"]

#: The modalities of a v1 ``/embed`` response, in the order they are read.
V1_MODALITIES = ("text", "image", "audio")


@attrs.frozen
class SegmentRecord:
    """One segment of a result, as the API gave it.

    Attributes:
        vector: the embedding as sent (a list of floats, or ``None`` when the segment has
            none, e.g. a result read before its task was ready).
        start_sec: start in seconds (``None`` for text and images).
        end_sec: end in seconds.
        option: ``embedding_option`` (or the v1 ``/embed`` modality).
        scope: ``embedding_scope`` (``clip``, ``video``, ``asset``) or ``None``.
    """

    vector: Sequence[float] | None
    start_sec: float | None
    end_sec: float | None
    option: str | None
    scope: str | None


def _text(value: object) -> str | None:
    value = getattr(value, "value", value)  # an enum member
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _seconds(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _vector(segment: object) -> Any:
    for name in ("float_", "embedding", "float"):
        vector = getattr(segment, name, None)
        if vector is not None:
            return vector
    return None


def _containers(result: object, modality: str | None) -> Iterator[tuple[object, str | None]]:
    """The raw segments of a result, each with the option to report when it has none."""
    if isinstance(result, Sequence) and not isinstance(result, str | bytes):
        yield from ((s, None) for s in result)
        return
    data = getattr(result, "data", None)
    if isinstance(data, Sequence):
        yield from ((s, None) for s in data)
        return
    video = getattr(result, "video_embedding", None)
    if video is not None and modality is None:
        yield from ((s, None) for s in getattr(video, "segments", None) or ())
        return
    found = False
    for name in V1_MODALITIES:
        part = getattr(result, f"{name}_embedding", None)
        if part is None or (modality is not None and modality != name):
            continue
        found = True
        yield from ((s, name) for s in getattr(part, "segments", None) or ())
    if not found and modality is not None:
        raise InvalidRequestError(f"the result has no {modality}_embedding")


def iter_segments(result: object, *, modality: str | None = None) -> Iterator[SegmentRecord]:
    """Yield the segments of any v1 or v2 result, in the API's order.

    Args:
        result: a v1 retrieve or ``/embed`` response, a v2 response with ``data``, or a
            list of segments.
        modality: for a v1 ``/embed`` response, only ``"text"``, ``"image"`` or ``"audio"``.

    Yields:
        One :class:`SegmentRecord` per segment (also those without a vector).

    Raises:
        InvalidRequestError: ``modality`` names a modality the result does not hold.
    """
    for segment, fallback in _containers(result, modality):
        start = getattr(segment, "start_offset_sec", getattr(segment, "start_sec", None))
        end = getattr(segment, "end_offset_sec", getattr(segment, "end_sec", None))
        yield SegmentRecord(
            vector=_vector(segment),
            start_sec=_seconds(start),
            end_sec=_seconds(end),
            option=_text(getattr(segment, "embedding_option", None)) or fallback,
            scope=_text(getattr(segment, "embedding_scope", None)),
        )


def modality_error_messages(result: object) -> dict[str, str]:
    """The ``error_message`` of each failed modality of a v1 ``/embed`` response."""
    errors: dict[str, str] = {}
    for name in V1_MODALITIES:
        message = getattr(getattr(result, f"{name}_embedding", None), "error_message", None)
        if message:
            errors[name] = str(message)
    return errors
