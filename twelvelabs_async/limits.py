"""The documented limits of the Embed API, in one table.

The request validators and the fake server (:mod:`twelvelabs_async.testing`) both read
these values instead of writing their own numbers, and a test checks the ranges, counts
and enumerations of ``openapi/embed.yaml`` against them, so the three cannot drift apart.
Import them to size your own inputs::

    from twelvelabs_async import limits

    if len(sources) > limits.MAX_MULTI_INPUT_SOURCES:
        ...
    limits.MODEL_DIMENSIONS["marengo3.5"]      # 512
    limits.SYNC_MAX_SECONDS["marengo3.5"]      # 30.0

Where the sources disagree (the largest image, the base64 limit) the larger reading is
used, so that a request the API accepts is never refused here; the server has the last word.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = [
    "BASE64_MAX_BYTES",
    "DEFAULT_EMBEDDING_DIMENSION",
    "DEFAULT_OPTIONS",
    "DOCUMENT_EXTENSIONS",
    "DOCUMENT_OPTIONS",
    "DOCUMENT_SCOPES",
    "DOCUMENT_SPATIAL_STRATEGIES",
    "DYNAMIC_MIN_DURATION_SEC",
    "EMBEDDING_DIMENSIONS",
    "FIXED_DURATION_SEC",
    "MARENGO_27",
    "MARENGO_30",
    "MARENGO_35",
    "MAX_MULTI_INPUT_SOURCES",
    "MAX_PAGE_LIMIT",
    "MAX_SENTENCES_MIN",
    "MODEL_DIMENSIONS",
    "QUADRANTS",
    "SYNC_INPUT_TYPES",
    "SYNC_MAX_SECONDS",
    "TASK_INPUT_TYPES",
    "TASK_MAX_SECONDS",
    "TASK_MIN_SECONDS",
    "TEXT_TOKENS",
    "V1_CLIP_LENGTH_SEC",
    "V1_DEFAULT_CLIP_LENGTH_SEC",
    "V1_MODELS",
    "V2_MODELS",
    "Range",
]


class Range(NamedTuple):
    """An inclusive range; ``high`` is ``None`` when the API documents no upper bound."""

    low: float
    high: float | None

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, int | float) or isinstance(value, bool):
            return False
        return self.low <= value and (self.high is None or value <= self.high)

    def describe(self) -> str:
        """``"2 to 10"`` or ``"2 or more"``, for messages."""
        low = f"{self.low:g}"
        return f"{low} or more" if self.high is None else f"{low} to {self.high:g}"


# --------------------------------------------------------------------------- models

MARENGO_27 = "Marengo-retrieval-2.7"
MARENGO_30 = "marengo3.0"
MARENGO_35 = "marengo3.5"

#: Models of the v1 endpoints (2.7 is deprecated) and of the v2 endpoints.
V1_MODELS: tuple[str, ...] = (MARENGO_30, MARENGO_27)
V2_MODELS: tuple[str, ...] = (MARENGO_30, MARENGO_35)

#: Full vector length per model. Vectors of different models must never be mixed.
MODEL_DIMENSIONS: dict[str, int] = {MARENGO_27: 1024, MARENGO_30: 512, MARENGO_35: 512}
#: ``embedding_dimension`` values (Marengo 3.5 only; shorter vectors are prefixes).
EMBEDDING_DIMENSIONS: tuple[int, ...] = (128, 256, 512)
DEFAULT_EMBEDDING_DIMENSION = 512
#: Text limit per model, in tokens (3.0 cuts longer text; 3.5 refuses it unless
#: ``auto_truncate``).
TEXT_TOKENS: dict[str, int] = {MARENGO_27: 77, MARENGO_30: 500, MARENGO_35: 2000}

# --------------------------------------------------------------------------- input types

#: ``input_type`` values of ``POST /embed-v2`` per model (3.5 takes only multi_input).
SYNC_INPUT_TYPES: dict[str, tuple[str, ...]] = {
    MARENGO_30: ("text", "image", "text_image", "audio", "video", "multi_input"),
    MARENGO_35: ("multi_input",),
}
#: ``input_type`` values of ``POST /embed-v2/tasks`` per model.
TASK_INPUT_TYPES: dict[str, tuple[str, ...]] = {
    MARENGO_30: ("audio", "video"),
    MARENGO_35: ("audio", "video", "image", "document"),
}
#: Allowed ``embedding_option`` values per (model, input type); also the server defaults.
DEFAULT_OPTIONS: dict[tuple[str, str], tuple[str, ...]] = {
    (MARENGO_30, "video"): ("visual", "audio", "transcription"),
    (MARENGO_30, "audio"): ("audio", "transcription"),
    (MARENGO_35, "video"): ("visual", "audio"),
    (MARENGO_35, "audio"): ("audio",),
}

# --------------------------------------------------------------------------- documents

#: File types a Marengo 3.5 document input accepts.
DOCUMENT_EXTENSIONS: tuple[str, ...] = (".pdf", ".txt", ".md")
DOCUMENT_OPTIONS: tuple[str, ...] = ("visual", "text")
DOCUMENT_SCOPES: tuple[str, ...] = ("local", "asset")
DOCUMENT_SPATIAL_STRATEGIES: tuple[str, ...] = ("standard", "quadrants")
#: ``quadrant`` values of a quadrants-segmented PDF page.
QUADRANTS: tuple[str, ...] = ("top_left", "top_right", "bottom_left", "bottom_right")
#: Smallest ``segmentation.sequential.max_sentences``.
MAX_SENTENCES_MIN = 1

# --------------------------------------------------------------------------- segmentation

#: v1 ``video_clip_length`` in seconds, and its default.
V1_CLIP_LENGTH_SEC = Range(2.0, 10.0)
V1_DEFAULT_CLIP_LENGTH_SEC = 6.0
#: v2 fixed ``duration_sec`` (audio, video, and the 3.5 temporal form).
FIXED_DURATION_SEC = Range(2, 10)
#: v2 dynamic ``min_duration_sec`` per model: 2-5 on 3.0; 3.5 documents only the minimum.
DYNAMIC_MIN_DURATION_SEC: dict[str, Range] = {MARENGO_30: Range(2, 5), MARENGO_35: Range(2, None)}

# --------------------------------------------------------------------------- counts and sizes

#: Media sources in one ``multi_input``.
MAX_MULTI_INPUT_SOURCES = 10
#: Tasks per page of a task listing.
MAX_PAGE_LIMIT = 50
#: The largest file sent as base64: 36 MiB of content (the SDK says the base64 text may be
#: 36 MB, newer docs the decoded file; the larger reading is used).
BASE64_MAX_BYTES = 36 * 1024 * 1024

# --------------------------------------------------------------------------- durations

#: Longest audio or video for ``POST /embed-v2``, in seconds, per model.
SYNC_MAX_SECONDS: dict[str, float] = {MARENGO_30: 600.0, MARENGO_35: 30.0}
#: Shortest and longest audio or video of an async v2 task, in seconds.
TASK_MIN_SECONDS = 4.0
TASK_MAX_SECONDS = 4 * 3600.0
