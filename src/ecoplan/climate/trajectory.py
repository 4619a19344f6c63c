"""The CO2-intensity decline of a region against a plan's target trajectory (pure).

A plan's 〔D〕 target (cumulative decline, %, over the ``n`` years from the base year to
the target year) gives two schedules of the cumulative decline required at the end of
each year ``k`` (:mod:`ecoplan.climate.standards.intensity`):

* linear: ``D × k / n``;
* compound (the same yearly decline every year): ``1 − (1 − D)^(k/n)``.

Against them, the region's decline achieved in each year with data, whether the newest
one is on or above each path, and the yearly decline still required in each remaining
year to reach ``D``: ``1 − ((1 − D)/(1 − c))^(1/(n − k))``. All % rounded to 2 decimals
(GB/T 8170) for display; the schedules are the standard's formulas, not a judgement of
which one a plan means (a plan's own ``settings.schedule`` names the one the assessment
uses).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ecoplan.climate.standards.intensity import (
    compound_schedule,
    linear_schedule,
    required_yearly_decline,
    yearly_rate,
)
from ecoplan.core.errors import EcoplanError
from ecoplan.core.rounding import round_half_even

__all__ = ["Trajectory", "trajectory"]


def _r2(x: float | None) -> float | None:
    return None if x is None else round_half_even(x, 2)


@dataclass
class Trajectory:
    """One plan's CO2-intensity indicator for one region: schedules, actuals, what remains."""

    plan: str
    indicator: str
    title: Mapping[str, str]
    base_year: int
    target_year: int
    target_pct: float | None
    target_text: str
    inherited: bool
    #: year → cumulative decline achieved (%), and the years left without one and why
    actual: dict[int, float] = field(default_factory=dict)
    skipped: list[dict[str, Any]] = field(default_factory=list)

    @property
    def years(self) -> int:
        return self.target_year - self.base_year

    def schedule(self) -> list[dict[str, Any]]:
        """Every year from the base year (0 %) to the target year: linear, compound, actual."""
        lin: Sequence[float | None]
        com: Sequence[float | None]
        if self.target_pct is None or self.years < 1:
            lin = com = [None] * max(self.years, 0)
        else:
            lin = linear_schedule(self.target_pct, self.years)
            com = compound_schedule(self.target_pct, self.years)
        rows: list[dict[str, Any]] = [
            {
                "year": self.base_year,
                "linear_pct": None if self.target_pct is None else 0.0,
                "compound_pct": None if self.target_pct is None else 0.0,
                "actual_pct": 0.0,
            }
        ]
        for k in range(1, self.years + 1):
            y = self.base_year + k
            rows.append(
                {
                    "year": y,
                    "linear_pct": _r2(lin[k - 1]),
                    "compound_pct": _r2(com[k - 1]),
                    "actual_pct": self.actual.get(y),
                }
            )
        return rows

    def latest(self) -> dict[str, Any] | None:
        """The newest year with a decline: the value, where it stands against each path,
        and the yearly decline still required (None past the target year or without a target)."""
        within = [y for y in self.actual if y <= self.target_year]
        if not within:
            return None
        y = max(within)
        c = self.actual[y]
        out: dict[str, Any] = {"year": y, "actual_pct": c, "required_yearly_pct": None}
        if self.target_pct is None or self.years < 1:
            out.update(linear_pct=None, compound_pct=None, on_linear=None, on_compound=None)
            return out
        k = y - self.base_year
        lin = linear_schedule(self.target_pct, self.years)[k - 1]
        com = compound_schedule(self.target_pct, self.years)[k - 1]
        out.update(
            linear_pct=_r2(lin),
            compound_pct=_r2(com),
            on_linear=c >= _r2(lin),  # type: ignore[operator]
            on_compound=c >= _r2(com),  # type: ignore[operator]
        )
        if k < self.years:
            try:
                out["required_yearly_pct"] = _r2(required_yearly_decline(c, k, self.target_pct, self.years))
            except EcoplanError:  # a decline of 100 % or more: nothing left to compute
                out["required_yearly_pct"] = None
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (the page's twin, ``/api/v1/climate/trajectory``)."""
        rate = None
        if self.target_pct is not None and self.years >= 1:
            rate = _r2(yearly_rate(self.target_pct, self.years))
        return {
            "plan": self.plan,
            "indicator": self.indicator,
            "title": dict(self.title),
            "base_year": self.base_year,
            "target_year": self.target_year,
            "target_pct": self.target_pct,
            "target_text": self.target_text,
            "inherited": self.inherited,
            "yearly_rate_pct": rate,
            "schedule": self.schedule(),
            "latest": self.latest(),
            "skipped": self.skipped,
        }


def trajectory(
    plan: str,
    indicator: str,
    title: Mapping[str, str],
    base_year: int,
    target_year: int,
    target_pct: float | None,
    target_text: str,
    inherited: bool,
    actual: Mapping[int, float],
    skipped: Sequence[dict[str, Any]] = (),
) -> Trajectory:
    """A :class:`Trajectory` (a target of 100 % or more is kept as text only)."""
    pct = target_pct if target_pct is not None and 0 < target_pct < 100 else None
    return Trajectory(
        plan,
        indicator,
        dict(title),
        base_year,
        target_year,
        pct,
        target_text,
        inherited,
        dict(actual),
        list(skipped),
    )
