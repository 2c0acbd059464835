"""The package's one backoff rule, as used by retries, polling, the bulk gate and item retries."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from twelvelabs_async._retry import BACKOFF_BASE, BACKOFF_CAP, backoff

PACKAGE = Path(__file__).resolve().parents[2] / "twelvelabs_async"


@pytest.mark.parametrize(
    ("retry", "ceiling"), [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (6, 8.0), (40, 8.0)]
)
def test_retry_defaults_are_equal_jitter_under_a_cap(retry: int, ceiling: float) -> None:
    """Transport retries wait between half and all of min(8, 0.5 * 2**(n-1)) seconds."""
    assert (BACKOFF_BASE, BACKOFF_CAP) == (0.5, 8.0)
    assert backoff(retry, 0.0) == ceiling / 2
    assert backoff(retry, 0.5) == pytest.approx(ceiling * 0.75)
    assert backoff(retry, 0.999999) == pytest.approx(ceiling, rel=1e-5)


def test_a_retry_number_below_one_counts_as_the_first() -> None:
    """Retry number 0 (or less) never shrinks the wait below the first step."""
    assert backoff(0, 1.0) == backoff(1, 1.0) == BACKOFF_BASE


@pytest.mark.parametrize("rand", [0.0, 0.25, 0.5, 0.75, 0.999999])
def test_polling_interval_is_ten_percent_either_side(rand: float) -> None:
    """growth=1 with jitter (0.9, 1.1) keeps the interval within ±10 % on every read."""
    for read in (1, 2, 50):
        wait = backoff(read, rand, base=5.0, cap=5.0, growth=1.0, jitter=(0.9, 1.1))
        assert 4.5 <= wait <= 5.5
        assert wait == pytest.approx(5.0 * (0.9 + 0.2 * rand))


def test_gate_growth_and_cap() -> None:
    """The bulk gate's steps double from its base and stop at its cap."""
    ceilings = [backoff(n, 1.0, base=1.0, cap=60.0) for n in range(1, 10)]
    assert ceilings == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0]
    assert backoff(3, 0.0, base=1.0, cap=60.0) == 2.0


def test_huge_retry_numbers_do_not_overflow() -> None:
    """A retry count far past the cap still returns the cap (no float overflow)."""
    assert backoff(1000, 1.0, base=1.0, cap=30.0) == 30.0


def test_no_other_backoff_formula_in_the_package() -> None:
    """No module outside _retry.py computes an exponential wait of its own (``x * 2 ** n``)."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "_retry.py" or "models" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.BinOp)
                and isinstance(node.op, ast.Pow)
                and isinstance(node.left, ast.Constant)
                and node.left.value == 2
                and not isinstance(node.right, ast.Constant)
            ):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []
