"""Assess one indicator of one region in one evaluation year, and a whole plan.

Pure functions of (plan, indicator values, evaluation year); the caller picks
the values as of a date (the store keeps every revision).

The rules, in the order they are tried (``assessment.md`` §1 and §5):

1. No quantitative target (``-``) -> ``not_assessable``.
2. An inherited target (省下达 / 国家要求) that the plan hierarchy cannot
   resolve -> ``not_assessable``, verdict ``pending``, with the reason.
3. No value for the evaluation year -> ``insufficient_data``.
4. The value meets the final target -> ``achieved`` (提前完成 before the
   target year; verdict ``met`` from the target year on).
5. At or after the target year and not met -> ``off_track``, verdict ``not_met``.
6. Before the target year: on or ahead of 序时进度 (the milestone of that
   year, else the schedule from the baseline through the milestones to the
   target, linear or compound by plan setting) -> ``on_track``; behind but
   moved the right way since the baseline -> ``at_risk``; otherwise ``off_track``.

Values live in one *assessment space* per indicator: the level itself, or —
for a cumulative target 〔x〕 without a baseline level, or values reported as
the change achieved — the cumulative change since the base year, in which a
larger number is always better (``ecoplan.plans.model``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from ecoplan.assess.progress import (
    cagr,
    current_status,
    expected_on_schedule,
    rr_eurostat,
    wls_projection,
)
from ecoplan.plans.model import (
    Attribute,
    Basis,
    CumulativeMode,
    Indicator,
    IndicatorRef,
    Plan,
    TargetSpec,
)
from ecoplan.plans.targets import Op, TargetKind, format_number

__all__ = [
    "IndicatorAssessment",
    "Message",
    "Observation",
    "PlanAssessment",
    "Status",
    "TargetResolver",
    "Verdict",
    "Warning",
    "assess_indicator",
    "assess_plan",
    "warning_level",
    "warning_reason",
]


class Status(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    INSUFFICIENT_DATA = "insufficient_data"
    NOT_ASSESSABLE = "not_assessable"


STATUS_ZH = {
    Status.ACHIEVED: "已达标",
    Status.ON_TRACK: "达到序时进度",
    Status.AT_RISK: "滞后",
    Status.OFF_TRACK: "偏离目标",
    Status.INSUFFICIENT_DATA: "数据不足",
    Status.NOT_ASSESSABLE: "无法评估",
}


class Verdict(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    PENDING = "pending"


VERDICT_ZH = {Verdict.MET: "完成", Verdict.NOT_MET: "未完成", Verdict.PENDING: "待定"}


@dataclass(frozen=True)
class Message:
    """A user-facing sentence in English and Chinese."""

    en: str
    zh: str

    def get(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Observation:
    """One indicator value for one year, as stored (the revision in force)."""

    year: int
    value: float
    basis: Basis = Basis.LEVEL
    source: str | None = None
    revision: int = 1
    recorded_at: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Warning:
    """An early warning (``assessment.md`` §5): level red/amber/watch, severity by attribute."""

    indicator: str
    region: str
    level: str
    severity: str
    reason: Message


TargetResolver = Callable[[IndicatorRef, str, int], TargetSpec | None]
"""Finds the target a parent plan hands down: (parent indicator, region, year) -> spec."""


@dataclass
class IndicatorAssessment:
    """Everything the engine found for one indicator, region and year."""

    plan: str
    indicator: Indicator
    region: str
    year: int
    space: str  # "level" or "change"
    value: float | None
    observation: Observation | None
    baseline_year: int
    baseline_value: float | None
    start_note: str | None
    target: TargetSpec | None
    target_value: float | None
    milestone: TargetSpec | None
    expected: float | None
    change: float | None
    required_annual: float | None
    actual_annual: float | None
    annual_unit: str
    rr: float | None
    rr_form: str
    rr_category: str | None
    cs: float | None
    projected: float | None
    ap: float | None
    within_tolerance: bool | None
    status: Status
    verdict: Verdict
    reason: Message
    warning: Warning | None = None
    target_source: str = "own"
    baseline_source: str | None = None

    @property
    def attribute(self) -> Attribute:
        return self.indicator.attribute

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The stable JSON form (``docs/json.md``)."""
        t = self.target
        return {
            "id": self.indicator.id,
            "name_zh": self.indicator.name.zh,
            "name_en": self.indicator.name.en,
            "attribute": self.attribute.value,
            "unit": self.indicator.unit,
            "space": self.space,
            "value": self.value,
            "value_source": None if self.observation is None else self.observation.source,
            "value_revision": None if self.observation is None else self.observation.revision,
            "baseline": {
                "year": self.baseline_year,
                "value": self.baseline_value,
                "source": self.baseline_source,
            },
            "target_source": self.target_source,
            "target": None
            if t is None
            else {
                "year": t.year,
                "expr": t.target.text or t.target.canonical(),
                "kind": t.target.kind.value,
                "value": self.target_value,
            },
            "milestone": None
            if self.milestone is None
            else {"year": self.milestone.year, "expr": self.milestone.target.canonical()},
            "expected": _r(self.expected),
            "change_since_baseline": _r(self.change),
            "required_annual_change": _r(self.required_annual),
            "actual_annual_change": _r(self.actual_annual),
            "annual_change_unit": self.annual_unit,
            "rr": _r(self.rr),
            "rr_form": self.rr_form,
            "rr_category": self.rr_category,
            "current_status_index": _r(self.cs),
            "projected_final": _r(self.projected),
            "anticipated_progress": _r(self.ap),
            "within_tolerance": self.within_tolerance,
            "status": self.status.value,
            "verdict": self.verdict.value,
            "reason": self.reason.en,
            "reason_zh": self.reason.zh,
        }


