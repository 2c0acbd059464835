"""Deterministic unit vectors and segment layouts for the fake server.

Vectors are derived from a SHAKE-256 stream seeded by the model, the input identity, the
option and the segment, so the same request always yields the same numbers, with or without
numpy. They are not semantic; they relate only through *labels*, stated here so that demo
results can be explained:

* a media input's labels are the words of its file name's stem (``goal_2.mp4`` and
  ``https://x/Goal.mp4`` have the label ``goal``; digits and punctuation split words);
* a text's labels are the words of the text (``"a goal in the last minute"`` has six);
* every label has its own random direction (:func:`label_vector`); a media vector is
  noise plus its labels' directions, a text vector is a little noise plus its labels'.

A text query that contains a word of a file's name therefore ranks that file's segments
first (cosine about 0.6 for a one-word query, 0.3 for a six-word one, against about 0.05
for unrelated vectors), and nothing else makes two vectors close.
"""

from __future__ import annotations

import hashlib
import importlib
import math
import posixpath
import re
from array import array
from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from twelvelabs_async import limits
from twelvelabs_async.errors import InvalidStateError

# numpy only speeds up the arithmetic; results are identical without it.
_np: Any
try:
    _np = importlib.import_module("numpy")
except ImportError:  # pragma: no cover - exercised where numpy is absent
    _np = None

MODEL_DIMENSIONS: dict[str, int] = dict(limits.MODEL_DIMENSIONS)
"""Full vector length per model name (from :mod:`twelvelabs_async.limits`)."""

_SCALE = 2.0 / 4294967296.0
# Weight of the labels in a media vector: cosine(label, segment) lands near 0.7, far
# above the ~0.05 of two unrelated 512-dimensional random vectors.
_ANCHOR_WEIGHT = 1.0
# Weight of a text's own noise next to its labels: small, so that a query's words decide
# what it is close to.
_TEXT_NOISE = 0.5


def _raw(seed: str, dim: int) -> list[float]:
    digest = hashlib.shake_256(seed.encode()).digest(dim * 4)
    if _np is not None:
        values = _np.frombuffer(digest, dtype="<u4").astype(_np.float64) * _SCALE - 1.0
        result: list[float] = values.tolist()
        return result
    words = array("I")
    words.frombytes(digest)
    if words.itemsize != 4:  # pragma: no cover - no mainstream platform has this
        raise InvalidStateError("unsigned int is not 4 bytes on this platform")
    if array("H", [1]).tobytes()[0] == 0:  # pragma: no cover - big-endian hosts
        words.byteswap()
    return [w * _SCALE - 1.0 for w in words]


def _normalize(values: list[float]) -> list[float]:
    # fsum is exactly rounded, so both arithmetic paths produce the same norm bit for bit.
    norm = math.sqrt(math.fsum(v * v for v in values))
    if norm == 0.0:  # pragma: no cover - a zero SHAKE stream is not going to happen
        return values
    return [v / norm for v in values]


def url_file_name(name: str) -> str:
    """Return the last path segment of a URL or path (``"https://x/a/b.mp4"`` -> ``"b.mp4"``).

    Args:
        name: A file name, a path or a URL.

    Returns:
        The file name part, as written.
    """
    path = urlsplit(name).path if "://" in name else name
    return posixpath.basename(path.replace("\\", "/"))


def name_stem(name: str) -> str:
    """Return the lowercase file stem of a file name or URL (``"Match.MP4"`` -> ``"match"``).

    Args:
        name: A file name, a path or a URL.

    Returns:
        The stem used as the similarity anchor for that media.
    """
    path = urlsplit(name).path if "://" in name else name
    base = posixpath.basename(path.replace("\\", "/"))
    stem, _dot, _ext = base.rpartition(".")
    return (stem or base).strip().lower()


def label_words(text: str) -> list[str]:
    """Return the labels of a text or a file stem: its lowercase words, digits dropped.

    Args:
        text: A query text or a file stem.

    Returns:
        The distinct words, in order of appearance.
    """
    return list(dict.fromkeys(re.findall(r"[^\W\d_]+", text.lower())))


