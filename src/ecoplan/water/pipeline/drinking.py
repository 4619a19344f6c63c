"""Yearly attainment of drinking-water sources, regional rates, black-odorous bodies.

Drinking sources (:mod:`ecoplan.water.standards.drinking_source`):

- a surface source (river, lake) attains a year by the rule of
  :func:`~ecoplan.water.standards.drinking_source.attains_period` — default
  ``rule="mean"``: the year's item means (the 2011 method's period means) against
  GB 3838—2002 Table 1 at Ⅲ, Table 2 and the selected Table 3 items (§5.3; the rule is
  UNCONFIRMED, spec §10 item 15; ``"every_sample"`` is the stricter reading);
- a groundwater source is classed by GB/T 14848—2017 §6.3 (the worst single-item
  class of the year's means over the items both the readers and Table 1 of GB/T 14848
  know) and attains at Ⅲ or better (GB/T 14848 §4: Ⅲ "适用于集中式生活饮用水水源");
- a region's rates (集中式饮用水水源地水质达标率) are over the sources of the region
  and every region below it (GB/T 2260 lineage), by count and by the daily supply
  (:func:`~ecoplan.water.standards.drinking_source.rates`).

Black-odorous water bodies (:mod:`ecoplan.water.standards.black_odorous`): in a year,
each point of a body is graded (:func:`point_grade`, the depth being the mean of the
year's depth readings of the point), the body judged (:func:`body_verdict`, points in
order) and counted eliminated when no point is black-odorous (:func:`eliminated`); a
body with too few points or samplings for the guide's minimum is not assessed. A
region's elimination ratio is over the bodies listed by that year in its built-up
areas of one kind (prefecture or county); a listed body not assessed is not counted
eliminated (its remaining share counts it).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Literal

import pandas as pd

from ecoplan.core.regions import region_lineage
from ecoplan.water.standards import black_odorous as bo
from ecoplan.water.standards import drinking_source as ds
from ecoplan.water.standards import evaluation_2011 as ev
from ecoplan.water.standards import gb3838_2002 as gb
from ecoplan.water.standards import gb14848_2017 as gw

__all__ = [
    "ATTAINMENT_COLUMNS",
    "BODY_YEAR_COLUMNS",
    "LEVEL_SETS",
    "RATE_COLUMNS",
    "RATIO_COLUMNS",
    "black_bodies",
    "black_ratios",
    "region_rates",
    "source_attainment",
]

ATTAINMENT_COLUMNS: tuple[str, ...] = (
    "source", "name", "region", "type", "level", "supply_m3d", "year", "n_samples", "n_months",
    "cls", "meets", "failing", "standard",
)  # fmt: skip
RATE_COLUMNS: tuple[str, ...] = (
    "key", "levels", "year", "n_sources", "n_meeting", "rate_count_pct", "rate_volume_pct", "n_months",
)  # fmt: skip
BODY_YEAR_COLUMNS: tuple[str, ...] = (
    "body", "name", "region", "area", "listed_year", "year", "n_points", "n_samplings", "grades",
    "heavy_point_share", "verdict", "eliminated", "reason",
)  # fmt: skip
RATIO_COLUMNS: tuple[str, ...] = (
    "key", "area", "year", "n_listed", "n_assessed", "n_eliminated", "elimination_ratio", "remaining_pct",
)  # fmt: skip

#: The source levels a plan indicator counts: 县级及以上 (city and county) or 县级 (county).
LEVEL_SETS: dict[str, tuple[str, ...]] = {"county_and_above": ("city", "county"), "county": ("county",)}


def _groundwater(means: dict[str, float | None]) -> tuple[int | None, list[str]]:
    sample = {k: v for k, v in means.items() if k in gw.ITEMS and v is not None}
    if not sample:
        return None, []
    cls = gw.section_class(sample)
    failing = [i for i in gw.worst_items(sample)] if cls is not None and cls > 3 else []
    return cls, failing


def source_attainment(
    register: pd.DataFrame,
    samples: pd.DataFrame,
    year: int,
    *,
    rule: Literal["mean", "every_sample"] = "mean",
    table3_items: Iterable[str] = (),
) -> pd.DataFrame:
    """One row per registered source with samples in ``year`` (:data:`ATTAINMENT_COLUMNS`);
    ``meets`` is None (and ``failing`` says why) when no evaluated item was measured."""
    selected = tuple(table3_items)
    rows: list[dict[str, object]] = []
    s = samples[pd.to_datetime(samples["time"]).dt.year == int(year)]
    reg = {str(r["code"]): r for r in register.to_dict("records")}
    for code, g in s.groupby("source", sort=True):
        r = reg.get(str(code))
        if r is None:
            continue
        months = sorted({int(t.month) for t in pd.to_datetime(g["time"])})
        per_time = [
            {str(i): float(v) for i, v in zip(x["item"], x["value"], strict=True)}
            for _, x in g.groupby("time", sort=True)
        ]
        cls: int | None
        failing: list[str]
        meets: bool | None
        if r["type"] == "groundwater":
            keys = list(dict.fromkeys(k for smp in per_time for k in smp))
            means = {k: ev.period_mean([smp[k] for smp in per_time if k in smp]) for k in keys}
            cls, failing = _groundwater(dict(means))
            meets = None if cls is None else cls <= 3
            standard = "GB/T 14848—2017"
        else:
            known = [
                {k: v for k, v in smp.items() if k in ds.TABLE2_LIMITS or k in ds.TABLE3_LIMITS
                 or k in gb.ITEMS}
                for smp in per_time
            ]  # fmt: skip
            try:
                a = ds.attains_period(known, r["type"], table3_items=selected, rule=rule)
                cls, failing, meets = a.cls, list(a.failing), a.meets
            except ValueError:
                cls, failing, meets = None, [], None
            standard = "GB 3838—2002"
        rows.append(
            {"source": str(code), "name": r["name"], "region": r["region"], "type": r["type"],
             "level": r["level"], "supply_m3d": r["supply_m3d"], "year": int(year),
             "n_samples": len(per_time), "n_months": len(months), "cls": cls, "meets": meets,
             "failing": json.dumps(failing, ensure_ascii=False), "standard": standard}
        )  # fmt: skip
    df = pd.DataFrame(rows, columns=list(ATTAINMENT_COLUMNS))
    df["cls"] = df["cls"].astype("Int64")
    df["meets"] = df["meets"].astype("boolean")
    return df


def _keys(regions: Iterable[str]) -> dict[str, set[str]]:
    """Region key -> the regions (of ``regions``) at or below it."""
    out: dict[str, set[str]] = {}
    for r in regions:
        for k in region_lineage(str(r)) or [str(r)]:
            out.setdefault(k, set()).add(str(r))
    return out


def region_rates(attain: pd.DataFrame, *, levels: str = "county_and_above") -> pd.DataFrame:
    """Rates per region key (:data:`RATE_COLUMNS`, percentages) over the sources of
    :data:`LEVEL_SETS` ``[levels]`` with a verdict; by volume only when every source
    counted has its supply."""
    wanted = LEVEL_SETS[levels]
    a = attain[attain["level"].isin(wanted) & attain["meets"].notna()]
    rows: list[dict[str, object]] = []
    for key, inside in sorted(_keys(a["region"].astype(str)).items()):
        g = a[a["region"].astype(str).isin(inside)]
        meets = [bool(m) for m in g["meets"]]
        vols = [float(v) for v in g["supply_m3d"]]
        by_volume = None
        if all(not math.isnan(v) for v in vols) and math.fsum(vols) > 0:
            by_volume = ds.rates(meets, vols).by_volume
        r = ds.rates(meets)
        rows.append(
            {"key": key, "levels": levels, "year": int(g["year"].iloc[0]), "n_sources": r.sources,
             "n_meeting": sum(meets), "rate_count_pct": 100 * r.by_count,
             "rate_volume_pct": None if by_volume is None else 100 * by_volume,
             "n_months": int(g["n_months"].min())}
        )  # fmt: skip
    df = pd.DataFrame(rows, columns=list(RATE_COLUMNS))
    df["rate_volume_pct"] = df["rate_volume_pct"].astype("float64")
    return df


def _point_order(g: pd.DataFrame) -> list[str]:
    first = g.groupby("point")["seq"].min()
    return sorted(
        first.index, key=lambda p: (pd.isna(first[p]), 0 if pd.isna(first[p]) else int(first[p]), p)
    )


def black_bodies(bodies: pd.DataFrame, measures: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per body listed by ``year`` (:data:`BODY_YEAR_COLUMNS`): the grade of each
    point, the body's verdict and whether it is eliminated (None when not assessed;
    ``reason`` then names why: ``no_data``, ``too_few``)."""
    m = measures[pd.to_datetime(measures["date"]).dt.year == int(year)]
    rows: list[dict[str, object]] = []
    for b in bodies.to_dict("records"):
        if int(b["listed_year"]) > int(year):
            continue
        g = m[m["body"].astype(str) == str(b["code"])]
        base = {"body": b["code"], "name": b["name"], "region": b["region"], "area": b["area"],
                "listed_year": int(b["listed_year"]), "year": int(year)}  # fmt: skip
        if g.empty:
            rows.append({**base, "n_points": 0, "n_samplings": 0, "grades": "{}", "heavy_point_share": None,
                         "verdict": None, "eliminated": None, "reason": "no_data"})  # fmt: skip
            continue
        order = _point_order(g)
        grades: dict[str, str] = {}
        reason = None
        for p in order:
            gp = g[g["point"] == p]
            series = {i: gp.loc[gp["item"] == i, "value"].to_numpy() for i in bo.INDICATORS}
            series = {i: v for i, v in series.items() if len(v)}
            depth = gp.loc[gp["item"] == "depth", "value"]
            try:
                grades[p] = bo.point_grade(series, depth_cm=float(depth.mean()) if len(depth) else None).grade
            except ValueError:
                reason = "too_few"
                break
        verdict = share = None
        gone: bool | None = None
        if reason is None:
            try:
                v = bo.body_verdict([grades[p] for p in order])
                verdict, share = v.verdict, v.heavy_point_share
                gone = bo.eliminated([grades[p] for p in order])
            except ValueError:
                reason = "too_few"
        rows.append(
            {**base, "n_points": len(order), "n_samplings": int(g["date"].nunique()),
             "grades": json.dumps(grades, ensure_ascii=False), "heavy_point_share": share,
             "verdict": verdict if reason is None else None, "eliminated": gone if reason is None else None,
             "reason": reason}
        )  # fmt: skip
    df = pd.DataFrame(rows, columns=list(BODY_YEAR_COLUMNS))
    df["eliminated"] = df["eliminated"].astype("boolean")
    df["heavy_point_share"] = df["heavy_point_share"].astype("float64")
    return df


def black_ratios(
    body_years: pd.DataFrame, *, areas: Sequence[str] = ("prefecture", "county")
) -> pd.DataFrame:
    """Per region key and area (:data:`RATIO_COLUMNS`): listed, assessed and eliminated
    bodies, the elimination ratio (eliminated ÷ listed) and the remaining share in %
    (the plans' 黑臭水体比例: 100 − ratio × 100)."""
    rows: list[dict[str, object]] = []
    for area in areas:
        a = body_years[body_years["area"] == area]
        for key, inside in sorted(_keys(a["region"].astype(str)).items()):
            g = a[a["region"].astype(str).isin(inside)]
            flags = [bool(e) if not pd.isna(e) else False for e in g["eliminated"]]
            ratio = bo.elimination_ratio(flags)
            rows.append(
                {"key": key, "area": area, "year": int(g["year"].iloc[0]), "n_listed": len(g),
                 "n_assessed": int(g["eliminated"].notna().sum()), "n_eliminated": sum(flags),
                 "elimination_ratio": ratio,
                 "remaining_pct": float(100 * (1 - Fraction(sum(flags), len(flags))))}
            )  # fmt: skip
    return pd.DataFrame(rows, columns=list(RATIO_COLUMNS))
