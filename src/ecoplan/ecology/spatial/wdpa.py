"""An importer for the World Database on Protected Areas (WDPA) — the importer only.

WDPA may not be redistributed (non-commercial licence, no sub-licensing) [V, spec C2],
so ecoplan ships no WDPA data: a user downloads it from Protected Planet and imports it
here. The cleaning follows the R package ``prioritizr/wdpar`` [unconfirmed details, spec
C2], as options:

- keep the sites of ``iso3`` (``ISO3`` may list several codes, ``;``-separated);
- drop ``STATUS`` "Proposed" and "Not Reported" and UNESCO Man and Biosphere reserves
  (``DESIG_ENG`` "UNESCO-MAB Biosphere Reserve": their zoning is not a legal boundary);
- a site given as a point with a reported area (``REP_AREA``, km²) becomes a circle of
  that area on the Albers equal-area projection (note ``point_buffered``); a point
  without an area is refused as ``geometry_type``;
- feature id ``WDPA_PID`` (one per parcel), reserve ``WDPAID``, name ``NAME``, no zones.

WDPA sites carry no zoning. A nature reserve without zones is managed as core and
buffer (自然保护区条例 Art. 30), so a site whose ``DESIG_ENG`` is in
``reserve_designations`` [unconfirmed: the designation names used for China] ranks 1;
other designations (forest parks, scenic areas, geoparks …) rank 3.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection
from pathlib import Path
from typing import Final

import geopandas as gpd  # type: ignore[import-untyped,unused-ignore]
import numpy as np
import pyogrio  # type: ignore[import-untyped,unused-ignore]
import shapely  # type: ignore[import-untyped,unused-ignore]

from ecoplan.ecology.spatial.crs import ALBERS_CHINA, _transformer
from ecoplan.ecology.spatial.layers import Layer, layer_from_frame
from ecoplan.ecology.spatial.rejects import Reject

__all__ = ["DROP_DESIGNATIONS", "DROP_STATUS", "RESERVE_DESIGNATIONS", "read_wdpa"]

DROP_STATUS: Final = frozenset({"Proposed", "Not Reported"})
DROP_DESIGNATIONS: Final = frozenset({"UNESCO-MAB Biosphere Reserve"})
RESERVE_DESIGNATIONS: Final = frozenset({"Nature Reserve", "National Nature Reserve"})


def _circle(point: shapely.Point, km2: float) -> shapely.Geometry:
    """A circle of ``km2`` around a lon/lat point, drawn on the Albers projection."""
    fwd = _transformer("EPSG:4326", ALBERS_CHINA)
    back = _transformer(ALBERS_CHINA, "EPSG:4326")
    x, y = fwd.transform(point.x, point.y)
    disc = shapely.Point(x, y).buffer(math.sqrt(km2 * 1e6 / math.pi), quad_segs=32)
    return shapely.transform(disc, lambda xy: np.column_stack(back.transform(xy[:, 0], xy[:, 1])))


def read_wdpa(
    path: str | Path,
    *,
    valid_from: dt.date,
    layer_id: str = "wdpa",
    iso3: str = "CHN",
    layer: str | None = None,
    drop_status: Collection[str] = DROP_STATUS,
    drop_designations: Collection[str] = DROP_DESIGNATIONS,
    reserve_designations: Collection[str] = RESERVE_DESIGNATIONS,
) -> Layer:
    """The protected areas of a WDPA download as one ``protected_area`` layer version."""
    name = Path(path).name
    frame = pyogrio.read_dataframe(path, layer=layer)
    mine = frame["ISO3"].astype(str).str.split(";").apply(lambda codes: iso3 in [c.strip() for c in codes])
    keep = mine & ~frame["STATUS"].isin(list(drop_status)) & ~frame["DESIG_ENG"].isin(list(drop_designations))
    f = frame[keep].copy()
    if f.crs is not None and f.crs.to_epsg() != 4326 and len(f):
        f = f.to_crs("EPSG:4326")
    notes: list[Reject] = []
    geoms = np.asarray(f.geometry.values, dtype=object)
    for i, g in enumerate(geoms):
        area = f["REP_AREA"].iloc[i] if "REP_AREA" in f else None
        if g is not None and g.geom_type in ("Point", "MultiPoint") and area and float(area) > 0:
            point = g if g.geom_type == "Point" else shapely.centroid(g)
            geoms[i] = _circle(point, float(area))
            notes.append(
                Reject(
                    name, "point_buffered", i, str(f["WDPA_PID"].iloc[i]), "geometry", {"km2": float(area)}
                )
            )
    f = gpd.GeoDataFrame(
        {
            "WDPA_PID": f["WDPA_PID"].astype(str).to_numpy(),
            "WDPAID": f["WDPAID"].astype(str).to_numpy(),
            "NAME": f["NAME"].to_numpy(),
        },
        geometry=list(geoms),
        crs="EPSG:4326",
    )
    designation = frame.loc[keep, "DESIG_ENG"].to_numpy()
    lay = layer_from_frame(
        f,
        kind="protected_area",
        layer_id=layer_id,
        valid_from=valid_from,
        file=name,
        fields={"id": "WDPA_PID", "reserve": "WDPAID", "name": "NAME"},
    )
    kept = lay.features["feature_id"].isin(f["WDPA_PID"])
    by_pid = dict(zip(f["WDPA_PID"], designation, strict=True))
    lay.features.loc[kept, "priority"] = [
        1 if by_pid[p] in reserve_designations else 3 for p in lay.features.loc[kept, "feature_id"]
    ]
    lay.notes = notes + lay.notes
    return lay
