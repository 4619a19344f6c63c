"""Assessment as the app serves it: one region on demand, every region from the store.

One region (``assess``): computed on demand with
:func:`ecoplan.assess.evaluate.assess_plan` on the region's own values,
its stored decomposed targets and its name — a few milliseconds. Every
region (``rank``, ``warnings``): read from the materialised rows the writer
keeps (:mod:`ecoplan.store.assessments`), or computed in one vectorised pass
for a past ``--as-of``. Both follow the same rules; a test holds them equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ecoplan.assess.evaluate import Observation, PlanAssessment, assess_indicator, assess_plan, warning_reason
from ecoplan.assess.ranking import RankRow, rank_frame
from ecoplan.assess.scoring import ScoringRules, load_rules, score_frame
from ecoplan.core.errors import OutOfScope
from ecoplan.ingest.decompositions import read_decompositions
from ecoplan.plans.model import Plan
from ecoplan.store.assessments import assessment_frame, in_territory, plan_years
from ecoplan.store.catalog import Catalog, ImportResult, as_of_moment

__all__ = [
    "WarningPage",
    "assess",
    "check_scope",
    "import_decompositions",
    "progress",
    "rank",
    "remove_decompositions",
    "warnings",
]

_LEVEL_ORDER = {"red": 0, "amber": 1, "watch": 2}


def check_scope(cat: Catalog, plan: Plan, year: int, region: str | None = None) -> None:
    """Refuse a year outside the plan period (base year … end year) or a region outside its territory.

    Raises
    ------
    OutOfScope
        Naming the plan, its period or territory, and what was asked.
    """
    years = plan_years(plan)
    if year not in years:
        raise OutOfScope(
            f"{year} is outside plan {plan.id!r} ({plan.title.zh}): it is assessed from its base "
            f"year {years[0]} to {years[-1]}"
        )
    if region is not None and not in_territory(plan, region):
        names = cat.region_names()
        raise OutOfScope(
            f"region {region} ({names[region].zh if region in names else '?'}) is outside the territory "
            f"of plan {plan.id!r} ({names[plan.region].zh if plan.region in names else plan.region})"
        )


def assess(
    cat: Catalog,
    plan_id: str,
    region: str,
    year: int,
    as_of: str | None = None,
    *,
    pending: dict[str, list[Observation]] | None = None,
) -> PlanAssessment:
    """One region on its own baseline and target (``docs/assessment.md``).

    ``pending``: values of submissions not yet published, by indicator, laid over the
    published ones (the assessment on "latest submitted", issue #12)."""
    plan = cat.plan(plan_id)
    cat.region(region)
    check_scope(cat, plan, year, region)
    values = cat.observations(plan_id, region, as_of)
    for ind, obs in (pending or {}).items():
        years = {o.year for o in obs}
        values[ind] = sorted(
            [o for o in values.get(ind, []) if o.year not in years] + obs, key=lambda o: o.year
        )
    return assess_plan(
        plan,
        region,
        year,
        values,
        cat.resolver(),
        as_of=as_of,
        decomposed=cat.decomposed(plan_id, region),
        region_name=cat.region_names().get(region),
    )


def _rows(
    cat: Catalog, plan: Plan, year: int, regions: Sequence[str] | None, as_of: str | None
) -> pd.DataFrame:
    if as_of is None and regions is None:
        return cat.assessment_rows(plan.id, year=year)
    return assessment_frame(cat, plan, as_of=as_of_moment(as_of), regions=regions, years=[year])


def rank(
    cat: Catalog,
    plan_id: str,
    year: int,
    regions: Sequence[str] | None = None,
    as_of: str | None = None,
    rules: ScoringRules | None = None,
    *,
    level: str | None = None,
) -> list[RankRow]:
    """Regions of one level ranked on a plan in ``year`` (default level: the highest below the plan's)."""
    plan = cat.plan(plan_id)
    check_scope(cat, plan, year)
    rules = rules or load_rules()
    rows = _rows(cat, plan, year, regions, as_of)
    rows = rows[rows["region"].astype(str) != plan.region] if len(rows) else rows
    listed = set(regions) if regions is not None else set(cat.assessed_regions(plan.id))
    listed.discard(plan.region)
    if not listed:
        return []
    scores = score_frame(rows, rules, indicators=len(plan.indicators), regions=sorted(listed))
    levels = {r.code: r.level for r in cat.regions()}
    names: dict[str, tuple[str | None, str | None]] = {c: (m.zh, m.en) for c, m in cat.region_names().items()}
    return rank_frame(scores, levels, names, level=level, min_share=rules.min_assessed_share)


@dataclass(frozen=True)
class WarningPage:
    """One page of the warnings, most severe first, and how many there are in all."""

    items: list[dict[str, Any]]
    total: int
    counts: dict[str, int]
    offset: int
    limit: int


def warnings(
    cat: Catalog,
    plan_id: str | None = None,
    year: int | None = None,
    *,
    level: str | None = None,
    region_level: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> WarningPage:
    """Warnings of every region: in ``year``, or in each region's latest year with a value.

    The same warnings the region pages show (same year rule), sorted by
    severity: red, amber, watch; binding before expected; then plan, region,
    indicator. ``level`` (red/amber/watch) and ``region_level`` filter;
    ``offset``/``limit`` page (only the page's reasons are formatted).
    """
    plans = [cat.plan(plan_id)] if plan_id else cat.plans()
    frames = []
    for plan in plans:
        if year is not None:
            if plan_id is not None:
                check_scope(cat, plan, year)
            elif year not in plan_years(plan):
                continue
        rows = cat.assessment_rows(plan.id, year=year, latest=year is None, warnings_only=True)
        if len(rows):
            frames.append(rows)
    if not frames:
        return WarningPage([], 0, {}, offset, limit or 0)
    df = pd.concat(frames, ignore_index=True)
    counts = {str(k): int(v) for k, v in df["warning"].astype(str).value_counts().items()}
    if region_level is not None:
        df = df[df["region_level"] == region_level]
    if level is not None:
        df = df[df["warning"].astype(str) == level]
    df = df.assign(
        _lv=df["warning"].astype(str).map(_LEVEL_ORDER),
        _bind=(df["attribute"].astype(str) != "binding").astype(int),
    ).sort_values(["_lv", "_bind", "plan_id", "region", "indicator_id"], kind="stable")
    total = len(df)
    page = df.iloc[offset : offset + limit] if limit is not None else df.iloc[offset:]
    by_id = {p.id: p for p in plans}
    names = cat.region_names()
    items = [
        _warning_item(cat, by_id[str(r["plan_id"])], {str(k): v for k, v in r.items()}, names)
        for r in page.to_dict("records")
    ]
    return WarningPage(items, total, counts, offset, limit if limit is not None else total)


def _warning_item(cat: Catalog, plan: Plan, r: dict[str, Any], names: Any) -> dict[str, Any]:
    ind = plan.indicator(str(r["indicator_id"]))
    reason = warning_reason(
        _num(r["required_annual"]),
        _num(r["actual_annual"]),
        str(r["annual_unit"] or ""),
        int(r["baseline_year"]),
        _num(r["projected"]),
        None if pd.isna(r["target_year"]) else int(r["target_year"]),
        sign=1 if str(r["space"]) == "change" else ind.direction.sign,
    )
    if reason is None:  # no annual numbers: the status reason says it
        obs = cat.observations(plan.id, str(r["region"])).get(ind.id, [])
        a = assess_indicator(
            plan,
            ind,
            str(r["region"]),
            int(r["year"]),
            obs,
            cat.resolver(),
            decomposed=cat.decomposed(plan.id, str(r["region"])).get(ind.id),
            region_name=names.get(str(r["region"])),
        )
        reason = a.warning.reason if a.warning is not None else a.reason
    return {
        "plan": plan.id,
        "plan_title_zh": plan.title.zh,
        "plan_title_en": plan.title.en or plan.title.zh,
        "region": str(r["region"]),
        "region_zh": r["region_zh"],
        "region_en": r["region_en"] or r["region_zh"],
        "region_level": r["region_level"],
        "year": int(r["year"]),
        "indicator": ind.id,
        "indicator_zh": ind.name.zh,
        "indicator_en": ind.name.en or ind.name.zh,
        "level": str(r["warning"]),
        "severity": "high" if str(r["attribute"]) == "binding" else "medium",
        "status": str(r["status"]),
        "target_source": str(r["target_source"]),
        "reason": reason.en,
        "reason_zh": reason.zh,
    }


def progress(cat: Catalog, plan_id: str, level: str) -> list[dict[str, Any]]:
    """Per region of ``level``, in its latest year with a value: the share (%) of assessed
    indicators achieved or on track (the home map)."""
    rows = cat.assessment_rows(plan_id, level=level, latest=True)
    if not len(rows):
        return []
    st = rows["status"].astype(str)
    frame = pd.DataFrame(
        {
            "region": rows["region"].astype(str),
            "year": rows["year"].astype(int),
            "assessed": ~st.isin(["insufficient_data", "not_assessable"]),
            "good": st.isin(["achieved", "on_track"]),
        }
    )
    g = frame.groupby("region", sort=True).agg(
        year=("year", "max"), assessed=("assessed", "sum"), good=("good", "sum")
    )
    return [
        {
            "name": str(code),
            "value": round(100 * int(r["good"]) / int(r["assessed"]), 1) if int(r["assessed"]) else None,
            "year": int(r["year"]),
            "assessed": int(r["assessed"]),
        }
        for code, r in g.iterrows()
    ]


def _num(x: Any) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def import_decompositions(cat: Catalog, path: str | Path, *, actor: str | None = None) -> ImportResult:
    """Validate and store a decomposition file (all or nothing; re-import changes nothing)."""
    plans = {p.id: p for p in cat.plans()}
    names = {c: m.zh for c, m in cat.region_names().items()}
    rows = read_decompositions(path, plans, names)
    return cat.save_decompositions(rows, actor=actor, origin=Path(path).name)


def remove_decompositions(cat: Catalog, path: str | Path) -> int:
    """Delete the decomposed targets listed in a file (by plan, indicator, region and year)."""
    plans = {p.id: p for p in cat.plans()}
    names = {c: m.zh for c, m in cat.region_names().items()}
    rows = read_decompositions(path, plans, names)
    return cat.remove_decompositions((d.plan, d.indicator, d.region, d.year) for d in rows)
