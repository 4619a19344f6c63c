r"""Progress measures of one indicator series — pure functions of numbers.

Every function takes plain floats (the series already expressed in one
"assessment space", see :mod:`ecoplan.assess.evaluate`) and returns floats or
``None`` when the measure is undefined. Sources are named per function; the
labels [DOC], [DOC-VERIFY], [DESIGN] are those of ``assessment.md``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

__all__ = [
    "annual_change",
    "cagr",
    "current_status",
    "expected_on_schedule",
    "rr_eurostat",
    "wls_projection",
]


def cagr(y_start: float, y_end: float, years: float) -> float | None:
    r"""Compound annual growth rate ``(y_end / y_start) ** (1/years) - 1``.

    ``assessment.md`` §2.1 (Eurostat). ``None`` when a value is zero or
    negative, or ``years <= 0`` (CAGR undefined).
    """
    if years <= 0 or y_start <= 0 or y_end <= 0:
        return None
    return float((y_end / y_start) ** (1.0 / years) - 1.0)


def annual_change(y_start: float, y_end: float, years: float) -> float | None:
    """Average absolute change per year ``(y_end - y_start) / years`` [unit/yr]."""
    if years <= 0:
        return None
    return (y_end - y_start) / years


def rr_eurostat(
    y0: float, yt: float, t0: int, t: int, target: float, target_year: int, sign: int
) -> tuple[float | None, str]:
    r"""Ratio of actual to required growth, Eurostat SDG method (``assessment.md`` §2.1).

    .. math:: RR = CAGR_a / CAGR_r,\quad CAGR_a = (y_t/y_{t_0})^{1/(t-t_0)} - 1,
              \quad CAGR_r = (x_T/y_{t_0})^{1/(T-t_0)} - 1

    Edge cases [DESIGN]: when the required growth has the wrong sign (the base
    is already beyond the target) the Statistics Canada signed form
    ``d * CAGR_a / |CAGR_r|`` is used; when a value is zero or negative the
    linear form ``RR_lin`` is used. The second element says which form.

    Returns
    -------
    (rr, form) : (float or None, str)
        ``form`` is ``"cagr"``, ``"signed"``, ``"linear"`` or ``"undefined"``.
    """
    a = cagr(y0, yt, t - t0)
    r = cagr(y0, target, target_year - t0)
    if a is not None and r is not None and r != 0:
        if r * sign > 0:
            return a / r, "cagr"
        return sign * a / abs(r), "signed"
    la = annual_change(y0, yt, t - t0)
    lr = annual_change(y0, target, target_year - t0)
    if la is not None and lr:
        return la / lr, "linear"
    return None, "undefined"


def expected_on_schedule(
    points: Sequence[tuple[int, float]], t: int, schedule: str = "linear"
) -> float | None:
    r"""Expected value at year ``t`` on the path through ``points`` (序时进度).

    ``assessment.md`` §1.4 [DOC term, DESIGN formula]: between two anchor
    points ``(t_a, y_a)``, ``(t_b, y_b)`` (baseline, milestones, target)

    * linear:   :math:`y_a + (y_b - y_a)(t - t_a)/(t_b - t_a)`
    * compound: :math:`y_a (y_b/y_a)^{(t - t_a)/(t_b - t_a)}` (falls back to
      linear when a value is not positive).

    Examples
    --------
    >>> round(expected_on_schedule([(2015, 100.0), (2020, 82.0)], 2018, "compound"), 2)
    88.77
    """
    pts = sorted(points)
    if not pts or t < pts[0][0]:
        return None
    if t >= pts[-1][0]:
        return pts[-1][1]
    for (ta, ya), (tb, yb) in itertools.pairwise(pts):
        if ta <= t <= tb:
            f = (t - ta) / (tb - ta)
            if schedule == "compound" and ya > 0 and yb > 0:
                return float(ya * (yb / ya) ** f)
            return ya + (yb - ya) * f
    return None


def current_status(y_base: float, y_now: float, target: float) -> float | None:
    """ESCAP Current Status index ``CS = (y_cr - y_b)/(x_T - y_b)`` (``assessment.md`` §3).

    Not capped here; the caller caps at 1 when the target is reached.
    ``None`` when the target equals the base value.
    """
    if target == y_base:
        return None
    return (y_now - y_base) / (target - y_base)


def wls_projection(
    series: Sequence[tuple[int, float]], year: int, weights: str = "linear"
) -> tuple[float, float] | None:
    r"""Time-weighted least-squares projection of the series to ``year``.

    ESCAP Anticipated Progress [DOC-VERIFY, weight function DESIGN]
    (``assessment.md`` §3): fit ``y = a + b (t - t_1)`` with weights
    ``w_i = i`` (``linear``), ``1`` (``uniform``) or ``0.5 ** (n - i)``
    (``exponential``) for the i-th year in chronological order.

    Returns
    -------
    (yhat, slope) : (float, float) or None
        ``None`` with fewer than two points.

    Examples
    --------
    >>> yhat, b = wls_projection([(2015, 76.7), (2016, 78.8), (2017, 78.0), (2018, 79.3)], 2020)
    >>> round(yhat, 2), round(b, 2)
    (80.41, 0.62)
    """
    pts = sorted(series)
    n = len(pts)
    if n < 2:
        return None
    if weights == "uniform":
        w = [1.0] * n
    elif weights == "exponential":
        w = [0.5 ** (n - i) for i in range(1, n + 1)]
    else:
        w = [float(i) for i in range(1, n + 1)]
    t1 = pts[0][0]
    xs = [t - t1 for t, _ in pts]
    ys = [y for _, y in pts]
    sw = sum(w)
    mx = sum(wi * x for wi, x in zip(w, xs, strict=True)) / sw
    my = sum(wi * y for wi, y in zip(w, ys, strict=True)) / sw
    sxx = sum(wi * (x - mx) ** 2 for wi, x in zip(w, xs, strict=True))
    if sxx == 0 or math.isnan(sxx):
        return None
    b = sum(wi * (x - mx) * (y - my) for wi, x, y in zip(w, xs, ys, strict=True)) / sxx
    a = my - b * mx
    return a + b * (year - t1), b
