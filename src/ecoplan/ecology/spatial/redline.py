"""Red-line checks: 面积不减少 (area per region by layer version), 性质不改变 (zoning
changes), and the patches inside red lines by class.

The control goal of the ecological protection red line is "生态功能不降低、面积不减少、
性质不改变" [V]. Here:

- :func:`area_by_region` — km² of a layer version per region, either by the features'
  own region code or, given admin polygons, by intersection with them;
- :func:`area_losses` — consecutive versions compared per region: ``lost_km2`` is the net
  decrease (flagged above ``tolerance_km2``), ``removed_km2`` the gross area taken out
  (even when an equal area was added elsewhere, which the net figure hides);
- :func:`zoning_changes` — for a protected-area layer, the area of each reserve that
  moved from one zone to another or out of the reserve between two versions, marked
  ``downgraded`` when the new zone protects less (priority number higher) or is none;
- :func:`patches_by_class` — counts and km² of patches inside each red line by class.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import geopandas as gpd  # type: ignore[import-untyped,unused-ignore]
import numpy as np
import pandas as pd
import shapely  # type: ignore[import-untyped,unused-ignore]

from ecoplan.ecology.spatial.crs import area_km2
from ecoplan.ecology.spatial.layers import Layer
from ecoplan.ecology.spatial.model import PRIORITY
from ecoplan.ecology.spatial.words import text

__all__ = [
    "area_by_region",
    "area_losses",
    "loss_messages",
    "patches_by_class",
    "region_report",
    "zoning_changes",
    "zoning_messages",
]


def _by_region(layer: Layer, regions: gpd.GeoDataFrame | None) -> dict[str, shapely.Geometry]:
    """The union of the layer's features per region."""
    f = layer.features
    if regions is None:
        key = f["region"].fillna("").astype(str)
        return {
            str(r): shapely.union_all(np.asarray(f.geometry.values, dtype=object)[idx])
            for r, idx in key.groupby(key).indices.items()
        }
    geoms = np.asarray(f.geometry.values, dtype=object)
    rg = np.asarray(regions.geometry.values, dtype=object)
    ri, fi = shapely.STRtree(geoms).query(rg, predicate="intersects")
    out: dict[str, shapely.Geometry] = {}
    codes = regions["region"].astype(str).to_numpy()
    for r in np.unique(ri):
        sel = fi[ri == r]
        out[str(codes[r])] = shapely.intersection(shapely.union_all(geoms[sel]), rg[r])
    return out


