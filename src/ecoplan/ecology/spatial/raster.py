"""Land-cover class areas per polygon from a GeoTIFF (rasterio).

A pixel belongs to a polygon when its centre is inside (``rasterio.features.
geometry_mask``, ``all_touched=False``): the boundary pixels in and out balance for a
polygon much larger than a pixel. Pixel areas:

- geographic raster (lon/lat, e.g. MODIS MCD12C1 at 0.05°): the exact area of the cell
  on the WGS84 ellipsoid, ``Δλ · (S(φ₁) − S(φ₂))`` with ``S(φ) = b²/2 · [sin φ/(1 − e²
  sin²φ) + artanh(e sin φ)/e]`` per radian of longitude — cells shrink towards the poles;
  the raster's own datum, if any, is taken as WGS84 (metre-level differences);
- projected raster: only an equal-area projection is accepted (Albers, Lambert azimuthal
  equal-area, cylindrical equal-area, Mollweide, sinusoidal); pixel area = |det| of the
  affine transform; the polygons are reprojected to it.

:data:`IGBP` lists the IGBP classes of MCD12C1 (``ecology.spatial.igbp.<n>`` words);
:func:`hj192_areas` regroups class areas into HJ 192-2015's land-use classes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd
import pyproj
import rasterio  # type: ignore[import-untyped,unused-ignore]
import rasterio.features  # type: ignore[import-untyped,unused-ignore]
import rasterio.windows  # type: ignore[import-untyped,unused-ignore]
import shapely  # type: ignore[import-untyped,unused-ignore]
from affine import Affine
from numpy.typing import NDArray

from ecoplan.core.errors import EcoplanError
from ecoplan.ecology.spatial.crs import _transformer

__all__ = [
    "EQUAL_AREA",
    "IGBP",
    "IGBP_TO_HJ192",
    "WGS84_A",
    "WGS84_F",
    "band_area_km2",
    "class_areas",
    "hj192_areas",
]

WGS84_A: Final = 6378137.0
WGS84_F: Final = 1 / 298.257223563
#: Words of the equal-area projection methods accepted for projected rasters (PROJ's
#: method names: Albers Equal Area, Lambert Azimuthal/Cylindrical Equal Area, Mollweide,
#: Sinusoidal).
EQUAL_AREA: Final = ("equal area", "mollweide", "sinusoidal")
#: IGBP classes of MCD12C1's Majority_Land_Cover_Type_1 (0 water … 16 barren; 255 fill).
IGBP: Final = tuple(range(17))
#: IGBP class -> HJ 192-2015 land-use class (林地, 草地, 水域湿地, 耕地, 建设用地, 未利用地),
#: for the habitat-quality inputs of the EI. [unconfirmed mapping, configurable: shrublands
#: and woody savannas counted as 林地 (灌木林地, 疏林地), savannas as 草地, permanent snow
#: and ice as 水域湿地 (永久性冰川雪地), the cropland mosaic as 耕地.]
IGBP_TO_HJ192: Final[dict[int, str]] = {
    0: "water_wetland", 1: "forest", 2: "forest", 3: "forest", 4: "forest", 5: "forest",
    6: "forest", 7: "forest", 8: "forest", 9: "grass", 10: "grass", 11: "water_wetland",
    12: "cropland", 13: "built_up", 14: "cropland", 15: "water_wetland", 16: "unused",
}  # fmt: skip


def _s(phi: NDArray[np.float64]) -> NDArray[np.float64]:
    """Ellipsoid area from the equator to latitude ``phi`` per radian of longitude (m²)."""
    e2 = WGS84_F * (2 - WGS84_F)
    e = math.sqrt(e2)
    b = WGS84_A * (1 - WGS84_F)
    s = np.sin(phi)
    return np.asarray(b * b / 2 * (s / (1 - e2 * s * s) + np.arctanh(e * s) / e), dtype=np.float64)


def band_area_km2(
    lat_top: NDArray[np.float64], lat_bottom: NDArray[np.float64], dlon_deg: float
) -> NDArray[np.float64]:
    """Area (km²) of cells ``dlon_deg`` wide between the given latitudes (degrees)."""
    top, bottom = np.radians(lat_top), np.radians(lat_bottom)
    return np.abs(_s(top) - _s(bottom)) * math.radians(abs(dlon_deg)) / 1e6


def class_areas(
    path: str | Path,
    polygons: Sequence[shapely.Geometry],
    ids: Sequence[str] | None = None,
    *,
    band: int = 1,
) -> pd.DataFrame:
    """``id``, ``cls`` (the pixel value), ``pixels``, ``area_km2`` per lon/lat polygon and
    class (nodata pixels left out; a polygon outside the raster raises)."""
    name = Path(path).name
    ids = list(ids) if ids is not None else [str(i) for i in range(len(polygons))]
    rows: list[pd.DataFrame] = []
    with rasterio.open(path) as src:
        if src.crs is None:
            raise EcoplanError.worded("ecology.spatial.raster.crs_unknown", file=name)
        crs = pyproj.CRS.from_user_input(src.crs.to_wkt())
        geographic = crs.is_geographic
        if not geographic:
            op = crs.coordinate_operation
            method = op.method_name.lower() if op is not None else ""
            if not any(m in method for m in EQUAL_AREA):
                raise EcoplanError.worded("ecology.spatial.raster.crs_not_equal_area", file=name)
            t = _transformer("EPSG:4326", crs.to_wkt())
        tr = src.transform
        if tr.b != 0 or tr.d != 0:
            raise EcoplanError.worded("ecology.spatial.raster.rotated", file=name)
        for pid, poly in zip(ids, polygons, strict=True):
            g = poly
            if not geographic:
                g = shapely.transform(g, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))
            # the window of pixels under the polygon's bounds (north-up arithmetic: the
            # affine package's operators warn in the pinned version)
            minx, miny, maxx, maxy = g.bounds
            c0 = max(0, math.floor((minx - tr.c) / tr.a))
            c1 = min(src.width, math.ceil((maxx - tr.c) / tr.a))
            r0 = max(0, math.floor((maxy - tr.f) / tr.e))
            r1 = min(src.height, math.ceil((miny - tr.f) / tr.e))
            if c1 <= c0 or r1 <= r0:
                raise EcoplanError.worded("ecology.spatial.raster.outside", file=name)
            data = src.read(band, window=rasterio.windows.Window(c0, r0, c1 - c0, r1 - r0))
            wtr = Affine(tr.a, 0.0, tr.c + c0 * tr.a, 0.0, tr.e, tr.f + r0 * tr.e)
            inside = ~rasterio.features.geometry_mask([g], out_shape=data.shape, transform=wtr)
            if src.nodata is not None:
                inside &= data != src.nodata
            if geographic:
                rows_lat = wtr.f + wtr.e * np.arange(data.shape[0] + 1)
                cell = band_area_km2(rows_lat[:-1], rows_lat[1:], wtr.a)
                weight = np.broadcast_to(cell[:, None], data.shape)
            else:
                weight = np.full(data.shape, abs(tr.a * tr.e - tr.b * tr.d) / 1e6)
            vals = data[inside]
            if vals.size == 0:
                continue
            f = pd.DataFrame({"cls": vals.astype(np.int64), "w": weight[inside]})
            agg = f.groupby("cls").agg(pixels=("w", "size"), area_km2=("w", "sum")).reset_index()
            agg.insert(0, "id", pid)
            rows.append(agg)
    if not rows:
        return pd.DataFrame({"id": [], "cls": [], "pixels": [], "area_km2": []})
    return pd.concat(rows, ignore_index=True)


def hj192_areas(areas: pd.DataFrame, mapping: dict[int, str] | None = None) -> pd.DataFrame:
    """Class areas regrouped per ``id`` into HJ 192-2015 land-use classes (km²)."""
    m = IGBP_TO_HJ192 if mapping is None else mapping
    f = areas.assign(hj192=areas["cls"].map(m))
    return f.groupby(["id", "hj192"], as_index=False).agg(area_km2=("area_km2", "sum"))
