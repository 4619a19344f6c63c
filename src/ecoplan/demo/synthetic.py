"""Synthetic indicator values for every region of a plan's territory (benchmarks and tests).

Not real data: each region's series starts from a base-year level drawn
around the plan's baseline (log-normal spread, clipped to the unit's range)
and moves toward the target at a region-specific speed (from reversal to
well ahead), with noise and missing years; change-form indicators (〔x〕
without a baseline level) get the cumulative change achieved. Deterministic
for a seed. Used to run the assessment at national scale.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ecoplan.core.regions import Region, region_lineage
from ecoplan.plans.model import Basis, Indicator, Plan
from ecoplan.plans.targets import TargetKind

__all__ = ["synthetic_values", "territory"]

_PERCENT = {"%", "％"}


def territory(plan: Plan, regions: Iterable[Region]) -> list[str]:
    """Codes of ``plan.region`` and every region below it."""
    out = []
    for r in regions:
        if plan.region == "000000" or r.code == plan.region or plan.region in region_lineage(r.code):
            out.append(r.code)
    return sorted(out)


def _final_level(ind: Indicator, base: float) -> float:
    final = ind.final
    if final is None:
        return base
    t = final.target
    if t.kind is TargetKind.CUMULATIVE and t.cumulative is not None:
        rel = ind.unit in _PERCENT and t.value is None
        step = base * t.cumulative / 100.0 if rel else t.cumulative
        return base + ind.direction.sign * step
    if t.value is not None:
        return t.value
    return base * (1 + 0.05 * ind.direction.sign)


def synthetic_values(
    plan: Plan,
    regions: Sequence[str],
    *,
    seed: int = 0,
    share: float = 1.0,
    present: float = 0.85,
) -> pd.DataFrame:
    """Values for ``regions`` under ``plan``: columns plan, indicator, region, year, value, unit, basis.

    ``share`` of the (region, indicator) series exist; each year of a series
    is present with probability ``present`` (the base year always).
    """
    rng = np.random.default_rng(seed)
    codes = np.array([r for r in regions if r != plan.region], dtype=object)
    n = len(codes)
    frames = []
    for ind in plan.indicators:
        t0 = ind.baseline.year
        years = np.arange(t0, plan.end + 1)
        pick = rng.random(n) < share
        rc = codes[pick]
        m = len(rc)
        if m == 0:
            continue
        final = ind.final
        T = final.year if final is not None else plan.end
        speed = rng.normal(0.9, 0.6, m)  # share of the required path achieved per year
        noise = rng.normal(0.0, 1.0, (m, len(years)))
        frac = np.clip((years - t0) / max(1, T - t0), 0, None)
        if ind.default_basis is Basis.CHANGE:
            target = final.target.cumulative if final is not None and final.target.cumulative else 5.0
            vals = speed[:, None] * target * frac[None, :] + 0.05 * abs(target) * noise
            vals[:, 0] = 0.0
            if ind.unit in _PERCENT:
                vals = np.clip(vals, -50, 99)
            basis = Basis.CHANGE.value
        else:
            b = ind.baseline.value
            if b is None:
                b = final.target.value if final is not None and final.target.value is not None else 50.0
            base = b * rng.lognormal(0.0, 0.15, m)
            goal = np.array([_final_level(ind, x) for x in base])
            vals = base[:, None] + speed[:, None] * (goal - base)[:, None] * frac[None, :]
            vals = vals + 0.01 * np.abs(base)[:, None] * noise
            vals[:, 0] = base
            vals = np.clip(vals, 0, 100 if ind.unit in _PERCENT else None)
            basis = Basis.LEVEL.value
        keep = rng.random((m, len(years))) < present
        keep[:, 0] = True
        ri, yi = np.nonzero(keep)
        frames.append(
            pd.DataFrame(
                {
                    "plan": plan.id,
                    "indicator": ind.id,
                    "region": rc[ri],
                    "year": years[yi],
                    "value": np.round(vals[ri, yi], 2),
                    "unit": ind.unit,
                    "basis": basis,
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=["plan", "indicator", "region", "year", "value", "unit", "basis"])
    return pd.concat(frames, ignore_index=True)
