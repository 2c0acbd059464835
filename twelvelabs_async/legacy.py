"""Names of the older hand-written SDK (0.4), for code that imported them in type hints.

Code that did ``from twelvelabs.models.embed import EmbeddingsTask, SegmentEmbedding``
imports them from here instead; ``client.embed.task`` returns :class:`EmbeddingsTask`
handles (see :mod:`twelvelabs_async.resources.legacy_task`).
"""

from __future__ import annotations

from twelvelabs_async.models import TasksStatusResponse, VideoSegment
from twelvelabs_async.resources.legacy_task import EmbeddingsTask

__all__ = ["EmbeddingsTask", "EmbeddingsTaskStatus", "SegmentEmbedding"]

#: A segment of a retrieved task: ``embeddings_float`` (also ``float_``), offsets, scope.
SegmentEmbedding = VideoSegment
#: What ``client.embed.task.status`` returns.
EmbeddingsTaskStatus = TasksStatusResponse