def _r(x: float | None, nd: int = 4) -> float | None:
    return None if x is None or math.isnan(x) else round(x, nd)


def _fmt(x: float | None) -> str:
    if x is None:
        return "-"
    return format_number(round(x, 2))


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
    return _cmp(s * v, ">=", s * y_target), None


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


def _resolve(
    ind: Indicator, specs: tuple[TargetSpec, ...], region: str, resolver: TargetResolver | None
) -> tuple[tuple[TargetSpec, ...], Message | None]:
    """Replace inherited targets by the parent's decomposed target, or explain why not."""
    out: list[TargetSpec] = []
    problem: Message | None = None
    for spec in specs:
        if spec.target.kind is not TargetKind.INHERITED:
            out.append(spec)
            continue
        who = {"province": ("the province", "省"), "city": ("the city", "市")}.get(
            spec.target.scope or "", ("the nation", "国家")
        )
        if ind.parent is None:
            problem = Message(
                f"target handed down by {who[0]} ({spec.target.text or spec.target.canonical()}); "
                "no parent indicator is linked, so it cannot be resolved",
                f"目标为{who[1]}下达（{spec.target.text or spec.target.canonical()}），"
                "未关联上级规划指标，无法确定",
            )
            continue
        got = resolver(ind.parent, region, spec.year) if resolver is not None else None
        if got is None:
            problem = Message(
                f"target handed down by {who[0]}: plan {ind.parent.plan!r}, indicator "
                f"{ind.parent.indicator!r} has no target for region {region} in {spec.year}; "
                "import the decomposed target (`ecoplan targets import`) to resolve it",
                f"目标为{who[1]}下达：上级规划 {ind.parent.plan} 指标 {ind.parent.indicator} "
                f"未给出 {region} 的 {spec.year} 年目标，请导入分解目标（ecoplan targets import）",
            )
            continue
        out.append(TargetSpec(spec.year, got.target, got.stretch))
    return tuple(out), problem


