# GENERATED from openapi/embed.yaml by codegen/generate.py. Do not edit: change the
# spec, the template or the alias table, then run `make gen`.

from __future__ import annotations

from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Any, Literal

import attrs


class TaskStatusValue(StrEnum):
    """
    Lifecycle of an embedding task. ready and failed are final; any other value (including ones not listed) means the task is still in progress.
    """

    processing = "processing"
    ready = "ready"
    failed = "failed"


class ModelName(StrEnum):
    """
    Marengo model identifiers accepted by version 2. marengo3.5 is newer and produces vectors that cannot be compared with marengo3.0 ones.
    """

    marengo3_0 = "marengo3.0"
    marengo3_5 = "marengo3.5"


class TasksCreateRequestVideoEmbeddingScopeItem(StrEnum):
    """
    Scope of a v1 video embedding: clip gives one vector per clip, video adds one for the whole video.
    """

    clip = "clip"
    video = "video"


class TasksRetrieveRequestEmbeddingOptionItem(StrEnum):
    """
    Kind of v1 video embedding. visual-text belongs to the retired Marengo 2.7 model; transcription exists only for Marengo 3.0.
    """

    visual = "visual"
    audio = "audio"
    transcription = "transcription"
    visual_text = "visual-text"


class CreateEmbeddingsRequestInputType(StrEnum):
    """
    Which input object a synchronous v2 request carries.
    """

    text = "text"
    image = "image"
    text_image = "text_image"
    audio = "audio"
    video = "video"
    multi_input = "multi_input"


class CreateAsyncEmbeddingRequestInputType(StrEnum):
    """
    Which input object an asynchronous v2 request carries. image and document need Marengo 3.5.
    """

    audio = "audio"
    video = "video"
    image = "image"
    document = "document"


class VideoEmbeddingOption(StrEnum):
    """
    Kind of embedding requested for a v2 video input.
    """

    visual = "visual"
    audio = "audio"
    transcription = "transcription"


class AudioEmbeddingOption(StrEnum):
    """
    Kind of embedding requested for a v2 audio input. transcription embeds speech and exists only for Marengo 3.0.
    """

    audio = "audio"
    transcription = "transcription"


class EmbeddingScope(StrEnum):
    """
    Scope of a v2 embedding: clip is one vector per segment, asset one for the whole input. Marengo 3.5 also names per-segment vectors local in requests; its document results say page (a PDF page or quadrant) or chunk (sentences of a text file).
    """

    clip = "clip"
    asset = "asset"
    local = "local"
    page = "page"
    chunk = "chunk"


class EmbeddingType(StrEnum):
    """
    Whether the modalities of a segment are returned as separate vectors, one fused vector, or both (when both values are given). Only meaningful with two or more embedding options.
    """

    separate_embedding = "separate_embedding"
    fused_embedding = "fused_embedding"


class EmbeddingDataEmbeddingOption(StrEnum):
    """
    The modality a returned v2 vector represents; fused combines several, text is the text of a document (Marengo 3.5).
    """

    visual = "visual"
    audio = "audio"
    transcription = "transcription"
    text = "text"
    fused = "fused"


class EmbeddingDataQuadrant(StrEnum):
    """
    Which quarter of a PDF page a vector covers (quadrants segmentation).
    """

    top_left = "top_left"
    top_right = "top_right"
    bottom_left = "bottom_left"
    bottom_right = "bottom_right"


class DocumentEmbeddingOption(StrEnum):
    """
    Kind of embedding requested for a document (Marengo 3.5).
    """

    visual = "visual"
    text = "text"


class DocumentEmbeddingScope(StrEnum):
    """
    Scope of a document embedding: local is one vector per page (PDF) or per chunk of sentences (text), asset one for the whole file.
    """

    local = "local"
    asset = "asset"


class DocumentSpatialStrategy(StrEnum):
    """
    standard gives one vector per page; quadrants adds one per quarter page.
    """

    standard = "standard"
    quadrants = "quadrants"


class MultiInputMediaSourceMediaType(StrEnum):
    """
    Kind of one media item in a multi_input request; Marengo 3.0 takes image only.
    """

    image = "image"
    video = "video"
    audio = "audio"
    document = "document"


class EmbeddingDimension(IntEnum):
    """
    Vector length for Marengo 3.5. Shorter vectors are prefixes of the 512-value one. Marengo 3.0 rejects the field.
    """

    integer_128 = 128
    integer_256 = 256
    integer_512 = 512