def area_by_region(layer: Layer, regions: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """``layer_id``, ``valid_from``, ``region``, ``area_km2`` of one layer version."""
    parts = _by_region(layer, regions)
    names = list(parts)
    areas: list[float] = (
        area_km2(np.asarray([parts[r] for r in names], dtype=object)).tolist() if names else []
    )
    return pd.DataFrame(
        {
            "layer_id": layer.layer_id,
            "valid_from": layer.valid_from,
            "region": names,
            "area_km2": areas,
        }
    )


def area_losses(
    versions: Sequence[Layer],
    regions: gpd.GeoDataFrame | None = None,
    *,
    tolerance_km2: float = 0.01,
) -> pd.DataFrame:
    """Each region between consecutive versions (by valid-from date): areas before and
    after, net ``lost_km2`` (> 0 is a loss), gross ``removed_km2``, ``flagged``."""
    ordered = sorted(versions, key=lambda v: v.valid_from)
    rows: list[dict[str, Any]] = []
    for old, new in itertools.pairwise(ordered):
        a, b = _by_region(old, regions), _by_region(new, regions)
        for region in sorted(set(a) | set(b)):
            ga = a.get(region, shapely.Polygon())
            gb = b.get(region, shapely.Polygon())
            before, after, removed = area_km2(
                np.asarray([ga, gb, shapely.difference(ga, gb)], dtype=object)
            ).tolist()
            lost = before - after
            rows.append(
                {
                    "region": region,
                    "before": f"{old.layer_id}@{old.valid_from.isoformat()}",
                    "after": f"{new.layer_id}@{new.valid_from.isoformat()}",
                    "area_before_km2": before,
                    "area_after_km2": after,
                    "lost_km2": lost,
                    "removed_km2": removed,
                    "flagged": lost > tolerance_km2,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "region",
            "before",
            "after",
            "area_before_km2",
            "area_after_km2",
            "lost_km2",
            "removed_km2",
            "flagged",
        ],
    )


def loss_messages(losses: pd.DataFrame, lang: str) -> list[str]:
    """One sentence per flagged loss, naming the region and the area lost."""
    return [
        text(
            "redline.area_lost",
            lang,
            region=r["region"],
            before=r["before"],
            after=r["after"],
            area_before=round(float(r["area_before_km2"]), 2),
            area_after=round(float(r["area_after_km2"]), 2),
            lost=round(float(r["lost_km2"]), 2),
        )
        for r in losses[losses["flagged"]].to_dict("records")
    ]


def zoning_changes(old: Layer, new: Layer, *, min_km2: float = 1e-6) -> pd.DataFrame:
    """Area of each reserve moved between zones (or out of the reserve) from ``old`` to ``new``."""
    fo, fn = old.features, new.features
    go = np.asarray(fo.geometry.values, dtype=object)
    gn = np.asarray(fn.geometry.values, dtype=object)
    i, j = shapely.STRtree(gn).query(go, predicate="intersects")
    same = fo["reserve_id"].to_numpy()[i] == fn["reserve_id"].to_numpy()[j]
    i, j = i[same], j[same]
    zo, zn = fo["zone"].to_numpy()[i], fn["zone"].to_numpy()[j]
    moved = zo != zn
    i, j, zo, zn = i[moved], j[moved], zo[moved], zn[moved]
    area = area_km2(shapely.intersection(go[i], gn[j])) if i.size else np.empty(0)
    rows = pd.DataFrame(
        {
            "reserve_id": fo["reserve_id"].to_numpy()[i],
            "zone_from": zo,
            "zone_to": zn,
            "area_km2": area,
        }
    )
    # what left the reserve: the old zone minus the whole new reserve
    new_reserve = {r: shapely.union_all(gn[idx]) for r, idx in fn.groupby("reserve_id").indices.items()}
    empty = shapely.Polygon()
    left = np.asarray(
        [shapely.difference(g, new_reserve.get(r, empty)) for g, r in zip(go, fo["reserve_id"], strict=True)],
        dtype=object,
    )
    out_area = area_km2(left) if len(left) else np.empty(0)
    gone = pd.DataFrame(
        {
            "reserve_id": fo["reserve_id"].to_numpy(),
            "zone_from": fo["zone"].to_numpy(),
            "zone_to": None,
            "area_km2": out_area,
        }
    )
    both = pd.concat([rows, gone], ignore_index=True)
    both = both[both["area_km2"] > min_km2]
    both = both.groupby(["reserve_id", "zone_from", "zone_to"], dropna=False, as_index=False).agg(
        area_km2=("area_km2", "sum")
    )
    to_rank = both["zone_to"].map(lambda z: 99 if z is None or pd.isna(z) else PRIORITY[z])
    both["downgraded"] = to_rank > both["zone_from"].map(PRIORITY)
    both["zone_to"] = both["zone_to"].astype(object).where(both["zone_to"].notna(), None)
    return both.reset_index(drop=True)


def patches_by_class(parts: pd.DataFrame, patches: pd.DataFrame, *, kind: str = "redline") -> pd.DataFrame:
    """Count and km² of patches inside each feature of ``kind`` layers, by class."""
    p = parts[parts["kind"] == kind].merge(pd.DataFrame(patches[["patch_id", "cls"]]), on="patch_id")
    return (
        p.groupby(["layer_id", "reserve_id", "cls"])
        .agg(count=("patch_id", "nunique"), area_km2=("area_km2", "sum"))
        .reset_index()
    )


def region_report(
    versions: Sequence[Layer],
    parts: pd.DataFrame | None = None,
    patches: pd.DataFrame | None = None,
    *,
    regions: gpd.GeoDataFrame | None = None,
    tolerance_km2: float = 0.01,
) -> dict[str, dict[str, Any]]:
    """Per region: the red-line area of every version, the consecutive comparisons
    (flagged losses), and — given the overlay parts of the latest version and the
    patches — the patches inside its red lines by class."""
    out: dict[str, dict[str, Any]] = {}
    for v in sorted(versions, key=lambda v: v.valid_from):
        for r in area_by_region(v, regions).to_dict("records"):
            entry = out.setdefault(str(r["region"]), {"areas": [], "changes": [], "patches": []})
            entry["areas"].append(
                {"version": f"{v.layer_id}@{v.valid_from.isoformat()}", "area_km2": float(r["area_km2"])}
            )
    for r in area_losses(versions, regions, tolerance_km2=tolerance_km2).to_dict("records"):
        out[str(r["region"])]["changes"].append(r)
    if parts is not None and patches is not None and versions:
        latest = max(versions, key=lambda v: v.valid_from)
        mine = parts[(parts["layer_id"] == latest.layer_id)]
        region_of = dict(
            zip(latest.features["feature_id"], latest.features["region"].fillna("").astype(str), strict=True)
        )
        by = patches_by_class(mine, patches, kind=latest.kind)
        for r in by.to_dict("records"):
            region = region_of.get(str(r["reserve_id"]), "")
            if region in out:
                out[region]["patches"].append({k: r[k] for k in ("reserve_id", "cls", "count", "area_km2")})
    return out


def zoning_messages(changes: pd.DataFrame, lang: str) -> list[str]:
    """One sentence per downgrade (性质不改变): the reserve, the km² and the zones."""
    out = []
    for r in changes[changes["downgraded"]].to_dict("records"):
        to = r["zone_to"] if r["zone_to"] is not None else "outside"
        out.append(
            text(
                "redline.zone_downgraded",
                lang,
                reserve=r["reserve_id"],
                area=round(float(r["area_km2"]), 2),
                zone_from=text(f"zone.{r['zone_from']}", lang),
                zone_to=text(f"zone.{to}", lang),
            )
        )
    return out
