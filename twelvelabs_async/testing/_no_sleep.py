"""The public testing switch: the SDK's waits take no time and are recorded."""

from __future__ import annotations

from twelvelabs_async._timing import SleepRecorder

__all__ = ["SleepRecorder", "no_sleep"]


def no_sleep() -> SleepRecorder:
    """Make every wait of the SDK take zero time until the returned recorder is stopped.

    Covers the transport's retry backoff (and waits a ``Retry-After`` asks for), the
    ``wait_for_done`` polling interval and the bulk job's rate gate and retry delays. Each
    wait still yields to the event loop once, and is recorded in ``delays`` (seconds
    asked for, in order). The deadlines those waits count against (a ``wait_for_done``
    ``timeout``, the gate's reopening time) see the skipped seconds as passed. Request
    timeouts and the fake server's clock stay real time.

    As a context manager::

        with no_sleep() as waits:
            await client.embed.tasks.wait_for_done(task_id, sleep_interval=5)
        assert all(4.5 <= d <= 5.5 for d in waits.delays)

    or as a plain call (for a fixture): ``waits = no_sleep()`` ... ``waits.stop()``.
    Switches nest: stopping an inner one restores the outer one.

    Returns:
        The running :class:`SleepRecorder`.
    """
    return SleepRecorder().start()
