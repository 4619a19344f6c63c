"""Overlay of patches with layers and zones, vectorised and spatially indexed.

:class:`ZoneIndex` holds the features of one or more layer versions (red lines,
protected areas with zones, function zones) in one ``shapely.STRtree``. ``overlay``
answers, for every patch:

- the *parts*: each (layer, reserve, zone) it overlaps with the overlapping area (km²,
  Albers equal-area); a patch only touching a boundary has no part;
- the *decision*: the zone with the highest priority among its parts (core 1, buffer 2,
  experimental 3, :func:`.model.priority`); at equal priority a protected area's zone
  before a red line before a function zone (:data:`KIND_RANK`: a patch in the
  experimental zone of a reserve inside a red line belongs to the reserve), then the
  larger area; a patch with no part is outside (priority None).

Vectorised: one bulk ``STRtree.query(..., predicate="intersects")`` for all patches; a
patch properly inside a (prepared) zone takes its own area, only the straddling pairs
are intersected (the zone clipped to the patch's box, then ``shapely.intersection``
over arrays) and projected for their areas.

A patch detected before the valid-from date of a layer version it overlaps is refused
(reason ``patch_before_layer``, field of the detection date): it cannot be judged against
a boundary that did not exist yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import geopandas as gpd  # type: ignore[import-untyped,unused-ignore]
import numpy as np
import pandas as pd
import shapely  # type: ignore[import-untyped,unused-ignore]
from numpy.typing import NDArray

from ecoplan.ecology.spatial.crs import area_km2
from ecoplan.ecology.spatial.layers import Layer
from ecoplan.ecology.spatial.model import PRIORITY, priority
from ecoplan.ecology.spatial.rejects import Reject

__all__ = ["KIND_RANK", "Overlay", "ZoneIndex", "overlay"]

#: Order of the layer kinds between parts of equal priority (see the module).
KIND_RANK: dict[str, int] = {"protected_area": 0, "redline": 1, "function_zone": 2}
PART_COLUMNS = ("patch_id", "layer_id", "kind", "reserve_id", "feature_id", "zone", "priority", "area_km2")
DECISION_COLUMNS = (
    "patch_id",
    "layer_id",
    "kind",
    "reserve_id",
    "zone",
    "priority",
    "inside_km2",  # area inside the decisive reserve (or red line)
    "patch_km2",
    "zones",
)


def _intersections(small: NDArray[np.object_], large: NDArray[np.object_]) -> NDArray[np.object_]:
    """``small ∩ large`` pairwise, the large (zone) geometries first clipped to the small
    ones' boxes with GEOS's rectangle clipping (cheap; the general overlay then sees a
    few vertices instead of the whole zone outline). A clipped piece GEOS reports
    invalid is repaired before the overlay; without the array form of the clipping
    (a private shapely ufunc), the plain overlay is used."""
    b = shapely.bounds(small)
    try:
        near = shapely.lib.clip_by_rect(large, b[:, 0], b[:, 1], b[:, 2], b[:, 3])
    except (AttributeError, TypeError, ValueError):
        return np.asarray(shapely.intersection(small, large), dtype=object)
    bad = ~np.asarray(shapely.is_valid(near), dtype=bool)
    if bad.any():
        near[bad] = shapely.make_valid(near[bad])
    return np.asarray(shapely.intersection(small, near), dtype=object)


def _zone_sets(pi: NDArray[np.int64], zones: NDArray[np.object_], n: int) -> list[tuple[str, ...]]:
    """The sorted zone codes each patch touches (bit masks OR-ed per patch, no Python loop per part)."""
    codes = sorted(PRIORITY)
    bit = {z: 1 << i for i, z in enumerate(codes)}
    masks = np.zeros(n, dtype=np.int64)
    np.bitwise_or.at(masks, pi, np.array([bit[z] for z in zones], dtype=np.int64).reshape(-1))
    names = {m: tuple(z for z in codes if m & bit[z]) for m in np.unique(masks).tolist()}
    return [names[m] for m in masks.tolist()]


class ZoneIndex:
    """The features of some layer versions in one spatial index (built once, queried often)."""

    def __init__(self, layers: Sequence[Layer]) -> None:
        frames = []
        for lay in layers:
            f = pd.DataFrame(lay.features.drop(columns="geometry"))
            f["layer_id"] = lay.layer_id
            f["kind"] = lay.kind
            f["valid_from"] = np.datetime64(lay.valid_from, "D")
            f["geometry"] = np.asarray(lay.features.geometry.values, dtype=object)
            frames.append(f)
        meta = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        self.geoms: NDArray[np.object_] = (
            np.asarray(meta.pop("geometry").to_numpy(), dtype=object) if len(meta) else np.empty(0, object)
        )
        self.meta = meta
        # a feature may carry its own priority (an unzoned WDPA site that is not a
        # nature reserve); otherwise its zone and layer kind decide
        own = (
            meta["priority"].to_numpy(dtype=object)
            if "priority" in meta
            else np.full(len(meta), None, dtype=object)
        )
        self.priority = np.array(
            [
                int(p) if p is not None and not pd.isna(p) else priority(z, k)
                for p, z, k in zip(own, meta["zone"], meta["kind"], strict=True)
            ],
            dtype=np.int64,
        )
        self.valid_from = (
            meta["valid_from"].to_numpy(dtype="datetime64[D]") if len(meta) else np.empty(0, "datetime64[D]")
        )
        #: one code per (layer, reserve): the parts of a patch's decisive reserve
        self.group = (
            pd.factorize(meta["layer_id"].astype(str) + "\x1f" + meta["reserve_id"].astype(str))[0]
            if len(meta)
            else np.empty(0, np.int64)
        )
        shapely.prepare(self.geoms)
        self.tree = shapely.STRtree(self.geoms)

    def __len__(self) -> int:
        return len(self.geoms)


@dataclass
class Overlay:
    """Parts (patch × zone with area), one decision per patch, and the refused patches."""

    parts: pd.DataFrame
    decisions: pd.DataFrame
    rejects: list[Reject] = field(default_factory=list)


def overlay(
    patches: gpd.GeoDataFrame,
    index: ZoneIndex | Sequence[Layer],
    *,
    file: str = "",
    patch_km2: NDArray[np.float64] | None = None,
) -> Overlay:
    """Overlay ``patches`` (columns ``patch_id``, ``detected_on``, geometry) with ``index``."""
    idx = index if isinstance(index, ZoneIndex) else ZoneIndex(index)
    geoms = np.asarray(patches.geometry.values, dtype=object)
    ids = patches["patch_id"].to_numpy(dtype=object)
    n = len(geoms)
    if patch_km2 is None:
        patch_km2 = (
            patches["area_km2"].to_numpy(dtype=np.float64) if "area_km2" in patches else area_km2(geoms)
        )
    pi, zi = idx.tree.query(geoms, predicate="intersects") if n and len(idx) else (np.empty(0, np.int64),) * 2
    inside = np.asarray(shapely.contains_properly(idx.geoms[zi], geoms[pi]), dtype=bool)
    area = np.where(inside, patch_km2[pi], 0.0)
    cross = np.flatnonzero(~inside)
    if cross.size:
        area[cross] = area_km2(_intersections(geoms[pi[cross]], idx.geoms[zi[cross]]))
    hit = area > 0.0
    pi, zi, area = pi[hit], zi[hit], area[hit]

    rejects: list[Reject] = []
    refused_rows = np.empty(0, dtype=np.int64)
    # a reject names the feature's place in its file (kept by the reader), else its row
    where = (
        patches["feature_index"].to_numpy(dtype=np.int64)
        if "feature_index" in patches
        else np.arange(n, dtype=np.int64)
    )
    detected = pd.to_datetime(patches["detected_on"]).to_numpy(dtype="datetime64[D]")
    early = detected[pi] < idx.valid_from[zi]
    if early.any():
        bad = np.unique(pi[early])
        for p in bad:
            z = zi[early & (pi == p)][0]
            rejects.append(
                Reject(
                    file,
                    "patch_before_layer",
                    int(where[p]),
                    str(ids[p]),
                    "detected_on",
                    {
                        "detected": str(detected[p]),
                        "layer": str(idx.meta["layer_id"].iat[z]),
                        "valid_from": str(idx.valid_from[z]),
                    },
                )
            )
        refused_rows = bad
        ok = ~np.isin(pi, bad)
        pi, zi, area = pi[ok], zi[ok], area[ok]

    m = idx.meta
    prio = idx.priority[zi]
    parts = pd.DataFrame(
        {
            "patch_id": ids[pi],
            "layer_id": m["layer_id"].to_numpy()[zi],
            "kind": m["kind"].to_numpy()[zi],
            "reserve_id": m["reserve_id"].to_numpy()[zi],
            "feature_id": m["feature_id"].to_numpy()[zi],
            "zone": m["zone"].to_numpy()[zi],
            "priority": prio,
            "area_km2": area,
        }
    )
    # the decision: lowest priority number, then a protected area before a red line before
    # a function zone (a reserve's zone is the more specific rule), then the largest area
    rank = np.array([KIND_RANK.get(str(k), len(KIND_RANK)) for k in parts["kind"]], dtype=np.int64)
    order = np.lexsort((-area, rank, prio, pi))
    first = order[np.r_[True, pi[order][1:] != pi[order][:-1]]] if order.size else order
    keep = np.ones(n, dtype=bool)
    keep[refused_rows] = False
    dec = pd.DataFrame(
        {
            "patch_id": ids,
            "layer_id": None,
            "kind": None,
            "reserve_id": None,
            "zone": None,
            "priority": pd.array([pd.NA] * n, dtype="Int64"),
            "inside_km2": 0.0,
            "patch_km2": patch_km2,
            "zones": [()] * n,
        }
    )
    if first.size:
        p = pi[first]
        z = zi[first]
        dec.loc[p, "layer_id"] = m["layer_id"].to_numpy()[z]
        dec.loc[p, "kind"] = m["kind"].to_numpy()[z]
        dec.loc[p, "reserve_id"] = m["reserve_id"].to_numpy()[z]
        dec.loc[p, "zone"] = m["zone"].to_numpy()[z]
        dec.loc[p, "priority"] = prio[first]
        decisive = np.full(n, -1, dtype=np.int64)
        decisive[p] = idx.group[z]
        same = idx.group[zi] == decisive[pi]
        dec["inside_km2"] = np.bincount(pi[same], weights=area[same], minlength=n)
        dec["zones"] = _zone_sets(pi, m["zone"].to_numpy()[zi], n)
    return Overlay(parts, dec[keep].reset_index(drop=True), rejects)
