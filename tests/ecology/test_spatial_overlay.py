"""Overlay of generated reserves and patches with known answers; confidence; statistics."""

from __future__ import annotations

import collections
import datetime as dt
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecoplan.ecology.spatial.confidence import components, integrate
from ecoplan.ecology.spatial.generate import Synthetic, generate
from ecoplan.ecology.spatial.layers import Layer, layer_from_frame, read_layer
from ecoplan.ecology.spatial.overlay import ZoneIndex, overlay
from ecoplan.ecology.spatial.patches import patches_from_frame, read_patches
from ecoplan.ecology.spatial.stats import new_since, reserve_areas, summarise

V1 = dt.date(2020, 1, 1)


def _layer(syn: Synthetic, valid_from: dt.date = V1) -> Layer:
    lay = layer_from_frame(syn.zones, kind="protected_area", layer_id="pa", valid_from=valid_from, file="pa")
    assert lay.rejects == []
    return lay


def _check(syn: Synthetic, decisions: pd.DataFrame) -> None:
    """Every patch's decision is exactly its known answer."""
    assert sorted(decisions["patch_id"]) == sorted(syn.answers)
    for r in decisions.to_dict("records"):
        a = syn.answers[r["patch_id"]]
        prio = None if pd.isna(r["priority"]) else int(r["priority"])
        assert (r["reserve_id"], r["zone"], prio, tuple(r["zones"])) == (
            a.reserve_id,
            a.zone,
            a.priority,
            a.zones,
        ), a
        if a.whole:
            # the parts of a straddling patch gain vertices on its edges: areas agree to ~1e-6
            assert r["inside_km2"] == pytest.approx(r["patch_km2"], rel=1e-5), a
        elif a.zone is None:
            assert r["inside_km2"] == 0.0
        else:
            assert 0.0 < r["inside_km2"] < r["patch_km2"] * (1 - 1e-3), a


def test_generated_reserves_give_exactly_the_expected_overlays(tmp_path: Path) -> None:
    syn = generate(12, 12, seed=7)
    # through the files, as a user imports them
    syn.zones.to_file(tmp_path / "pa.gpkg", driver="GPKG")
    syn.patches.to_file(tmp_path / "patches.geojson", driver="GeoJSON")
    lay = read_layer(tmp_path / "pa.gpkg", kind="protected_area", layer_id="pa", valid_from=V1)
    got = read_patches(tmp_path / "patches.geojson")
    assert lay.rejects == [] and got.rejects == []
    ov = overlay(got.features, [lay], file=got.file)
    assert ov.rejects == []
    _check(syn, ov.decisions)
    placed = collections.Counter(a.placed for a in syn.answers.values())
    assert placed == {k: 24 for k in ("core", "core_buffer", "buffer", "experimental", "edge", "outside")}
    counts = ov.decisions["priority"].value_counts(dropna=False).to_dict()
    assert counts == {1: 48, 2: 24, 3: 48, pd.NA: 24}
    # parts: one per zone a patch overlaps; the straddling ones have two, adding up to the patch
    parts = ov.parts.groupby("patch_id").size()
    assert parts.value_counts().to_dict() == {1: 96, 2: 24}
    straddle = [p for p, a in syn.answers.items() if a.placed == "core_buffer"]
    both = ov.parts[ov.parts["patch_id"].isin(straddle)].groupby("patch_id")["area_km2"].sum()
    whole = ov.decisions.set_index("patch_id").loc[straddle, "patch_km2"]
    np.testing.assert_allclose(both.loc[straddle].to_numpy(), whole.to_numpy(), rtol=1e-5)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(1, 6),
    per=st.integers(1, 13),
    seed=st.integers(0, 2**31),
    vertices=st.integers(8, 64),
    spacing=st.floats(0.02, 0.5),
)
def test_known_answers_hold_for_any_generated_set(
    n: int, per: int, seed: int, vertices: int, spacing: float
) -> None:
    syn = generate(n, per, seed=seed, vertices=vertices, spacing=spacing, columns=3)
    ov = overlay(patches_from_frame(syn.patches, file="p").features, [_layer(syn)])
    _check(syn, ov.decisions)


