"""Fixtures of the reliability tests: fast retry backoff for every test in this folder."""

from __future__ import annotations

import pytest

from twelvelabs_async import _retry


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shrink the retry backoff so that retried faults cost milliseconds, not seconds."""
    monkeypatch.setattr(_retry, "BACKOFF_BASE", 0.002)
    monkeypatch.setattr(_retry, "BACKOFF_CAP", 0.01)
