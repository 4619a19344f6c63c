"""Assess one indicator of one region in one evaluation year, and a whole plan.

Pure functions of (plan, indicator values, evaluation year); the caller picks
the values as of a date (the store keeps every revision).

The rules, in the order they are tried (``assessment.md`` §1 and §5):

1. No quantitative target (``-``) -> ``not_assessable``.
2. An inherited target (省下达 / 国家要求) that the plan hierarchy cannot
   resolve -> ``not_assessable``, verdict ``pending``, with the reason.
3. No value for the evaluation year -> ``insufficient_data``; for an indicator
   whose method is not yet published (``Indicator.method``) ``not_assessable``
   with the reason ``method_unpublished``. Such an indicator never takes a value
   a domain pipeline computed (source ``pipeline <domain>``, a proxy such as the
   share of class Ⅰ–Ⅲ sections); a value entered with its own source is assessed.
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

This module composes the steps, which live in sibling modules: whose target
(:mod:`.resolve`), whose baseline (:mod:`.baseline`), the assessment space
(:mod:`.space`), the progress measures (:mod:`.measures`), the status rules
(:mod:`.verdict`) and early warnings (:mod:`.early_warning`); the types are in
:mod:`.model`, and the public names stay importable from here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from ecoplan.assess.baseline import _base_level, _baseline_source, _start
from ecoplan.assess.early_warning import _warning, warning_level, warning_reason
from ecoplan.assess.measures import _measures
from ecoplan.assess.model import (
    IndicatorAssessment,
    Message,
    Observation,
    PlanAssessment,
    Status,
    TargetResolver,
    Verdict,
    Warning,
)
from ecoplan.assess.resolve import _resolve as _resolve
from ecoplan.assess.resolve import _targets_for
from ecoplan.assess.space import _EPS as _EPS
from ecoplan.assess.space import _Course, _meets, _series, _space_for, _target_value
from ecoplan.assess.verdict import _not_assessed, _status, _with_start_note
from ecoplan.plans.model import Indicator, Plan, TargetSpec
from ecoplan.plans.targets import TargetKind

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
    "usable",
    "warning_level",
    "warning_reason",
]


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
    observations = usable(ind, observations)
    # whose target, whose baseline, and the course between them in the assessment space
    own_region = region == plan.region
    specs, inherit_problem, target_source = _targets_for(plan, ind, region, resolver, decomposed)
    base_level, base_obs = _base_level(plan, ind, region, observations)
    sp = _space_for(ind, observations, specs[-1] if specs else None, base_level)
    series = _series(sp, observations)
    t0, y0, start_note = _start(sp, series, ind.baseline.year, year, own_region)
    final = specs[-1] if specs else None
    thr = (plan.settings.eliminate_basic, plan.settings.eliminate_full)
    y_t = _target_value(final, sp, thr) if final is not None else None
    if start_note and final is not None and final.target.kind is TargetKind.MAINTAIN:
        y_t = _target_value(final, replace(sp, y0=y0), thr)
    course = _Course(sp, specs, t0, y0, y_t, thr, start_note)
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
        baseline_source=_baseline_source(plan, ind, region, base_obs),
    )
    # rules 1-3, then the measures and rules 4-6
    stop = _not_assessed(plan, final, inherit_problem, year, v, ind)
    if stop is not None:
        status, verdict, reason = stop
        return IndicatorAssessment(**base, status=status, verdict=verdict, reason=reason)
    assert final is not None and v is not None  # rules 1 and 3 of _not_assessed
    base.update(_measures(plan, ind, course, final, series, year, v, weights))
    met, within = _meets(final, v, sp, y_t, plan)
    base["within_tolerance"] = within
    status, verdict, reason = _status(
        plan, ind, course, final, year, v, milestone, base["expected"], met, within, region_name, region
    )
    result = IndicatorAssessment(
        **base, status=status, verdict=verdict, reason=_with_start_note(reason, start_note)
    )
    result.warning = _warning(result)
    return result


#: How the source of a value a domain's pipeline computed starts (``pipeline air``).
PIPELINE_SOURCE = "pipeline "


def usable(ind: Indicator, observations: Sequence[Observation]) -> Sequence[Observation]:
    """The observations the assessment may use: all of them, except, for an indicator
    whose method is not yet published, those a domain pipeline computed."""
    if not ind.method.unpublished:
        return observations
    return [o for o in observations if not (o.source or "").startswith(PIPELINE_SOURCE)]


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