def test_zone_priority_core_and_buffer_first_across_layers() -> None:
    # a patch in a reserve's experimental zone and inside a red line without zones, and one
    # in the core zone of reserve A that also lies in the experimental zone of reserve B
    core = shapely.box(104.0, 30.0, 104.1, 30.1)
    exp_a = shapely.box(103.9, 29.9, 104.2, 30.2)
    red = shapely.box(104.15, 29.9, 104.3, 30.2)
    pa = gpd.GeoDataFrame(
        {
            "id": ["A-core", "A-exp", "B-exp"],
            "reserve_id": ["A", "A", "B"],
            "zone": ["核心区", "实验区", "实验区"],
        },
        geometry=[core, exp_a, shapely.box(104.05, 30.05, 104.08, 30.08)],
        crs="EPSG:4326",
    )
    rl = gpd.GeoDataFrame({"id": ["RL1"]}, geometry=[red], crs="EPSG:4326")
    a = layer_from_frame(pa, kind="protected_area", layer_id="pa", valid_from=V1, file="pa")
    b = layer_from_frame(rl, kind="redline", layer_id="rl", valid_from=V1, file="rl")
    patches = gpd.GeoDataFrame(
        {"patch_id": ["p1", "p2"], "detected_on": [dt.date(2024, 1, 1)] * 2},
        geometry=[shapely.box(104.16, 30.0, 104.17, 30.01), shapely.box(104.06, 30.06, 104.07, 30.07)],
        crs="EPSG:4326",
    )
    ov = overlay(patches, ZoneIndex([a, b]))
    d = ov.decisions.set_index("patch_id")
    assert d.loc["p1", "priority"] == 3 and set(d.at["p1", "zones"]) == {"experimental", "none"}  # type: ignore[arg-type]
    assert d.loc["p1", "layer_id"] in ("pa", "rl")  # same priority: the larger part decides
    assert (d.loc["p2", "reserve_id"], d.loc["p2", "zone"], d.loc["p2", "priority"]) == ("A", "core", 1)
    assert set(ov.parts[ov.parts["patch_id"] == "p2"]["reserve_id"]) == {"A", "B"}


def test_patch_dated_before_its_layer_version_is_refused() -> None:
    syn = generate(2, 6, seed=1, start=dt.date(2021, 12, 1), days=60)
    lay = _layer(syn, valid_from=dt.date(2022, 1, 1))
    ov = overlay(syn.patches, [lay], file="patches.geojson")
    early = {
        p
        for p, d in zip(syn.patches["patch_id"], syn.patches["detected_on"], strict=True)
        if d < dt.date(2022, 1, 1) and syn.answers[p].zone is not None
    }
    assert early, "the generated dates must straddle the version date"
    assert {r.feature for r in ov.rejects} == early
    r = ov.rejects[0]
    assert (r.reason, r.field, r.file) == ("patch_before_layer", "detected_on", "patches.geojson")
    assert "2022-01-01" in r.message("zh") and "早于图层" in r.message("zh")
    assert early.isdisjoint(ov.decisions["patch_id"]) and early.isdisjoint(ov.parts["patch_id"])


def test_integrated_confidence_highest_when_systems_agree() -> None:
    b = shapely.box
    patches = gpd.GeoDataFrame(
        {
            "patch_id": ["a1", "b1", "a2", "a3", "c1", "c2"],
            "source": ["sat-a", "sat-b", "sat-a", "sat-a", "sat-a", "sat-a"],
            "confidence": ["low", "low", "high", "low", "low", "low"],
            "detected_on": [dt.date(2024, 1, d) for d in (1, 2, 3, 3, 1, 30)],
        },
        geometry=[
            b(104.0, 30.0, 104.01, 30.01),
            b(104.005, 30.005, 104.015, 30.015),  # overlaps a1, another system
            b(104.1, 30.0, 104.11, 30.01),
            b(104.105, 30.0, 104.115, 30.01),  # overlaps a2, same system
            b(104.2, 30.0, 104.21, 30.01),
            b(104.21, 30.0, 104.22, 30.01),  # touches c1 only: no common area
        ],
        crs="EPSG:4326",
    )
    got = integrate(patches).set_index("patch_id")
    assert got["integrated"].to_dict() == {
        "a1": "highest",
        "b1": "highest",
        "a2": "high",
        "a3": "high",
        "c1": "low",
        "c2": "low",
    }
    assert got.loc["b1", "group"] == "a1" and got.loc["a1", "sources"] == 2
    windowed = integrate(patches, window_days=0).set_index("patch_id")
    assert windowed.loc["a1", "integrated"] == "low"  # a day apart: not the same event


