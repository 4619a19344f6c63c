"""Shared geometry cleaning of the readers: CRS, types, repair, territory, areas.

One pass over a frame read by pyogrio: the CRS checked (and projected coordinates
reprojected to lon/lat), every feature's geometry checked — missing, not polygonal,
invalid (repaired with ``shapely.make_valid`` and a note, or refused, by rule), outside
China — and its area computed on the equal-area projection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import numpy as np
import shapely  # type: ignore[import-untyped,unused-ignore]
from numpy.typing import NDArray

from ecoplan.ecology.spatial.crs import CrsProblem, area_km2, check_crs, to_lonlat
from ecoplan.ecology.spatial.rejects import Reject
from ecoplan.ecology.spatial.territory import inside_china

__all__ = ["INVALID_RULES", "Cleaned", "clean", "polygonal"]

#: What to do with an invalid geometry: repair it (make_valid, a note) or refuse it.
INVALID_RULES: Final = ("repair", "reject")
_POLY: Final = frozenset({"Polygon", "MultiPolygon"})


@dataclass
class Cleaned:
    """Lon/lat geometries and their areas; ``keep`` marks the features that passed."""

    geoms: NDArray[np.object_]
    keep: NDArray[np.bool_]
    area_km2: NDArray[np.float64]
    rejects: list[Reject] = field(default_factory=list)
    notes: list[Reject] = field(default_factory=list)
    crs_ok: bool = True


def polygonal(g: shapely.Geometry) -> shapely.Geometry:
    """The polygonal part of a geometry (what make_valid may wrap in a collection)."""
    if g.geom_type in _POLY:
        return g
    parts = [p for p in shapely.get_parts(g) if p.geom_type in _POLY]
    if not parts:
        return shapely.Polygon()
    polys = [q for p in parts for q in shapely.get_parts(p)]
    return shapely.multipolygons(polys) if len(polys) > 1 else polys[0]


def clean(
    geoms: NDArray[np.object_],
    crs: object,
    file: str,
    ids: list[str | None],
    *,
    invalid: str = "repair",
    check_territory: bool = True,
) -> Cleaned:
    """Check and prepare the geometries of one file (see the module)."""
    n = len(geoms)
    geoms = np.asarray(geoms, dtype=object).copy()
    keep = np.ones(n, dtype=bool)
    out = Cleaned(geoms, keep, np.zeros(n, dtype=np.float64))
    try:
        src = check_crs(crs)
    except CrsProblem as exc:
        params = {"crs": exc.crs} if exc.reason == "crs_datum" else {}
        out.rejects.append(Reject(file, exc.reason, field="crs", params=params))
        out.keep[:] = False
        out.crs_ok = False
        return out
    for i in range(n):
        g = geoms[i]
        if g is None or shapely.is_empty(g):
            out.rejects.append(Reject(file, "geometry_missing", i, ids[i], "geometry"))
            keep[i] = False
            continue
        if g.geom_type not in _POLY:
            out.rejects.append(Reject(file, "geometry_type", i, ids[i], "geometry", {"kind": g.geom_type}))
            keep[i] = False
    live = np.flatnonzero(keep)
    if src is not None and live.size:
        geoms[live] = to_lonlat(geoms[live], src)
    bad = live[~np.asarray(shapely.is_valid(geoms[live]), dtype=bool)] if live.size else live
    for i in bad.tolist():
        detail = shapely.is_valid_reason(geoms[i])
        if invalid == "reject":
            out.rejects.append(
                Reject(file, "geometry_invalid", int(i), ids[i], "geometry", {"detail": detail})
            )
            keep[i] = False
            continue
        before = float(area_km2(geoms[i])[0])
        fixed = polygonal(shapely.make_valid(geoms[i]))
        if shapely.is_empty(fixed):
            out.rejects.append(
                Reject(file, "geometry_invalid", int(i), ids[i], "geometry", {"detail": detail})
            )
            keep[i] = False
            continue
        geoms[i] = fixed
        after = float(area_km2(fixed)[0])
        out.notes.append(
            Reject(
                file,
                "geometry_repaired",
                int(i),
                ids[i],
                "geometry",
                {"detail": detail, "before_km2": round(before, 6), "after_km2": round(after, 6)},
            )
        )
    live = np.flatnonzero(keep)
    if check_territory and live.size:
        inside = inside_china(geoms[live])
        for i in live[~inside].tolist():
            p = shapely.point_on_surface(geoms[i])
            out.rejects.append(
                Reject(
                    file,
                    "outside_china",
                    int(i),
                    ids[i],
                    "geometry",
                    {"lon": round(p.x, 4), "lat": round(p.y, 4)},
                )
            )
            keep[i] = False
    live = np.flatnonzero(keep)
    if live.size:
        out.area_km2[live] = area_km2(geoms[live])
    return out
