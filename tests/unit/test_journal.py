"""The bulk job journal: durable appends, replay, torn tails, locking, orphan intents."""

from __future__ import annotations

import array
import asyncio
from pathlib import Path

import orjson
import pytest

from twelvelabs_async.bulk import Journal, JournalError, Segment
from twelvelabs_async.bulk._journal import EntryState, decode_segments, encode_segments


async def _append_all(journal: Journal, *records: dict[str, object]) -> None:
    for record in records:
        await journal.append(record)


async def test_reopened_journal_replays_task_ids_and_results(tmp_path: Path) -> None:
    """A journal closed and opened again knows each key's task id and result."""
    path = tmp_path / "j.jsonl"
    journal = Journal.open(path)
    await _append_all(
        journal,
        {"type": "intent", "key": "a", "at": 1.0},
        {"type": "created", "key": "a", "task_id": "t1", "at": 2.0},
        {"type": "done", "key": "a", "task_id": "t1", "rows": 3},
        {"type": "intent", "key": "b", "at": 3.0},
        {"type": "created", "key": "b", "task_id": "t2", "at": 4.0},
    )
    await journal.aclose()
    again = Journal.open(path)
    try:
        assert again.entries["a"].done is not None
        assert again.entries["a"].task_id == "t1"
        assert again.entries["b"].task_id == "t2"
        assert again.entries["b"].done is None
        assert again.claimed_ids == {"t1", "t2"}
    finally:
        await again.aclose()


async def test_torn_last_line_is_cut_and_the_next_line_stays_whole(tmp_path: Path) -> None:
    """A half-written last line (a kill mid-write) is dropped so the next append parses."""
    path = tmp_path / "j.jsonl"
    path.write_bytes(b'{"type":"created","key":"a","task_id":"t1"}\n{"type":"crea')
    journal = Journal.open(path)
    await journal.append({"type": "created", "key": "b", "task_id": "t2"})
    await journal.aclose()
    lines = path.read_bytes().splitlines()
    assert [orjson.loads(line)["key"] for line in lines] == ["a", "b"]


def test_damaged_middle_line_raises_with_its_number(tmp_path: Path) -> None:
    """A corrupt line that is not the last is reported, not silently skipped."""
    path = tmp_path / "j.jsonl"
    path.write_bytes(b'{"type":"run"}\nnot json\n{"type":"run"}\n')
    with pytest.raises(JournalError, match="line 2"):
        Journal.open(path)


async def test_a_second_job_cannot_open_a_journal_in_use(tmp_path: Path) -> None:
    """While one job holds the journal another gets JournalError; after close it can open it."""
    path = tmp_path / "j.jsonl"
    first = Journal.open(path)
    with pytest.raises(JournalError, match="in use"):
        Journal.open(path)
    await first.aclose()
    second = Journal.open(path)
    await second.aclose()


async def test_header_of_another_job_is_refused(tmp_path: Path) -> None:
    """check_header accepts a new journal and refuses one written for another model."""
    path = tmp_path / "j.jsonl"
    path.write_bytes(b'{"type":"job","api":"v1","model_name":"marengo3.0"}\n')
    journal = Journal.open(path)
    try:
        assert journal.check_header({"api": "v1", "model_name": "marengo3.0"}) is False
        with pytest.raises(JournalError, match=r"model_name='marengo3\.0'"):
            journal.check_header({"api": "v1", "model_name": "marengo3.5"})
    finally:
        await journal.aclose()
    fresh = Journal.open(tmp_path / "new.jsonl")
    try:
        assert fresh.check_header({"api": "v1", "model_name": "marengo3.0"}) is True
    finally:
        await fresh.aclose()


@pytest.mark.parametrize(
    ("records", "orphan_since"),
    [
        ([("intent", 1.0)], 1.0),
        ([("intent", 1.0), ("rejected", 2.0)], None),
        ([("intent", 1.0), ("unknown", 2.0), ("intent", 3.0), ("rejected", 4.0)], 1.0),
        ([("intent", 1.0), ("unknown", 2.0), ("intent", 3.0), ("created", 4.0)], None),
        ([("intent", 1.0), ("rejected", 2.0), ("intent", 5.0)], 5.0),
    ],
)
def test_orphan_window_starts_at_the_first_create_with_unknown_outcome(
    records: list[tuple[str, float]], orphan_since: float | None
) -> None:
    """Only intents without a definitive answer open the window searched on resume."""
    state = EntryState("k")
    for kind, at in records:
        state.apply({"type": kind, "key": "k", "at": at, "task_id": "t"})
    state.settle()
    assert state.orphan_since == orphan_since


def test_segments_round_trip_through_the_journal_encoding() -> None:
    """Inline segments decode to the same float32 values and metadata."""
    segments = [
        Segment(array.array("f", [0.5, -1.25, 3.0]), 0.0, 6.0, "visual", "clip"),
        Segment(array.array("f", [1.0, 2.0, 3.0]), None, None, None, None),
    ]
    decoded = decode_segments(orjson.loads(orjson.dumps(encode_segments(segments))))
    assert decoded == segments


async def test_a_cancelled_appender_still_gets_its_line_written(tmp_path: Path) -> None:
    """Cancelling the task that appends does not withdraw a line already handed over."""
    path = tmp_path / "j.jsonl"
    journal = Journal.open(path)
    task = asyncio.create_task(journal.append({"type": "created", "key": "a", "task_id": "t"}))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await journal.aclose()
    assert b'"task_id":"t"' in path.read_bytes()


async def test_memory_journal_keeps_state_without_a_file() -> None:
    """A job without a journal file still tracks state in memory."""
    journal = Journal.memory()
    await journal.append({"type": "created", "key": "a", "task_id": "t"})
    assert journal.entries["a"].task_id == "t"
    await journal.aclose()


async def test_claimed_ids_follow_records_appended_later() -> None:
    """The claimed-id set handed out early also holds ids created afterwards."""
    journal = Journal.memory()
    claimed = journal.claimed_ids
    await journal.append({"type": "created", "key": "a", "task_id": "t9"})
    assert "t9" in claimed
    await journal.aclose()