@lru_cache(maxsize=4096)
def label_vector(model: str, label: str, dim: int) -> tuple[float, ...]:
    """Return the random unit direction of one label.

    Args:
        model: The model name (labels of different models are unrelated).
        label: One word.
        dim: The vector length.

    Returns:
        A unit vector of length ``dim``.
    """
    return tuple(_normalize(_raw(f"{model}\x00label\x00{label}", dim)))


def _with_labels(
    noise: list[float], weight: float, model: str, labels: list[str], dim: int
) -> list[float]:
    total = [v * weight for v in noise]
    for label in labels:
        total = [t + a for t, a in zip(total, label_vector(model, label, dim), strict=True)]
    return _normalize(total)


@lru_cache(maxsize=4096)
def text_vector(model: str, text: str, dim: int) -> tuple[float, ...]:
    """Return the unit vector for a text input: a little noise plus its labels.

    Args:
        model: The model name (vectors of different models are unrelated).
        text: The text; case and surrounding whitespace do not matter.
        dim: The vector length.

    Returns:
        A unit vector of length ``dim``.
    """
    key = text.strip().lower()
    noise = _normalize(_raw(f"{model}\x00text\x00{key}", dim))
    return tuple(_with_labels(noise, _TEXT_NOISE, model, label_words(key), dim))


def media_vector(
    model: str,
    identity: str,
    anchor_name: str | None,
    option: str,
    segment: str,
    dim: int,
) -> list[float]:
    """Return the unit vector for one segment of a media input.

    Args:
        model: The model name.
        identity: What identifies the input (a URL, or a file hash).
        anchor_name: A file name or URL whose stem's words are the segment's labels;
            ``None`` for no label.
        option: The embedding option (``visual``, ``audio``, ...).
        segment: A label of the segment, for instance ``"clip:0.0-6.0"``.
        dim: The vector length.

    Returns:
        A unit vector of length ``dim``.
    """
    noise = _normalize(_raw(f"{model}\x00{identity}\x00{option}\x00{segment}", dim))
    labels = label_words(name_stem(anchor_name)) if anchor_name else []
    if not labels:
        return noise
    anchor = _with_labels([0.0] * dim, 0.0, model, labels, dim)
    return _normalize([a * _ANCHOR_WEIGHT + n for a, n in zip(anchor, noise, strict=True)])


def truncate_dimension(vector: Sequence[float], dim: int) -> list[float]:
    """Return the first ``dim`` values re-normalized (Matryoshka-style shorter vectors).

    Args:
        vector: A full-length vector.
        dim: The requested length.

    Returns:
        A unit vector of length ``dim``.
    """
    return _normalize(list(vector[:dim]))


def fixed_segments(start: float, end: float, length: float) -> list[tuple[float, float]]:
    """Cut ``[start, end]`` into clips of ``length`` seconds, dropping a final clip under 2 s.

    Args:
        start: Start of the span in seconds.
        end: End of the span in seconds.
        length: Clip length in seconds (positive).

    Returns:
        A list of ``(start, end)`` pairs.
    """
    spans: list[tuple[float, float]] = []
    index = 0
    while True:
        clip_start = start + index * length
        if clip_start >= end - 1e-9:
            break
        clip_end = min(clip_start + length, end)
        if clip_end - clip_start < 2.0 and spans:
            break
        spans.append((round(clip_start, 3), round(clip_end, 3)))
        index += 1
    return spans


def dynamic_segments(
    start: float, end: float, min_duration: float, identity: str
) -> list[tuple[float, float]]:
    """Cut a span at pseudo scene boundaries that are stable for a given input.

    Each segment lasts between ``min_duration`` and ``min_duration + 4`` seconds, chosen
    from a hash of the input, so repeated calls give the same layout.

    Args:
        start: Start of the span in seconds.
        end: End of the span in seconds.
        min_duration: Shortest segment in seconds.
        identity: What identifies the input.

    Returns:
        A list of ``(start, end)`` pairs.
    """
    digest = hashlib.shake_256(f"scenes\x00{identity}".encode()).digest(256)
    spans: list[tuple[float, float]] = []
    position = start
    index = 0
    while position < end - 1e-9:
        extra = digest[index % len(digest)] / 255.0 * 4.0
        seg_end = min(position + min_duration + round(extra, 1), end)
        if seg_end - position < 2.0 and spans:
            break
        spans.append((round(position, 3), round(seg_end, 3)))
        position = seg_end
        index += 1
    return spans
