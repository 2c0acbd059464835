"""Small sample media files for the demo and tests.

The fake server does not decode media, so the ``.mp4`` samples are a few kilobytes of
bytes behind a valid-looking ``ftyp`` header; the ``.wav`` samples are real one-second
tones written with the standard library's :mod:`wave` module (the real API can embed
those). File names are words on purpose: the fake server makes the vectors of
``goal.mp4`` lean towards the text embedding of ``"goal"``, so a search for ``goal``
finds that file.
"""

from __future__ import annotations

import math
import os
import random
import struct
import wave
from pathlib import Path

__all__ = ["SAMPLE_AUDIO", "SAMPLE_VIDEOS", "make_samples"]

#: Placeholder videos (meaningful only to the fake server).
SAMPLE_VIDEOS = ("goal.mp4", "crowd.mp4", "kickoff.mp4", "penalty.mp4")
#: Real audio: one-second tones.
SAMPLE_AUDIO = (("whistle.wav", 2000.0), ("anthem.wav", 440.0))


def _write_video(path: Path, seed: int) -> None:
    rng = random.Random(seed)
    header = struct.pack(">I4s4sI4s4s", 24, b"ftyp", b"isom", 512, b"isom", b"mp41")
    path.write_bytes(header + rng.randbytes(4096))


def _write_tone(path: Path, frequency: float, seconds: float = 1.0, rate: int = 16000) -> None:
    frames = bytearray()
    for n in range(int(seconds * rate)):
        frames += struct.pack("<h", int(12000 * math.sin(2 * math.pi * frequency * n / rate)))
    with wave.open(os.fspath(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))


def make_samples(directory: str | os.PathLike[str], *, videos: bool = True) -> list[Path]:
    """Write the sample files into ``directory`` (created if needed); return their paths.

    The content is the same on every call, so a resumed job sees unchanged files only when
    they are not rewritten: existing files are left alone.

    Args:
        directory: where to write.
        videos: include the placeholder videos (leave them out for the real API, which
            would reject them as undecodable).

    Returns:
        The sample paths, videos first.
    """
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    if videos:
        for seed, name in enumerate(SAMPLE_VIDEOS):
            path = root / name
            if not path.exists():
                _write_video(path, seed)
            paths.append(path)
    for name, frequency in SAMPLE_AUDIO:
        path = root / name
        if not path.exists():
            _write_tone(path, frequency)
        paths.append(path)
    return paths
