"""Checks that the v1 and v2 request validators share: finite numbers and wire-safe strings.

Both raise :class:`~twelvelabs_async.errors.InvalidRequestError` naming the argument, before
any byte is sent.
"""

from __future__ import annotations

import math
import re
from typing import NoReturn

from twelvelabs_async.errors import InvalidRequestError

__all__ = ["check_finite", "check_wire_string", "control_character"]

# C0 controls (CR, LF, TAB, NUL, ...), DEL, C1 controls and the Unicode line separators:
# none belongs in a URL, a model name, an option or an id, and CR/LF in a form field or a
# header-like value is how requests get split.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _fail(message: str) -> NoReturn:
    raise InvalidRequestError(message)


def check_finite(name: str, value: object, *, what: str = "a number of seconds") -> float:
    """Return ``value`` as a float if it is a finite int or float (not a bool).

    Args:
        name: the argument's name (or its path in the request), for the message.
        value: the value to check.
        what: how the message describes the expected value.

    Returns:
        The number as a float.

    Raises:
        InvalidRequestError: not a number, a bool, NaN or infinite (JSON has no NaN or
            infinity: they would be sent as ``null`` or break the form).
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        _fail(f"{name} must be {what}, got {type(value).__name__} {value!r}")
    try:
        number = float(value)
    except OverflowError:
        _fail(f"{name} must be {what} that fits a float, got an integer too large for one")
    if not math.isfinite(number):
        _fail(f"{name} must be a finite number (not NaN or infinity), got {value!r}")
    return number


def control_character(value: str) -> str | None:
    """The first control character in ``value`` (CR, LF, NUL, ...), or ``None``."""
    found = _CONTROL.search(value)
    return found.group() if found else None


def check_wire_string(name: str, value: str) -> str:
    """Refuse a string that holds a control character; return it unchanged otherwise.

    Args:
        name: the argument's name (or its path in the request), for the message.
        value: a URL, model name, option, enum value or id about to be sent.

    Raises:
        InvalidRequestError: it contains CR, LF or another control character.
    """
    char = control_character(value)
    if char is not None:
        shown = value if len(value) <= 60 else value[:60] + "..."
        _fail(
            f"{name} contains the control character {char!r} ({shown!r}); remove line "
            "breaks and other control characters (did a value read from a file keep its "
            "newline?)"
        )
    return value