@attrs.define(kw_only=True)
class FlatErrorResponse:
    """Error body with the code at the top level, used by the v1 endpoints and by the general
    error documentation.
    """

    code: str | None = None
    """Machine-readable error code such as parameter_invalid."""
    message: str | None = None
    """Human-readable explanation."""
    docs_url: str | None = None
    """Link to documentation about the error."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class ErrorResponseError:
    """The code, message and optional details of a v2 error."""

    code: str
    """Machine-readable error code such as parameter_invalid."""
    message: str
    """Human-readable explanation."""
    details: dict[str, Any] | None = None
    """Free-form extra information; its keys are not documented."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class EmbedCreateRequest:
    """Form fields of POST /embed. Give at least one modality; for an image or audio, give
    either the URL or the file. Several modalities may be sent together.
    """

    model_name: str
    """Model identifier, for example marengo3.0."""
    text: str | None = None
    """Text to embed."""
    image_url: str | None = None
    """Public address of an image file."""
    image_file: bytes | None = None
    """Image file content."""
    audio_url: str | None = None
    """Public address of an audio file."""
    audio_file: bytes | None = None
    """Audio file content."""
    audio_start_offset_sec: float | None = attrs.field(default=None, metadata={"server_default": 0})
    """Seconds to skip at the start of the audio."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class TasksCreateRequest:
    """Form fields of POST /embed/tasks. Give video_url or video_file (the URL wins when both
    are present). Set both offsets or neither.
    """

    model_name: str
    """Model identifier, for example marengo3.0."""
    video_file: bytes | None = None
    """Video file content, up to 2 GB."""
    video_url: str | None = None
    """Public address of a raw video file (not a hosting-site page)."""
    video_start_offset_sec: float | None = attrs.field(default=None, metadata={"server_default": 0})
    """Where embedding starts, in seconds."""
    video_end_offset_sec: float | None = None
    """Where embedding stops, in seconds; after the start by at least one clip length. Defaults
    to the end of the video.
    """
    video_clip_length: float | None = attrs.field(default=None, metadata={"server_default": 6})
    """Length of each clip, in seconds. A last clip under 2 s is dropped."""
    video_embedding_scope: list[TasksCreateRequestVideoEmbeddingScopeItem | str] | None = (
        attrs.field(default=None, metadata={"server_default": ["clip"]})
    )
    """Scopes to compute; sent as one form field per value."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class BaseEmbeddingMetadata:
    """Where an embedded image or audio came from."""

    input_url: str | None = None
    """The URL that was given, if any."""
    input_filename: str | None = None
    """The uploaded file name, if any."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class BaseSegment:
    """One vector for a text or an image."""

    float_: list[float] | None = attrs.field(default=None, metadata={"wire": "float"})
    """The embedding vector."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""

    @property
    def embeddings_float(self) -> list[float] | None:
        """The same as ``float_``, under the older SDK's name (read-only)."""
        return self.float_


@attrs.define(kw_only=True)
class AudioSegment:
    """One vector for a stretch of audio."""

    float_: list[float] | None = attrs.field(default=None, metadata={"wire": "float"})
    """The embedding vector."""
    start_offset_sec: float | None = None
    """Start of the stretch, in seconds."""
    end_offset_sec: float | None = None
    """End of the stretch, in seconds."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""

    @property
    def embeddings_float(self) -> list[float] | None:
        """The same as ``float_``, under the older SDK's name (read-only)."""
        return self.float_


