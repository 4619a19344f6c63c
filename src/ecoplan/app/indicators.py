"""One indicator of a plan across every region of one level: the dispatch views' read.

:func:`indicator_regions` reads the materialised assessment rows the writer keeps
(:mod:`ecoplan.store.assessments`; the same rows the rankings and warnings read, so
published values only) for one indicator and one region level, and gives per region
its latest value (or the value of an asked year) with baseline, target, status,
verdict, the annual change achieved and required, and its progress toward the next
milestone: the share of the way from the baseline to the first target (milestone or
final) of the value's year or later, in the indicator's assessment space
(``docs/assessment.md``), where 1 means the milestone is reached; none when the
baseline already meets that milestone (there is no way to go).

It takes the app (``ep``): the web shell calls it as ``indicator_regions(ep, ...)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from ecoplan.app.assessment import check_scope
from ecoplan.core.errors import NotFound, OutOfScope
from ecoplan.plans.model import CumulativeMode, Indicator, Plan, PlanLevel, TargetSpec
from ecoplan.plans.targets import TargetKind
from ecoplan.store.assessments import in_territory

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["LEVELS", "indicator_regions", "levels_below", "milestone_value", "next_milestone"]

#: Region levels a dispatch view can show, from the top.
LEVELS = ("province", "prefecture", "county")
_FIRST_BELOW = {
    PlanLevel.NATIONAL: "province",
    PlanLevel.PROVINCIAL: "prefecture",
    PlanLevel.CITY: "county",
    PlanLevel.COUNTY: "county",
}


def levels_below(plan: Plan) -> tuple[str, ...]:
    """The region levels under the plan's region, the first one below it first."""
    return LEVELS[LEVELS.index(_FIRST_BELOW[plan.level]) :]


def next_milestone(specs: Sequence[TargetSpec], year: int) -> TargetSpec | None:
    """The first target (milestone or final) of ``year`` or later; the final one when all are earlier."""
    ordered = sorted(specs, key=lambda s: s.year)
    return next((s for s in ordered if s.year >= year), ordered[-1] if ordered else None)


def milestone_value(spec: TargetSpec, ind: Indicator, space: str, y0: float | None) -> float | None:
    """The value a milestone asks for, in the assessment space (``level`` or ``change``)
    of the region's course starting at ``y0``; ``None`` when the target names no number
    (handed down, 消除 thresholds: the final target then stands for it)."""
    t = spec.target
    if space == "change":
        if t.kind is TargetKind.CUMULATIVE:
            return t.cumulative
        return t.value if t.kind in (TargetKind.LEVEL, TargetKind.ABOUT) else None
    if t.kind in (TargetKind.LEVEL, TargetKind.ABOUT):
        return t.value
    if t.kind is TargetKind.MAINTAIN:
        return t.value if t.value is not None else y0
    if t.kind is TargetKind.CUMULATIVE:
        if t.value is not None:
            return t.value
        if y0 is None or t.cumulative is None:
            return None
        sign = ind.direction.sign
        if ind.cumulative is CumulativeMode.RELATIVE or (ind.cumulative is None and ind.unit in ("%", "％")):
            return y0 * (1 + sign * t.cumulative / 100.0)
        return y0 + sign * t.cumulative
    return None


def _num(x: Any) -> float | None:
    if x is None or x is pd.NA:
        return None
    f = float(x)
    return None if math.isnan(f) else f


def _r(x: float | None, nd: int = 4) -> float | None:
    return None if x is None else round(x, nd)


def _progress(
    ind: Indicator, r: dict[str, Any], decomposed: dict[str, tuple[TargetSpec, ...]]
) -> tuple[dict[str, Any] | None, float | None]:
    """(next milestone {year, value, final}, share of the way from the baseline to it)."""
    better = 1 if str(r["space"]) == "change" else ind.direction.sign
    specs: Sequence[TargetSpec] = ind.targets
    if str(r["target_source"]) == "decomposed" and ind.id in decomposed:
        specs = decomposed[ind.id]
    y0, v = _num(r["baseline_value"]), _num(r["value"])
    target_year = _num(r["target_year"])
    spec = next_milestone(specs, int(r["year"]))
    value: float | None = None
    final = spec is None or (target_year is not None and spec.year >= int(target_year))
    if spec is not None and not final:
        value = milestone_value(spec, ind, str(r["space"]), y0)
        final = value is None
    if final:
        value = _num(r["target_value"])
        year = None if target_year is None else int(target_year)
    else:
        assert spec is not None
        year = spec.year
    if year is None:
        return None, None
    # the way runs from the baseline toward better values: a milestone the baseline
    # already meets (or one that asks for a worse value) has no share of the way
    share = None
    if y0 is not None and v is not None and value is not None and better * (value - y0) > 0:
        share = (v - y0) / (value - y0)
    return {"year": year, "value": _r(value), "final": final}, _r(share)


