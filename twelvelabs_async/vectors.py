"""Turn embedding results into numpy arrays (needs the ``numpy`` extra).

Install with ``pip install 'twelvelabs-async[numpy]'``, then::

    from twelvelabs_async.vectors import to_segment_array

    result = await client.embed.tasks.retrieve(task_id)
    seg = to_segment_array(result, scope="clip", option="visual")
    seg.vectors            # (n, d) float32, one row per segment
    seg.start, seg.end     # (n,) float64 seconds; NaN where the API gave none

Accepted results: a v1 task retrieve response (``video_embedding.segments``), a v1
``embed.create`` response (text, image and audio segments, each tagged with its modality as
``option``), a v2 sync or task response (``data``), or a plain list of such segments.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import attrs

from twelvelabs_async._segments import iter_segments
from twelvelabs_async.errors import InvalidRequestError

try:
    import numpy as np
    import numpy.typing as npt
except ImportError as exc:  # pragma: no cover - exercised by a test that hides numpy
    raise ImportError(
        "twelvelabs_async.vectors needs numpy; install it with "
        "pip install 'twelvelabs-async[numpy]'"
    ) from exc

__all__ = ["SegmentArray", "to_segment_array"]


@attrs.frozen(eq=False)
class SegmentArray:
    """Segments of one result as parallel arrays.

    Attributes:
        vectors: ``(n, d)`` float32 array, one row per segment.
        start: ``(n,)`` float64 start times in seconds (NaN for text and images).
        end: ``(n,)`` float64 end times in seconds (NaN for text and images).
        option: the ``embedding_option`` of each segment (``visual``, ``audio``, ...), or
            the modality (``text``, ``image``, ``audio``) for a v1 ``embed.create`` result.
        scope: the ``embedding_scope`` of each segment (``clip``, ``video``, ``asset``) or
            ``None``.
    """

    vectors: npt.NDArray[np.float32]
    start: npt.NDArray[np.float64]
    end: npt.NDArray[np.float64]
    option: tuple[str | None, ...]
    scope: tuple[str | None, ...]

    def __len__(self) -> int:
        return int(self.vectors.shape[0])

    @property
    def dimension(self) -> int:
        """The vector length ``d`` (0 when there are no segments)."""
        return int(self.vectors.shape[1])


def to_segment_array(
    result: object,
    *,
    modality: str | None = None,
    option: str | Iterable[str] | None = None,
    scope: str | Iterable[str] | None = None,
) -> SegmentArray:
    """Stack a result's segment vectors into one float32 matrix.

    Args:
        result: a v1 retrieve or ``embed.create`` response, a v2 response with ``data``,
            or a list of segments.
        modality: for a v1 ``embed.create`` response, keep only ``"text"``, ``"image"`` or
            ``"audio"``.
        option: keep only segments with this ``embedding_option`` (or one of these).
        scope: keep only segments with this ``embedding_scope`` (or one of these).

    Returns:
        A :class:`SegmentArray`; empty (shape ``(0, 0)``) when no segment is left.

    Raises:
        InvalidRequestError: the segments have vectors of different lengths (e.g. a 2.7 and a 3.0
            result mixed, or a 3.5 result at several dimensions), or a segment has no vector.
    """
    options = {option} if isinstance(option, str) else set(option) if option else None
    scopes = {scope} if isinstance(scope, str) else set(scope) if scope else None
    rows: list[Any] = []
    starts: list[float] = []
    ends: list[float] = []
    opts: list[str | None] = []
    scs: list[str | None] = []
    for index, record in enumerate(iter_segments(result, modality=modality)):
        if options is not None and record.option not in options:
            continue
        if scopes is not None and record.scope not in scopes:
            continue
        if record.vector is None:
            raise InvalidRequestError(
                f"segment {index} has no vector (expected a 'float_' or 'embedding'"
                " attribute); was the result retrieved before the task was ready?"
            )
        rows.append(record.vector)
        starts.append(math.nan if record.start_sec is None else record.start_sec)
        ends.append(math.nan if record.end_sec is None else record.end_sec)
        opts.append(record.option)
        scs.append(record.scope)

    lengths = sorted({len(r) for r in rows})
    if len(lengths) > 1:
        counts = {n: sum(1 for r in rows if len(r) == n) for n in lengths}
        described = ", ".join(f"{c} of length {n}" for n, c in counts.items())
        raise InvalidRequestError(
            f"cannot stack vectors of different lengths ({described}); vectors from "
            "different models or dimensions must not be mixed: filter with option=/scope= "
            "or convert each result separately"
        )
    vectors = np.asarray(rows, dtype=np.float32) if rows else np.zeros((0, 0), np.float32)
    return SegmentArray(
        vectors=vectors,
        start=np.asarray(starts, dtype=np.float64),
        end=np.asarray(ends, dtype=np.float64),
        option=tuple(opts),
        scope=tuple(scs),
    )
