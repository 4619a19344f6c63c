"""GB/T 8170—2008 rounding (数值修约规则, §3.2: 四舍六入五成双 — round half to even, on the
decimal value), the one rule every reported number of ecoplan follows.

One rule, written for each kind of number the code holds, and tested against each
other (``tests/core/test_rounding.py``):

:func:`round_half_even`
    a Python float, taken at its shortest decimal representation (``0.125`` is
    0.125, not the binary neighbour Python's ``round`` sees), e.g. a reported
    statistic (HJ 663 §5.1) or a value fed to a plan;
:func:`round_fraction`
    an exact :class:`~fractions.Fraction` (the AQI reference path of HJ 633);
:func:`round_scaled`
    a NumPy array of integers scaled by 10^``scale`` (the vectorised AQI path);
:func:`round_scaled_sql`
    the same on a BIGINT SQL expression (the daily pipeline, any SQLGlot dialect).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt

__all__ = ["round_fraction", "round_half_even", "round_scaled", "round_scaled_sql"]

FloatArray = npt.NDArray[np.float64]


def round_half_even(x: float | None, digits: int) -> float | None:
    """``x`` rounded to ``digits`` decimals per GB/T 8170 (None and NaN give None).

    >>> round_half_even(2.675, 2), round_half_even(0.125, 2), round_half_even(35.5, 0)
    (2.68, 0.12, 36.0)
    """
    if x is None or math.isnan(x):
        return None
    q = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)
    return float(q)


def round_fraction(c: Fraction, digits: int) -> Fraction:
    """An exact value rounded to ``digits`` decimals per GB/T 8170.

    >>> round_fraction(Fraction(25, 2), 0), round_fraction(Fraction(27, 2), 0)
    (Fraction(12, 1), Fraction(14, 1))
    """
    unit = Fraction(1, 10**digits)
    q = c / unit
    lo = math.floor(q)
    rem = q - lo
    if rem > Fraction(1, 2) or (rem == Fraction(1, 2) and lo % 2 == 1):
        lo += 1
    return lo * unit


def round_scaled(q: FloatArray, digits: int, scale: int = 6) -> FloatArray:
    """Integers scaled by 10^``scale`` (held as floats below 2⁵³), rounded to ``digits``
    decimals per GB/T 8170, still scaled. Exact: every quantity is an integer, so the
    floor and the remainder are computed without rounding error."""
    unit = float(10 ** (scale - digits))
    r = np.floor(q / unit)
    rem = q - r * unit
    half = unit / 2
    up = (rem > half) | ((rem == half) & (np.fmod(r, 2.0) == 1.0))
    out: FloatArray = (r + up) * unit
    return out


def round_scaled_sql(x: str, digits: int, scale: int = 6) -> str:
    """SQL for a BIGINT expression ``x`` scaled by 10^``scale``, rounded to ``digits``
    decimals per GB/T 8170, still scaled (integer arithmetic only: ``//`` and ``%``)."""
    u = 10 ** (scale - digits)
    h = u // 2
    return (
        f"(CASE WHEN {x} % {u} > {h} OR ({x} % {u} = {h} AND ({x} // {u}) % 2 = 1) "
        f"THEN ({x} // {u} + 1) * {u} ELSE ({x} // {u}) * {u} END)"
    )
