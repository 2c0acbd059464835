"""Scalar, vector and timestamp hooks of the converter (see :mod:`twelvelabs_async._convert`).

They validate instead of coercing: cattrs' defaults would turn ``null`` into ``"None"``
and ``"false"`` into ``True``.
"""

from __future__ import annotations

import logging
import math
import re
from datetime import UTC, datetime
from typing import Any

_log = logging.getLogger("twelvelabs_async")

#: How many distinct kinds of bending are remembered (each is logged once); past this the
#: set stops growing and further kinds are not logged, so memory stays bounded.
MAX_NOTED_BENDS = 512
_noted: set[str] = set()


def note_bend(key: str, message: str) -> None:
    """Log at DEBUG, once per ``key``, that the reader accepted something off-description."""
    if key in _noted or len(_noted) >= MAX_NOTED_BENDS:
        return
    _noted.add(key)
    _log.debug("tolerant read: %s", message)


class VectorElementError(TypeError):
    """An element of a vector is not a number; ``index`` is its position."""

    def __init__(self, index: int, value: Any) -> None:
        super().__init__(f"expected a number in the vector, got {describe(value)}")
        self.index = index


def describe(value: Any) -> str:
    """Short description of a JSON value for error messages (``null``, ``a string ('x')``)."""
    if value is None:
        return "null"
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    kind = names.get(type(value), type(value).__name__)
    text = repr(value)
    return kind if len(text) > 40 else f"{kind} ({text})"


def structure_str(value: Any, _: type) -> str:
    """Accept a string (or a number, as text); reject null and containers."""
    if type(value) is str:
        return value
    if isinstance(value, str):
        return str(value)
    # Ids and names that arrive as numbers are still usable; null and containers are not.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"expected a string, got {describe(value)}")


def structure_bool(value: Any, _: type) -> bool:
    """Accept only true or false."""
    if isinstance(value, bool):
        return value
    raise TypeError(f"expected true or false, got {describe(value)}")


def _numeric_string(value: str) -> float | None:
    """The finite number a string spells (``"12.5"``, ``" 6 "``), else ``None``."""
    if len(value) > 64:  # no number needs more; float() of a huge string is slow
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def structure_float(value: Any, _: type) -> float:
    """Accept an int or float, or a string spelling a finite number (not a bool)."""
    if isinstance(value, float):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        number = _numeric_string(value)
        if number is not None:
            note_bend("numeric-string:float", f"read the string {value!r:.40} as a number")
            return number
    raise TypeError(f"expected a number, got {describe(value)}")


def structure_int(value: Any, _: type) -> int:
    """Accept an int, a float with no fractional part, or a string spelling one."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        number = _numeric_string(value)
        if number is not None and number.is_integer():
            note_bend("numeric-string:int", f"read the string {value!r:.40} as an integer")
            value = number
    # 6.0 for a whole-number field is harmless; 6.5 would lose information.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise TypeError(f"expected an integer, got {describe(value)}")


def check_vector_elements(vector: list[Any]) -> None:
    """Raise :class:`VectorElementError` unless every element is an int or a float.

    One ``sum`` over the list runs at C speed (its float fast path) and fails on a string,
    ``null``, an array or an object; only then is the list walked to find the culprit.
    Booleans (``true`` sums as 1) and ints are left alone: JSON gives no cheaper test.
    """
    try:
        sum(vector, 0.0)
    except (TypeError, OverflowError):
        for index, item in enumerate(vector):
            if type(item) is not float and (type(item) is not int or not _fits_float(item)):
                raise VectorElementError(index, item) from None
        raise  # pragma: no cover - sum failed yet every element is a number


def _fits_float(value: int) -> bool:
    try:
        float(value)
    except OverflowError:
        return False
    return True


def structure_vector(value: Any, _: Any) -> list[float]:
    """Accept an array of numbers as it is: elements are checked, not copied."""
    # The list orjson built is already the right shape; copying 1,024 floats per segment
    # would double decode time.
    if type(value) is list:
        check_vector_elements(value)
        return value
    raise TypeError(f"expected an array of numbers, got {describe(value)}")


def structure_optional_vector(value: Any, _: Any) -> list[float] | None:
    """Like :func:`structure_vector`, with ``null`` read as ``None``."""
    if value is None:
        return None
    if type(value) is list:
        check_vector_elements(value)
        return value
    raise TypeError(f"expected an array of numbers or null, got {describe(value)}")


def pass_through(value: Any) -> Any:
    """Write a vector as it is (unstructuring)."""
    return value


# Python 3.11 reads at most 6 fraction digits; servers may send 9 (nanoseconds).
_LONG_FRACTION = re.compile(r"(\.\d{6})\d+")


def parse_datetime(value: Any) -> datetime | None:
    """Read an RFC 3339 timestamp (or epoch seconds) as an aware datetime.

    Returns:
        The datetime in its own offset (UTC when none was given), or ``None`` when the
        value cannot be read; the latter is logged as a warning.
    """
    if isinstance(value, str):
        text = _LONG_FRACTION.sub(r"\1", value.strip())
        if text[-1:] in ("Z", "z"):
            text = text[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            _log.warning("ignoring unreadable timestamp %r (expected RFC 3339)", value)
            return None
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            # An epoch beyond the platform's range is as unreadable as a bad string.
            _log.warning("ignoring out-of-range timestamp %r", value)
            return None
    _log.warning("ignoring unreadable timestamp %r (expected RFC 3339)", value)
    return None


def format_datetime(value: datetime) -> str:
    """Write a datetime as RFC 3339, with ``Z`` for UTC and UTC assumed when naive."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