@attrs.define(kw_only=True)
class TextEmbeddingResult:
    """Result for the text of a v1 request."""

    segments: list[BaseSegment] | None = None
    """The text's vectors."""
    error_message: str | None = None
    """Set when this modality failed even though the request succeeded."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class ImageEmbeddingResult:
    """Result for the image of a v1 request."""

    segments: list[BaseSegment] | None = None
    """The image's vectors."""
    error_message: str | None = None
    """Set when this modality failed even though the request succeeded."""
    metadata: BaseEmbeddingMetadata | None = None
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class AudioEmbeddingResult:
    """Result for the audio of a v1 request."""

    segments: list[AudioSegment] | None = None
    """The audio's vectors, one per stretch."""
    error_message: str | None = None
    """Set when this modality failed even though the request succeeded."""
    metadata: BaseEmbeddingMetadata | None = None
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class EmbeddingResponse:
    """Response of POST /embed. Check each modality's error_message: one modality can fail
    while the others succeed.
    """

    model_name: str
    """The model that produced the vectors."""
    text_embedding: TextEmbeddingResult | None = None
    image_embedding: ImageEmbeddingResult | None = None
    audio_embedding: AudioEmbeddingResult | None = None
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class TasksCreateResponse:
    """Response of POST /embed/tasks."""

    id: str | None = attrs.field(default=None, metadata={"wire": "_id"})
    """Identifier of the new task."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class PageInfo:
    """Position of a page within a task listing."""

    limit_per_page: int | None = None
    """Tasks per page."""
    page: int | None = None
    """This page's number, counted from 1."""
    total_page: int | None = None
    """Number of pages."""
    total_results: int | None = None
    """Number of tasks across all pages."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class VideoEmbeddingMetadata:
    """Settings and source of a v1 video embedding task."""

    input_url: str | None = None
    """The video URL that was given, if any."""
    input_filename: str | None = None
    """The uploaded file name, if any."""
    video_clip_length: float | None = None
    """Clip length in seconds."""
    video_embedding_scope: list[TasksCreateRequestVideoEmbeddingScopeItem | str] | None = None
    """Scopes that were computed."""
    video_embedding_option: list[str] | None = attrs.field(
        default=None, metadata={"also": ("video_embedding_options",)}
    )
    """Kinds of embedding computed (official SDK field; also read from the plural)."""
    duration: float | None = None
    """Length of the video, in seconds."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class AudioEmbeddingMetadata:
    """Settings and source of an audio embedding task."""

    input_url: str | None = None
    """The audio URL that was given, if any."""
    input_filename: str | None = None
    """The uploaded file name, if any."""
    audio_embedding_options: list[str] | None = attrs.field(
        default=None, metadata={"also": ("audio_embedding_option",)}
    )
    """Kinds of embedding computed (also read from audio_embedding_option, the official SDK's
    spelling).
    """
    audio_embedding_scopes: list[str] | None = attrs.field(
        default=None, metadata={"also": ("audio_embedding_scope",)}
    )
    """Scopes computed (also read from audio_embedding_scope)."""
    duration: float | None = None
    """Length of the audio, in seconds."""
    start_offset_sec: float | None = None
    """Where embedding started, in seconds."""
    end_offset_sec: float | None = None
    """Where embedding stopped, in seconds."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class MediaEmbeddingTaskVideoEmbedding:
    """Video part of a listed task."""

    metadata: VideoEmbeddingMetadata | None = None
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class MediaEmbeddingTaskAudioEmbedding:
    """Audio part of a listed task."""

    metadata: AudioEmbeddingMetadata | None = None
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class ImageEmbeddingMetadata:
    """Settings and source of an image embedding task (Marengo 3.5)."""

    input_url: str | None = None
    """The image URL that was given, if any."""
    input_filename: str | None = None
    """The file name, if any."""
    image_embedding_option: list[str] | None = attrs.field(
        default=None, metadata={"also": ("image_embedding_options",)}
    )
    """Kinds of embedding computed (always visual)."""
    image_embedding_scope: list[str] | None = attrs.field(
        default=None, metadata={"also": ("image_embedding_scopes",)}
    )
    """Scopes computed (always asset)."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class DocumentEmbeddingMetadata:
    """Settings and source of a document embedding task (Marengo 3.5)."""

    input_url: str | None = None
    """The document URL that was given, if any."""
    input_filename: str | None = None
    """The file name, if any."""
    document_embedding_option: list[str] | None = attrs.field(
        default=None, metadata={"also": ("document_embedding_options",)}
    )
    """Kinds of embedding computed (visual, text)."""
    document_embedding_scope: list[str] | None = attrs.field(
        default=None, metadata={"also": ("document_embedding_scopes",)}
    )
    """Scopes computed (local, asset)."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class MediaEmbeddingTaskImageEmbedding:
    """Image part of a listed task (Marengo 3.5)."""

    metadata: ImageEmbeddingMetadata | None = None
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class MediaEmbeddingTaskDocumentEmbedding:
    """Document part of a listed task (Marengo 3.5)."""

    metadata: DocumentEmbeddingMetadata | None = None
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class MediaEmbeddingTask:
    """One task in a listing (v1 and v2 lists share this shape)."""

    id: str | None = attrs.field(default=None, metadata={"wire": "_id"})
    """Task identifier."""
    model_name: str | None = None
    """Model used by the task."""
    status: TaskStatusValue | str | None = None
    """Where the task is in its lifecycle."""
    created_at: datetime | None = None
    """When the task was created."""
    updated_at: datetime | None = None
    """When the task last changed."""
    video_embedding: MediaEmbeddingTaskVideoEmbedding | None = None
    audio_embedding: MediaEmbeddingTaskAudioEmbedding | None = None
    image_embedding: MediaEmbeddingTaskImageEmbedding | None = None
    document_embedding: MediaEmbeddingTaskDocumentEmbedding | None = None
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class TasksListResponse:
    """Response of GET /embed/tasks and GET /embed-v2/tasks."""

    data: list[MediaEmbeddingTask] | None = None
    """Tasks on this page, newest first."""
    page_info: PageInfo | None = None
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class TasksStatusResponseVideoEmbedding:
    """Video part of a v1 task status."""

    metadata: VideoEmbeddingMetadata | None = None
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class TasksStatusResponse:
    """Response of GET /embed/tasks/{task_id}/status. It carries no vectors; fetch them with
    the retrieve call once the status is ready.
    """

    id: str | None = attrs.field(default=None, metadata={"wire": "_id"})
    """Task identifier."""
    status: TaskStatusValue | str | None = None
    """Where the task is in its lifecycle."""
    model_name: str | None = None
    """Model used by the task."""
    video_embedding: TasksStatusResponseVideoEmbedding | None = None
    metadata: VideoEmbeddingMetadata | None = None
    """Older placement of the video metadata at the top level; current responses nest it under
    video_embedding.
    """
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class VideoSegment:
    """One vector of a v1 video task."""

    float_: list[float] | None = attrs.field(default=None, metadata={"wire": "float"})
    """The embedding vector."""
    start_offset_sec: float | None = None
    """Start of the segment, in seconds."""
    end_offset_sec: float | None = None
    """End of the segment, in seconds."""
    embedding_option: TasksRetrieveRequestEmbeddingOptionItem | str | None = None
    """Kind of embedding."""
    embedding_scope: TasksCreateRequestVideoEmbeddingScopeItem | str | None = None
    """clip for one clip, video for the whole video."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""

    @property
    def embeddings_float(self) -> list[float] | None:
        """The same as ``float_``, under the older SDK's name (read-only)."""
        return self.float_


