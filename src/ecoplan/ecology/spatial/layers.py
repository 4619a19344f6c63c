"""Layer readers: red lines, protected areas with zones, ecological function zones.

``read_layer(path, kind=..., layer_id=..., valid_from=...)`` reads a GeoJSON, Shapefile or
GeoPackage (pyogrio) into a :class:`Layer`: one row per feature with its id, name, region,
reserve, zone (a code of :mod:`.model`) and area (km², Albers equal-area), geometries in
lon/lat. A layer *version* is (layer id, valid-from date): importing a newer version of a
red-line layer is how "面积不减少" becomes checkable (:mod:`.redline`).

Nothing is half-read: :attr:`Layer.rejects` lists every refused feature by file, index,
id, field and reason; an importer stores a layer only when it is empty
(:func:`.rejects.raise_if_rejected`). Notes (repaired geometries, zones cut apart) are kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd  # type: ignore[import-untyped,unused-ignore]
import numpy as np
import pandas as pd
import pyogrio  # type: ignore[import-untyped,unused-ignore]
import shapely  # type: ignore[import-untyped,unused-ignore]

from ecoplan.core.errors import EcoplanError
from ecoplan.ecology.spatial.crs import area_km2
from ecoplan.ecology.spatial.fields import LAYER_FIELDS, resolve
from ecoplan.ecology.spatial.geometry import INVALID_RULES, clean
from ecoplan.ecology.spatial.model import KINDS, PRIORITY, zone_code
from ecoplan.ecology.spatial.rejects import Reject

__all__ = ["LAYER_COLUMNS", "Layer", "disjoint_zones", "layer_from_frame", "read_layer"]

LAYER_COLUMNS = ("feature_id", "name", "region", "reserve_id", "zone", "area_km2", "geometry")


@dataclass
class Layer:
    """One version of a layer: its features (a GeoDataFrame in EPSG:4326), rejects, notes."""

    layer_id: str
    kind: str
    valid_from: dt.date
    file: str
    features: gpd.GeoDataFrame
    rejects: list[Reject] = field(default_factory=list)
    notes: list[Reject] = field(default_factory=list)

    @property
    def version(self) -> tuple[str, dt.date]:
        return (self.layer_id, self.valid_from)

    def summary(self) -> dict[str, Any]:
        return {
            "layer_id": self.layer_id,
            "kind": self.kind,
            "valid_from": self.valid_from.isoformat(),
            "file": self.file,
            "features": len(self.features),
            "area_km2": float(self.features["area_km2"].sum()),
            "rejects": [r.to_dict() for r in self.rejects],
            "notes": [n.to_dict() for n in self.notes],
        }


def _text(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v).strip()
    return s or None


def _check_options(kind: str, invalid: str) -> None:
    if kind not in KINDS:
        raise EcoplanError.worded("ecology.spatial.bad_kind", value=kind, known=", ".join(KINDS))
    if invalid not in INVALID_RULES:
        raise EcoplanError.worded("ecology.spatial.bad_rule", value=invalid)


def read_layer(
    path: str | Path,
    *,
    kind: str,
    layer_id: str,
    valid_from: dt.date,
    fields: Mapping[str, str] | None = None,
    invalid: str = "repair",
    layer: str | None = None,
    check_territory: bool = True,
) -> Layer:
    """Read one layer version from a GeoJSON, Shapefile or GeoPackage (see the module)."""
    _check_options(kind, invalid)
    name = Path(path).name
    try:
        frame = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:  # any GDAL/OGR failure is the file's problem
        empty = gpd.GeoDataFrame(
            {c: [] for c in LAYER_COLUMNS if c != "geometry"}, geometry=[], crs="EPSG:4326"
        )
        rej = Reject(name, "unreadable", params={"detail": str(exc).splitlines()[0][:200]})
        return Layer(layer_id, kind, valid_from, name, empty, [rej])
    return layer_from_frame(
        frame,
        kind=kind,
        layer_id=layer_id,
        valid_from=valid_from,
        file=name,
        fields=fields,
        invalid=invalid,
        check_territory=check_territory,
    )


def layer_from_frame(
    frame: gpd.GeoDataFrame,
    *,
    kind: str,
    layer_id: str,
    valid_from: dt.date,
    file: str,
    fields: Mapping[str, str] | None = None,
    invalid: str = "repair",
    check_territory: bool = True,
) -> Layer:
    """A :class:`Layer` from a frame already read (its ``crs`` as the file declared it)."""
    _check_options(kind, invalid)
    cols = resolve([str(c) for c in frame.columns if c != "geometry"], LAYER_FIELDS, fields)
    rejects: list[Reject] = []
    n = len(frame)
    if cols["id"] is None:
        rejects.append(Reject(file, "field_missing", field="id", params={"field": "id"}))
        ids: list[str | None] = [str(i) for i in range(n)]
    else:
        ids = [_text(v) for v in frame[cols["id"]]]
    got = clean(
        np.asarray(frame.geometry.values, dtype=object),
        frame.crs,
        file,
        ids,
        invalid=invalid,
        check_territory=check_territory,
    )
    rejects.extend(got.rejects)
    keep = got.keep
    seen: set[str] = set()
    zones: list[str] = []
    for i in range(n):
        fid = ids[i]
        if cols["id"] is not None and fid is None:
            rejects.append(Reject(file, "value_missing", i, None, cols["id"], {"field": cols["id"]}))
            keep[i] = False
        elif fid is not None and fid in seen:
            rejects.append(Reject(file, "duplicate_id", i, fid, cols["id"], {"value": fid}))
            keep[i] = False
        elif fid is not None:
            seen.add(fid)
        raw = frame[cols["zone"]].iloc[i] if cols["zone"] else None
        z = zone_code(raw)
        if z is None:
            rejects.append(Reject(file, "zone_unknown", i, fid, cols["zone"], {"value": str(raw)}))
            keep[i] = False
            z = "none"
        zones.append(z)

    def column(key: str, default: list[str | None]) -> list[str | None]:
        c = cols[key]
        return [_text(v) for v in frame[c]] if c else default

    out = gpd.GeoDataFrame(
        {
            "feature_id": ids,
            "name": column("name", [None] * n),
            "region": column("region", [None] * n),
            "reserve_id": column("reserve", list(ids)),
            "zone": zones,
            "area_km2": got.area_km2,
        },
        geometry=gpd.GeoSeries(got.geoms, crs="EPSG:4326"),
        crs="EPSG:4326",
    )
    out["reserve_id"] = out["reserve_id"].fillna(out["feature_id"])
    out = out[keep].reset_index(drop=True)
    result = Layer(layer_id, kind, valid_from, file, out, rejects, list(got.notes))
    if not rejects and kind == "protected_area":
        result.features, cut = disjoint_zones(out)
        result.notes.extend(Reject(file, "zones_disjoint", params={"reserve": r}) for r in cut)
    return result


def disjoint_zones(features: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Zones of each reserve made non-overlapping, most protected first.

    Nested zoning (a buffer polygon drawn around and including its core) is cut so that
    the buffer is the ring outside the core, the experimental zone the ring outside both;
    zones already disjoint are left as they are. Returns the frame and the reserves cut.

    Vectorised over reserves: step (k, j) cuts the j-th zone (by priority) of every
    reserve out of its k-th zone, j < k (differences only: no union of rings is built).
    """
    f = features.copy()
    n = len(f)
    if n == 0:
        return f, []
    geoms = np.asarray(f.geometry.values, dtype=object).copy()
    codes, names = pd.factorize(f["reserve_id"])
    rank = f["zone"].map(PRIORITY).to_numpy(dtype=np.int64)
    order = np.lexsort((np.arange(n), rank, codes))
    pos = np.empty(n, dtype=np.int64)
    pos[order] = pd.Series(codes[order]).groupby(codes[order]).cumcount().to_numpy()
    at = np.full((len(names), int(pos.max()) + 1), -1, dtype=np.int64)
    at[codes, pos] = np.arange(n)
    changed = np.zeros(n, dtype=bool)
    for k in range(1, at.shape[1]):
        for j in range(k):  # cut each earlier (more protected) zone out, one at a time
            pair = (at[:, k] >= 0) & (at[:, j] >= 0)
            rows, prior = at[pair, k], at[pair, j]
            # polygons with common area: they meet and do more than touch
            meet = np.asarray(shapely.intersects(geoms[rows], geoms[prior]), dtype=bool)
            rows, prior = rows[meet], prior[meet]
            more = ~np.asarray(shapely.touches(geoms[rows], geoms[prior]), dtype=bool)
            rows, prior = rows[more], prior[more]
            if rows.size == 0:
                continue
            geoms[rows] = shapely.difference(geoms[rows], geoms[prior])
            changed[rows] = True
    if changed.any():
        f["geometry"] = gpd.GeoSeries(geoms, index=f.index, crs=f.crs)
    if "area_km2" not in f:
        f["area_km2"] = area_km2(geoms)
    elif changed.any():
        area = f["area_km2"].to_numpy(dtype=np.float64).copy()
        area[changed] = area_km2(geoms[changed])
        f["area_km2"] = area

    cut_reserves = sorted({str(names[c]) for c in codes[changed]})
    return f, cut_reserves