def assess_indicator(
    plan: Plan,
    ind: Indicator,
    region: str,
    year: int,
    observations: Sequence[Observation],
    resolver: TargetResolver | None = None,
    *,
    weights: str = "linear",
    decomposed: Sequence[TargetSpec] | None = None,
    region_name: Message | None = None,
) -> IndicatorAssessment:
    """Assess ``ind`` for ``region`` in evaluation ``year``, on the region's own numbers.

    Parameters
    ----------
    plan, ind : the plan and one of its indicators.
    region : GB/T 2260 code. The rule of ``docs/assessment.md`` "Whose
        baseline, whose target":

        * target: ``decomposed`` (a stored 逐级分解 row) or the plan's own
          allocation to the region (``target_source`` ``decomposed``); the
          plan's targets for the plan's own region (``own``); otherwise the
          plan's targets, inherited (``inherited``; a cumulative 〔x〕 then
          applies to the region's own change since the base year).
        * baseline: the plan's printed baseline for the plan's own region;
          for any other region its own stored value of the base year, never
          the plan region's. Without it the statuses that need a baseline
          are ``insufficient_data`` ("no 2015 value for 北京市").
    year : evaluation year (mid-term or final).
    observations : the indicator's values for this region (any years, one
        per year: the revision in force at the as-of date).
    resolver : looks up targets handed down by a parent plan.
    weights : weight function of the ESCAP projection (linear, uniform, exponential).
    decomposed : the region's decomposed targets from the store, if any.
    region_name : the region's name (en, zh) for the reasons; default its code.
    """
    own_region = region == plan.region
    if decomposed:
        raw, target_source = tuple(decomposed), "decomposed"
    elif region in ind.allocations:
        raw, target_source = ind.allocations[region], "decomposed"
    else:
        raw, target_source = ind.targets, "own" if own_region else "inherited"
    specs, inherit_problem = _resolve(
        ind, raw, plan.region if target_source == "inherited" else region, resolver
    )
    t0 = ind.baseline.year
    base_obs: Observation | None = None
    if own_region:
        base_level = ind.baseline.value
    else:
        base_obs = next((o for o in observations if o.year == t0 and o.basis is Basis.LEVEL), None)
        base_level = None if base_obs is None else base_obs.value
    sp = _space_for(ind, observations, specs[-1] if specs else None, base_level)
    series: dict[int, tuple[float, Observation]] = {}
    for o in sorted(observations, key=lambda o: o.year):
        v = sp.convert(o)
        if v is not None and not math.isnan(v):
            series[o.year] = (v, o)
    final = specs[-1] if specs else None
    thr = (plan.settings.eliminate_basic, plan.settings.eliminate_full)
    y_t = _target_value(final, sp, thr) if final is not None else None
    y0 = sp.y0
    start_note = None
    if y0 is None and sp.name == "level" and own_region:
        later = [y for y in series if t0 <= y < year]
        if later:
            t0 = min(later)
            y0 = series[t0][0]
            start_note = f"{t0}"
            if final is not None and final.target.kind is TargetKind.MAINTAIN:
                y_t = _target_value(final, replace(sp, y0=y0), thr)
    got = series.get(year)
    v = got[0] if got else None
    obs = got[1] if got else None
    milestone = next((s for s in specs if s.year == year and s is not final), None)
    base: dict[str, Any] = dict(
        plan=plan.id,
        indicator=ind,
        region=region,
        year=year,
        space=sp.name,
        value=v,
        observation=obs,
        baseline_year=t0,
        baseline_value=y0,
        start_note=start_note,
        target=final,
        target_value=y_t,
        milestone=milestone,
        expected=None,
        change=None,
        required_annual=None,
        actual_annual=None,
        annual_unit="",
        rr=None,
        rr_form="undefined",
        rr_category=None,
        cs=None,
        projected=None,
        ap=None,
        within_tolerance=None,
        target_source=target_source,
        baseline_source=(
            "plan"
            if own_region and ind.baseline.value is not None
            else None
            if base_obs is None
            else base_obs.source or "store"
        ),
    )
    who = region_name or Message(region, region)
    no_baseline = Message(f"no {t0} value for {who.en}", f"缺少{who.zh}{t0}年基期值")
    if inherit_problem is not None and (final is None or final.year < plan.end):
        return IndicatorAssessment(
            **base, status=Status.NOT_ASSESSABLE, verdict=Verdict.PENDING, reason=inherit_problem
        )
    if final is None or final.target.kind is TargetKind.NONE:
        return IndicatorAssessment(
            **base,
            status=Status.NOT_ASSESSABLE,
            verdict=Verdict.PENDING,
            reason=Message("no quantitative target in the plan", "规划未设定量化目标"),
        )
    if v is None:
        return IndicatorAssessment(
            **base,
            status=Status.INSUFFICIENT_DATA,
            verdict=Verdict.PENDING,
            reason=Message(f"no value for {year}", f"缺少{year}年数据"),
        )
    T = final.year
    s = sp.sign
    # Progress measures.
    points: list[tuple[int, float]] = []
    if y0 is not None:
        points.append((t0, y0))
        for spec in specs:
            tv = _target_value(spec, sp, thr)
            if tv is not None and spec.year > t0:
                points.append((spec.year, tv))
    hist = [(yr, val) for yr, (val, _) in series.items() if yr <= year and yr >= t0]
    if y0 is not None and all(yr != t0 for yr, _ in hist):
        hist.append((t0, y0))
    if y0 is not None:
        base["change"] = v - y0
        if year > t0 and y_t is not None:
            rel = y0 > 0 and v > 0 and y_t > 0
            if rel:
                req, act = cagr(y0, y_t, T - t0), cagr(y0, v, year - t0)
                base["required_annual"] = None if req is None else req * 100
                base["actual_annual"] = None if act is None else act * 100
                base["annual_unit"] = "%/yr"
            else:
                base["required_annual"] = (y_t - y0) / (T - t0)
                base["actual_annual"] = (v - y0) / (year - t0)
                base["annual_unit"] = f"{ind.unit}/yr"
            rr, form = rr_eurostat(y0, v, t0, year, y_t, T, s)
            base["rr"], base["rr_form"], base["rr_category"] = rr, form, _rr_category(rr)
            base["cs"] = current_status(y0, v, y_t)
            proj = wls_projection(hist, T, weights)
            if proj is not None:
                base["projected"] = proj[0]
                base["ap"] = current_status(y0, proj[0], y_t)
        if points and year < T:
            base["expected"] = expected_on_schedule(points, year, plan.settings.schedule)
    met, within = _meets(final, v, sp, y_t, plan)
    base["within_tolerance"] = within
    unit = "" if sp.name == "level" and ind.unit in ("1", "") else f" {ind.unit}"
    if sp.name == "change":
        unit = "%" if sp.mode is CumulativeMode.RELATIVE else f" {ind.unit}"
    expr = final.target.text or final.target.canonical()
    if met is None:
        status, verdict = Status.INSUFFICIENT_DATA, Verdict.PENDING
        reason = Message(
            f"{no_baseline.en}: the target {expr} is measured from it",
            f"{no_baseline.zh}，目标“{expr}”须据此衡量",
        )
    elif met:
        status = Status.ACHIEVED
        verdict = Verdict.MET if year >= T else Verdict.PENDING
        ahead = "" if year >= T else f", ahead of {T}"
        ahead_zh = "" if year >= T else f"，提前完成{T}年目标"
        tol = " (within the 左右 tolerance)" if within else ""
        reason = Message(
            f"{year} value {_fmt(v)}{unit} meets the target {expr}{tol}{ahead}",
            f"{year}年值{_fmt(v)}{unit.strip()}达到目标“{expr}”{ahead_zh}",
        )
    elif year >= T:
        status, verdict = Status.OFF_TRACK, Verdict.NOT_MET
        gap = None if y_t is None else v - y_t
        reason = Message(
            f"{year} value {_fmt(v)}{unit} does not meet the target {expr} (gap {_fmt(gap)})",
            f"{year}年值{_fmt(v)}{unit.strip()}未达到目标“{expr}”（差距{_fmt(gap)}）",
        )
    else:
        verdict = Verdict.PENDING
        on_schedule: bool | None = None
        basis_en, basis_zh = "", ""
        if milestone is not None:
            y_m = _target_value(milestone, sp, thr)
            on_schedule, _ = _meets(milestone, v, sp, y_m, plan)
            mexpr = milestone.target.text or milestone.target.canonical()
            basis_en, basis_zh = f"the {year} milestone {mexpr}", f"{year}年阶段目标“{mexpr}”"
        if on_schedule is None and base["expected"] is not None:
            on_schedule = _cmp(s * v, ">=", s * base["expected"])
            how = "compound" if plan.settings.schedule == "compound" else "linear"
            basis_en = f"the {how} schedule ({_fmt(base['expected'])}{unit} expected in {year})"
            basis_zh = f"序时进度（{year}年应达{_fmt(base['expected'])}{unit.strip()}）"
        if on_schedule is None:
            status = Status.INSUFFICIENT_DATA
            reason = Message(
                f"{no_baseline.en}: progress toward {expr} is measured from it",
                f"{no_baseline.zh}，无法衡量进度（目标“{expr}”）",
            )
        elif on_schedule:
            status = Status.ON_TRACK
            reason = Message(
                f"{year} value {_fmt(v)}{unit} is on or ahead of {basis_en}; target {expr} by {T}",
                f"{year}年值{_fmt(v)}{unit.strip()}达到{basis_zh}，{T}年目标“{expr}”",
            )
        elif y0 is not None and s * (v - y0) > 0:
            status = Status.AT_RISK
            reason = Message(
                f"{year} value {_fmt(v)}{unit} is behind {basis_en}, though improving since {t0}",
                f"{year}年值{_fmt(v)}{unit.strip()}落后于{basis_zh}，但较{t0}年有所改善",
            )
        else:
            status = Status.OFF_TRACK
            reason = Message(
                f"{year} value {_fmt(v)}{unit} is behind {basis_en} and not improving since {t0}",
                f"{year}年值{_fmt(v)}{unit.strip()}落后于{basis_zh}，且较{t0}年未改善",
            )
    if start_note:
        reason = Message(
            reason.en + f" (the plan gives no baseline; progress measured from {start_note})",
            reason.zh + f"（规划无基期值，以{start_note}年为起点）",
        )
    result = IndicatorAssessment(**base, status=status, verdict=verdict, reason=reason)
    result.warning = _warning(result)
    return result


