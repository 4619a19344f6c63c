"""Coordinate reference systems and areas.

Accepted: WGS84 (EPSG:4326) and CGCS2000 (EPSG:4490) as they are — the two frames agree
within a few centimetres, far below the precision of the layers, so CGCS2000 coordinates
are used as WGS84 without a transformation — and any projected CRS on one of these two
datums (CGCS2000 Gauss–Krüger zones such as EPSG:4547, UTM), reprojected to longitude and
latitude. Refused: no CRS at all, and other datums (Beijing 1954, Xi'an 1980: their
transformation parameters to CGCS2000 are not public, a ballpark shift would be off by
up to 100 m).

Areas are computed on an Albers equal-area conic for China, ``+proj=aea +lat_0=0
+lon_0=105 +lat_1=25 +lat_2=47`` on the CGCS2000 (GRS80) ellipsoid — there is no EPSG
code for it; it is the common "Albers China" definition (standard parallels 25° N and
47° N). An equal-area projection keeps areas exact on the ellipsoid whatever the shape
distortion, so 1 km² on it is 1 km² on the ground (to the straight-edge approximation of
the polygon's sides).
"""

from __future__ import annotations

from functools import cache
from typing import Final

import numpy as np
import pyproj
import shapely  # type: ignore[import-untyped,unused-ignore]
from numpy.typing import NDArray

__all__ = [
    "ALBERS_CHINA",
    "GEOGRAPHIC_EPSG",
    "SEGMENT_DEG",
    "CrsProblem",
    "area_km2",
    "check_crs",
    "to_albers",
    "to_lonlat",
]

ALBERS_CHINA: Final = (
    "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs"
)
#: Longest edge (degrees) projected as a straight line when computing areas (~1 km).
SEGMENT_DEG: Final = 0.01
#: Geographic frames used as they are (WGS84, CGCS2000).
GEOGRAPHIC_EPSG: Final = frozenset({4326, 4490})


class CrsProblem(ValueError):
    """A CRS the readers refuse: ``reason`` is ``crs_unknown`` or ``crs_datum``."""

    def __init__(self, reason: str, crs: str = "") -> None:
        super().__init__(reason, crs)
        self.reason = reason
        self.crs = crs


def check_crs(crs: object) -> pyproj.CRS | None:
    """The CRS to reproject from, or None when the coordinates are already lon/lat.

    Raises :class:`CrsProblem` for a missing CRS or another datum.
    """
    if crs is None or crs == "":
        raise CrsProblem("crs_unknown")
    c = pyproj.CRS.from_user_input(crs)
    geodetic = c.geodetic_crs
    base = geodetic.to_epsg(min_confidence=70) if geodetic is not None else None
    if base not in GEOGRAPHIC_EPSG:
        raise CrsProblem("crs_datum", c.name)
    if c.is_geographic:
        return None
    return c


@cache
def _transformer(src: str, dst: str) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(src, dst, always_xy=True)


def to_lonlat(geoms: NDArray[np.object_], crs: pyproj.CRS) -> NDArray[np.object_]:
    """Geometries in ``crs`` reprojected to lon/lat (vectorised over all coordinates)."""
    t = _transformer(crs.to_wkt(), "EPSG:4326")
    return np.asarray(shapely.transform(geoms, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1]))))


def to_albers(geoms: NDArray[np.object_]) -> NDArray[np.object_]:
    """Lon/lat geometries on the Albers equal-area projection for China (metres)."""
    t = _transformer("EPSG:4326", ALBERS_CHINA)
    return np.asarray(shapely.transform(geoms, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1]))))


def area_km2(geoms: NDArray[np.object_] | shapely.Geometry) -> NDArray[np.float64]:
    """Areas in km² of lon/lat geometries, on the Albers equal-area projection.

    Edges are first cut to at most :data:`SEGMENT_DEG` so that an edge follows its
    lon/lat line (a parallel stays a parallel) instead of the chord between its ends on
    the projection: without it the area would depend on the vertices an edge happens to
    have (a 0.5° edge along 30° N is 0.45 km² off once a vertex is added on it).
    """
    arr = np.atleast_1d(np.asarray(geoms, dtype=object))
    b = shapely.bounds(arr)
    wide = np.flatnonzero(np.fmax(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]) > SEGMENT_DEG)
    dense = arr.copy()
    if wide.size:  # a geometry smaller than a segment has no edge to cut
        dense[wide] = shapely.segmentize(arr[wide], SEGMENT_DEG)
    return np.asarray(shapely.area(to_albers(dense)), dtype=np.float64) / 1e6
