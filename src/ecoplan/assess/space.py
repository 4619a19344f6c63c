"""The assessment space of an indicator, and comparisons and target values in it.

Values live in one space per indicator (``assessment.md`` §1): the level
itself, or — for a cumulative target 〔x〕 without a baseline level, or values
reported as the change achieved — the cumulative change since the base year,
in which a larger number is always better (``ecoplan.plans.model``).
:class:`_Course` is where one region's indicator starts and must get to in
that space; comparisons allow a relative tolerance of :data:`_EPS`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ecoplan.assess.model import Observation
from ecoplan.plans.model import Basis, CumulativeMode, Indicator, Plan, TargetSpec
from ecoplan.plans.targets import Op, TargetKind

_EPS = 1e-9


def _cmp(v: float, op: str, y: float) -> bool:
    tol = _EPS * max(1.0, abs(y))
    if op == ">=":
        return v >= y - tol
    if op == "<=":
        return v <= y + tol
    if op == ">":
        return v > y + tol
    return v < y - tol


@dataclass(frozen=True)
class _Space:
    """How values of one indicator are compared: level or change space."""

    name: str
    sign: int  # +1: larger is better in this space
    y0: float | None  # baseline in this space
    mode: CumulativeMode | None
    level_y0: float | None  # baseline level (for converting levels to change)
    level_sign: int

    def convert(self, obs: Observation) -> float | None:
        if self.name == "level":
            return obs.value if obs.basis is Basis.LEVEL else self._change_to_level(obs.value)
        if obs.basis is Basis.CHANGE:
            return obs.value
        if self.level_y0 is None:
            return None
        diff = self.level_sign * (obs.value - self.level_y0)
        if self.mode is CumulativeMode.RELATIVE:
            return diff / self.level_y0 * 100.0 if self.level_y0 else None
        return diff

    def _change_to_level(self, change: float) -> float | None:
        if self.level_y0 is None:
            return None
        if self.mode is CumulativeMode.RELATIVE:
            return self.level_y0 * (1 + self.level_sign * change / 100.0)
        return self.level_y0 + self.level_sign * change


def _space_for(
    ind: Indicator, observations: Sequence[Observation], final: TargetSpec | None, base_level: float | None
) -> _Space:
    """The assessment space of ``ind`` for one region whose baseline level is ``base_level``."""
    sign = ind.direction.sign
    mode = ind.cumulative
    if mode is None and final is not None and final.target.kind is TargetKind.CUMULATIVE:
        # a cumulative target handed down by a parent plan (省下达 〔x〕)
        relative = final.target.value is None and ind.unit in ("%", "％")
        mode = CumulativeMode.RELATIVE if relative else CumulativeMode.ABSOLUTE
    if mode is not None and (base_level is None or any(o.basis is Basis.CHANGE for o in observations)):
        return _Space("change", 1, 0.0, mode, base_level, sign)
    return _Space("level", sign, base_level, mode, base_level, sign)


def _series(sp: _Space, observations: Sequence[Observation]) -> dict[int, tuple[float, Observation]]:
    """The observations converted to the space, by year (a value that cannot be converted is left out)."""
    series: dict[int, tuple[float, Observation]] = {}
    for o in sorted(observations, key=lambda o: o.year):
        v = sp.convert(o)
        if v is not None and not math.isnan(v):
            series[o.year] = (v, o)
    return series


def _target_value(spec: TargetSpec, sp: _Space, settings_thr: tuple[float, float]) -> float | None:
    t = spec.target
    if sp.name == "change":
        if t.kind is TargetKind.CUMULATIVE:
            return t.cumulative
        if t.kind in (TargetKind.LEVEL, TargetKind.ABOUT):
            return t.value
        return None
    if t.kind in (TargetKind.LEVEL, TargetKind.ABOUT):
        return t.value
    if t.kind is TargetKind.MAINTAIN:
        return t.value if t.value is not None else sp.y0
    if t.kind is TargetKind.ELIMINATE:
        thr = settings_thr[0] if t.scope == "basic" else settings_thr[1]
        return thr if sp.sign < 0 else 100.0 - thr
    if t.kind is TargetKind.CUMULATIVE:
        if t.value is not None:
            return t.value
        if sp.y0 is None or t.cumulative is None:
            return None
        if sp.mode is CumulativeMode.RELATIVE:
            return sp.y0 * (1 + sp.sign * t.cumulative / 100.0)
        return sp.y0 + sp.sign * t.cumulative
    return None


def _meets(
    spec: TargetSpec, v: float, sp: _Space, y_target: float | None, plan: Plan
) -> tuple[bool | None, bool | None]:
    """(met, within_tolerance) of value ``v`` (in space) against ``spec``."""
    t, s, st = spec.target, sp.sign, plan.settings
    if t.kind is TargetKind.ABOUT:
        assert t.value is not None
        tol = st.about_tolerance(t.value)
        within = abs(v - t.value) <= tol + _EPS * max(1.0, abs(t.value))
        met = _cmp(v, ">=", t.value - tol) if s > 0 else _cmp(v, "<=", t.value + tol)
        return met, within
    if t.kind is TargetKind.LEVEL and sp.name == "level":
        assert t.value is not None
        op = t.op or Op.REACH
        if op is Op.TABLE_GT:
            return _cmp(v, ">" if st.strict_gt else ">=", t.value), None
        if op is Op.TABLE_LT:
            return _cmp(v, "<" if st.strict_lt else "<=", t.value), None
        if op is Op.REACH:
            return _cmp(v, ">=" if s > 0 else "<=", t.value), None
        return _cmp(v, op.value, t.value), None
    if t.kind is TargetKind.MAINTAIN and t.value is not None:
        op = t.op or Op.REACH
        if op in (Op.GE, Op.LE):
            return _cmp(v, op.value, t.value), None
    if y_target is None:
        return None, None
    if t.kind is TargetKind.CUMULATIVE and t.bound is Op.LE:  # 〔x〕以下: a change of at most x
        return _cmp(s * v, "<=", s * y_target), None
    return _cmp(s * v, ">=", s * y_target), None


@dataclass(frozen=True)
class _Course:
    """Where one region's indicator starts and must get to, in its assessment space."""

    sp: _Space
    specs: tuple[TargetSpec, ...]  # the resolved targets, the final one last
    t0: int  # the start year: the base year, or the first year observed (``start_note``)
    y0: float | None  # the start value in the space
    y_t: float | None  # the final target's value in the space
    thr: tuple[float, float]  # the 基本消除 and 全面消除 thresholds of the plan
    start_note: str | None  # the start year when the plan gives no baseline