def _warning(a: IndicatorAssessment) -> Warning | None:
    """Early-warning level per ``assessment.md`` §5 [DESIGN]."""
    binding = a.attribute is Attribute.BINDING
    level = warning_level(a.status, a.verdict, binding, a.rr, a.ap)
    if level is None:
        return None
    reason = warning_reason(
        a.required_annual,
        a.actual_annual,
        a.annual_unit,
        a.baseline_year,
        a.projected,
        a.target.year if a.target else None,
        sign=1 if a.space == "change" else a.indicator.direction.sign,
    )
    return Warning(
        indicator=a.indicator.id,
        region=a.region,
        level=level,
        severity="high" if binding else "medium",
        reason=reason or a.reason,
    )


def warning_level(status: str, verdict: str, binding: bool, rr: float | None, ap: float | None) -> str | None:
    """Early-warning level per ``assessment.md`` §5 [DESIGN]: red, amber, watch or None.

    red: a binding indicator that missed its final target, or whose
    projection or progress ratio points away from it; amber: behind
    schedule, or projected/progressing short of it; watch: moderate progress.
    """
    if status in (Status.ACHIEVED, Status.NOT_ASSESSABLE, Status.INSUFFICIENT_DATA):
        return None
    behind = status in (Status.AT_RISK, Status.OFF_TRACK)
    if binding and (verdict == Verdict.NOT_MET or (ap is not None and ap < 0) or (rr is not None and rr < 0)):
        return "red"
    if behind or (ap is not None and 0 <= ap < 1) or (rr is not None and 0 <= rr < 0.6):
        return "amber"
    if rr is not None and 0.6 <= rr < 0.95:
        return "watch"
    return None


