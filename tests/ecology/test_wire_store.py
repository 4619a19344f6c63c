"""Layers and patches stored through ``ep.ecology`` on a real DuckDB file: a generated
protected-area layer and patches (known answers) imported twice, red-line versions that
lose area, all-or-nothing refusals, the lifecycle of a case."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from pyproj import Geod

from ecoplan.app import Ecoplan
from ecoplan.core.errors import Conflict, InputFileError, NotFound
from ecoplan.ecology.spatial.generate import Synthetic, generate
from ecoplan.ecology.spatial_store import FAULT_POINT
from ecoplan.store import faults

GEOD = Geod(ellps="WGS84")


def geodesic_km2(geom: shapely.Geometry) -> float:
    """The area on the ellipsoid (pyproj), independent of the Albers areas under test."""
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def write(frame: gpd.GeoDataFrame, path: Path) -> Path:
    frame.to_file(path, driver="GeoJSON")
    return path


@pytest.fixture
def synthetic(tmp_path: Path) -> tuple[Synthetic, Path, Path]:
    syn = generate(4, 6, seed=3, columns=2, start=dt.date(2024, 1, 1))
    return (
        syn,
        write(syn.zones, tmp_path / "reserves.geojson"),
        write(syn.patches, tmp_path / "patches.geojson"),
    )


def counts(ep: Ecoplan) -> tuple[int, ...]:
    con = ep.catalog.con
    tables = (
        "ecology_layer_features",
        "ecology_patches",
        "ecology_patch_parts",
        "ecology_patch_cases",
        "ecology_patch_events",
    )
    return tuple(int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables)  # type: ignore[index]


def test_generated_reserves_and_patches_twice(
    ep: Ecoplan, synthetic: tuple[Synthetic, Path, Path], tmp_path: Path
) -> None:
    syn, zones, patches = synthetic
    first = ep.ecology.import_layer(zones, "protected", "pa", dt.date(2023, 1, 1))
    assert (first.rows_new, first.rows_unchanged) == (12, 0)
    got = ep.ecology.import_patches(patches)
    assert (got.rows_new, got.rows_revised, got.rows_unchanged) == (24, 0, 0)
    after_first = counts(ep)
    assert after_first[:2] == (12, 24) and after_first[3:] == (24, 24)

    again = ep.ecology.import_layer(zones, "protected", "pa", dt.date(2023, 1, 1))
    assert (again.rows_new, again.rows_unchanged) == (0, 12)
    twice = ep.ecology.import_patches(patches)
    assert (twice.rows_new, twice.rows_revised, twice.rows_unchanged) == (0, 0, 24)
    assert counts(ep) == after_first
    imports = ep.ecology.spatial_imports()
    assert list(imports["kind"]) == ["layer", "patches", "layer", "patches"]

    p = ep.ecology.patches().set_index("patch_id")
    for pid, ans in syn.answers.items():
        row = p.loc[pid]
        if ans.reserve_id is None:
            assert row["reserve_id"] is None or row["reserve_id"] != row["reserve_id"], pid
            continue
        assert (row["reserve_id"], row["zone"], int(row["priority"])) == (
            ans.reserve_id,
            ans.zone,
            ans.priority,
        ), pid
        assert tuple(sorted(row["zones"])) == tuple(sorted(ans.zones)), pid
        assert row["state"] == "detected"
        assert row["due"] == row["detected_on"] + dt.timedelta(days=7)

    stats = ep.ecology.patch_stats(period=None)
    inside = [a for a in syn.answers.values() if a.reserve_id is not None]
    assert int(stats["count"].sum()) == len(inside)
    for (rid, zone), n in stats.set_index(["reserve_id", "zone"])["count"].items():
        assert n == sum(1 for a in inside if (a.reserve_id, a.zone) == (rid, zone))

    # a case moves with evidence
    pid = "P0000000"
    detected = ep.ecology.patches().set_index("patch_id").loc[pid, "detected_on"]
    case = ep.ecology.advance_patch(pid, "assign", detected + dt.timedelta(days=2))
    assert (case.state, case.due) == ("assigned", detected + dt.timedelta(days=32))
    with pytest.raises(Conflict):
        ep.ecology.advance_patch(pid, "verify_illegal", detected + dt.timedelta(days=5))
    with pytest.raises(Conflict):
        ep.ecology.advance_patch(pid, "close", detected + dt.timedelta(days=5))
    ep.ecology.advance_patch(pid, "verify_illegal", detected + dt.timedelta(days=5), "现场照片 3 张")
    ev = ep.ecology.patch_events(pid)
    assert list(ev["event"]) == ["detect", "assign", "verify_illegal"]
    assert ev["evidence"].iloc[-1] == "现场照片 3 张"
    row = ep.ecology.patches(state="illegal")
    assert list(row["patch_id"]) == [pid]
    with pytest.raises(NotFound):
        ep.ecology.advance_patch("nope", "assign", detected)
    gj = ep.ecology.patches_geojson()
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == 24
    json.dumps(gj)

    # a changed version is refused; the same boundary as a new version re-overlays
    smaller = syn.zones[syn.zones["reserve_id"] != "R00000"]
    path = write(smaller, tmp_path / "smaller.geojson")
    before = counts(ep)
    with pytest.raises(Conflict):
        ep.ecology.import_layer(path, "protected", "pa", dt.date(2023, 1, 1))
    assert counts(ep) == before
    # the same boundary as a new version, valid after every patch: the patches keep the old one
    ep.ecology.import_layer(path, "protected", "pa", dt.date(2025, 6, 1))
    assert set(ep.ecology.versions("pa")["valid_from"].astype(str)) == {"2023-01-01", "2025-06-01"}
    p = ep.ecology.patches().set_index("patch_id")
    assert (p["layer_valid_from"].astype(str) == "2023-01-01").sum() == sum(
        1 for a in syn.answers.values() if a.reserve_id is not None
    )


def _box_layer(boxes: dict[str, tuple[str, shapely.Polygon]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"feature_id": list(boxes), "region": [r for r, _ in boxes.values()], "name": list(boxes)},
        geometry=[g for _, g in boxes.values()],
        crs="EPSG:4326",
    )


def test_a_red_line_version_losing_area_is_flagged(ep: Ecoplan, tmp_path: Path) -> None:
    a = shapely.box(104.0, 30.5, 104.2, 30.7)
    b = shapely.box(105.0, 31.0, 105.1, 31.1)
    cut = shapely.box(104.0, 30.5, 104.2, 30.65)  # a 0.05° strip of red line A given up
    v1 = write(_box_layer({"A": ("510100", a), "B": ("510700", b)}), tmp_path / "rl-2021.geojson")
    v2 = write(_box_layer({"A": ("510100", cut), "B": ("510700", b)}), tmp_path / "rl-2023.geojson")
    ep.ecology.import_layer(v1, "redline", "sc-rl", dt.date(2021, 1, 1))
    ep.ecology.import_layer(v2, "redline", "sc-rl", dt.date(2023, 1, 1))
    pts = gpd.GeoDataFrame(
        {
            "patch_id": ["M1", "M2", "T1"],
            "detected_on": ["2023-05-01", "2023-06-01", "2023-07-01"],
            "source": ["s1", "s2", "s1"],
            "class": ["矿产资源开发", "矿产资源开发", "旅游开发"],
            "confidence": ["high", "low", "low"],
        },
        geometry=[
            shapely.box(104.05, 30.55, 104.06, 30.56),
            shapely.box(104.10, 30.55, 104.11, 30.56),
            shapely.box(105.05, 31.05, 105.06, 31.06),
        ],
        crs="EPSG:4326",
    )
    ep.ecology.import_patches(write(pts, tmp_path / "p.geojson"))

    rep = ep.ecology.redline("510000", lang="zh")
    by_region = {e["region"]: e for e in rep["layers"]}
    assert set(by_region) == {"510100", "510700"}
    lost = by_region["510100"]["changes"][0]
    expected = geodesic_km2(a) - geodesic_km2(cut)
    assert lost["flagged"] is True
    assert lost["lost_km2"] == pytest.approx(expected, rel=1e-4)
    assert by_region["510700"]["changes"][0]["flagged"] is False
    assert len(rep["messages"]) == 1 and "510100" in rep["messages"][0]
    assert f"{expected:.2f}" in rep["messages"][0]
    classes = {(r["reserve_id"], r["cls"]): r["count"] for r in by_region["510100"]["patches"]}
    assert classes == {("A", "mining"): 2}
    assert {(r["reserve_id"], r["cls"]) for r in by_region["510700"]["patches"]} == {("B", "tourism")}
    # a city sees only its own red lines; a region with none is not found
    assert [e["region"] for e in ep.ecology.redline("510700")["layers"]] == ["510700"]
    with pytest.raises(NotFound):
        ep.ecology.redline("320000")


def test_bad_files_are_refused_whole(
    ep: Ecoplan, synthetic: tuple[Synthetic, Path, Path], tmp_path: Path
) -> None:
    syn, zones, _ = synthetic
    ep.ecology.import_layer(zones, "protected", "pa", dt.date(2024, 3, 1))
    bad = syn.patches.copy()
    bad.loc[1, "class"] = "采砂"
    with pytest.raises(InputFileError) as exc:
        ep.ecology.import_patches(write(bad, tmp_path / "bad.geojson"))
    text = str(exc.value)
    assert "bad.geojson" in text and "P0000001" in text and "class_unknown" in text
    assert counts(ep)[1:] == (0, 0, 0, 0)
    rejects = ep.ecology.spatial.rejects()
    assert list(rejects["reason"]) == ["class_unknown"] and list(rejects["feature_id"]) == ["P0000001"]
    # a crash before the commit leaves nothing of a good file
    with faults.armed(FAULT_POINT), pytest.raises(faults.InjectedFault):
        ep.ecology.import_patches(
            write(syn.patches[syn.patches["detected_on"] >= dt.date(2024, 3, 1)], tmp_path / "late.geojson")
        )
    assert counts(ep)[1:] == (0, 0, 0, 0)
    # patches detected before the layer version they fall in (valid from 2024-03-01)
    with pytest.raises(InputFileError) as exc:
        ep.ecology.import_patches(write(syn.patches, tmp_path / "early.geojson"))
    assert "patch_before_layer" in str(exc.value)
    assert counts(ep)[1:] == (0, 0, 0, 0)
