"""The one place the SDK waits: retry backoff, polling intervals and the bulk rate gate.

Every deliberate wait of the package goes through :func:`sleep`, and the code that
compares deadlines against those waits reads :func:`monotonic`. Tests switch both with
:func:`twelvelabs_async.testing.no_sleep`: a wait then takes no time (it still yields to
the event loop once, so other tasks run), is recorded, and moves :func:`monotonic`
forward to the time it would have ended (waits that overlap move it once), so that a
``timeout`` or a gate that stays closed for 30 s behaves as if those seconds had passed.

Request timeouts and the fake server's clock are not affected: they are real time.
"""

from __future__ import annotations

import asyncio
import time

__all__ = ["SleepRecorder", "monotonic", "sleep"]


class SleepRecorder:
    """The waits asked for while the no-sleep switch is on (see ``testing.no_sleep``)."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self._previous: SleepRecorder | None = None
        self._active = False

    @property
    def total(self) -> float:
        """Seconds the recorded waits would have taken."""
        return sum(self.delays)

    @property
    def active(self) -> bool:
        """Whether the switch is still on for this recorder."""
        return self._active

    def start(self) -> SleepRecorder:
        """Turn the switch on (done by ``no_sleep()``); returns the recorder."""
        global _recorder
        if not self._active:
            self._previous, _recorder, self._active = _recorder, self, True
        return self

    def stop(self) -> None:
        """Turn the switch off again, restoring what was in force before; idempotent."""
        global _recorder
        if self._active:
            _recorder, self._active = self._previous, False
            self._previous = None

    def __enter__(self) -> SleepRecorder:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"SleepRecorder(delays={self.delays!r}, active={self._active})"


_recorder: SleepRecorder | None = None
# Seconds skipped by recorded waits, added to the clock so deadlines see them pass.
_skipped = 0.0


async def sleep(seconds: float) -> None:
    """Wait ``seconds`` (or, with the no-sleep switch on, record it and only yield once)."""
    global _skipped
    recorder = _recorder
    if recorder is None:
        await asyncio.sleep(seconds)
        return
    recorder.delays.append(seconds)
    # Waits that overlap in time overlap on the clock too: each moves it to its own wake-up
    # time, never by its length on top of the others'. A hundred tasks each waiting 0.05 s
    # at once move it by 0.05 s, not 5 s (which would expire their timeouts at once).
    wake = monotonic() + max(0.0, seconds)
    await asyncio.sleep(0)
    _skipped = max(_skipped, wake - time.monotonic())


def monotonic() -> float:
    """A monotonic clock in seconds that counts the waits the no-sleep switch skipped."""
    return time.monotonic() + _skipped
