"""Counts and areas of patches per reserve, zone and period, per 10,000 ha, "new since".

Inputs are the overlay's decisions (one row per patch: reserve, zone, priority), the
patches (detection date, class) and the reserves' areas (km², from the layer). A patch
counts once, in the zone that decided its priority; its area is the part inside the
decisive reserve. The density is patches per 10,000 ha of the reserve (1 km² = 100 ha),
the GFW practice of normalising alert counts by the area of interest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import geopandas as gpd  # type: ignore[import-untyped,unused-ignore]
import pandas as pd

__all__ = ["PERIODS", "join", "new_since", "reserve_areas", "summarise"]

#: pandas period codes: day (GFW's daily counts), month, quarter, year.
PERIODS = {"day": "D", "month": "M", "quarter": "Q", "year": "Y"}


def reserve_areas(features: gpd.GeoDataFrame) -> pd.Series:
    """km² per reserve (the sum of its disjoint zones)."""
    return pd.Series(features.groupby("reserve_id")["area_km2"].sum(), dtype="float64")


def join(decisions: pd.DataFrame, patches: pd.DataFrame) -> pd.DataFrame:
    """Decisions with each patch's date and class (inside patches only)."""
    wanted = ("patch_id", "detected_on", "cls", "source", "confidence", "integrated")
    cols = [c for c in wanted if c in patches]
    inside = decisions[decisions["reserve_id"].notna()]
    return inside.merge(pd.DataFrame(patches[cols]), on="patch_id", how="left")


def summarise(
    decisions: pd.DataFrame,
    patches: pd.DataFrame,
    areas: pd.Series,
    *,
    by: Sequence[str] = ("reserve_id", "zone"),
    period: str | None = "quarter",
) -> pd.DataFrame:
    """Count, area (ha) and count per 10,000 ha of the reserve, per ``by`` and period
    (``by`` may name any decision or patch column: ``cls``, ``integrated``, ``source``)."""
    f = join(decisions, patches)
    keys = list(by)
    if period is not None:
        f["period"] = pd.PeriodIndex(pd.to_datetime(f["detected_on"]), freq=PERIODS[period]).astype(str)
        keys.append("period")
    out = (
        f.groupby(keys, dropna=False)
        .agg(count=("patch_id", "size"), area_ha=("inside_km2", "sum"))
        .reset_index()
    )
    out["area_ha"] = out["area_ha"] * 100.0
    if "reserve_id" in keys:
        reserve_ha = out["reserve_id"].map(areas) * 100.0
        out["per_10k_ha"] = out["count"] / (reserve_ha / 10_000.0)
    return out


def new_since(
    decisions: pd.DataFrame, patches: pd.DataFrame, areas: pd.Series, since: dt.date
) -> pd.DataFrame:
    """Per reserve: patches before ``since`` and on or after it, their areas and densities,
    and the change (the "new since" comparison)."""
    f = join(decisions, patches)
    when = pd.to_datetime(f["detected_on"]).dt.date
    f["new"] = when >= since
    g = f.groupby(["reserve_id", "new"]).agg(count=("patch_id", "size"), km2=("inside_km2", "sum"))
    g = pd.DataFrame(g.unstack("new", fill_value=0))
    out = pd.DataFrame(index=g.index)
    out["before"] = g["count"].get(False, 0)
    out["since"] = g["count"].get(True, 0)
    out["area_ha_since"] = g["km2"].get(True, 0.0) * 100.0
    out["per_10k_ha_since"] = out["since"] / (areas.reindex(out.index) * 100.0 / 10_000.0)
    out["change"] = out["since"] - out["before"]
    return out.reset_index()
