"""Whose baseline: the base-year level a region is measured from, and where it came from.

The rule of ``docs/assessment.md`` "Whose baseline, whose target": the plan's
printed baseline for the plan's own region; for any other region its own
stored level of the base year, never the plan region's (without it, the
statuses that need a baseline are ``insufficient_data``). When the plan
prints no baseline for its own region, progress in the level space is
measured from the first year observed before the evaluation year, and the
reason says so.
"""

from __future__ import annotations

from collections.abc import Sequence

from ecoplan.assess.model import Observation
from ecoplan.assess.space import _Space
from ecoplan.plans.model import Basis, Indicator, Plan


def _base_level(
    plan: Plan, ind: Indicator, region: str, observations: Sequence[Observation]
) -> tuple[float | None, Observation | None]:
    """The base-year level of ``region`` and the stored observation it is (None: the plan's)."""
    if region == plan.region:
        return ind.baseline.value, None
    base_obs = next((o for o in observations if o.year == ind.baseline.year and o.basis is Basis.LEVEL), None)
    return (None if base_obs is None else base_obs.value), base_obs


def _baseline_source(plan: Plan, ind: Indicator, region: str, base_obs: Observation | None) -> str | None:
    """``plan`` (the printed baseline), the stored value's source (``store`` if it has none), or None."""
    return (
        "plan"
        if region == plan.region and ind.baseline.value is not None
        else None
        if base_obs is None
        else base_obs.source or "store"
    )


def _start(
    sp: _Space, series: dict[int, tuple[float, Observation]], t0: int, year: int, own_region: bool
) -> tuple[int, float | None, str | None]:
    """The start year and value in the space, and the start note when the plan gives no baseline."""
    y0 = sp.y0
    start_note = None
    if y0 is None and sp.name == "level" and own_region:
        later = [y for y in series if t0 <= y < year]
        if later:
            t0 = min(later)
            y0 = series[t0][0]
            start_note = f"{t0}"
    return t0, y0, start_note
