"""Fixtures of the reliability tests: the SDK's waits take no time in this folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from twelvelabs_async.testing import SleepRecorder, no_sleep


@pytest.fixture(autouse=True)
def fast_waits() -> Iterator[SleepRecorder]:
    """Retried faults and polling cost no real time (through the public testing switch)."""
    with no_sleep() as waits:
        yield waits
