"""Layer and patch readers: formats, CRSs, repairs, territory, reason-coded rejects."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import pyproj
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecoplan.core.errors import EcoplanError, InputFileError
from ecoplan.ecology.spatial.crs import area_km2
from ecoplan.ecology.spatial.generate import generate
from ecoplan.ecology.spatial.layers import read_layer
from ecoplan.ecology.spatial.patches import parse_confidence, read_patches
from ecoplan.ecology.spatial.rejects import raise_if_rejected

V1 = dt.date(2021, 1, 1)


def _box_layer(crs: str | None, geoms: list[shapely.Geometry], **cols: list[object]) -> gpd.GeoDataFrame:
    data = {"id": [f"F{i}" for i in range(len(geoms))], **cols}
    return gpd.GeoDataFrame(data, geometry=geoms, crs=crs)


@pytest.mark.parametrize("ext,driver", [("geojson", "GeoJSON"), ("shp", "ESRI Shapefile"), ("gpkg", "GPKG")])
def test_three_formats_read_the_same_zones(tmp_path: Path, ext: str, driver: str) -> None:
    syn = generate(4, 0, seed=3)
    path = tmp_path / f"pa.{ext}"
    syn.zones.to_file(path, driver=driver)
    lay = read_layer(path, kind="protected_area", layer_id="pa", valid_from=V1)
    assert lay.rejects == []
    assert len(lay.features) == 12
    assert sorted(lay.features["zone"].unique()) == ["buffer", "core", "experimental"]
    assert lay.version == ("pa", V1)
    # nested zones are cut into rings: one note per reserve, areas add up to the outer outline
    assert sorted(n.params["reserve"] for n in lay.notes) == ["R00000", "R00001", "R00002", "R00003"]
    outer = syn.zones[syn.zones["zone"] == "experimental"]
    total = lay.features.groupby("reserve_id")["area_km2"].sum().to_numpy()
    assert total == pytest.approx(area_km2(outer.geometry.to_numpy()), rel=1e-6)


def test_cgcs2000_is_used_as_is_and_projected_ones_are_reprojected(tmp_path: Path) -> None:
    # a 0.1° box near Chengdu in CGCS2000 lon/lat, then the same box in CGCS2000 / 3-degree
    # Gauss-Kruger CM 105E (EPSG:4543): the layer must hold the same lon/lat box
    box = shapely.box(104.0, 30.6, 104.1, 30.7)
    f = _box_layer("EPSG:4490", [box])
    f.to_file(tmp_path / "a.geojson", driver="GeoJSON")
    a = read_layer(tmp_path / "a.geojson", kind="redline", layer_id="r", valid_from=V1)
    projected = f.to_crs("EPSG:4543")
    projected.to_file(tmp_path / "b.shp")
    b = read_layer(tmp_path / "b.shp", kind="redline", layer_id="r", valid_from=V1)
    assert a.rejects == [] and b.rejects == []
    assert a.features.geometry.iloc[0].equals_exact(box, 1e-12)
    assert b.features.geometry.iloc[0].normalize().equals_exact(box.normalize(), 1e-7)
    # 0.1° × 0.1° at 30.65° N: 11.132 km × cos(30.65°) × 11.09 km ≈ 106.1 km²
    assert a.features["area_km2"].iloc[0] == pytest.approx(106.1, rel=2e-3)


def test_unknown_crs_and_other_datum_are_refused(tmp_path: Path) -> None:
    box = shapely.box(104.0, 30.6, 104.1, 30.7)
    with pytest.warns(UserWarning, match="crs"):
        _box_layer(None, [box]).to_file(tmp_path / "nocrs.shp")
    (tmp_path / "nocrs.prj").unlink(missing_ok=True)
    lay = read_layer(tmp_path / "nocrs.shp", kind="redline", layer_id="r", valid_from=V1)
    assert [(r.reason, r.field, r.file) for r in lay.rejects] == [("crs_unknown", "crs", "nocrs.shp")]
    assert len(lay.features) == 0
    # a GeoPackage keeps the Beijing 1954 CRS (GeoJSON would be WGS84 by definition)
    _box_layer("EPSG:4214", [box]).to_file(tmp_path / "bj54.gpkg", driver="GPKG")
    lay = read_layer(tmp_path / "bj54.gpkg", kind="redline", layer_id="r", valid_from=V1)
    assert [r.reason for r in lay.rejects] == ["crs_datum"]
    assert "Beijing 1954" in lay.rejects[0].message("en")
    with pytest.raises(InputFileError) as e:
        raise_if_rejected(lay.file, lay.rejects)
    assert "bj54.gpkg" in str(e.value) and "nothing was imported" in str(e.value)


def test_bowtie_is_repaired_with_a_note_or_refused_by_rule(tmp_path: Path) -> None:
    bowtie = shapely.Polygon([(104.0, 30.0), (104.2, 30.2), (104.2, 30.0), (104.0, 30.2)])
    assert not bowtie.is_valid
    path = tmp_path / "bow.geojson"
    _box_layer("EPSG:4326", [shapely.box(104.5, 30.0, 104.6, 30.1), bowtie]).to_file(path, driver="GeoJSON")
    lay = read_layer(path, kind="redline", layer_id="r", valid_from=V1)
    assert lay.rejects == []
    (note,) = lay.notes
    assert (note.reason, note.index, note.feature, note.field) == ("geometry_repaired", 1, "F1", "geometry")
    fixed = lay.features.geometry.iloc[1]
    assert fixed.is_valid and fixed.geom_type == "MultiPolygon"
    # two triangles of half a 0.2°/0.1° box each: 2 × (0.2 × 0.1 / 2) deg² = 0.02 deg²
    assert fixed.area == pytest.approx(0.02)
    refused = read_layer(path, kind="redline", layer_id="r", valid_from=V1, invalid="reject")
    assert [(r.reason, r.index, r.feature) for r in refused.rejects] == [("geometry_invalid", 1, "F1")]
    assert "Self-intersection" in refused.rejects[0].params["detail"]


def test_outside_china_duplicates_and_bad_zones_are_named(tmp_path: Path) -> None:
    geoms = [
        shapely.box(104.0, 30.0, 104.1, 30.1),  # Sichuan
        shapely.box(2.3, 48.8, 2.4, 48.9),  # Paris
        shapely.box(104.2, 30.0, 104.3, 30.1),
        shapely.box(104.4, 30.0, 104.5, 30.1),
        shapely.box(121.9, 30.5, 122.2, 30.7),  # sea off Shanghai: a coastal reserve, inside
    ]
    f = _box_layer("EPSG:4326", geoms, zone=["核心区", "缓冲区", "middle", "实验区", "缓冲区"])
    f.loc[2, "id"] = "F0"
    path = tmp_path / "pa.geojson"
    f.to_file(path, driver="GeoJSON")
    lay = read_layer(path, kind="protected_area", layer_id="pa", valid_from=V1)
    got = sorted((r.index, r.reason, r.field) for r in lay.rejects)
    assert got == [(1, "outside_china", "geometry"), (2, "duplicate_id", "id"), (2, "zone_unknown", "zone")]
    msg = next(r for r in lay.rejects if r.reason == "outside_china").message("zh")
    assert msg.startswith("pa.geojson，第 1 个要素（编号 F1）") and "中国范围之外" in msg
    assert list(lay.features["feature_id"]) == ["F0", "F3", "F4"]
    assert list(lay.features["zone"]) == ["core", "experimental", "buffer"]


def test_unreadable_file_and_bad_options(tmp_path: Path) -> None:
    bad = tmp_path / "broken.geojson"
    bad.write_text("{not json", encoding="utf-8")
    lay = read_layer(bad, kind="redline", layer_id="r", valid_from=V1)
    assert [r.reason for r in lay.rejects] == ["unreadable"]
    with pytest.raises(EcoplanError) as e:
        read_layer(bad, kind="reserve", layer_id="r", valid_from=V1)
    assert e.value.key == "ecology.spatial.bad_kind"
    with pytest.raises(EcoplanError) as e:
        read_layer(bad, kind="redline", layer_id="r", valid_from=V1, invalid="keep")
    assert e.value.key == "ecology.spatial.bad_rule"


def test_patches_reader_checks_every_field(tmp_path: Path) -> None:
    g = [shapely.box(104.0 + i / 10, 30.0, 104.05 + i / 10, 30.05) for i in range(6)]
    f = gpd.GeoDataFrame(
        {
            "图斑编号": ["A", "B", "C", "D", "E", "A"],
            "发现日期": ["2024-03-01", "2024-13-01", "2024-03-02", "2024-03-03", "", "2024-03-05"],
            "来源": ["sat-a", "sat-b", "sat-a", None, "sat-b", "sat-a"],
            "类型": ["矿产资源开发", "工业开发", "采砂", "旅游开发", "其他", "交通开发"],
            "置信度": ["高", "0.7", "low", "2", "低", "high"],
        },
        geometry=g,
        crs="EPSG:4326",
    )
    path = tmp_path / "patches.gpkg"
    f.to_file(path, driver="GPKG")
    got = read_patches(path)
    found = sorted((r.index, r.reason, r.field) for r in got.rejects)
    assert found == [
        (1, "date_invalid", "发现日期"),
        (2, "class_unknown", "类型"),
        (3, "confidence_unknown", "置信度"),
        (3, "value_missing", "来源"),
        (4, "value_missing", "发现日期"),
        (5, "duplicate_id", "图斑编号"),
    ]
    assert list(got.features["patch_id"]) == ["A"]
    row = got.features.iloc[0]
    assert (row["detected_on"], row["source"], row["cls"], row["confidence"]) == (
        dt.date(2024, 3, 1),
        "sat-a",
        "mining",
        "high",
    )


def test_patch_file_without_a_field_is_refused_whole(tmp_path: Path) -> None:
    f = gpd.GeoDataFrame(
        {"patch_id": ["A"], "date": ["2024-01-01"]},
        geometry=[shapely.box(104, 30, 104.1, 30.1)],
        crs="EPSG:4326",
    )
    path = tmp_path / "p.geojson"
    f.to_file(path, driver="GeoJSON")
    got = read_patches(path)
    assert sorted(r.field or "" for r in got.rejects) == ["class", "confidence", "source"]
    assert len(got.features) == 0


@pytest.mark.parametrize(
    "value,tier",
    [
        ("高", "high"),
        ("低", "low"),
        ("0.5", "high"),
        ("0.49", "low"),
        (1, "high"),
        ("x", None),
        (1.5, None),
        (None, None),
    ],
)
def test_confidence_words_and_numbers(value: object, tier: str | None) -> None:
    assert parse_confidence(value) == tier


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    x=st.floats(102.0, 107.5),
    y=st.floats(25.0, 40.0),
    w=st.floats(0.001, 0.5),
    h=st.floats(0.001, 0.5),
    crs=st.sampled_from(["EPSG:4326", "EPSG:4490", "EPSG:4544"]),
)
def test_any_box_reads_back_in_lonlat_with_its_ellipsoid_area(
    tmp_path_factory: pytest.TempPathFactory, x: float, y: float, w: float, h: float, crs: str
) -> None:
    """EPSG:4544 is CGCS2000 / 3-degree Gauss-Kruger CM 105E: projected, reprojected back."""
    box = shapely.box(x, y, x + w, y + h)
    frame = _box_layer("EPSG:4326", [shapely.segmentize(box, 0.01)]).to_crs(crs)
    path = tmp_path_factory.mktemp("box") / "box.gpkg"
    frame.to_file(path, driver="GPKG")
    lay = read_layer(path, kind="function_zone", layer_id="f", valid_from=V1)
    assert lay.rejects == []
    got = lay.features.geometry.iloc[0]
    assert shapely.hausdorff_distance(got, box) < 1e-7
    geod = abs(pyproj.Geod(ellps="GRS80").geometry_area_perimeter(shapely.segmentize(box, 0.001))[0]) / 1e6
    assert lay.features["area_km2"].iloc[0] == pytest.approx(geod, rel=1e-4)
