"""The Embed API resource (``client.embed``): v1 ``POST /embed`` and the way to the rest.

* ``client.embed.create(...)``: text, image and audio embeddings, synchronously (v1).
* ``client.embed.tasks``: v1 video embedding tasks (:class:`~.embed_tasks.EmbedTasks`).
* ``client.embed.v2`` (alias ``client.embed.v_2``, the official SDK's name): Embed API v2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twelvelabs_async._validate_v1 import build_embed_fields
from twelvelabs_async.errors import EmbeddingError
from twelvelabs_async.resources._base import Requester, Resource

if TYPE_CHECKING:
    from twelvelabs_async._uploads import UploadFile
    from twelvelabs_async.models import EmbeddingResponse
    from twelvelabs_async.resources.embed_tasks import EmbedTasks
    from twelvelabs_async.resources.embed_v2 import EmbedV2
    from twelvelabs_async.resources.legacy_task import LegacyEmbedTask
    from twelvelabs_async.types import FileInput, RequestOptions, RequestOptionsDict

__all__ = ["Embed", "modality_errors"]

_MODALITIES = ("text", "image", "audio")


def modality_errors(response: EmbeddingResponse) -> dict[str, str]:
    """Return the modalities of a ``POST /embed`` response that failed, with their messages.

    Args:
        response: an ``EmbeddingResponse``.

    Returns:
        ``{"text" | "image" | "audio": error_message}``; empty when every modality succeeded.
    """
    errors: dict[str, str] = {}
    for name in _MODALITIES:
        part = getattr(response, f"{name}_embedding", None)
        message = getattr(part, "error_message", None)
        if message:
            errors[name] = str(message)
    return errors


class Embed(Resource):
    """Embed API v1 calls, plus ``.tasks`` (v1 video tasks) and ``.v2`` (Embed API v2).

    Args:
        requester: sends the requests (the client's transport).
    """

    def __init__(self, requester: Requester) -> None:
        super().__init__(requester)
        self._tasks: EmbedTasks | None = None
        self._v2: EmbedV2 | None = None
        self._task: LegacyEmbedTask | None = None

    @property
    def tasks(self) -> EmbedTasks:
        """v1 video embedding tasks: create, status, retrieve, list, wait_for_done."""
        if self._tasks is None:
            from twelvelabs_async.resources.embed_tasks import EmbedTasks

            self._tasks = EmbedTasks(self._requester)
        return self._tasks

    @property
    def task(self) -> LegacyEmbedTask:
        """The older SDK's ``client.embed.task`` (singular), mapped to :attr:`tasks`.

        Its methods warn once per process (``DeprecationWarning``) with today's spelling.
        """
        if self._task is None:
            from twelvelabs_async.resources.legacy_task import LegacyEmbedTask

            self._task = LegacyEmbedTask(self._requester, self.tasks)
        return self._task

    @property
    def v2(self) -> EmbedV2:
        """Embed API v2 (``POST /embed-v2`` and ``/embed-v2/tasks``)."""
        if self._v2 is None:
            from twelvelabs_async.resources.embed_v2 import EmbedV2

            self._v2 = EmbedV2(self._requester)
        return self._v2

    @property
    def v_2(self) -> EmbedV2:
        """The same as :attr:`v2`, under the official SDK's name."""
        return self.v2

    async def create(
        self,
        *,
        model_name: str,
        text: str | None = None,
        image_url: str | None = None,
        image_file: FileInput | None = None,
        audio_url: str | None = None,
        audio_file: FileInput | None = None,
        audio_start_offset_sec: float | None = None,
        raise_on_error: bool = True,
        request_options: RequestOptions | RequestOptionsDict | None = None,
    ) -> EmbeddingResponse:
        """Embed text, an image and/or audio in one call (v1 ``POST /embed``).

        Several modalities may be combined; each gets its own result
        (``text_embedding``, ``image_embedding``, ``audio_embedding``). The request is
        always ``multipart/form-data``, even for text alone, as the API requires.

        Partial failures: the API can answer 200 while one modality failed, putting an
        ``error_message`` in that modality's result. By default this raises
        :class:`~twelvelabs_async.errors.EmbeddingError`, whose ``errors`` maps each failed
        modality to its message and whose ``response`` still holds the parts that
        succeeded. With ``raise_on_error=False`` the response is returned as is and the
        caller checks ``response.text_embedding.error_message`` (and the others), or calls
        :func:`modality_errors`.

        Args:
            model_name: the model id, ``"marengo3.0"`` (the retired
                ``"Marengo-retrieval-2.7"`` is refused). A misspelling of a known id
                (``"Marengo3.0"``) is refused; other ids are sent as given.
            text: text to embed.
            image_url: public URL of an image (give this or ``image_file``).
            image_file: a local image: a path, bytes, a binary file object or a
                ``(filename, content[, content_type])`` tuple.
            audio_url: public URL of an audio file (give this or ``audio_file``).
            audio_file: a local audio file, in any of the ``image_file`` forms.
            audio_start_offset_sec: seconds of audio to skip (>= 0; needs audio).
            raise_on_error: raise when a modality reports an ``error_message`` (default).
            request_options: per-call timeout, retries, headers, upload progress.

        Returns:
            The ``EmbeddingResponse``.

        Raises:
            InvalidRequestError: nothing to embed, both URL and file for one modality, a
                bad value or a missing file; raised before any byte is sent.
            EmbeddingError: a modality failed and ``raise_on_error`` is true.
            APIError: the API call failed.
        """
        fields, files = build_embed_fields(
            model_name=model_name,
            text=text,
            image_url=image_url,
            image_file=image_file,
            audio_url=audio_url,
            audio_file=audio_file,
            audio_start_offset_sec=audio_start_offset_sec,
        )
        from twelvelabs_async.models import EmbeddingResponse

        multipart: list[tuple[str, str | UploadFile]] = [*fields, *files.items()]
        result = await self._call(
            "POST", "embed", EmbeddingResponse, multipart=multipart, options=request_options
        )
        if raise_on_error:
            errors = modality_errors(result)
            if errors:
                listed = "; ".join(f"{name}: {msg}" for name, msg in errors.items())
                raise EmbeddingError(
                    f"the API could not embed {', '.join(errors)} ({listed}); pass "
                    "raise_on_error=False to get the other modalities' results",
                    errors=errors,
                    response=result,
                )
        return result
