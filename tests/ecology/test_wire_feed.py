"""The spatial plan values on a real DuckDB file: a plan declaring red-line area kept and
patches closed on time gets 100 % before a red-line version loses area, the geodesic
share after it, and the share of its patches closed with every step on time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
import yaml
from pyproj import Geod
from typer.testing import CliRunner

from ecoplan.app import Ecoplan
from ecoplan.cli import app as cli_app
from ecoplan.plans.serialize import plan_to_mapping

GEOD = Geod(ellps="WGS84")
FULL = shapely.box(104.0, 30.5, 104.2, 30.7)
CUT = shapely.box(104.0, 30.5, 104.2, 30.66)


def km2(g: shapely.Geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(g)[0]) / 1e6


def test_redline_kept_and_patches_closed_on_time(ep: Ecoplan, tmp_path: Path) -> None:
    m = plan_to_mapping(ep.plan("jiangmen-13th-eco").plan)
    ind = m["indicators"][0]
    m.update(id="sc-eco-test", region="510000", level="province", parent=None, base_year=2020)
    m["period"] = {"start": 2021, "end": 2025}
    m["tasks"] = []
    m["indicators"] = [
        {
            **ind,
            "id": "redline-kept",
            "code": "eco.redline_area_kept",
            "name": {"zh": "生态保护红线面积保持率", "en": "Red-line area kept"},
            "unit": "%",
            "direction": "higher",
            "baseline": {"year": 2020, "value": 100},
            "targets": [{"year": 2025, "expr": "100"}],
        },
        {
            **ind,
            "id": "patches-on-time",
            "code": "eco.patches_closed_on_time",
            "name": {"zh": "图斑按期销号率", "en": "Patches closed on time"},
            "unit": "%",
            "direction": "higher",
            "baseline": {"year": 2020, "value": 100},
            "targets": [{"year": 2025, "expr": "90"}],
        },
    ]
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(yaml.safe_dump(m, allow_unicode=True, sort_keys=False), "utf-8")
    ep.import_plan(plan_file)

    for year, geom in (("2021", FULL), ("2023", CUT)):
        path = tmp_path / f"rl{year}.geojson"
        gpd.GeoDataFrame(
            {"feature_id": ["A"], "region": ["510100"]}, geometry=[geom], crs="EPSG:4326"
        ).to_file(path, driver="GeoJSON")
        ep.ecology.import_layer(path, "redline", "sc-rl", dt.date(int(year), 1, 1))
    # a nature reserve over the first patch only: that patch falls in two layers and still
    # counts once (a per-layer count gave 2 of 4 instead of 1 of 3)
    gpd.GeoDataFrame(
        {
            "feature_id": ["PA"],
            "name": ["保护区"],
            "region": ["510100"],
            "reserve_id": ["PA"],
            "zone": ["核心区"],
        },
        geometry=[shapely.box(104.005, 30.505, 104.025, 30.525)],
        crs="EPSG:4326",
    ).to_file(tmp_path / "pa.geojson", driver="GeoJSON")
    ep.ecology.import_layer(tmp_path / "pa.geojson", "protected", "sc-pa", dt.date(2020, 1, 1))
    day = dt.date(2024, 3, 1)
    patches = gpd.GeoDataFrame(
        {
            "patch_id": ["ON", "LATE", "OPEN"],
            "detected_on": [day.isoformat()] * 3,
            "source": ["s1", "s2", "s3"],
            "class": ["mining", "energy", "other"],
            "confidence": ["high"] * 3,
        },
        geometry=[shapely.box(104.01 + i * 0.02, 30.51, 104.02 + i * 0.02, 30.52) for i in range(3)],
        crs="EPSG:4326",
    )
    patches.to_file(tmp_path / "p.geojson", driver="GeoJSON")
    ep.ecology.import_patches(tmp_path / "p.geojson")

    def step(pid: str, event: str, days: int, evidence: str | None = None) -> None:
        ep.ecology.advance_patch(pid, event, day + dt.timedelta(days=days), evidence)

    step("ON", "assign", 7)  # due on day 7: on time
    step("ON", "verify_false", 30, "核查记录")
    step("ON", "close", 35)
    step("LATE", "assign", 8)  # one day late
    step("LATE", "verify_false", 9, "核查记录")
    step("LATE", "close", 10)
    step("OPEN", "assign", 1)

    fr = ep.ecology.spatial_feed(today=dt.date(2024, 12, 31))
    got = {(r.indicator, r.year): r.value for r in fr.rows}
    kept = km2(CUT) / km2(FULL) * 100
    assert got[("redline-kept", 2021)] == 100.0 and got[("redline-kept", 2022)] == 100.0
    assert got[("redline-kept", 2023)] == pytest.approx(kept, abs=0.01)
    assert got[("redline-kept", 2024)] == pytest.approx(kept, abs=0.01)
    assert ("redline-kept", 2020) not in got
    assert got[("patches-on-time", 2024)] == 33.33
    assert {k for k in got if k[0] == "patches-on-time"} == {("patches-on-time", 2024)}
    assert fr.result.inserted == 5
    again = ep.ecology.spatial_feed(today=dt.date(2024, 12, 31))
    assert again.result.inserted == 0 and again.result.unchanged == 5
    ep.close()
    cli = CliRunner().invoke(
        cli_app, ["ecology", "spatial-feed", "--year", "2024", "--db", str(ep.path), "--lang", "en"]
    )
    assert cli.exit_code == 0, cli.output
    assert "sc-eco-test" in cli.output and "33.33" in cli.output