@attrs.define(kw_only=True)
class TasksRetrieveResponseVideoEmbedding:
    """Video part of a retrieved v1 task, with its segments."""

    metadata: VideoEmbeddingMetadata | None = None
    segments: list[VideoSegment] | None = None
    """The vectors, each covering 2 to 10 seconds (or the whole video)."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class TasksRetrieveResponse:
    """Response of GET /embed/tasks/{task_id}."""

    id: str | None = attrs.field(default=None, metadata={"wire": "_id"})
    """Task identifier."""
    model_name: str | None = None
    """Model used by the task."""
    status: TaskStatusValue | str | None = None
    """Where the task is in its lifecycle."""
    created_at: datetime | None = None
    """When the task was created."""
    updated_at: datetime | None = None
    """When the task last changed."""
    video_embedding: TasksRetrieveResponseVideoEmbedding | None = None
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class MediaSource:
    """Where a v2 media input comes from. Give exactly one of url, base64_string and asset_id;
    the server enforces this.
    """

    url: str | None = None
    """Public address of a raw media file (not a hosting-site page)."""
    base_64_string: str | None = attrs.field(default=None, metadata={"wire": "base64_string"})
    """The file content, base64-encoded."""
    asset_id: str | None = None
    """An uploaded asset whose status is ready."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class TextInputRequest:
    """A text input."""

    input_text: str
    """Text to embed (up to 500 tokens on Marengo 3.0)."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class ImageInputRequest:
    """An image input (JPEG or PNG, at least 128x128 pixels)."""

    media_source: MediaSource
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class TextImageInputRequest:
    """An image together with text, embedded as one vector."""

    media_source: MediaSource
    input_text: str
    """Text that goes with the image."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class AudioSegmentationFixed:
    """Settings of fixed-length segmentation."""

    duration_sec: int
    """Length of each segment, in seconds."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class AudioSegmentation:
    """How audio is cut into segments. Only fixed exists for Marengo 3.0 audio."""

    strategy: Literal["fixed"] = "fixed"
    """Always fixed."""
    fixed: AudioSegmentationFixed
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class VideoSegmentationDynamicDynamic:
    """Settings of content-driven segmentation."""

    min_duration_sec: int
    """Shortest segment, in seconds; segments follow scene boundaries."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class VideoSegmentationDynamic:
    """Cut video at scene and content boundaries."""

    strategy: Literal["dynamic"] = "dynamic"
    """Always dynamic."""
    dynamic: VideoSegmentationDynamicDynamic
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class VideoSegmentationFixedFixed:
    """Settings of fixed-length segmentation."""

    duration_sec: int
    """Length of each segment, in seconds; the last one may be shorter."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class VideoSegmentationFixed:
    """Cut video into segments of equal length."""

    strategy: Literal["fixed"] = "fixed"
    """Always fixed."""
    fixed: VideoSegmentationFixedFixed
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class TemporalSegmentationDynamicDynamic:
    """Settings of content-driven segmentation (Marengo 3.5)."""

    min_duration_sec: int
    """Shortest segment, in seconds."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class TemporalSegmentationDynamic:
    """Content-driven segmentation inside the Marengo 3.5 temporal wrapper."""

    strategy: Literal["dynamic"] = "dynamic"
    """Always dynamic."""
    dynamic: TemporalSegmentationDynamicDynamic
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class TemporalSegmentationFixedFixed:
    """Settings of fixed-length segmentation (Marengo 3.5)."""

    duration_sec: int
    """Length of each segment, in seconds."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class TemporalSegmentationFixed:
    """Fixed-length segmentation inside the Marengo 3.5 temporal wrapper."""

    strategy: Literal["fixed"] = "fixed"
    """Always fixed."""
    fixed: TemporalSegmentationFixedFixed
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class AsyncTemporalSegmentation:
    """Marengo 3.5 form of segmentation: the settings sit inside temporal. Sending this form to
    Marengo 3.0, or the bare form to 3.5, is rejected.
    """

    temporal: TemporalSegmentationDynamic | TemporalSegmentationFixed
    """Segmentation settings for Marengo 3.5, chosen by strategy."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class TimeBasedMetadataEntry:
    """A piece of text tied to a time range of the media (Marengo 3.5 fused embeddings)."""

    start: float
    """Start of the range, in seconds."""
    end: float
    """End of the range, in seconds."""
    text: str
    """Text describing the range."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class AudioInputRequest:
    """An audio input for the synchronous endpoint (WAV, MP3 or FLAC)."""

    media_source: MediaSource
    start_sec: float | None = attrs.field(default=None, metadata={"server_default": 0})
    """Where embedding starts, in seconds."""
    end_sec: float | None = None
    """Where embedding stops, in seconds (after start_sec). Defaults to the end."""
    segmentation: AudioSegmentation | None = None
    embedding_option: list[AudioEmbeddingOption | str] | None = attrs.field(
        default=None, metadata={"server_default": ["audio", "transcription"]}
    )
    """Kinds of embedding to compute."""
    embedding_scope: list[EmbeddingScope | str] | None = attrs.field(
        default=None, metadata={"server_default": ["clip", "asset"]}
    )
    """Scopes to compute."""
    embedding_type: list[EmbeddingType | str] | None = attrs.field(
        default=None, metadata={"server_default": ["separate_embedding"]}
    )
    """Separate, fused or both; only with two or more options."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class VideoInputRequest:
    """A video input for the synchronous endpoint (up to 10 minutes)."""

    media_source: MediaSource
    start_sec: float | None = attrs.field(default=None, metadata={"server_default": 0})
    """Where embedding starts, in seconds."""
    end_sec: float | None = None
    """Where embedding stops, in seconds (after start_sec). Defaults to the end."""
    segmentation: VideoSegmentationDynamic | VideoSegmentationFixed | None = None
    """How a video is cut into segments (Marengo 3.0 form), chosen by strategy. Without it the
    server cuts dynamically with a 4 s minimum.
    """
    embedding_option: list[VideoEmbeddingOption | str] | None = attrs.field(
        default=None, metadata={"server_default": ["visual", "audio", "transcription"]}
    )
    """Kinds of embedding to compute."""
    embedding_scope: list[EmbeddingScope | str] | None = attrs.field(
        default=None, metadata={"server_default": ["clip", "asset"]}
    )
    """Scopes to compute; asset suits videos of about 10 to 30 seconds."""
    embedding_type: list[EmbeddingType | str] | None = attrs.field(
        default=None, metadata={"server_default": ["separate_embedding"]}
    )
    """Separate, fused or both; only with two or more options."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class MultiInputMediaSource:
    """One media item of a multi_input request. Give exactly one of url, base64_string and
    asset_id.
    """

    media_type: MultiInputMediaSourceMediaType | str
    """Kind of media."""
    name: str | None = None
    """Label that input_text can point at with <@name>."""
    url: str | None = None
    """Public address of the file."""
    base_64_string: str | None = attrs.field(default=None, metadata={"wire": "base64_string"})
    """The file content, base64-encoded."""
    asset_id: str | None = None
    """An uploaded asset whose status is ready."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class MultiInputRequest:
    """Text, media items, or both, embedded as a single vector. Give input_text alone for a
    text-only embedding (how a text query is embedded on Marengo 3.5).
    """

    input_text: str | None = None
    """Optional text; may refer to named items as <@name>."""
    media_sources: list[MultiInputMediaSource] | None = None
    """The media items, processed in order; omit them for text only."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class CreateEmbeddingsRequest:
    """Body of POST /embed-v2. Fill the input object named by input_type. Marengo 3.5 accepts
    only multi_input here.
    """

    input_type: CreateEmbeddingsRequestInputType | str
    """Which input object is filled."""
    model_name: ModelName | str
    """Model to use."""
    text: TextInputRequest | None = None
    image: ImageInputRequest | None = None
    text_image: TextImageInputRequest | None = None
    audio: AudioInputRequest | None = None
    video: VideoInputRequest | None = None
    multi_input: MultiInputRequest | None = None
    embedding_dimension: EmbeddingDimension | int | None = attrs.field(
        default=None, metadata={"server_default": 512}
    )
    """Vector length (Marengo 3.5 only)."""
    auto_truncate: bool | None = attrs.field(default=None, metadata={"server_default": False})
    """Marengo 3.5: cut text over 2,000 tokens instead of rejecting it (usage.truncated tells
    when it happened).
    """
    embedding_uncertainty: bool | None = attrs.field(
        default=None, metadata={"server_default": False}
    )
    """Marengo 3.5: also return a per-value uncertainty vector; only for purely text or purely
    media requests.
    """
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class AsyncAudioInputRequest:
    """An audio input for an asynchronous task (4 s to 4 h)."""

    media_source: MediaSource
    start_sec: float | None = attrs.field(default=None, metadata={"server_default": 0})
    """Where embedding starts, in seconds."""
    end_sec: float | None = None
    """Where embedding stops, in seconds (after start_sec). Defaults to the end."""
    segmentation: AudioSegmentation | AsyncTemporalSegmentation | None = None
    """Bare form for Marengo 3.0, temporal wrapper for Marengo 3.5."""
    embedding_option: list[AudioEmbeddingOption | str] | None = None
    """Kinds of embedding to compute."""
    embedding_scope: list[EmbeddingScope | str] | None = None
    """Scopes to compute."""
    embedding_type: list[EmbeddingType | str] | None = None
    """Separate, fused or both; only with two or more options."""
    time_based_metadata: list[TimeBasedMetadataEntry] | None = None
    """Time-aligned text, needed for fused embeddings on Marengo 3.5."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class AsyncVideoInputRequest:
    """A video input for an asynchronous task (4 s to 4 h, up to 4 GB)."""

    media_source: MediaSource
    start_sec: float | None = attrs.field(default=None, metadata={"server_default": 0})
    """Where embedding starts, in seconds."""
    end_sec: float | None = None
    """Where embedding stops, in seconds (after start_sec). Defaults to the end."""
    segmentation: (
        VideoSegmentationDynamic | VideoSegmentationFixed | AsyncTemporalSegmentation | None
    ) = None
    """Bare form for Marengo 3.0, temporal wrapper for Marengo 3.5."""
    embedding_option: list[VideoEmbeddingOption | str] | None = None
    """Kinds of embedding to compute."""
    embedding_scope: list[EmbeddingScope | str] | None = None
    """Scopes to compute."""
    embedding_type: list[EmbeddingType | str] | None = None
    """Separate, fused or both; only with two or more options."""
    time_based_metadata: list[TimeBasedMetadataEntry] | None = None
    """Time-aligned text, needed for fused embeddings on Marengo 3.5."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class AsyncImageInputRequest:
    """An image input for an asynchronous task (Marengo 3.5, up to 32 MB). Each list takes a
    single value.
    """

    media_source: MediaSource
    embedding_option: list[str] | None = None
    """Kind of embedding, for example visual."""
    embedding_scope: list[EmbeddingScope | str] | None = None
    """Scope, for example asset."""
    embedding_type: list[EmbeddingType | str] | None = None
    """Embedding type, for example separate_embedding."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class DocumentSpatialSegmentation:
    """How each rendered page of a PDF is divided (PDF only; visual and local)."""

    strategy: DocumentSpatialStrategy | str | None = attrs.field(
        default=None, metadata={"server_default": "standard"}
    )
    """standard or quadrants."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class DocumentSequentialSegmentation:
    """How a .txt or .md document is cut into chunks of sentences (text and local; not for
    PDF).
    """

    strategy: str
    """Always sentence (whole sentences are grouped into each chunk)."""
    max_sentences: int
    """Most sentences per chunk; each chunk must fit the model's context."""
    overlap_sentences: int | None = attrs.field(default=None, metadata={"server_default": 0})
    """Sentences repeated from one chunk at the start of the next (below max_sentences)."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class DocumentSegmentation:
    """Give spatial for a PDF or sequential for a text document (one of them)."""

    spatial: DocumentSpatialSegmentation | None = None
    sequential: DocumentSequentialSegmentation | None = None
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class AsyncDocumentInputRequest:
    """A document input for an asynchronous task (Marengo 3.5; PDF, .txt or .md). A PDF gives
    one vector per page by default, a text document one for the whole file.
    """

    media_source: MediaSource
    segmentation: DocumentSegmentation | None = None
    embedding_option: list[DocumentEmbeddingOption | str] | None = None
    """visual (PDF pages) and/or text; the default depends on the file type."""
    embedding_scope: list[DocumentEmbeddingScope | str] | None = None
    """local and/or asset; the default depends on the file type."""
    embedding_type: list[EmbeddingType | str] | None = None
    """Only separate_embedding is accepted (a document has one modality)."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class CreateAsyncEmbeddingRequest:
    """Body of POST /embed-v2/tasks. Fill the input object named by input_type."""

    input_type: CreateAsyncEmbeddingRequestInputType | str
    """Which input object is filled."""
    model_name: ModelName | str
    """Model to use."""
    audio: AsyncAudioInputRequest | None = None
    video: AsyncVideoInputRequest | None = None
    image: AsyncImageInputRequest | None = None
    document: AsyncDocumentInputRequest | None = None
    embedding_dimension: EmbeddingDimension | int | None = attrs.field(
        default=None, metadata={"server_default": 512}
    )
    """Vector length (Marengo 3.5 only)."""
    embedding_uncertainty: bool | None = attrs.field(
        default=None, metadata={"server_default": False}
    )
    """Marengo 3.5: also return uncertainty vectors; with audio or video the asset scope must
    be left out.
    """
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class EmbeddingData:
    """One v2 vector with what it covers."""

    embedding: list[float]
    """The embedding vector."""
    embedding_uncertainty: list[float] | None = None
    """Per-value uncertainty, as long as embedding (Marengo 3.5, on request)."""
    embedding_option: EmbeddingDataEmbeddingOption | str | None = None
    """Modality of the vector; null for text and images."""
    embedding_scope: EmbeddingScope | str | None = None
    """clip, asset, page or chunk; null for text and images."""
    start_sec: float | None = None
    """Start of the covered range, in seconds; null for text and images."""
    end_sec: float | None = None
    """End of the covered range, in seconds; null for text and images."""
    start_page_number: int | None = None
    """First PDF page covered, counted from 1 (page vectors only)."""
    end_page_number: int | None = None
    """Last PDF page covered, inclusive (page vectors only)."""
    quadrant: EmbeddingDataQuadrant | str | None = None
    """Quarter of the page (quadrants segmentation); null for the whole page."""
    chunk_index: int | None = None
    """Position of a text chunk in the file, counted from 0; order by it, not by the position
    in data.
    """
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class EmbeddingUsage:
    """What a Marengo 3.5 request consumed."""

    input_tokens: dict[str, int] | None = None
    """Tokens per content type (video, audio, image, document, text)."""
    truncated: bool | None = None
    """True when text was cut to fit (auto_truncate)."""
    truncation_reason: str | None = None
    """Why the text was cut, when it was (model_context_window)."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class EmbeddingImageMetadata:
    """What was embedded for an image input."""

    input_type: Literal["image"] = "image"
    """Always image."""
    input_url: str | None = None
    """The URL that was given, if any."""
    input_filename: str | None = None
    """The file name, if known."""
    embedding_options: list[str] | None = None
    """Kinds of embedding computed (image tasks on Marengo 3.5; always visual)."""
    embedding_scopes: list[str] | None = None
    """Scopes computed (image tasks on Marengo 3.5; always asset)."""
    embedding_dimension: int | None = None
    """Vector length (Marengo 3.5)."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class EmbeddingTextImageMetadata:
    """What was embedded for a text_image input."""

    input_type: Literal["text_image"] = "text_image"
    """Always text_image."""
    input_url: str | None = None
    """The URL that was given, if any."""
    input_filename: str | None = None
    """The file name, if known."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class EmbeddingAudioMetadata:
    """What was embedded for an audio input."""

    input_type: Literal["audio"] = "audio"
    """Always audio."""
    input_url: str | None = None
    """The URL that was given, if any."""
    input_filename: str | None = None
    """The file name, if known."""
    embedding_options: list[str] | None = attrs.field(
        default=None, metadata={"described_required": True}
    )
    """Kinds of embedding computed."""
    embedding_scopes: list[EmbeddingScope | str] | None = attrs.field(
        default=None, metadata={"described_required": True}
    )
    """Scopes computed."""
    duration: float | None = attrs.field(default=None, metadata={"described_required": True})
    """Length of the input, in seconds."""
    start_offset_sec: float | None = None
    """Where embedding started, in seconds."""
    end_offset_sec: float | None = None
    """Where embedding stopped, in seconds."""
    embedding_dimension: int | None = None
    """Vector length (Marengo 3.5)."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class EmbeddingVideoMetadata:
    """What was embedded for a video input."""

    input_type: Literal["video"] = "video"
    """Always video."""
    input_url: str | None = None
    """The URL that was given, if any."""
    input_filename: str | None = None
    """The file name, if known."""
    clip_length: int | None = None
    """Segment length in seconds; only for fixed segmentation."""
    embedding_options: list[str] | None = attrs.field(
        default=None, metadata={"described_required": True}
    )
    """Kinds of embedding computed."""
    embedding_scopes: list[EmbeddingScope | str] | None = attrs.field(
        default=None, metadata={"described_required": True}
    )
    """Scopes computed."""
    duration: float | None = attrs.field(default=None, metadata={"described_required": True})
    """Length of the input, in seconds."""
    start_offset_sec: float | None = None
    """Where embedding started, in seconds."""
    end_offset_sec: float | None = None
    """Where embedding stopped, in seconds."""
    embedding_dimension: int | None = None
    """Vector length (Marengo 3.5)."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class EmbeddingDocumentMetadata:
    """What was embedded for a document task (Marengo 3.5)."""

    input_type: Literal["document"] = "document"
    """Always document."""
    input_url: str | None = None
    """The URL that was given, if any."""
    input_filename: str | None = None
    """The file name, if known."""
    embedding_options: list[str] | None = None
    """Kinds of embedding computed (visual, text)."""
    embedding_scopes: list[DocumentEmbeddingScope | str] | None = None
    """Scopes requested (local, asset)."""
    embedding_dimension: int | None = None
    """Vector length (Marengo 3.5)."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class EmbeddingMultiInputMetadata:
    """What was embedded for a multi_input input (nothing beyond the type)."""

    input_type: Literal["multi_input"] = "multi_input"
    """Always multi_input."""
    embedding_dimension: int | None = None
    """Vector length (Marengo 3.5)."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class EmbeddingGenericMetadata:
    """Metadata for an input_type this version does not know yet (or metadata that came without
    one). The common fields are read; anything else is kept in extra.
    """

    input_type: str | None = None
    """The input type the server reported, if any."""
    input_url: str | None = None
    """The URL that was given, if any."""
    input_filename: str | None = None
    """The file name, if known."""
    embedding_options: list[str] | None = None
    """Kinds of embedding computed."""
    embedding_scopes: list[str] | None = None
    """Scopes computed."""
    duration: float | None = None
    """Length of the input, in seconds."""
    embedding_dimension: int | None = None
    """Vector length (Marengo 3.5)."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class EmbeddingSuccessResponse:
    """Response of POST /embed-v2."""

    data: list[EmbeddingData]
    """The vectors; a single one for text, images and multi_input."""
    metadata: (
        EmbeddingImageMetadata
        | EmbeddingTextImageMetadata
        | EmbeddingAudioMetadata
        | EmbeddingVideoMetadata
        | EmbeddingMultiInputMetadata
        | EmbeddingGenericMetadata
        | None
    ) = None
    """Metadata of a synchronous v2 result, chosen by input_type. Absent for text. An unknown
    input_type is read as EmbeddingGenericMetadata.
    """
    usage: EmbeddingUsage | None = None
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class TasksCreateResponseMetadata:
    """Settings echoed back when a v2 task is created (Marengo 3.5)."""

    embedding_dimension: int | None = None
    """Vector length the task will produce."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class V2TasksCreateResponse:
    """Response (202) of POST /embed-v2/tasks."""

    id: str = attrs.field(metadata={"wire": "_id"})
    """Identifier of the new task."""
    status: TaskStatusValue | str
    """Always processing at creation."""
    data: list[EmbeddingData] | None
    """Empty (null) at creation; read results with the retrieve call."""
    metadata: TasksCreateResponseMetadata | None = None
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class EmbeddingTaskResponseError:
    """Why a v2 task failed."""

    message: str
    """Human-readable reason (plain text, not a code)."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class EmbeddingTaskResponse:
    """Response of GET /embed-v2/tasks/{task_id}. data is filled only when status is ready;
    error is present only when it is failed.
    """

    id: str = attrs.field(metadata={"wire": "_id"})
    """Task identifier."""
    status: TaskStatusValue | str
    """Where the task is in its lifecycle."""
    data: list[EmbeddingData] | None
    """The vectors once ready, otherwise null."""
    created_at: datetime | None = None
    """When the task was created."""
    updated_at: datetime | None = None
    """When the task last changed."""
    metadata: (
        EmbeddingAudioMetadata
        | EmbeddingVideoMetadata
        | EmbeddingImageMetadata
        | EmbeddingDocumentMetadata
        | EmbeddingGenericMetadata
        | None
    ) = None
    """Metadata of an asynchronous v2 task, chosen by input_type (image and document tasks
    exist on Marengo 3.5). An unknown input_type is read as EmbeddingGenericMetadata.
    """
    error: EmbeddingTaskResponseError | None = None
    usage: EmbeddingUsage | None = None
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


