"""Progress measures of one assessment (``assessment.md`` §2): what a status rests on.

The change since the start, the required and achieved annual change
(compound when baseline, value and target are all positive, else linear), the
Eurostat progress ratio and its category (§2.1), the current status index,
the ESCAP weighted projection to the target year with its anticipated
progress, and the value expected on schedule (序时进度: the plan's
milestones, linear or compound by plan setting).
"""

from __future__ import annotations

from typing import Any

from ecoplan.assess.model import Observation
from ecoplan.assess.progress import (
    cagr,
    current_status,
    expected_on_schedule,
    rr_eurostat,
    wls_projection,
)
from ecoplan.assess.space import _Course, _target_value
from ecoplan.plans.model import Indicator, Plan, TargetSpec


def _rr_category(rr: float | None) -> str | None:
    """Eurostat categories (``assessment.md`` §2.1)."""
    if rr is None:
        return None
    if rr >= 0.95:
        return "significant_progress"
    if rr >= 0.6:
        return "moderate_progress"
    if rr >= 0:
        return "insufficient_progress"
    return "movement_away"


def _measures(
    plan: Plan,
    ind: Indicator,
    c: _Course,
    final: TargetSpec,
    series: dict[int, tuple[float, Observation]],
    year: int,
    v: float,
    weights: str,
) -> dict[str, Any]:
    """The progress measures of value ``v`` in ``year``, as the :class:`IndicatorAssessment` fields they set.

    Without a start value none is known; the annual changes, ratios and the
    projection need a year after the start and a target value; the expected
    value is for years before the target year.
    """
    sp, t0, y0, y_t = c.sp, c.t0, c.y0, c.y_t
    T = final.year
    s = sp.sign
    out: dict[str, Any] = {}
    points: list[tuple[int, float]] = []
    if y0 is not None:
        points.append((t0, y0))
        for spec in c.specs:
            tv = _target_value(spec, sp, c.thr)
            if tv is not None and spec.year > t0:
                points.append((spec.year, tv))
    hist = [(yr, val) for yr, (val, _) in series.items() if yr <= year and yr >= t0]
    if y0 is not None and all(yr != t0 for yr, _ in hist):
        hist.append((t0, y0))
    if y0 is not None:
        out["change"] = v - y0
        if year > t0 and y_t is not None:
            rel = y0 > 0 and v > 0 and y_t > 0
            if rel:
                req, act = cagr(y0, y_t, T - t0), cagr(y0, v, year - t0)
                out["required_annual"] = None if req is None else req * 100
                out["actual_annual"] = None if act is None else act * 100
                out["annual_unit"] = "%/yr"
            else:
                out["required_annual"] = (y_t - y0) / (T - t0)
                out["actual_annual"] = (v - y0) / (year - t0)
                out["annual_unit"] = f"{ind.unit}/yr"
            rr, form = rr_eurostat(y0, v, t0, year, y_t, T, s)
            out["rr"], out["rr_form"], out["rr_category"] = rr, form, _rr_category(rr)
            out["cs"] = current_status(y0, v, y_t)
            proj = wls_projection(hist, T, weights)
            if proj is not None:
                out["projected"] = proj[0]
                out["ap"] = current_status(y0, proj[0], y_t)
        if points and year < T:
            out["expected"] = expected_on_schedule(points, year, plan.settings.schedule)
    return out
