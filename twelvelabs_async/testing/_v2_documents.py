"""Marengo 3.5 document tasks of the fake server: validation, page and chunk layouts.

A PDF (a URL or name ending in ``.pdf``, base64 data starting ``%PDF``, an asset) has a
page count derived from its identity (2 to 6 pages); a ``.txt`` / ``.md`` file has a
sentence count (12 to 40). The rules are the documented ones: spatial segmentation for
PDFs, sequential for text files, option/scope pairs, no fused embeddings.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from twelvelabs_async import limits
from twelvelabs_async.testing import _v2_inputs as inputs
from twelvelabs_async.testing._http import invalid, missing

_FIELDS = frozenset(
    {"media_source", "segmentation", "embedding_option", "embedding_scope", "embedding_type"}
)


def _count(identity: str, low: int, high: int) -> int:
    digest = hashlib.sha256(f"pages\x00{identity}".encode()).digest()
    return low + digest[0] % (high - low + 1)


def _is_pdf(src: dict[str, Any], media_source: dict[str, Any]) -> bool:
    data = media_source.get("base64_string")
    if isinstance(data, str):
        try:
            return base64.b64decode(data[:8]).startswith(b"%PDF")
        except (binascii.Error, ValueError):
            return False
    name = (src["name"] or "").lower().split("?")[0]
    return not name.endswith((".txt", ".md"))


def document(value: Any) -> dict[str, Any]:
    """Validate a ``document`` input object into a spec."""
    obj = inputs.object_of(value, "document")
    inputs.no_unknown(obj, _FIELDS, "document")
    if "media_source" not in obj:
        raise missing("document.media_source")
    src = inputs.source(obj["media_source"], "document.media_source")
    pdf = _is_pdf(src, obj["media_source"])
    options = obj.get("embedding_option") or (["visual"] if pdf else ["text"])
    scopes = obj.get("embedding_scope") or (["local"] if pdf else ["asset"])
    if "fused_embedding" in (obj.get("embedding_type") or []):
        raise invalid("document.embedding_type cannot be fused_embedding.", "document")
    for option in options:
        if option not in limits.DOCUMENT_OPTIONS or (option == "visual" and not pdf):
            raise invalid(f"document.embedding_option {option!r} is not valid for this file.")
    for scope in scopes:
        if scope not in limits.DOCUMENT_SCOPES:
            raise invalid(f"document.embedding_scope {scope!r} is not valid.")
    seg = inputs.object_of(obj.get("segmentation") or {}, "document.segmentation")
    strategy, max_sentences, overlap = "standard", 0, 0
    if "spatial" in seg:
        if not pdf:
            raise invalid("document.segmentation.spatial is only for PDF files.")
        spatial = inputs.object_of(seg["spatial"], "document.segmentation.spatial")
        strategy = spatial.get("strategy", "standard")
        if strategy not in limits.DOCUMENT_SPATIAL_STRATEGIES:
            raise invalid(f"document.segmentation.spatial.strategy {strategy!r} is not valid.")
    if "sequential" in seg:
        if pdf:
            raise invalid("document.segmentation.sequential is not for PDF files.")
        sequential = inputs.object_of(seg["sequential"], "document.segmentation.sequential")
        max_sentences = int(sequential.get("max_sentences") or 0)
        overlap = int(sequential.get("overlap_sentences") or 0)
        if max_sentences < limits.MAX_SENTENCES_MIN or not 0 <= overlap < max_sentences:
            raise invalid("document.segmentation.sequential needs max_sentences > overlap.")
    if not pdf and "local" in scopes and not max_sentences:
        raise missing("document.segmentation.sequential")
    return {
        **src,
        "document": True,
        "pdf": pdf,
        "duration": 0.0,
        "options": list(options),
        "scopes": list(scopes),
        "strategy": strategy,
        "max_sentences": max_sentences,
        "overlap": overlap,
    }


def document_data(spec: dict[str, Any], vectors: Any) -> list[dict[str, Any]]:
    """The ``EmbeddingData`` list of a finished document task."""
    identity, anchor = spec["identity"], spec["name"]
    data: list[dict[str, Any]] = []

    def add(option: str, scope: str, label: str, **where: Any) -> None:
        vec = vectors.media(identity, anchor, option, label)
        entry = {"embedding": vec, "embedding_option": option, "embedding_scope": scope}
        data.append(vectors.finish({**entry, **where}, identity, label))

    for option in spec["options"]:
        if "local" in spec["scopes"] and spec["pdf"]:
            for page in range(1, _count(identity, 2, 6) + 1):
                pos = {"start_page_number": page, "end_page_number": page}
                add(option, "page", f"page:{page}", **pos, quadrant=None)
                if spec["strategy"] == "quadrants":
                    for quadrant in limits.QUADRANTS:
                        add(option, "page", f"page:{page}:{quadrant}", **pos, quadrant=quadrant)
        elif "local" in spec["scopes"]:
            sentences = _count(identity, 12, 40)
            step = spec["max_sentences"] - spec["overlap"]
            for index, _first in enumerate(range(0, sentences, step)):
                add(option, "chunk", f"chunk:{index}", chunk_index=index)
        if "asset" in spec["scopes"]:
            add(option, "asset", "asset")
    return data


def document_metadata(spec: dict[str, Any]) -> dict[str, Any]:
    """The ``document`` metadata variant of a document task."""
    meta: dict[str, Any] = {"input_type": "document"}
    if spec["url"]:
        meta["input_url"] = spec["url"]
    meta["embedding_options"] = spec["options"]
    meta["embedding_scopes"] = spec["scopes"]
    meta["embedding_dimension"] = spec.get("dimension") or limits.DEFAULT_EMBEDDING_DIMENSION
    return meta