@given(st.lists(st.tuples(st.integers(0, 29), st.integers(0, 29)), max_size=60))
def test_components_match_a_plain_union_find(edges: list[tuple[int, int]]) -> None:
    n = 30
    parent = list(range(n))

    def root(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = root(a), root(b)
        parent[max(ra, rb)] = min(ra, rb)
    expected = [min(i for i in range(n) if root(i) == root(j)) for j in range(n)]
    left = np.array([e[0] for e in edges], dtype=np.int64)
    right = np.array([e[1] for e in edges], dtype=np.int64)
    assert components(n, left, right).tolist() == expected


def test_counts_areas_per_reserve_zone_period_and_new_since() -> None:
    syn = generate(3, 12, seed=5, start=dt.date(2024, 1, 1), days=180)
    lay = _layer(syn)
    pf = patches_from_frame(syn.patches, file="p").features
    ov = overlay(pf, [lay])
    areas = reserve_areas(lay.features)
    per = summarise(ov.decisions, pf, areas, period=None)
    # per reserve: 2 core + 2 core/buffer → core 4; buffer 2; experimental 2 + 2 edge = 4
    assert per.groupby("zone")["count"].sum().to_dict() == {"buffer": 6, "core": 12, "experimental": 12}
    r0 = per[per["reserve_id"] == "R00000"].set_index("zone")
    assert r0["count"].to_dict() == {"buffer": 2, "core": 4, "experimental": 4}
    reserve_ha = areas["R00000"] * 100
    assert r0.loc["core", "per_10k_ha"] == pytest.approx(4 / (reserve_ha / 10_000))
    core_parts = ov.parts[(ov.parts["reserve_id"] == "R00000")]
    assert r0["area_ha"].sum() == pytest.approx(core_parts["area_km2"].sum() * 100)
    by_q = summarise(ov.decisions, pf, areas, by=("reserve_id",), period="quarter")
    assert set(by_q["period"]) <= {"2024Q1", "2024Q2"} and by_q["count"].sum() == 30
    since = dt.date(2024, 4, 1)
    ns = new_since(ov.decisions, pf, areas, since).set_index("reserve_id")
    inside = ov.decisions[ov.decisions["reserve_id"].notna()].merge(
        pf[["patch_id", "detected_on"]], on="patch_id"
    )
    for rid, g in inside.groupby("reserve_id"):
        assert ns.at[str(rid), "since"] == (g["detected_on"] >= since).sum()
        assert ns.at[str(rid), "before"] == (g["detected_on"] < since).sum()


def test_unzoned_reserve_ranks_as_core_and_general_control_as_buffer() -> None:
    """自然保护区条例 Art. 30: a reserve without zones is managed as core and buffer;
    a national park's 一般控制区 bans productive construction, as a buffer zone (Art. 32)."""
    pa = gpd.GeoDataFrame(
        {
            "id": ["U", "NP-core", "NP-general"],
            "reserve_id": ["U", "NP", "NP"],
            "zone": [None, "核心保护区", "一般控制区"],
        },
        geometry=[
            shapely.box(104.0, 30.0, 104.1, 30.1),
            shapely.box(105.0, 30.0, 105.1, 30.1),
            shapely.box(105.1, 30.0, 105.3, 30.1),
        ],
        crs="EPSG:4326",
    )
    rl = gpd.GeoDataFrame({"id": ["RL"]}, geometry=[shapely.box(104.0, 30.0, 104.1, 30.1)], crs="EPSG:4326")
    layers = [
        layer_from_frame(pa, kind="protected_area", layer_id="pa", valid_from=V1, file="pa"),
        layer_from_frame(rl, kind="redline", layer_id="rl", valid_from=V1, file="rl"),
    ]
    patches = gpd.GeoDataFrame(
        {"patch_id": ["u", "c", "g"], "detected_on": [dt.date(2024, 1, 1)] * 3},
        geometry=[shapely.box(x, 30.04, x + 0.01, 30.05) for x in (104.04, 105.04, 105.2)],
        crs="EPSG:4326",
    )
    d = overlay(patches, layers).decisions.set_index("patch_id")
    assert d["priority"].astype(int).to_dict() == {"u": 1, "c": 1, "g": 2}
    assert (d.loc["u", "layer_id"], d.loc["u", "zone"]) == ("pa", "none")
    assert (d.loc["g", "zone"], d.loc["c", "zone"]) == ("general_control", "core_protection")


def test_daily_counts_per_reserve_by_integrated_confidence() -> None:
    syn = generate(2, 12, seed=9, start=dt.date(2024, 6, 1), days=3)
    lay = _layer(syn)
    pf = patches_from_frame(syn.patches, file="p").features
    pf = pf.merge(integrate(pf)[["patch_id", "integrated"]], on="patch_id")
    ov = overlay(pf, [lay])
    got = summarise(
        ov.decisions, pf, reserve_areas(lay.features), by=("reserve_id", "integrated"), period="day"
    )
    inside = ov.decisions[ov.decisions["reserve_id"].notna()].merge(pf, on="patch_id")
    expected = inside.groupby(["reserve_id", "integrated", "detected_on"]).size()
    assert got["count"].sum() == len(inside) == 20
    for r in got.to_dict("records"):
        assert r["count"] == expected[(r["reserve_id"], r["integrated"], dt.date.fromisoformat(r["period"]))]


@settings(max_examples=30, deadline=None)
@given(
    cx=st.floats(104.0, 104.4),
    cy=st.floats(30.0, 30.4),
    radii=st.lists(st.floats(0.001, 0.05), min_size=3, max_size=12),
)
def test_any_star_patch_part_area_is_its_intersection_with_the_zone(
    cx: float, cy: float, radii: list[float]
) -> None:
    """Non-rectangular patches across a concave zone: each part is the plain GEOS
    intersection's geodesic area (pyproj), whatever clipping the overlay does first."""
    zone = shapely.Polygon([(104.0, 30.0), (104.4, 30.0), (104.4, 30.4), (104.2, 30.2), (104.0, 30.4)])
    ang = np.linspace(0, 2 * np.pi, len(radii), endpoint=False)
    star = shapely.Polygon(np.column_stack([cx + np.cos(ang) * radii, cy + np.sin(ang) * radii]))
    star = shapely.make_valid(star)
    if star.geom_type != "Polygon" or star.area == 0:
        return
    lay = layer_from_frame(
        gpd.GeoDataFrame({"id": ["Z"], "zone": ["缓冲区"]}, geometry=[zone], crs="EPSG:4326"),
        kind="protected_area",
        layer_id="pa",
        valid_from=V1,
        file="z",
    )
    patches = gpd.GeoDataFrame(
        {"patch_id": ["s"], "detected_on": [dt.date(2024, 1, 1)]}, geometry=[star], crs="EPSG:4326"
    )
    ov = overlay(patches, [lay])
    geod = pyproj.Geod(ellps="GRS80")
    common = shapely.intersection(star, zone)
    expected = (
        abs(geod.geometry_area_perimeter(shapely.segmentize(common, 0.001))[0]) / 1e6
        if not common.is_empty
        else 0.0
    )
    got = float(ov.parts["area_km2"].sum())
    assert got == pytest.approx(expected, rel=1e-4, abs=1e-9)


def test_early_patch_reject_names_its_place_in_the_file(tmp_path: Path) -> None:
    zone = gpd.GeoDataFrame(
        {"id": ["Z"], "zone": ["核心区"]}, geometry=[shapely.box(104, 30, 104.2, 30.2)], crs="EPSG:4326"
    )
    lay = layer_from_frame(
        zone, kind="protected_area", layer_id="pa", valid_from=dt.date(2024, 1, 1), file="z"
    )
    f = gpd.GeoDataFrame(
        {
            "patch_id": ["bad-class", "ok", "early"],
            "detected_on": ["2024-05-01", "2024-05-01", "2023-12-31"],
            "source": ["s"] * 3,
            "class": ["采砂", "其他", "其他"],
            "confidence": ["high"] * 3,
        },
        geometry=[shapely.box(104.05 + i / 100, 30.05, 104.055 + i / 100, 30.055) for i in range(3)],
        crs="EPSG:4326",
    )
    f.to_file(tmp_path / "p.geojson", driver="GeoJSON")
    got = read_patches(tmp_path / "p.geojson")
    assert [r.index for r in got.rejects] == [0]
    ov = overlay(got.features, [lay], file=got.file)
    assert [(r.index, r.feature, r.reason) for r in ov.rejects] == [(2, "early", "patch_before_layer")]
    assert list(ov.decisions["patch_id"]) == ["ok"]