def warning_reason(
    required: float | None,
    actual: float | None,
    unit: str,
    baseline_year: int,
    projected: float | None,
    target_year: int | None,
    *,
    sign: int = 1,
) -> Message | None:
    """The numbers of a warning: required vs achieved annual change, and the projection.

    ``sign`` is +1 when larger values are better. When the baseline already met the target
    (the "required" change points away from better: a region below a PM2.5 bar of 37 may
    rise to it), no change is required: the warning says the target was met and how the
    value has moved since.
    """
    if required is None or actual is None:
        return None
    if sign * required <= 0:
        en = f"met the target in {baseline_year}, moved {actual:+.1f} {unit} since"
        zh = f"{baseline_year}年已达到目标，此后年均变化{actual:+.1f} {unit}"
    else:
        en = f"needs {required:+.1f} {unit}, achieved {actual:+.1f} {unit} since {baseline_year}"
        zh = f"需年均变化{required:+.1f} {unit}，{baseline_year}年以来实际{actual:+.1f} {unit}"
    if projected is not None:
        en += f"; projected {target_year or ''}: {_fmt(projected)}"
        zh += f"；预计{target_year or ''}年{_fmt(projected)}"
    return Message(en, zh)


@dataclass
class PlanAssessment:
    """A plan assessed for one region and year, as of a date."""

    plan: Plan
    region: str
    year: int
    as_of: str | None
    indicators: list[IndicatorAssessment] = field(default_factory=list)

    @property
    def warnings(self) -> list[Warning]:
        order = {"red": 0, "amber": 1, "watch": 2}
        ws = [a.warning for a in self.indicators if a.warning is not None]
        return sorted(ws, key=lambda w: (order[w.level], w.severity != "high", w.indicator))

    def summary(self) -> dict[str, Any]:
        binding = [a for a in self.indicators if a.attribute is Attribute.BINDING]
        by_status = {s.value: 0 for s in Status}
        for a in self.indicators:
            by_status[a.status.value] += 1
        return {
            "binding_total": len(binding),
            "binding_met": sum(a.verdict is Verdict.MET for a in binding),
            "binding_on_schedule": sum(a.status in (Status.ACHIEVED, Status.ON_TRACK) for a in binding),
            "indicators_total": len(self.indicators),
            "by_status": by_status,
        }

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON form of ``ecoplan assess --format json``."""
        return {
            "plan": self.plan.id,
            "region": self.region,
            "year": self.year,
            "as_of": self.as_of,
            "stage": "final" if self.year >= self.plan.end else "interim",
            "indicators": [a.to_dict() for a in self.indicators],
            "summary": self.summary(),
            "warnings": [
                {
                    "indicator": w.indicator,
                    "region": w.region,
                    "level": w.level,
                    "severity": w.severity,
                    "reason": w.reason.en,
                    "reason_zh": w.reason.zh,
                }
                for w in self.warnings
            ],
        }


def assess_plan(
    plan: Plan,
    region: str,
    year: int,
    values: Mapping[str, Sequence[Observation]],
    resolver: TargetResolver | None = None,
    *,
    as_of: str | None = None,
    decomposed: Mapping[str, Sequence[TargetSpec]] | None = None,
    region_name: Message | None = None,
) -> PlanAssessment:
    """Assess every indicator of ``plan`` for ``region`` in ``year``.

    ``values`` maps indicator id to its observations for that region;
    ``decomposed`` maps indicator id to the region's stored decomposed targets.
    """
    out = PlanAssessment(plan, region, year, as_of)
    dec = decomposed or {}
    for ind in plan.indicators:
        out.indicators.append(
            assess_indicator(
                plan,
                ind,
                region,
                year,
                values.get(ind.id, ()),
                resolver,
                decomposed=dec.get(ind.id),
                region_name=region_name,
            )
        )
    return out
