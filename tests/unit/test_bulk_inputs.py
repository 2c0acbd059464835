"""Bulk job inputs: stable keys, kinds, routes, and settings checked before any request."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from twelvelabs_async.bulk import BulkEmbedJob, media_kind
from twelvelabs_async.bulk._calls import extract_segments, match_name, route
from twelvelabs_async.bulk._inputs import prepare_inputs
from twelvelabs_async.errors import InvalidRequestError

OPTS = {"api": "v1", "model_name": "marengo3.0"}


def test_same_file_gets_the_same_key_until_it_changes(tmp_path: Path) -> None:
    """A path's key survives a restart and changes when the file's size or mtime changes."""
    path = tmp_path / "a.mp4"
    path.write_bytes(b"x" * 10)
    (first,) = prepare_inputs([str(path)], OPTS)
    (again,) = prepare_inputs([path], OPTS)
    assert first.key == again.key
    os.utime(path, ns=(1, 1))
    (touched,) = prepare_inputs([path], OPTS)
    assert touched.key != first.key


def test_options_are_part_of_the_key(tmp_path: Path) -> None:
    """The same input with other request options is another job entry."""
    url = "https://cdn.example.com/a.mp4"
    (a,) = prepare_inputs([url], OPTS)
    (b,) = prepare_inputs([url], {**OPTS, "options": {"video_clip_length": 4}})
    assert a.key != b.key


def test_repeated_inputs_get_distinct_stable_keys() -> None:
    """The n-th copy of an input gets a key of its own, the same on every run."""
    url = "https://cdn.example.com/a.mp4"
    items = prepare_inputs([url, url, url], OPTS)
    assert len({i.key for i in items}) == 3
    assert [i.key for i in items] == [i.key for i in prepare_inputs([url, url, url], OPTS)]


def test_missing_file_becomes_an_item_error_not_an_exception(tmp_path: Path) -> None:
    """A missing path fails that input only, with a message naming it."""
    (item,) = prepare_inputs([tmp_path / "gone.mp4"], OPTS)
    assert isinstance(item.error, InvalidRequestError)
    assert "gone.mp4" in str(item.error)


def test_unsupported_input_type_raises_before_the_job_starts() -> None:
    """An input that is neither path, URL, mapping nor request object is refused at once."""
    with pytest.raises(InvalidRequestError, match="unsupported type int"):
        prepare_inputs([42], OPTS)


def test_mappings_keep_their_url_and_text_inputs_are_recognized() -> None:
    """A request mapping exposes its media URL; ``{"text": ...}`` is a text input."""
    video = {"input_type": "video", "video": {"media_source": {"url": "https://x/y.mp4"}}}
    req, text = prepare_inputs([video, {"text": "a goal"}], OPTS)
    assert (req.kind, req.url) == ("request", "https://x/y.mp4")
    assert (text.kind, text.text) == ("text", "a goal")


@pytest.mark.parametrize(
    ("name", "kind"),
    [("a.MP4", "video"), ("b.wav", "audio"), ("c.jpeg", "image"),
     ("https://x/d.mp3?sig=1", "audio"), ("e.unknown", "video")],
)  # fmt: skip
def test_media_kind_follows_the_extension(name: str, kind: str) -> None:
    """The media kind comes from the extension, ignoring a URL's query."""
    assert media_kind(name) == kind


def test_routes_per_api(tmp_path: Path) -> None:
    """v1 sends videos to tasks and audio to /embed; v2 tasks audio too; v2-sync never tasks."""
    paths = []
    for name in ("v.mp4", "a.wav", "i.png"):
        (tmp_path / name).write_bytes(b"x")
        paths.append(tmp_path / name)
    v, a, i = prepare_inputs(paths, OPTS)
    assert [route("v1", w) for w in (v, a, i)] == ["task", "sync", "sync"]
    assert [route("v2", w) for w in (v, a, i)] == ["task", "task", "sync"]
    assert [route("v2-sync", w) for w in (v, a, i)] == ["sync"] * 3
    # v2 sends local files as base64: nothing in the task list can name them.
    assert match_name("v1", v) == "v.mp4"
    assert match_name("v2", v) is None


def test_extract_segments_reads_v1_and_v2_shapes() -> None:
    """Segments come out of v1 task results and v2 data with their times and labels."""
    v1 = SimpleNamespace(video_embedding=SimpleNamespace(segments=[SimpleNamespace(
        float_=[1.0, 2.0], start_offset_sec=0.0, end_offset_sec=6.0,
        embedding_option="visual", embedding_scope="clip")]))  # fmt: skip
    v2 = SimpleNamespace(data=[SimpleNamespace(
        embedding=[3.0], start_sec=None, end_sec=None, embedding_option=None,
        embedding_scope=None)])  # fmt: skip
    (seg1,) = extract_segments(v1)
    (seg2,) = extract_segments(v2)
    assert (list(seg1.vector), seg1.end_sec, seg1.option) == ([1.0, 2.0], 6.0, "visual")
    assert (list(seg2.vector), seg2.start_sec) == ([3.0], None)


def test_v1_embed_error_message_fails_the_input() -> None:
    """A 200 from /embed carrying error_message is an error, not an empty result."""
    from twelvelabs_async.errors import EmbeddingError

    response = SimpleNamespace(audio_embedding=SimpleNamespace(segments=None, error_message="bad"))
    with pytest.raises(EmbeddingError, match="audio: bad"):
        extract_segments(response, "a.wav")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"api": "v3"}, "api must be one of"), ({"concurrency": 0}, "concurrency"),
     ({"model_name": ""}, "model_name"), ({"poll_interval": 0}, "poll_interval"),
     ({"embedding_option": "visual"}, "list of strings")],
)  # fmt: skip
def test_invalid_settings_raise_before_anything_runs(
    kwargs: dict[str, object], message: str
) -> None:
    """Bad job settings raise InvalidRequestError at construction."""
    settings: dict[str, object] = {"model_name": "marengo3.0", **kwargs}
    with pytest.raises(InvalidRequestError, match=message):
        BulkEmbedJob(object(), [], **settings)  # type: ignore[arg-type]