class AssetStatusValue(StrEnum):
    """
    Lifecycle of an asset. ready and failed are final; an asset is usable for embedding only when ready.
    """

    processing = "processing"
    ready = "ready"
    failed = "failed"


class AssetMethodValue(StrEnum):
    """
    How the asset's file reached the platform.
    """

    direct = "direct"
    url = "url"
    multipart = "multipart"


class AssetCreateMethodValue(StrEnum):
    """
    direct to send the file, url to have the platform fetch it.
    """

    direct = "direct"
    url = "url"


class AssetTypeValue(StrEnum):
    """
    Media type of an asset.
    """

    image = "image"
    video = "video"
    audio = "audio"


@attrs.define(kw_only=True)
class AssetsCreateRequest:
    """Form fields of POST /assets. method direct sends the file (up to 200 MB for video and
    audio, 32 MB for images); method url names a public file (up to 4 GB).
    """

    method: AssetCreateMethodValue
    file: bytes | None = None
    """The file content (method direct)."""
    url: str | None = None
    """Public address of a raw media file (method url)."""
    filename: str | None = None
    """The name the asset is listed under."""
    enable_hls: bool | None = attrs.field(default=None, metadata={"server_default": False})
    """Also prepare an HLS stream."""
    enable_thumbnail: bool | None = attrs.field(default=None, metadata={"server_default": False})
    """Also prepare a thumbnail."""
    user_metadata: str | None = None
    """A JSON-encoded object whose values are strings, integers, floats or booleans."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class AssetSource:
    """Where an asset came from when a connector brought it."""

    type: str | None = None
    """The kind of source (connector)."""
    details: dict[str, Any] | None = None
    """Source-specific details."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class Asset:
    """An uploaded media file kept by the platform."""

    id: str | None = attrs.field(default=None, metadata={"wire": "_id"})
    """Identifier of the asset, used as media_source.asset_id."""
    method: AssetMethodValue | str | None = None
    """How the file was uploaded."""
    status: AssetStatusValue | str | None = None
    """Where the asset is in its lifecycle."""
    filename: str | None = None
    """The asset's file name."""
    file_type: str | None = None
    """MIME type of the file."""
    created_at: datetime | None = None
    """When the asset was created."""
    user_metadata: dict[str, Any] | None = None
    """The metadata given at upload."""
    source: AssetSource | None = None
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class AssetHls:
    """The HLS stream prepared for an asset."""

    manifest_url: str | None = None
    """Address of the HLS manifest."""
    status: str | None = None
    """pending, processing, ready or error."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class AssetThumbnail:
    """The thumbnail prepared for an asset."""

    representative_url: str | None = None
    """Address of the thumbnail image."""
    status: str | None = None
    """pending, processing, ready or error."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class AssetDetail:
    """Response of GET /assets/{asset_id}: the asset, its derived media, its technical metadata
    once processed, and the reason when it failed.
    """

    id: str | None = attrs.field(default=None, metadata={"wire": "_id"})
    """Identifier of the asset, used as media_source.asset_id."""
    method: AssetMethodValue | str | None = None
    """How the file was uploaded."""
    status: AssetStatusValue | str | None = None
    """Where the asset is in its lifecycle."""
    filename: str | None = None
    """The asset's file name."""
    file_type: str | None = None
    """MIME type of the file."""
    created_at: datetime | None = None
    """When the asset was created."""
    user_metadata: dict[str, Any] | None = None
    """The metadata given at upload."""
    source: AssetSource | None = None
    hls: AssetHls | None = None
    thumbnail: AssetThumbnail | None = None
    technical_metadata: dict[str, Any] | None = None
    """File size, MIME type, container, streams and duration; absent while processing."""
    error: Any | None = None
    """Why the asset failed (its shape is not documented; kept as sent)."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class AssetsListResponse:
    """One page of GET /assets. Items are read as AssetDetail (as the official SDK does); the
    list may send fewer of its fields.
    """

    data: list[AssetDetail] | None = None
    """The assets on this page."""
    page_info: PageInfo | None = None
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class CreateMultipartUploadRequest:
    """Body of POST /assets/multipart-uploads."""

    filename: str
    """The file's name."""
    type: AssetTypeValue
    total_size: int
    """The file's size in bytes."""
    enable_hls: bool | None = None
    """Also prepare an HLS stream."""
    enable_thumbnail: bool | None = None
    """Also prepare a thumbnail."""
    user_metadata: dict[str, Any] | None = None
    """Values are strings, integers, floats or booleans."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class PresignedUrlChunk:
    """A presigned storage URL for one chunk; usable once, for one hour."""

    chunk_index: int | None = None
    """The chunk's number, counted from 1."""
    url: str | None = None
    """Where to PUT the chunk's bytes (a storage host, not the API)."""
    expires_at: datetime | None = None
    """When the URL stops working."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class CreateMultipartUploadResponse:
    """The new upload session."""

    upload_id: str | None = None
    """Identifier of the session."""
    asset_id: str | None = None
    """The asset the file becomes."""
    upload_urls: list[PresignedUrlChunk] | None = None
    """URLs for the first chunks (not necessarily all of them)."""
    upload_headers: dict[str, str] | None = None
    """Headers to send with every chunk PUT."""
    chunk_size: int | None = None
    """Bytes per chunk; every chunk but the last has exactly this size."""
    total_chunks: int | None = None
    """How many chunks the file is cut into."""
    expires_at: datetime | None = None
    """When the session expires."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class CompletedChunk:
    """One uploaded chunk and its proof."""

    chunk_index: int
    """The chunk's number, counted from 1."""
    proof: str
    """The ETag the storage returned."""
    proof_type: Literal["etag"] = "etag"
    """Always etag."""
    chunk_size: int
    """The chunk's size in bytes."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class ReportChunkBatchRequest:
    """Body of POST /assets/multipart-uploads/{upload_id}."""

    completed_chunks: list[CompletedChunk]
    """The chunks uploaded since the last report."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class ReportChunkBatchResponse:
    """What a chunk report changed."""

    asset_id: str | None = None
    """The asset the file becomes."""
    url: str | None = None
    """The asset's address, once every chunk is reported."""
    processed_chunks: int | None = None
    """Chunks newly counted by this report."""
    duplicate_chunks: int | None = None
    """Chunks of this report that were already counted."""
    total_completed: int | None = None
    """Chunks counted so far."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class RequestAdditionalPresignedUrLsRequest:
    """Body of POST /assets/multipart-uploads/{upload_id}/presigned-urls."""

    start: int
    """The first chunk's number."""
    count: int
    """How many URLs, at most 50."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class RequestAdditionalPresignedUrLsResponse:
    """Fresh presigned URLs."""

    upload_id: str | None = None
    """Identifier of the session."""
    start_index: int | None = None
    """The first chunk's number."""
    count: int | None = None
    """How many URLs were made."""
    upload_urls: list[PresignedUrlChunk] | None = None
    """The URLs."""
    generated_at: datetime | None = None
    """When they were made."""
    expires_at: datetime | None = None
    """When they stop working."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class UploadedChunk:
    """The state of one chunk of a session."""

    index: int | None = None
    """The chunk's number, counted from 1."""
    status: str | None = None
    """completed, pending or failed."""
    uploaded_at: datetime | None = None
    """When it was reported."""
    error: str | None = None
    """Why it failed."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class MultipartUploadStatusResponse:
    """Response of GET /assets/multipart-uploads/{upload_id}. completed means the file was
    received, not that the asset is ready.
    """

    upload_id: str | None = None
    """Identifier of the session."""
    asset_id: str | None = None
    """The asset the file becomes."""
    status: str | None = None
    """active, completed, failed or expired."""
    uploaded_chunks: list[UploadedChunk] | None = None
    """This page of the chunk list."""
    chunks_completed: int | None = None
    """Chunks reported."""
    chunks_failed: int | None = None
    """Chunks that failed."""
    chunks_pending: int | None = None
    """Chunks not reported yet."""
    total_size: int | None = None
    """The file's size in bytes."""
    uploaded_size: int | None = None
    """Bytes reported so far."""
    created_at: datetime | None = None
    """When the session was opened."""
    updated_at: datetime | None = None
    """When it last changed."""
    page_info: PageInfo | None = None
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class IncompleteUpload:
    """A session that is not complete."""

    upload_id: str
    """Identifier of the session."""
    status: str
    """active, failed or expired."""
    total_size: int
    """The file's size in bytes."""
    chunk_size: int
    """Bytes per chunk."""
    total_chunks: int
    """How many chunks."""
    created_at: datetime | None = None
    """When the session was opened."""
    expires_at: datetime | None = None
    """When it expires."""
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class ListIncompleteUploadsResponse:
    """One page of GET /assets/multipart-uploads."""

    data: list[IncompleteUpload] | None = None
    """The sessions on this page."""
    page_info: PageInfo | None = None
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""


@attrs.define(kw_only=True)
class ErrorResponse:
    """Error body with the code wrapped in an error object, used by the v2 endpoints."""

    error: ErrorResponseError
    extra: dict[str, Any] | None = attrs.field(default=None, metadata={"extra": True})
    """JSON fields this version does not model, as received (None when there were none)."""
