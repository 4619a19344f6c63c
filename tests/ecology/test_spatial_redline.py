"""Red-line checks: 面积不减少 by region and version, 性质不改变, patches by class."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pyproj
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from ecoplan.ecology.spatial.layers import Layer, layer_from_frame
from ecoplan.ecology.spatial.overlay import overlay
from ecoplan.ecology.spatial.redline import (
    area_by_region,
    area_losses,
    loss_messages,
    patches_by_class,
    region_report,
    zoning_changes,
    zoning_messages,
)

GEOD = pyproj.Geod(ellps="GRS80")
V1, V2 = dt.date(2021, 1, 1), dt.date(2023, 6, 30)


def geod_km2(g: shapely.Geometry) -> float:
    """The area on the ellipsoid, by pyproj's geodesic polygon area (not the code under test),
    edges cut to 0.001° so that they follow their parallels and meridians."""
    return abs(GEOD.geometry_area_perimeter(shapely.segmentize(g, 0.001))[0]) / 1e6


def _redlines(valid_from: dt.date, geoms: list[shapely.Geometry], regions: list[str]) -> Layer:
    f = gpd.GeoDataFrame(
        {"id": [f"RL{i}" for i in range(len(geoms))], "region": regions}, geometry=geoms, crs="EPSG:4326"
    )
    lay = layer_from_frame(f, kind="redline", layer_id="sc-redline", valid_from=valid_from, file="rl.gpkg")
    assert lay.rejects == []
    return lay


def test_a_version_that_loses_area_is_flagged_with_region_and_area_lost() -> None:
    a, b, c = (shapely.box(103.0 + k, 30.0, 103.5 + k, 30.5) for k in range(3))
    cut = shapely.box(103.0, 30.0, 103.1, 30.05)  # taken out of the first red line
    moved_out = shapely.box(105.4, 30.0, 105.5, 30.1)  # the third swaps a piece ...
    moved_in = shapely.box(105.5, 30.0, 105.6, 30.1)  # ... for an equal one at the same latitude
    v1 = _redlines(V1, [a, b, c], ["510100", "510600", "510700"])
    v2 = _redlines(
        V2, [a.difference(cut), b, c.difference(moved_out).union(moved_in)], ["510100", "510600", "510700"]
    )
    losses = area_losses([v2, v1]).set_index("region")  # any order: sorted by valid-from
    assert losses.loc["510100", "lost_km2"] == pytest.approx(geod_km2(cut), rel=1e-4)
    assert losses.loc["510100", "removed_km2"] == pytest.approx(geod_km2(cut), rel=1e-4)
    assert bool(losses.loc["510100", "flagged"]) is True
    assert losses.loc["510600", "lost_km2"] == pytest.approx(0.0, abs=1e-9)
    assert not losses.loc["510600", "flagged"]
    # net area kept (not flagged), but the gross removal is reported
    assert not losses.loc["510700", "flagged"]
    assert losses.loc["510700", "removed_km2"] == pytest.approx(geod_km2(moved_out), rel=1e-4)
    assert (losses.loc["510100", "before"], losses.loc["510100", "after"]) == (
        "sc-redline@2021-01-01",
        "sc-redline@2023-06-30",
    )
    (zh,) = loss_messages(losses.reset_index(), "zh")
    lost = round(geod_km2(cut), 2)
    assert zh.startswith("510100 生态保护红线面积减少") and f"减少 {lost} km²" in zh
    (en,) = loss_messages(losses.reset_index(), "en")
    assert f"{lost} km² less" in en


def test_area_per_region_by_admin_polygons() -> None:
    rl = shapely.box(104.0, 30.0, 104.4, 30.2)
    west, east = shapely.box(103.0, 29.0, 104.1, 31.0), shapely.box(104.1, 29.0, 105.0, 31.0)
    regions = gpd.GeoDataFrame({"region": ["510100", "511400"]}, geometry=[west, east], crs="EPSG:4326")
    got = area_by_region(_redlines(V1, [rl], ["510000"]), regions).set_index("region")["area_km2"]
    assert got["510100"] == pytest.approx(geod_km2(rl.intersection(west)), rel=1e-4)
    assert got["511400"] == pytest.approx(geod_km2(rl.intersection(east)), rel=1e-4)


@settings(max_examples=25, deadline=None)
@given(
    x=st.floats(104.0, 104.35),
    y=st.floats(30.0, 30.35),
    w=st.floats(0.002, 0.05),
    h=st.floats(0.002, 0.05),
)
def test_any_piece_cut_from_a_red_line_is_the_area_lost(x: float, y: float, w: float, h: float) -> None:
    rl = shapely.box(104.0, 30.0, 104.4, 30.4)
    piece = shapely.box(x, y, x + w, y + h).intersection(rl)
    v1 = _redlines(V1, [rl], ["510100"])
    v2 = _redlines(V2, [rl.difference(piece)], ["510100"])
    (row,) = area_losses([v1, v2]).to_dict("records")
    assert row["flagged"] == (geod_km2(piece) > 0.01)
    assert row["lost_km2"] == pytest.approx(geod_km2(piece), rel=1e-3, abs=1e-6)


def test_zoning_changes_downgrades_and_area_leaving_the_reserve() -> None:
    core1 = shapely.box(104.0, 30.0, 104.2, 30.2)
    outer = shapely.box(103.9, 29.9, 104.3, 30.3)
    core2 = shapely.box(104.0, 30.0, 104.15, 30.2)  # a 0.05° strip of core becomes buffer
    outer2 = shapely.box(103.9, 29.9, 104.3, 30.25)  # a 0.05° strip leaves the reserve

    def pa(valid: dt.date, core: shapely.Geometry, out: shapely.Geometry) -> Layer:
        f = gpd.GeoDataFrame(
            {"id": ["A-core", "A-buffer"], "reserve_id": ["A", "A"], "zone": ["核心区", "缓冲区"]},
            geometry=[core, out],
            crs="EPSG:4326",
        )
        return layer_from_frame(f, kind="protected_area", layer_id="pa", valid_from=valid, file="pa")

    got = zoning_changes(pa(V1, core1, outer), pa(V2, core2, outer2))
    rows = {(r["zone_from"], r["zone_to"]): r for r in got.to_dict("records")}
    strip = shapely.box(104.15, 30.0, 104.2, 30.2)
    left = shapely.box(103.9, 30.25, 104.3, 30.3)
    assert set(rows) == {("core", "buffer"), ("buffer", None)}
    assert rows[("core", "buffer")]["area_km2"] == pytest.approx(geod_km2(strip), rel=1e-4)
    assert rows[("buffer", None)]["area_km2"] == pytest.approx(geod_km2(left), rel=1e-4)
    assert rows[("core", "buffer")]["downgraded"] and rows[("buffer", None)]["downgraded"]
    zh = zoning_messages(got, "zh")
    assert f"保护地“A”{round(geod_km2(strip), 2)} km² 由核心区调整为缓冲区" in zh
    assert any(m.endswith("由缓冲区调整为保护地范围外") for m in zh)


def test_patches_inside_red_lines_by_class() -> None:
    rl = _redlines(V1, [shapely.box(104.0, 30.0, 104.2, 30.2)], ["510100"])
    sq = [shapely.box(104.01 + i * 0.02, 30.01, 104.015 + i * 0.02, 30.015) for i in range(4)]
    sq.append(shapely.box(104.5, 30.5, 104.51, 30.51))  # outside
    patches = gpd.GeoDataFrame(
        {
            "patch_id": ["a", "b", "c", "d", "e"],
            "detected_on": [dt.date(2024, 5, 1)] * 5,
            "cls": ["mining", "mining", "energy", "tourism", "mining"],
        },
        geometry=sq,
        crs="EPSG:4326",
    )
    ov = overlay(patches, [rl])
    got = patches_by_class(ov.parts, patches).set_index("cls")
    assert got["count"].to_dict() == {"energy": 1, "mining": 2, "tourism": 1}
    assert got.loc["mining", "area_km2"] == pytest.approx(geod_km2(sq[0]) + geod_km2(sq[1]), rel=1e-4)


def test_region_report_areas_changes_and_patches() -> None:
    a, b = shapely.box(103.0, 30.0, 103.5, 30.5), shapely.box(104.0, 30.0, 104.5, 30.5)
    cut = shapely.box(104.0, 30.0, 104.2, 30.1)
    v1 = _redlines(V1, [a, b], ["510100", "510600"])
    v2 = _redlines(V2, [a, b.difference(cut)], ["510100", "510600"])
    patches = gpd.GeoDataFrame(
        {"patch_id": ["m", "t"], "detected_on": [dt.date(2024, 1, 1)] * 2, "cls": ["mining", "transport"]},
        geometry=[shapely.box(103.1, 30.1, 103.11, 30.11), shapely.box(104.3, 30.3, 104.31, 30.31)],
        crs="EPSG:4326",
    )
    ov = overlay(patches, [v2])
    rep = region_report([v1, v2], ov.parts, patches)
    assert set(rep) == {"510100", "510600"}
    areas = [x["area_km2"] for x in rep["510600"]["areas"]]
    assert areas[0] - areas[1] == pytest.approx(geod_km2(cut), rel=1e-4)
    (change,) = rep["510600"]["changes"]
    assert change["flagged"] and change["lost_km2"] == pytest.approx(geod_km2(cut), rel=1e-4)
    assert not rep["510100"]["changes"][0]["flagged"]
    assert [(p["reserve_id"], p["cls"], p["count"]) for p in rep["510100"]["patches"]] == [
        ("RL0", "mining", 1)
    ]
    assert [(p["cls"], p["count"]) for p in rep["510600"]["patches"]] == [("transport", 1)]