def indicator_regions(
    ep: Ecoplan, plan_id: str, indicator_id: str, *, level: str | None = None, year: int | None = None
) -> dict[str, Any]:
    """Every region of ``level`` (default: the first below the plan's region) under the
    plan, for one indicator: in ``year``, or each region's latest year with a value of
    the indicator. Regions with a value come first, best first (the indicator's
    direction, or ``better``: in change space more is better), then those assessed
    without a value;
    ``missing`` lists the regions of the level in the plan's territory with no row.

    Raises
    ------
    NotFound
        The plan or the indicator is unknown.
    OutOfScope
        ``level`` is not below the plan's region, or ``year`` is outside the plan.
    """
    plan = ep.definition(plan_id)
    ind = next((i for i in plan.indicators if i.id == indicator_id), None)
    if ind is None:
        raise NotFound.worded("dispatch.error.no_indicator", plan=plan_id, indicator=indicator_id)
    allowed = levels_below(plan)
    level = level or allowed[0]
    if level not in allowed:
        raise OutOfScope.worded(
            "dispatch.error.bad_level", level=level, plan=plan_id, levels=", ".join(allowed)
        )
    if year is not None:
        check_scope(ep.catalog, plan, year)
    rows = ep.catalog.assessment_rows(plan_id, year=year, level=level, indicator=indicator_id)
    rows = rows[
        (rows["indicator_id"] == indicator_id) & rows["region"].map(lambda c: in_territory(plan, str(c)))
    ]
    if year is None and len(rows):
        has = rows["value"].notna()
        rows = rows.assign(_has=has).sort_values(["region", "_has", "year"], kind="stable")
        rows = rows.groupby("region", sort=True).tail(1)
    items: list[dict[str, Any]] = []
    for rec in rows.to_dict("records"):
        r = {str(k): v for k, v in rec.items()}
        region = str(r["region"])
        dec = ep.catalog.decomposed(plan_id, region) if str(r["target_source"]) == "decomposed" else {}
        milestone, share = _progress(ind, r, dec)
        items.append(
            {
                "region": region,
                "name_zh": r["region_zh"],
                "name_en": r["region_en"] or r["region_zh"],
                "year": int(r["year"]),
                "value": _num(r["value"]),
                "space": str(r["space"]),
                "baseline_year": int(r["baseline_year"]),
                "baseline_value": _num(r["baseline_value"]),
                "target_year": None if _num(r["target_year"]) is None else int(r["target_year"]),
                "target_value": _num(r["target_value"]),
                "target_source": str(r["target_source"]),
                "status": str(r["status"]),
                "verdict": str(r["verdict"]),
                "warning": None if r["warning"] is None or pd.isna(r["warning"]) else str(r["warning"]),
                "expected": _r(_num(r["expected"])),
                "required_annual": _r(_num(r["required_annual"])),
                "actual_annual": _r(_num(r["actual_annual"])),
                "annual_unit": str(r["annual_unit"] or ""),
                "anticipated_progress": _r(_num(r["ap"])),
                "next_milestone": milestone,
                "progress": share,
            }
        )
    # in change space (the change achieved since the base year) more is always better
    sign = 1 if items and all(i["space"] == "change" for i in items) else ind.direction.sign
    with_value = sorted(
        (i for i in items if i["value"] is not None), key=lambda i: (-sign * i["value"], i["region"])
    )
    for n, i in enumerate(with_value, 1):
        i["rank"] = n
    without = [{**i, "rank": None} for i in items if i["value"] is None]
    listed = {i["region"] for i in items}
    missing = [r.code for r in ep.regions(level) if r.code not in listed and in_territory(plan, r.code)]
    return {
        "plan": plan.id,
        "plan_title_zh": plan.title.zh,
        "plan_title_en": plan.title.en or plan.title.zh,
        "indicator": {
            "id": ind.id,
            "name_zh": ind.name.zh,
            "name_en": ind.name.en or ind.name.zh,
            "unit": ind.unit,
            "direction": "higher" if ind.direction.sign > 0 else "lower",
            "attribute": ind.attribute.value,
            "targets": [{"year": s.year, "expr": s.target.text or s.target.canonical()} for s in ind.targets],
        },
        "better": "higher" if sign > 0 else "lower",
        "level": level,
        "levels": list(allowed),
        "year": year,
        "years": ep.assessment_years(plan_id, level),
        "regions": with_value + without,
        "missing": missing,
    }
